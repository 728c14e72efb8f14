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
 */
import * as tf from '@tensorflow/tfjs';
import { ParampredError, check } from '../errors.js';
import { activationFn } from '../layers/activation.js';
import { firstShape } from '../layers/predicted_layer.js';

const FN = 'GroupedConv2D';

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
