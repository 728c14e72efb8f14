/** The α-sampler registry: one line per sampler (docs/method.md §1: uniform by default, pluggable). */
import { ParampredError, check, unknownName } from '../errors.js';
import type { Rng } from '../rng.js';
import type { Coords } from '../dictionaries/types.js';
import type { SamplerMethod } from './types.js';
import uniform from './uniform.js';
import strided from './strided.js';
import clustered from './clustered.js';

export const samplers = {
  uniform,
  strided,
  clustered,
} as const satisfies Record<string, SamplerMethod<any>>; // eslint-disable-line @typescript-eslint/no-explicit-any

export type SamplerName = keyof typeof samplers;

/** A sampler choice as plain JSON: the sampler's name plus its options. */
export type SamplerSpec = { method: SamplerName } & Record<string, unknown>;

export const samplerNames = Object.keys(samplers) as SamplerName[];

/** The default sampler: uniform without replacement. */
export const defaultSampler: SamplerSpec = { method: 'uniform' };

/** The sampler registered under `name`, or a ParampredError listing the known ones. */
export function samplerMethod(name: string, fn = 'samplerMethod'): SamplerMethod<object> {
  if (!Object.hasOwn(samplers, name)) throw unknownName(fn, 'sampler', name, samplerNames);
  return samplers[name as SamplerName] as unknown as SamplerMethod<object>;
}

/** Validated options of a sampler spec, defaults filled in. */
export function resolveSamplerOptions(spec: SamplerSpec, fn = 'resolveSamplerOptions'): object {
  const m = samplerMethod(spec.method, fn);
  const { method: _m, ...rest } = spec;
  const r = m.options.safeParse(rest);
  if (!r.success) {
    throw new ParampredError(fn, `expected valid options for sampler '${spec.method}': ${r.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`).join('; ')}`);
  }
  return r.data;
}

/** α: n_α distinct sorted indices in [0, nIn) drawn by `spec` from `rng` (validates at this public entry). */
export function sampleAlpha(spec: SamplerSpec | undefined, nIn: number, nAlpha: number, rng: Rng, coords?: Coords): Int32Array {
  const fn = 'sampleAlpha';
  const s = spec ?? defaultSampler;
  const m = samplerMethod(s.method, fn);
  const opts = resolveSamplerOptions(s, fn);
  check(Number.isInteger(nIn) && nIn > 0, fn, 'nIn a positive integer', nIn);
  check(Number.isInteger(nAlpha) && nAlpha >= 1 && nAlpha <= nIn, fn, `nAlpha an integer in [1, nIn=${nIn}]`, nAlpha);
  if (coords) check(coords.points.length === nIn, fn, `coords for nIn=${nIn} units`, coords.points.length);
  if (m.needs.coords && !coords) throw new ParampredError(fn, `expected input coordinates for sampler '${m.name}', got none`);
  return m.sample({ nIn, nAlpha, rng, coords }, opts);
}

export type { SamplerInput, SamplerMethod } from './types.js';
export { defineSampler } from './types.js';
