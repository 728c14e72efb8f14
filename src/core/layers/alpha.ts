/** α sampling for predicted layers: a bridge to the sampler registry (uniform without replacement by default). */
import type { Rng } from '../rng.js';
import type { Coords } from '../dictionaries/types.js';
import uniform from '../samplers/uniform.js';
import { unknownName } from '../errors.js';

/** A sampler choice as plain JSON: the method name plus its options. */
export type SamplerSpecLike = { method: string } & Record<string, unknown>;

/** n_α sorted distinct indices in [0, nIn) drawn by `spec` (default uniform) from `r`. */
export function drawAlpha(spec: SamplerSpecLike | null | undefined, nIn: number, nAlpha: number, r: Rng, coords: Coords | undefined, fn: string): Int32Array {
  const method = spec?.method ?? 'uniform';
  if (method !== 'uniform') throw unknownName(fn, 'sampler method', method, ['uniform']);
  return uniform.sample({ nIn, nAlpha, rng: r, coords }, {});
}
