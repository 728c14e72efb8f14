/**
 * PredictedDense: a dense layer whose kernel is predicted, W = [U_1V_1 … U_JV_J] (Denil et al. 2013,
 * §2–3; docs/method.md §1). U (n_v × J·n_α) is a fixed dictionary stored as one non-trainable weight
 * (trainable only for `lowrank`), V (J × n_α × n_h/J) is learned, α (J × n_α) is kept as a
 * non-trainable weight so that pictures can be made after loading. Evaluates as x(UV) or (xU)V,
 * whichever costs fewer multiply-adds for the batch at hand (eval_order.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { ParampredError, check } from '../errors.js';
import { gridCoords } from '../geometry.js';
import type { Coords, DataMatrix } from '../dictionaries/types.js';
import { activationFn } from './activation.js';
import { fusedDense, isFusedActivation } from './dense.js';
import { buildColumnDictionaries, resolveNAlpha, vStdPerColumn } from './columns.js';
import { chooseOrder, denseOrderCosts } from './eval_order.js';
import type { ConcreteOrder } from './eval_order.js';
import { inputGradNeeded } from './upstream.js';
import { PredictedLayer, firstShape, uniformBlocks, type PredictedCommonArgs } from './predicted_layer.js';

export type { PredictedCommonArgs } from './predicted_layer.js';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** Image layout of a layer's flattened input (NHWC order), for topology dictionaries such as se. */
export interface InputGeometry {
  height: number;
  width: number;
  channels: number;
}

export interface PredictedDenseArgs extends LayerArgs, PredictedCommonArgs {
  units: number;
  /** Geometry of the input for topology dictionaries; null/absent: no coordinates. */
  inputGeometry?: InputGeometry | null;
}

const FN = 'PredictedDense';

export class PredictedDense extends PredictedLayer {
  static className = 'PredictedDense';
  readonly units: number;
  readonly inputGeometry: InputGeometry | null;
  /** n_v once built. */
  nIn = 0;
  /** V is J × n_α × n_h/J: one output unit's weights run over n_α. */
  readonly vColumnAxes = [1] as const;

  constructor(args: PredictedDenseArgs) {
    super(args, FN);
    check(Number.isInteger(args.units) && args.units >= 1, FN, 'units a positive integer', args.units);
    if (args.units % this.columns !== 0) throw new ParampredError(FN, `expected columns to divide units, got units=${args.units}, columns=${this.columns}`);
    this.units = args.units;
    this.inputGeometry = args.inputGeometry ?? null;
  }

  /** Coordinates of the input units from inputGeometry (undefined without one). */
  coords(): Coords | undefined {
    const g = this.inputGeometry;
    if (!g) return undefined;
    check(g.height * g.width * g.channels === this.nIn, FN, `inputGeometry with height·width·channels = input size ${this.nIn}`, g);
    return gridCoords(g.height, g.width, g.channels);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = firstShape(inputShape);
    const nIn = shape[shape.length - 1];
    check(typeof nIn === 'number' && nIn > 0, FN, 'an input with a known last dimension', shape);
    this.nIn = nIn;
    this.nAlpha = resolveNAlpha(nIn, this.nAlphaArg, this.fraction, FN);
    const { columns: J, nAlpha: a, units } = this;
    const zeros = tf.initializers.zeros();
    this.uVar = this.addWeight('U', [nIn, J * a], 'float32', zeros, undefined, this.trainableU, this.uConstraint());
    this.vVar = this.addWeight('V', [J, a, units / J], 'float32', zeros, undefined, true, this.vConstraint());
    this.alphaVar = this.addWeight('alpha', [J, a], 'float32', zeros, undefined, false);
    if (this.useBias) this.biasVar = this.addWeight('bias', [units], 'float32', zeros, undefined, true);
    this.fillDictionary(undefined);
    this.built = true;
  }

  protected dictionaryInputs(): number {
    return this.nIn;
  }

  /** Builds U and α (data-driven methods from `data`), writes them, and re-initialises V to U's scale. */
  protected fillDictionary(data: DataMatrix | undefined): void {
    const { nIn, nAlpha: a, columns: J, units } = this;
    const d = buildColumnDictionaries({ nIn, nAlpha: a, columns: J, seed: this.seed, dictionary: this.dictionary, sampler: this.sampler, coords: this.coords(), data }, FN);
    tf.tidy(() => {
      this.uVar.write(tf.tensor2d(d.u, [nIn, J * a]));
      this.alphaVar.write(tf.tensor2d(d.alpha, [J, a]));
      const stds = vStdPerColumn(d.u, nIn, a, J, 2 / (nIn + units));
      this.vVar.write(uniformBlocks([J, a, units / J], 0, stds, { seed: this.seed, name: 'V' }));
    });
  }

  /** The order `evalOrder` resolves to for a batch of `batch` rows. */
  orderFor(batch: number): ConcreteOrder {
    if (this.evalOrder !== 'auto') return this.evalOrder;
    if (this.needInputGrad === null) this.needInputGrad = inputGradNeeded(this);
    return chooseOrder('auto', denseOrderCosts({ batch, nIn: this.nIn, units: this.units, nAlpha: this.nAlpha, columns: this.columns, inputGrad: this.needInputGrad, trainableU: this.trainableU }));
  }

  /** The composite kernel W = [U_1V_1 … U_JV_J], n_v × n_h (a new tensor). */
  composite(): tf.Tensor2D {
    return tf.tidy(() => this.formW(this.uVar.read() as tf.Tensor2D, this.vVar.read() as tf.Tensor3D));
  }

  private formW(u: tf.Tensor2D, v: tf.Tensor3D): tf.Tensor2D {
    const { nIn: n, nAlpha: a, columns: J, units } = this;
    if (J === 1) return tf.matMul(u, tf.reshape(v, [a, units]));
    const ut = tf.transpose(tf.reshape(u, [n, J, a]), [1, 0, 2]) as tf.Tensor3D;
    return tf.reshape(tf.transpose(tf.matMul(ut, v), [1, 0, 2]), [n, units]);
  }

  /** Pre-activation x·W (no bias) in the given order. */
  linear(x: tf.Tensor2D, order: ConcreteOrder): tf.Tensor2D {
    const last = this.lastProduct(x, order);
    if (last) return tf.matMul(last[0], last[1]);
    const { nAlpha: a, columns: J, units } = this;
    const b = x.shape[0];
    const pj = tf.transpose(tf.reshape(tf.matMul(x, this.uVar.read() as tf.Tensor2D), [b, J, a]), [1, 0, 2]) as tf.Tensor3D;
    return tf.reshape(tf.transpose(tf.matMul(pj, this.vVar.read() as tf.Tensor3D), [1, 0, 2]), [b, units]);
  }

  /**
   * x·W = L·R as one 2-D product where the order ends in one: completion (x · UV) and pooling with one
   * column ((xU) · V); null for pooling with several columns (a batched product per column).
   */
  private lastProduct(x: tf.Tensor2D, order: ConcreteOrder): [tf.Tensor2D, tf.Tensor2D] | null {
    const u = this.uVar.read() as tf.Tensor2D;
    const v = this.vVar.read() as tf.Tensor3D;
    if (order === 'complete') return [x, this.formW(u, v)];
    if (this.columns === 1) return [tf.matMul(x, u), tf.reshape(v, [this.nAlpha, this.units])];
    return null;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      this.assertReady();
      const x0 = Array.isArray(inputs) ? inputs[0] : inputs;
      const lead = x0.shape.slice(0, -1);
      const x = (x0.rank === 2 ? x0 : tf.reshape(x0, [-1, this.nIn])) as tf.Tensor2D;
      const order = this.orderFor(x.shape[0]);
      this.lastOrder = order;
      const act = activationFn(this.activation, FN);
      const fusable = isFusedActivation(this.activation);
      const last = fusable ? this.lastProduct(x, order) : null;
      let h: tf.Tensor;
      if (fusable && last) {
        // one fused kernel for the last product, bias and activation (layers/dense.ts)
        h = fusedDense(last[0], last[1], (this.biasVar?.read() ?? null) as tf.Tensor1D | null, this.activation);
      } else {
        h = this.linear(x, order);
        if (this.biasVar) h = tf.add(h, this.biasVar.read());
        h = act(h);
      }
      return x0.rank === 2 ? h : tf.reshape(h, [...lead, this.units]);
    });
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return [...firstShape(inputShape).slice(0, -1), this.units];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      units: this.units,
      inputGeometry: this.inputGeometry ? { ...this.inputGeometry } : null,
      ...this.commonConfig(),
    };
  }
}
tf.serialization.registerClass(PredictedDense);
