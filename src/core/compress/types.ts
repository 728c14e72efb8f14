/**
 * The approximation contract (docs/method.md §3, Denton et al. 2014): a method turns one trained layer into a
 * cheaper chain of built plain layers (Dense, Conv2D, …) that runs on any TF.js backend, and reports the
 * cost before and after by the paper's formulas and how far the approximated weights are from the layer's.
 */
import type * as tf from '@tensorflow/tfjs';
import type { z } from 'zod';
import type { Cost } from './cost.js';
import type { DataMatrix } from '../dictionaries/types.js';
import type { InputGeometry } from '../layers/predicted_dense.js';

/** The layer being approximated, as a method sees it. */
export interface ApproximationInput {
  /** The trained, built layer. */
  layer: tf.layers.Layer;
  /** Its input shape for one example (no batch axis). */
  inputShape: number[];
  /** A sample of the layer's inputs (rows × n_v), for methods whose needsSample says so (predict with emp). */
  sample?: DataMatrix;
  /** Image layout of the layer's flattened input, when it has one (the model's image input), for topology dictionaries. */
  geometry?: InputGeometry | null;
}

/** What a method returns: the replacement chain and its theoretical costs. */
export interface Approximation {
  /** Built layers with their weights, applied in order; the last one replaces the layer (and takes its name). */
  layers: tf.layers.Layer[];
  /** Per example, by the method's formula, for the original layer and for the chain. */
  before: Cost;
  after: Cost;
  /** The formula of `after.multiplyAdds`, in the paper's symbols. */
  formula: string;
  /** ‖W − Ŵ‖_F and ‖W − Ŵ‖_F / ‖W‖_F of the approximated kernel. */
  error: { frobenius: number; relative: number };
}

/** One approximation method: one file under src/core/compress plus one registry line. */
export interface CompressMethod<O extends object = object> {
  readonly name: string;
  /** One line: what the chain is, with its op count. */
  readonly summary: string;
  /** The layer classes (getClassName) it applies to. */
  readonly appliesTo: readonly string[];
  /** Options (zod schema; parse({}) gives the defaults where there are any). */
  readonly options: z.ZodType<O>;
  /** The approximation; `fn` names the public entry in error messages. */
  approximate(input: ApproximationInput, options: O, fn: string): Approximation;
  /** Whether these (parsed) options need `sample` (the layer's inputs on training data); absent = never. */
  needsSample?(options: O): boolean;
}

/** Identity helper that types a method's options from its schema. */
export function defineCompressMethod<O extends object>(m: CompressMethod<O>): CompressMethod<O> {
  return m;
}
