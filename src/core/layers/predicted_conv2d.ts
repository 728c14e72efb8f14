/**
 * PredictedConv2D: a conv layer whose filters are predicted from a fixed dictionary (docs/method.md §1
 * "Convolutions"), over one of two spaces (`over`):
 * - 'positions' (default, the paper's): a spatial dictionary tied across input channels,
 *   W[:, :, c, o] = U_s,j(o) · V[:, c, o]: U_s (kh·kw × J·n_α) spans the filter's spatial positions
 *   (default SE over (row, col) inside the filter), V is [n_α, c_in, c_out]. 'complete' forms W and runs
 *   conv2d; 'pool' runs a depthwise conv with U_s as fixed filters (same filters for every channel, output
 *   channel c·J·n_α + j·n_α + a) then a 1×1 conv with V.
 * - 'patch': a dictionary over the whole kh·kw·c_in patch, across channels (the reviewers' "data kernels
 *   across channels"): W[:, :, :, o] = U_j(o) · V[:, o] with U (kh·kw·c_in × J·n_α, rows in HWI order) and
 *   V [n_α, c_out]; SE is zero across channels there (gridCoords' channel groups), emp/pca/… take the
 *   covariance of the layer's input patches. 'complete' forms W; 'pool' runs conv2d with U's J·n_α
 *   columns as fixed filters, then a 1×1 conv with V (block-diagonal over the columns).
 * In both, J columns split c_out, column j using its own α_j and U_j, and n_α = fraction·n_v with n_v =
 * kh·kw ('positions') or kh·kw·c_in ('patch'): the same learned fraction of the dense filters either way.
 */
import * as tf from '@tensorflow/tfjs';
import { ParampredError, check } from '../errors.js';
import { gridCoords } from '../geometry.js';
import type { DataMatrix } from '../dictionaries/types.js';
import { activationFn } from './activation.js';
import { buildColumnDictionaries, resolveNAlpha, vStdPerColumn } from './columns.js';
import { chooseOrder, convOrderCosts, patchConvOrderCosts } from './eval_order.js';
import type { ConcreteOrder } from './eval_order.js';
import { PredictedLayer, firstShape, uniformBlocks, type PredictedCommonArgs } from './predicted_layer.js';
import { inputGradNeeded } from './upstream.js';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

export interface PredictedConv2DArgs extends LayerArgs, PredictedCommonArgs {
  filters: number;
  kernelSize: number | [number, number];
  strides?: number | [number, number];
  padding?: 'valid' | 'same';
  dilationRate?: number | [number, number];
  /** The dictionary's space: 'positions' (kh·kw, tied across input channels; default) or 'patch' (kh·kw·c_in). */
  over?: 'positions' | 'patch';
}

/** The spaces a conv dictionary can span (PredictedConv2DArgs.over). */
export const convDictionarySpaces = ['positions', 'patch'] as const;

const FN = 'PredictedConv2D';

function pair(v: number | [number, number] | undefined, dflt: number, name: string): [number, number] {
  const p: [number, number] = v === undefined ? [dflt, dflt] : typeof v === 'number' ? [v, v] : [v[0], v[1]];
  check(p.every((x) => Number.isInteger(x) && x >= 1), FN, `${name} a positive integer or a pair of them`, v);
  return p;
}

/** Output size of one spatial axis of a conv (TF.js conventions). */
export function convOutSize(n: number, k: number, stride: number, dilation: number, padding: 'valid' | 'same'): number {
  const ek = (k - 1) * dilation + 1;
  return padding === 'same' ? Math.ceil(n / stride) : Math.ceil((n - ek + 1) / stride);
}

export class PredictedConv2D extends PredictedLayer {
  static className = 'PredictedConv2D';
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: 'valid' | 'same';
  readonly dilationRate: [number, number];
  readonly over: 'positions' | 'patch';
  /** kh·kw and c_in once built. */
  positions = 0;
  cIn = 0;
  /** V is n_α × c_in × c_out ('positions') or n_α × c_out ('patch'): one output channel's weights run over the leading axes. */
  readonly vColumnAxes: readonly number[];

  constructor(args: PredictedConv2DArgs) {
    super(args, FN);
    check(Number.isInteger(args.filters) && args.filters >= 1, FN, 'filters a positive integer', args.filters);
    if (args.filters % this.columns !== 0) throw new ParampredError(FN, `expected columns to divide filters, got filters=${args.filters}, columns=${this.columns}`);
    this.filters = args.filters;
    this.kernelSize = pair(args.kernelSize, 1, 'kernelSize');
    this.strides = pair(args.strides, 1, 'strides');
    this.dilationRate = pair(args.dilationRate, 1, 'dilationRate');
    this.padding = args.padding ?? 'valid';
    this.over = args.over ?? 'positions';
    check((convDictionarySpaces as readonly string[]).includes(this.over), FN, `over one of ${convDictionarySpaces.map((x) => `'${x}'`).join(', ')}`, this.over);
    this.vColumnAxes = this.over === 'patch' ? [0] : [0, 1];
    check(this.padding === 'valid' || this.padding === 'same', FN, "padding 'valid' or 'same'", this.padding);
    check(Math.max(...this.strides) === 1 || Math.max(...this.dilationRate) === 1, FN, 'strides or dilationRate equal to 1 (not both > 1)', { strides: this.strides, dilationRate: this.dilationRate });
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = firstShape(inputShape);
    check(shape.length === 4 && typeof shape[3] === 'number', FN, 'an NHWC input [batch, height, width, channels] with known channels', shape);
    this.cIn = shape[3] as number;
    const [kh, kw] = this.kernelSize;
    this.positions = kh * kw;
    this.nAlpha = resolveNAlpha(this.dictionaryInputs(), this.nAlphaArg, this.fraction, FN);
    const { columns: J, nAlpha: a, cIn, filters } = this;
    const zeros = tf.initializers.zeros();
    this.uVar = this.addWeight('U', [this.dictionaryInputs(), J * a], 'float32', zeros, undefined, this.trainableU, this.uConstraint());
    this.vVar = this.addWeight('V', this.over === 'patch' ? [a, filters] : [a, cIn, filters], 'float32', zeros, undefined, true, this.vConstraint());
    this.alphaVar = this.addWeight('alpha', [J, a], 'float32', zeros, undefined, false);
    if (this.useBias) this.biasVar = this.addWeight('bias', [filters], 'float32', zeros, undefined, true);
    this.fillDictionary(undefined);
    this.built = true;
  }

  /**
   * n_v, the columns of setDictionaryFromData's data: kh·kw ('positions': one input channel's patch per row)
   * or kh·kw·c_in ('patch': whole patches, HWI order) — patchRows makes either from a layer's inputs.
   */
  protected dictionaryInputs(): number {
    return this.over === 'patch' ? this.positions * this.cIn : this.positions;
  }

  protected fillDictionary(data: DataMatrix | undefined): void {
    const { positions: P, nAlpha: a, columns: J, cIn, filters } = this;
    const [kh, kw] = this.kernelSize;
    const nv = this.dictionaryInputs();
    const patch = this.over === 'patch';
    const d = buildColumnDictionaries({ nIn: nv, nAlpha: a, columns: J, seed: this.seed, dictionary: this.dictionary, sampler: this.sampler, coords: gridCoords(kh, kw, patch ? cIn : 1), data }, FN);
    tf.tidy(() => {
      this.uVar.write(tf.tensor2d(d.u, [nv, J * a]));
      this.alphaVar.write(tf.tensor2d(d.alpha, [J, a]));
      // Glorot's variance for the filters, 2 / (fan_in + fan_out)
      const stds = vStdPerColumn(d.u, nv, a, J, 2 / (P * cIn + P * filters));
      this.vVar.write(patch ? uniformBlocks([a, filters], 1, stds, { seed: this.seed, name: 'V' }) : uniformBlocks([a, cIn, filters], 2, stds, { seed: this.seed, name: 'V' }));
    });
  }

  /** The order `evalOrder` resolves to for an input [batch, height, width, c_in]. */
  orderFor(batch: number, height: number, width: number): ConcreteOrder {
    if (this.evalOrder !== 'auto') return this.evalOrder;
    if (this.needInputGrad === null) this.needInputGrad = inputGradNeeded(this);
    const [kh, kw] = this.kernelSize;
    const outPixels = convOutSize(height, kh, this.strides[0], this.dilationRate[0], this.padding) * convOutSize(width, kw, this.strides[1], this.dilationRate[1], this.padding);
    if (this.over === 'patch') return chooseOrder('auto', patchConvOrderCosts({ batch, positions: this.positions, cIn: this.cIn, cOut: this.filters, nAlpha: this.nAlpha, columns: this.columns, outPixels, inputGrad: this.needInputGrad, trainableU: this.trainableU }));
    return chooseOrder('auto', convOrderCosts({ batch, positions: this.positions, cIn: this.cIn, cOut: this.filters, nAlpha: this.nAlpha, columns: this.columns, outPixels, inputGrad: this.needInputGrad, trainableU: this.trainableU }));
  }

  /** The composite filters W (kh, kw, c_in, c_out), W[:, :, c, o] = U_s,j(o) V[:, c, o] or W[:, :, :, o] = U_j(o) V[:, o] (a new tensor). */
  composite(): tf.Tensor4D {
    return tf.tidy(() => this.formW(this.uVar.read() as tf.Tensor2D, this.vVar.read()));
  }

  private formW(u: tf.Tensor2D, vAny: tf.Tensor): tf.Tensor4D {
    const { positions: P, nAlpha: a, columns: J, cIn, filters } = this;
    const [kh, kw] = this.kernelSize;
    if (this.over === 'patch') {
      const v = vAny as tf.Tensor2D; // [a, c_out]
      if (J === 1) return tf.reshape(tf.matMul(u, v), [kh, kw, cIn, filters]);
      const m = filters / J, nv = P * cIn;
      const uj = tf.transpose(tf.reshape(u, [nv, J, a]), [1, 0, 2]) as tf.Tensor3D; // [J, n_v, a]
      const vj = tf.transpose(tf.reshape(v, [a, J, m]), [1, 0, 2]) as tf.Tensor3D; // [J, a, m]
      return tf.reshape(tf.transpose(tf.matMul(uj, vj), [1, 0, 2]), [kh, kw, cIn, filters]);
    }
    const v = vAny as tf.Tensor3D;
    if (J === 1) return tf.reshape(tf.matMul(u, tf.reshape(v, [a, cIn * filters])), [kh, kw, cIn, filters]);
    const m = filters / J;
    const uj = tf.transpose(tf.reshape(u, [P, J, a]), [1, 0, 2]) as tf.Tensor3D; // [J, P, a]
    const vj = tf.reshape(tf.transpose(tf.reshape(v, [a, cIn, J, m]), [2, 0, 1, 3]), [J, a, cIn * m]) as tf.Tensor3D;
    const w = tf.reshape(tf.matMul(uj, vj), [J, P, cIn, m]);
    return tf.reshape(tf.transpose(w, [1, 2, 0, 3]), [kh, kw, cIn, filters]);
  }

  /** Pre-activation conv(x, W) (no bias) in the given order. */
  linear(x: tf.Tensor4D, order: ConcreteOrder): tf.Tensor4D {
    const u = this.uVar.read() as tf.Tensor2D;
    const { nAlpha: a, columns: J, cIn, filters } = this;
    const [kh, kw] = this.kernelSize;
    if (order === 'complete') return tf.conv2d(x, this.formW(u, this.vVar.read()), this.strides, this.padding, 'NHWC', this.dilationRate);
    if (this.over === 'patch') {
      const pooled = tf.conv2d(x, tf.reshape(u, [kh, kw, cIn, J * a]) as tf.Tensor4D, this.strides, this.padding, 'NHWC', this.dilationRate);
      let v2 = this.vVar.read() as tf.Tensor; // [a, c_out]; column j's outputs read only its own n_α channels
      if (J > 1) {
        const m = filters / J;
        const mask = new Float32Array(J * filters);
        for (let j = 0; j < J; j++) for (let o = j * m; o < (j + 1) * m; o++) mask[j * filters + o] = 1;
        v2 = tf.mul(tf.reshape(v2, [1, a, filters]), tf.tensor3d(mask, [J, 1, filters]));
      }
      return tf.conv2d(pooled, tf.reshape(v2, [1, 1, J * a, filters]) as tf.Tensor4D, 1, 'valid');
    }
    const v = this.vVar.read() as tf.Tensor3D;
    const dwFilter = tf.tile(tf.reshape(u, [kh, kw, 1, J * a]), [1, 1, cIn, 1]) as tf.Tensor4D;
    const pooled = tf.depthwiseConv2d(x, dwFilter, this.strides, this.padding, 'NHWC', this.dilationRate);
    let v2 = tf.transpose(v, [1, 0, 2]); // [c_in, a, c_out]
    if (J > 1) {
      const m = filters / J;
      const mask = new Float32Array(J * filters);
      for (let j = 0; j < J; j++) for (let o = j * m; o < (j + 1) * m; o++) mask[j * filters + o] = 1;
      v2 = tf.mul(tf.reshape(v2, [cIn, 1, a, filters]), tf.tensor4d(mask, [1, J, 1, filters]));
    }
    return tf.conv2d(pooled, tf.reshape(v2, [1, 1, cIn * J * a, filters]) as tf.Tensor4D, 1, 'valid');
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      this.assertReady();
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const order = this.orderFor(x.shape[0], x.shape[1], x.shape[2]);
      this.lastOrder = order;
      let h: tf.Tensor = this.linear(x, order);
      if (this.biasVar) h = tf.add(h, this.biasVar.read());
      return activationFn(this.activation, FN)(h);
    });
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = firstShape(inputShape);
    const [kh, kw] = this.kernelSize;
    const oh = s[1] === null ? null : convOutSize(s[1], kh, this.strides[0], this.dilationRate[0], this.padding);
    const ow = s[2] === null ? null : convOutSize(s[2], kw, this.strides[1], this.dilationRate[1], this.padding);
    return [s[0], oh, ow, this.filters];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      dilationRate: [...this.dilationRate],
      over: this.over,
      ...this.commonConfig(),
    };
  }
}
tf.serialization.registerClass(PredictedConv2D);
