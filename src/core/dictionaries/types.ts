/**
 * The dictionary contract (docs/method.md §1). A dictionary method builds U (n_v × n_α, row-major) for
 * a predicted layer W = U·V, from the input units' coordinates, the sampled indices α, a seeded
 * stream and, for data-driven methods, a sample of the layer's inputs.
 */
import type { z } from 'zod';
import type { Rng } from '../rng.js';

/** Coordinates of the n_v input units: `points[i]` is unit i's position (e.g. [row, col] in pixels);
 * units with different `groups[i]` (e.g. channels) are uncorrelated for topology kernels. */
export interface Coords {
  points: number[][];
  groups?: Int32Array;
}

/** A row-major sample of a layer's inputs: rows × cols (cols = n_v). */
export interface DataMatrix {
  rows: number;
  cols: number;
  values: Float32Array;
}

/** What a dictionary method is built from. */
export interface DictionaryInput {
  /** n_v: the number of input units U spans (conv filters: kh·kw spatial positions). */
  nIn: number;
  /** α: indices of the n_α sampled units, distinct, in [0, n_v). */
  alpha: Int32Array;
  /** Unit coordinates, for topology-based methods (se, dct). */
  coords?: Coords;
  /** Input sample, for data-driven methods (emp, emp2, ae, kmeans, pca). */
  data?: DataMatrix;
  /** This dictionary's own seeded stream. */
  rng: Rng;
}

/** U, n_v × n_α row-major. */
export interface Dictionary {
  nIn: number;
  nAlpha: number;
  u: Float32Array;
}

/** One dictionary method: one file under src/core/dictionaries plus one registry line. */
export interface DictionaryMethod<O extends object = object> {
  readonly name: string;
  /** One line: what U is, with its formula. */
  readonly summary: string;
  readonly needs: { readonly data: boolean; readonly coords: boolean };
  /** True for `lowrank`: U is learned along with V. */
  readonly trainable: boolean;
  /** Options with their defaults (zod schema: parse({}) gives the defaults). */
  readonly options: z.ZodType<O>;
  build(input: DictionaryInput, options: O): Dictionary;
}

/** Identity helper that types a method's options from its schema. */
export function defineDictionary<O extends object>(m: DictionaryMethod<O>): DictionaryMethod<O> {
  return m;
}
