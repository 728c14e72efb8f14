/**
 * PredictedLayer: what PredictedDense and PredictedConv2D share (METHOD.md §1): the validated common
 * arguments (columns J, n_α or fraction, dictionary, sampler, seed, activation, bias, evaluation order),
 * the weights by role (U fixed, V dynamic, α, bias) and their common config entries.
 */
import * as tf from '@tensorflow/tfjs';
import { check } from '../errors.js';
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
  return {
    columns, nAlpha, fraction, dictionary, evalOrder, activation, seed,
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
  /** n_α once built. */
  nAlpha = 0;
  /** The order the last call ran in. */
  lastOrder: ConcreteOrder | null = null;
  protected uVar!: tf.LayerVariable;
  protected vVar!: tf.LayerVariable;
  protected alphaVar!: tf.LayerVariable;
  protected biasVar: tf.LayerVariable | null = null;
  protected needInputGrad: boolean | null = null;

  constructor(args: LayerArgs & PredictedCommonArgs, fn: string) {
    super(args);
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
    };
  }
}
