/**
 * The α-sampler contract (docs/method.md §1): which n_α of the n_v input units a column of a predicted
 * layer observes directly. One file per sampler plus one registry line in index.ts.
 */
import type { z } from 'zod';
import type { Rng } from '../rng.js';
import type { Coords } from '../dictionaries/types.js';

/** What a sampler draws from. */
export interface SamplerInput {
  nIn: number;
  nAlpha: number;
  /** This column's own seeded stream. */
  rng: Rng;
  coords?: Coords;
}

/** One sampler: returns n_α distinct indices in [0, nIn), sorted ascending. */
export interface SamplerMethod<O extends object = object> {
  readonly name: string;
  /** One line: how α is drawn. */
  readonly summary: string;
  readonly needs: { readonly coords: boolean };
  /** Options with their defaults (zod schema: parse({}) gives the defaults). */
  readonly options: z.ZodType<O>;
  sample(input: SamplerInput, options: O): Int32Array;
}

/** Identity helper that types a sampler's options from its schema. */
export function defineSampler<O extends object>(m: SamplerMethod<O>): SamplerMethod<O> {
  return m;
}

/** Sorted Int32Array of the given indices. */
export function sortedIndices(idx: ArrayLike<number>): Int32Array {
  return Int32Array.from(idx).sort();
}
