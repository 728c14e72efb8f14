/** α sampling for predicted layers: a bridge to the sampler registry (uniform without replacement by default). */
import type { Rng } from '../rng.js';
import type { Coords } from '../dictionaries/types.js';
import { sampleAlpha, samplerMethod } from '../samplers/index.js';
import type { SamplerSpec } from '../samplers/index.js';

/** A sampler choice as plain JSON: the method name plus its options. */
export type SamplerSpecLike = { method: string } & Record<string, unknown>;

/** n_α sorted distinct indices in [0, nIn) drawn by `spec` (default uniform) from `r`. */
export function drawAlpha(spec: SamplerSpecLike | null | undefined, nIn: number, nAlpha: number, r: Rng, coords: Coords | undefined, fn: string): Int32Array {
  if (spec) samplerMethod(spec.method, fn);
  return sampleAlpha((spec ?? undefined) as SamplerSpec | undefined, nIn, nAlpha, r, coords);
}
