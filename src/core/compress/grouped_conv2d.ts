/**
 * GroupedConv2D: a convolution whose input channels are split into groups, each convolved with its own
 * kernel (kh × kw × C_g × F_g) into its own output channels (TF.js's Conv2D has no `groups`). Group g
 * reads the input channels `inputGroups[g]` (any subset, any order: a gather, or the input itself when it
 * is all channels in order); the group outputs are concatenated (group 0's F_0 channels first) and, when
 * `outputOrder` is given, output channel f is concatenated channel outputOrder[f] (distinct indices: a
 * permutation, or a selection that drops padding filters); then + bias and the activation (both inside
 * each group's fused conv, on the bias permuted to the concatenation, when the activation is element-wise
 * and fusable, saving two passes over the output). Groups with
 * equal F_g are joined by stack + transpose (contiguous copies) rather than a last-axis concat (a strided
 * copy; TF.js's cpu kernels slice and concat the last axis element by element, ~10× slower than gather or
 * stack+transpose on the native backend). Pure TF.js ops (gather, conv2d, stack, transpose, concat), so it runs on every backend; registered for
 * serialization, so models holding it save and load (import parampred first). Multiply-adds per output
 * position Σ_g kh·kw·C_g·F_g (channel gathers are copies). The bicluster approximation (docs/method.md §3)
 * builds it; its weights come from there or from a saved model (kernels initialise to zeros).
 *
 * Where the active backend registers the kernel GROUPED_CONV2D_KERNEL (the node `native` backend: one
 * call, one oneDNN convolution per group or one grouped convolution), `call` runs that instead of the
 * per-group TF.js ops when no gradient is being recorded, or when the layer is frozen (not trainable);
 * its gradient (registered here, TF.js ops: per-group conv2dTranspose and Conv2DBackpropFilter) makes
 * a frozen layer under trainable layers correct too. Any other case, and every other backend, runs the
 * TF.js ops above. Only the kernel's name is looked up here (tf.getKernel): no node code.
 */
import * as tf from '@tensorflow/tfjs';
import { ParampredError, check } from '../errors.js';
import { activationFn } from '../layers/activation.js';
import { firstShape } from '../layers/predicted_layer.js';

const FN = 'GroupedConv2D';

/** Name of the one-call grouped convolution kernel a backend may register (src/node/backend/kernels/grouped_conv2d.ts). */
export const GROUPED_CONV2D_KERNEL = 'ParampredGroupedConv2D';

/**
 * Attributes of GROUPED_CONV2D_KERNEL; its inputs are an array (TF.js saves all inputs of a kernel for
 * its gradient only when they are one): x (NHWC float32), the G kernels (group g's HWIO [kh, kw, C_g, F_g])
 * and, optional, bias ([filters], output order). Output act(y + bias) with y
 * output channel f = concatenated channel outputOrder[f] ([] = all, in order); activation one of the
 * element-wise fusable ones (linear, relu, relu6, elu, sigmoid).
 */
export interface GroupedConv2DAttrs {
  strides: [number, number];
  pad: 'valid' | 'same';
  /** The groups' input channel lists, concatenated (group 0 first). */
  channels: number[];
  /** C_g per group. */
  groupChannels: number[];
  /** F_g per group. */
  groupFilters: number[];
  outputOrder: number[];
  activation: string;
}

export interface GroupedConv2DArgs {
  kernelSize: number | [number, number];
  strides?: number | [number, number];
  padding?: 'valid' | 'same';
  /** Input channel indices read by each group. */
  inputGroups: number[][];
  /** Output channels of each group (one entry per group). */
  groupFilters: number[];
  /** Output channel f = concatenated channel outputOrder[f] (distinct indices); omitted = every channel in concatenation order. */
  outputOrder?: number[] | null;
  activation?: string;
  useBias?: boolean;
  name?: string;
  trainable?: boolean;
}

/** Element-wise activations tf.fused.conv2d applies inside the conv. */
const FUSABLE = ['linear', 'relu', 'relu6', 'elu', 'sigmoid'];

const pair = (v: number | [number, number] | undefined, d: number): [number, number] => (v === undefined ? [d, d] : Array.isArray(v) ? [v[0], v[1]] : [v, v]);

/** TF.js's conv output size: ⌈n / s⌉ for 'same', ⌈(n − k + 1) / s⌉ for 'valid'. */
function outSize(n: number, k: number, s: number, padding: 'valid' | 'same'): number {
  return padding === 'same' ? Math.ceil(n / s) : Math.ceil((n - k + 1) / s);
}


/** See the file doc. */
export class GroupedConv2D extends tf.layers.Layer {
  static className = 'GroupedConv2D';
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: 'valid' | 'same';
  readonly inputGroups: number[][];
  readonly groupFilters: number[];
  readonly outputOrder: number[] | null;
  readonly filters: number;
  readonly activation: string;
  readonly useBias: boolean;
  private kernels: tf.LayerVariable[] = [];
  private biasVar: tf.LayerVariable | null = null;
  /** Per group: whether it reads every input channel in order (no gather). */
  private whole: boolean[] = [];
  /** Concatenated channel j → index into [bias, 0]: its output channel, or F (a zero) when dropped. */
  private biasIndex: number[] = [];
  private cIn = 0;

  constructor(args: GroupedConv2DArgs) {
    super(args);
    this.kernelSize = pair(args.kernelSize, 1);
    this.strides = pair(args.strides, 1);
    this.padding = args.padding ?? 'valid';
    check(this.padding === 'valid' || this.padding === 'same', FN, "padding 'valid' or 'same'", this.padding);
    check([...this.kernelSize, ...this.strides].every((v) => Number.isInteger(v) && v >= 1), FN, 'kernelSize and strides positive integers', { kernelSize: this.kernelSize, strides: this.strides });
    check(Array.isArray(args.inputGroups) && args.inputGroups.length >= 1 && args.inputGroups.every((g) => Array.isArray(g) && g.length >= 1 && g.every((c) => Number.isInteger(c) && c >= 0)), FN, 'inputGroups: one or more non-empty lists of channel indices', args.inputGroups);
    check(Array.isArray(args.groupFilters) && args.groupFilters.length === args.inputGroups.length && args.groupFilters.every((n) => Number.isInteger(n) && n >= 1), FN, `groupFilters: ${args.inputGroups.length} positive integers (one per group)`, args.groupFilters);
    this.inputGroups = args.inputGroups.map((g) => [...g]);
    this.groupFilters = [...args.groupFilters];
    const joined = this.groupFilters.reduce((s, n) => s + n, 0);
    this.outputOrder = args.outputOrder ? [...args.outputOrder] : null;
    if (this.outputOrder) check(this.outputOrder.length >= 1 && new Set(this.outputOrder).size === this.outputOrder.length && this.outputOrder.every((j) => Number.isInteger(j) && j >= 0 && j < joined), FN, `outputOrder distinct indices in 0..${joined - 1}`, this.outputOrder);
    this.filters = this.outputOrder ? this.outputOrder.length : joined;
    this.activation = args.activation ?? 'linear';
    activationFn(this.activation, FN); // validates the name
    this.useBias = args.useBias ?? true;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = firstShape(inputShape);
    check(shape.length === 4 && typeof shape[3] === 'number', FN, 'an NHWC input [batch, height, width, channels] with known channels', shape);
    this.cIn = shape[3] as number;
    const top = Math.max(...this.inputGroups.flat());
    if (top >= this.cIn) throw new ParampredError(FN, `expected input channel indices below the input's ${this.cIn} channels, got ${top} in layer '${this.name}'`);
    const [kh, kw] = this.kernelSize;
    const zeros = tf.initializers.zeros();
    this.kernels = this.inputGroups.map((g, i) => this.addWeight(`kernel_${i}`, [kh, kw, g.length, this.groupFilters[i]], 'float32', zeros));
    if (this.useBias) this.biasVar = this.addWeight('bias', [this.filters], 'float32', zeros);
    this.whole = this.inputGroups.map((g) => g.length === this.cIn && g.every((c, i) => c === i));
    const joined = this.groupFilters.reduce((s, n) => s + n, 0);
    this.biasIndex = new Array<number>(joined).fill(this.filters);
    for (let f = 0; f < this.filters; f++) this.biasIndex[this.outputOrder ? this.outputOrder[f] : f] = f;
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const fuse = FUSABLE.includes(this.activation);
      if (this.useKernel(x)) {
        const ins = [x, ...this.kernels.map((k) => k.read()), ...(this.biasVar ? [this.biasVar.read()] : [])];
        const attrs: GroupedConv2DAttrs = {
          strides: this.strides, pad: this.padding, channels: this.inputGroups.flat(), groupChannels: this.inputGroups.map((g) => g.length),
          groupFilters: this.groupFilters, outputOrder: this.outputOrder ?? [], activation: fuse ? this.activation : 'linear',
        };
        const y = tf.engine().runKernel(GROUPED_CONV2D_KERNEL, ins as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
        return fuse ? y : activationFn(this.activation, FN)(y);
      }
      const bias = this.biasVar ? (this.outputOrder ? tf.gather(tf.concat([this.biasVar.read(), tf.zeros([1])]), this.biasIndex) : this.biasVar.read()) : undefined;
      let at = 0;
      const parts = this.inputGroups.map((g, i) => {
        const xg = this.whole[i] ? x : tf.gather(x, g, 3);
        const n = this.groupFilters[i];
        const b = bias && (this.inputGroups.length === 1 ? bias : tf.slice(bias, at, n));
        at += n;
        return tf.fused.conv2d({ x: xg, filter: this.kernels[i].read() as tf.Tensor4D, strides: this.strides, pad: this.padding, bias: b, activation: fuse ? this.activation as 'relu' : 'linear' });
      });
      let y: tf.Tensor = parts[0];
      if (parts.length > 1 && this.groupFilters.every((n) => n === this.groupFilters[0])) {
        const [b, h, w] = parts[0].shape;
        y = tf.reshape(tf.transpose(tf.stack(parts, 0), [1, 2, 3, 0, 4]), [b, h, w, this.groupFilters.length * this.groupFilters[0]]);
      } else if (parts.length > 1) y = tf.concat(parts, 3);
      if (this.outputOrder) y = tf.gather(y, this.outputOrder, 3);
      return fuse ? y : activationFn(this.activation, FN)(y);
    });
  }

  /** Whether `call` runs GROUPED_CONV2D_KERNEL (see the file doc). */
  private useKernel(x: tf.Tensor): boolean {
    if (x.dtype !== 'float32' || tf.getKernel(GROUPED_CONV2D_KERNEL, tf.getBackend()) === undefined) return false;
    return !this.trainable || tf.engine().state.gradientDepth === 0;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = firstShape(inputShape);
    const [kh, kw] = this.kernelSize;
    const oh = s[1] === null ? null : outSize(s[1], kh, this.strides[0], this.padding);
    const ow = s[2] === null ? null : outSize(s[2], kw, this.strides[1], this.padding);
    return [s[0], oh, ow, this.filters];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      inputGroups: this.inputGroups.map((g) => [...g]),
      groupFilters: [...this.groupFilters],
      outputOrder: this.outputOrder ? [...this.outputOrder] : null,
      activation: this.activation,
      useBias: this.useBias,
    };
  }
}
tf.serialization.registerClass(GroupedConv2D);

/** d/d(pre-activation) from dy and the activation's output y (TF.js's gradients of the fused activations). */
function activationGrad(dy: tf.Tensor, y: tf.Tensor, activation: string): tf.Tensor {
  switch (activation) {
    case 'relu': return tf.mul(dy, tf.cast(tf.greater(y, 0), 'float32'));
    case 'relu6': return tf.mul(dy, tf.cast(tf.logicalAnd(tf.greater(y, 0), tf.less(y, 6)), 'float32'));
    case 'elu': return tf.where(tf.greaterEqual(y, 0), dy, tf.mul(dy, tf.add(y, 1)));
    case 'sigmoid': return tf.mul(dy, tf.mul(y, tf.sub(1, y)));
    default: return dy;
  }
}

/**
 * Gradient of GROUPED_CONV2D_KERNEL in TF.js ops. Saved: the inputs x, w_0 … w_{G−1}, [bias], then the
 * output y: d = act′ ⊙ dy; concatenated channel j gets d's channel f with outputOrder[f] = j (0 when
 * dropped); group g's slice dz_g gives dx_g = conv2dTranspose(dz_g, w_g) (scattered back onto the input
 * channels it read, summed where groups overlap) and dw_g = Conv2DBackpropFilter(x_g, dz_g); dbias = Σ_nhw d.
 */
tf.registerGradient({
  kernelName: GROUPED_CONV2D_KERNEL,
  saveAllInputs: true,
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const a = attrs as unknown as GroupedConv2DAttrs;
    const G = a.groupFilters.length;
    const x = saved[0] as tf.Tensor4D, ws = saved.slice(1, 1 + G) as tf.Tensor4D[], y = saved[saved.length - 1];
    const hasBias = saved.length === G + 3;
    const [n, h, w, c] = x.shape;
    const d = activationGrad(dy as tf.Tensor, y, a.activation);
    const joined = a.groupFilters.reduce((s, v) => s + v, 0);
    let dcat = d;
    if (a.outputOrder.length > 0) {
      const index = new Array<number>(joined).fill(a.outputOrder.length);
      a.outputOrder.forEach((j, f) => { index[j] = f; });
      dcat = tf.gather(tf.concat([d, tf.zeros([...d.shape.slice(0, 3), 1])], 3), index, 3);
    }
    const starts = a.groupChannels.map((_, g) => a.groupChannels.slice(0, g).reduce((s, v) => s + v, 0));
    const fStarts = a.groupFilters.map((_, g) => a.groupFilters.slice(0, g).reduce((s, v) => s + v, 0));
    const dz = (g: number) => tf.slice(dcat, [0, 0, 0, fStarts[g]], [-1, -1, -1, a.groupFilters[g]]);
    const channelsOf = (g: number) => a.channels.slice(starts[g], starts[g] + a.groupChannels[g]);
    const grads: Record<string, () => tf.Tensor> = {
      0: () => {
        const parts = ws.map((wg, g) => tf.conv2dTranspose(dz(g) as tf.Tensor4D, wg, [n, h, w, a.groupChannels[g]], a.strides, a.pad));
        const cat = parts.length === 1 ? parts[0] : tf.concat(parts, 3);
        if (a.channels.length === c && a.channels.every((v, i) => v === i)) return cat;
        const scatter = tf.oneHot(tf.tensor1d(a.channels, 'int32'), c, 1, 0, 'float32');
        return tf.reshape(tf.matMul(tf.reshape(cat, [-1, a.channels.length]), scatter), [n, h, w, c]);
      },
    };
    ws.forEach((wg, g) => {
      grads[1 + g] = () => tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.gather(x, channelsOf(g), 3), dy: dz(g) }, {
        strides: a.strides, pad: a.pad, dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: wg.shape,
      } as unknown as tf.NamedAttrMap) as tf.Tensor;
    });
    if (hasBias) grads[1 + G] = () => tf.sum(d, [0, 1, 2]);
    return grads;
  },
});
