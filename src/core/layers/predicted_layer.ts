/**
 * PredictedLayer: what PredictedDense and PredictedConv2D share (docs/method.md §1): the validated common
 * arguments (columns J, n_α or fraction, dictionary, sampler, seed, activation, bias, evaluation order,
 * max column norm), the weights by role (U fixed, V dynamic, α, bias), their common config entries, and
 * the rules every predicted layer keeps the same way: building a data-driven dictionary from data, the
 * ready check before a call, the max-column-norm constraint on V (over the layer's own column axes).
 */
import * as tf from '@tensorflow/tfjs';
import { ParampredError, check } from '../errors.js';
import { rng } from '../rng.js';
import type { DataMatrix } from '../dictionaries/types.js';
import { MaxColumnNorm, setWeightConstraint, type Constraint } from './max_column_norm.js';
import { activationFn } from './activation.js';
import type { ActivationName } from './activation.js';
import { needsData, trainableDictionary } from './columns.js';
import type { DictionarySpecLike } from './columns.js';
import type { SamplerSpecLike } from './alpha.js';
import { evalOrders } from './eval_order.js';
import type { ConcreteOrder, EvalOrder } from './eval_order.js';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** Arguments shared by the predicted layers. */
export interface PredictedCommonArgs {
  /** J: the outputs are split into J blocks, each with its own α and U (default 1). */
  columns?: number;
  /** n_α per column; or give `fraction` (n_α = round(fraction·n_v)). */
  nAlpha?: number | null;
  fraction?: number | null;
  /** Dictionary method and options (default {method: 'se'}). */
  dictionary?: DictionarySpecLike;
  /** α sampler (default uniform without replacement). */
  sampler?: SamplerSpecLike | null;
  /** Seed of the streams rng(seed).fork(`column${j}`) (α, U) and rng(seed).fork('V') (default 0). */
  seed?: number;
  activation?: ActivationName;
  useBias?: boolean;
  evalOrder?: EvalOrder;
  /** Set by setDictionaryFromData (and kept in the config): U of a data-driven dictionary is filled. */
  dictionaryReady?: boolean;
  /**
   * Max L2 norm of each column of V (the weights of one output unit over n_α, per input channel for a
   * conv), kept by a MaxColumnNorm constraint attached to V in build; null = none (default).
   */
  maxColumnNorm?: number | null;
}

/** Checks a data matrix (shape and finiteness) at a public entry. */
export function checkData(data: DataMatrix, cols: number, fn: string): void {
  check(Number.isInteger(data.rows) && data.rows >= 1 && data.values.length === data.rows * data.cols, fn, 'data {rows, cols, values} with values.length = rows·cols', { rows: data.rows, cols: data.cols, length: data.values.length });
  check(data.cols === cols, fn, `data with ${cols} columns (the layer's input size)`, data.cols);
  for (let i = 0; i < data.values.length; i++) {
    if (!Number.isFinite(data.values[i])) throw new ParampredError(fn, `expected finite data, got ${data.values[i]} at row ${Math.floor(i / cols)}, column ${i % cols}`);
  }
}

/** A uniform tensor with per-block std: `stds[j]` for block j of `shape` split along `axis`. */
export function uniformBlocks(shape: number[], axis: number, stds: number[], seedPath: { seed: number; name: string }): tf.Tensor {
  const size = shape.reduce((p, q) => p * q, 1);
  const r = rng(seedPath.seed).fork(seedPath.name);
  const vals = new Float32Array(size);
  const inner = shape.slice(axis + 1).reduce((p, q) => p * q, 1);
  const blocks = stds.length;
  const per = shape[axis] / blocks;
  for (let i = 0; i < size; i++) {
    const j = Math.floor(Math.floor(i / inner) % shape[axis] / per);
    const lim = Math.sqrt(3) * stds[j];
    vals[i] = (2 * r.uniform() - 1) * lim;
  }
  return tf.tensor(vals, shape);
}

/** The first input's shape (TF.js passes one shape, or a list of them). */
export function firstShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
  return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
}

/** Validates the shared arguments and returns them with defaults (constructor-time checks). */
export function resolveCommonArgs(a: PredictedCommonArgs, fn: string) {
  const columns = a.columns ?? 1;
  check(Number.isInteger(columns) && columns >= 1, fn, 'columns a positive integer', columns);
  const nAlpha = a.nAlpha ?? undefined;
  const fraction = a.fraction ?? undefined;
  check(nAlpha !== undefined || fraction !== undefined, fn, 'nAlpha or fraction', a);
  check(nAlpha === undefined || fraction === undefined, fn, 'only one of nAlpha and fraction', { nAlpha, fraction });
  if (nAlpha !== undefined) check(Number.isInteger(nAlpha) && nAlpha >= 1, fn, 'nAlpha a positive integer', nAlpha);
  if (fraction !== undefined) check(fraction > 0 && fraction <= 1, fn, 'fraction in (0, 1]', fraction);
  const dictionary = a.dictionary ?? { method: 'se' };
  check(typeof dictionary === 'object' && typeof dictionary.method === 'string', fn, 'dictionary {method, ...options}', dictionary);
  const evalOrder = a.evalOrder ?? 'auto';
  check((evalOrders as readonly string[]).includes(evalOrder), fn, `evalOrder one of ${evalOrders.join(', ')}`, evalOrder);
  const activation = a.activation ?? 'linear';
  activationFn(activation, fn);
  const seed = a.seed ?? 0;
  check(Number.isFinite(seed), fn, 'seed a finite number', seed);
  const maxColumnNorm = a.maxColumnNorm ?? null;
  if (maxColumnNorm !== null) check(Number.isFinite(maxColumnNorm) && maxColumnNorm > 0, fn, 'maxColumnNorm a positive number or null', maxColumnNorm);
  return {
    columns, nAlpha, fraction, dictionary, evalOrder, activation, seed, maxColumnNorm,
    sampler: a.sampler ?? null,
    useBias: a.useBias ?? true,
    trainableU: trainableDictionary(dictionary, fn),
    dataDriven: needsData(dictionary, fn),
  };
}

/** Base of the predicted layers: common arguments, weights by role, common config. */
export abstract class PredictedLayer extends tf.layers.Layer {
  readonly columns: number;
  readonly nAlphaArg?: number;
  readonly fraction?: number;
  readonly dictionary: DictionarySpecLike;
  readonly sampler: SamplerSpecLike | null;
  readonly seed: number;
  readonly activation: ActivationName;
  readonly useBias: boolean;
  evalOrder: EvalOrder;
  readonly trainableU: boolean;
  readonly dataDriven: boolean;
  dictionaryReady: boolean;
  maxColumnNorm: number | null;
  /** n_α once built. */
  nAlpha = 0;
  /** The order the last call ran in. */
  lastOrder: ConcreteOrder | null = null;
  protected uVar!: tf.LayerVariable;
  protected vVar!: tf.LayerVariable;
  protected alphaVar!: tf.LayerVariable;
  protected biasVar: tf.LayerVariable | null = null;
  protected needInputGrad: boolean | null = null;
  /** The class name used in error messages. */
  protected readonly fn: string;

  /** The axes of V that hold one column (one output unit's weights): the norm of maxColumnNorm runs over them. */
  abstract readonly vColumnAxes: readonly number[];
  /** Inputs per row of the data that setDictionaryFromData takes (n_v, or kh·kw for a conv). */
  protected abstract dictionaryInputs(): number;
  /** Builds U and α (data-driven methods from `data`) and re-initialises V to U's scale. */
  protected abstract fillDictionary(data: DataMatrix | undefined): void;

  constructor(args: LayerArgs & PredictedCommonArgs, fn: string) {
    super(args);
    this.fn = fn;
    const c = resolveCommonArgs(args, fn);
    this.columns = c.columns;
    this.nAlphaArg = c.nAlpha;
    this.fraction = c.fraction;
    this.dictionary = c.dictionary;
    this.sampler = c.sampler;
    this.seed = c.seed;
    this.activation = c.activation;
    this.useBias = c.useBias;
    this.evalOrder = c.evalOrder;
    this.trainableU = c.trainableU;
    this.dataDriven = c.dataDriven;
    this.dictionaryReady = !c.dataDriven || (args.dictionaryReady ?? false);
    this.maxColumnNorm = c.maxColumnNorm;
  }

  /** The constraint of V (null without maxColumnNorm): a MaxColumnNorm over vColumnAxes. */
  protected vConstraint(): Constraint | undefined {
    return this.maxColumnNorm === null ? undefined : new MaxColumnNorm({ maxValue: this.maxColumnNorm, axes: [...this.vColumnAxes] });
  }

  /** The constraint of a trained U (lowrank): each of its J·n_α columns over n_v (axis 0). */
  protected uConstraint(): Constraint | undefined {
    return this.maxColumnNorm === null || !this.trainableU ? undefined : new MaxColumnNorm({ maxValue: this.maxColumnNorm, axes: [0] });
  }

  /**
   * Sets (or with null removes) the max column norm of V (and of a trained U) after construction,
   * re-attaching the constraints if the layer is built. Training loops apply weight constraints after
   * each step (applyConstraints); TF.js applies them whenever a weight is written.
   */
  setMaxColumnNorm(max: number | null): void {
    if (max !== null) check(Number.isFinite(max) && max > 0, `${this.fn}.setMaxColumnNorm`, 'a positive number or null', max);
    this.maxColumnNorm = max;
    if (!this.built) return;
    setWeightConstraint(this.vVar, this.vConstraint() ?? null);
    if (this.trainableU) setWeightConstraint(this.uVar, this.uConstraint() ?? null);
  }

  /**
   * Builds a data-driven dictionary (emp, emp2, ae, kmeans, pca) from a sample of this layer's inputs
   * (rows × dictionaryInputs: n_v, or kh·kw patches for a conv) and re-initialises V for it. Call after
   * the layer is built, before training.
   */
  setDictionaryFromData(data: DataMatrix): void {
    const fn = `${this.fn}.setDictionaryFromData`;
    if (!this.built) throw new ParampredError(fn, 'expected a built layer (add it to a model with a known input shape first), got an unbuilt one');
    checkData(data, this.dictionaryInputs(), fn);
    this.fillDictionary(data);
    this.dictionaryReady = true;
  }

  /** Declares U and α filled from saved weights (a checkpoint, a saved model): the layer is ready without data. */
  setDictionaryLoaded(): void {
    this.dictionaryReady = true;
  }

  /** Throws unless the dictionary is ready (data-driven ones must be built from data or loaded first). */
  protected assertReady(): void {
    if (this.dictionaryReady) return;
    throw new ParampredError(this.fn, `expected the data-driven dictionary '${this.dictionary.method}' of layer '${this.name}' to be built from data (setDictionaryFromData or prepareDataDictionaries) or loaded (setDictionaryLoaded) before use, got none`);
  }

  /** The weights by role: U (fixed dictionary), V (dynamic), α (J × n_α sampled indices), bias (or null). */
  get weightsByRole(): { U: tf.LayerVariable; V: tf.LayerVariable; alpha: tf.LayerVariable; bias: tf.LayerVariable | null } {
    return { U: this.uVar, V: this.vVar, alpha: this.alphaVar, bias: this.biasVar };
  }

  /** α of each column as integer indices (for pictures). */
  alphaIndices(): Int32Array[] {
    const a = this.alphaVar.read().dataSync();
    return Array.from({ length: this.columns }, (_, j) => Int32Array.from(a.subarray(j * this.nAlpha, (j + 1) * this.nAlpha)));
  }

  /** The config entries of the common arguments (plain values). */
  protected commonConfig(): tf.serialization.ConfigDict {
    return {
      columns: this.columns,
      nAlpha: this.nAlphaArg ?? null,
      fraction: this.fraction ?? null,
      dictionary: { ...this.dictionary } as tf.serialization.ConfigDict,
      sampler: this.sampler ? ({ ...this.sampler } as tf.serialization.ConfigDict) : null,
      seed: this.seed,
      activation: this.activation,
      useBias: this.useBias,
      evalOrder: this.evalOrder,
      dictionaryReady: this.dictionaryReady,
      maxColumnNorm: this.maxColumnNorm,
    };
  }
}
