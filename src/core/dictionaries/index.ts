/** The dictionary registry: one line per method. The union of names comes from here. */
import { z } from 'zod';
import { ParampredError, check, unknownName } from '../errors.js';
import type { Dictionary, DictionaryInput, DictionaryMethod } from './types.js';
import rand from './rand.js';
import randcon from './randcon.js';
import se from './se.js';
import emp from './emp.js';
import emp2 from './emp2.js';
import ae from './ae.js';
import kmeans from './kmeans.js';
import lowrank from './lowrank.js';
import pca from './pca.js';
import dct from './dct.js';

export const dictionaries = {
  rand,
  randcon,
  se,
  emp,
  emp2,
  ae,
  kmeans,
  lowrank,
  pca,
  dct,
} as const satisfies Record<string, DictionaryMethod<any>>; // eslint-disable-line @typescript-eslint/no-explicit-any

export type DictionaryName = keyof typeof dictionaries;

/** A dictionary choice as plain JSON: the method's name plus its options. */
export type DictionarySpec = { method: DictionaryName } & Record<string, unknown>;

export const dictionaryNames = Object.keys(dictionaries) as DictionaryName[];

/** Whether `name` is a registered dictionary method. */
export function isDictionaryName(name: unknown): name is DictionaryName {
  return typeof name === 'string' && Object.hasOwn(dictionaries, name);
}

/**
 * A dictionary method's name in a JSON schema (zod): any non-empty string when parsed, typed as the
 * registry's union on output so that it reaches the layers' typed options; the name itself is checked
 * against the registry, with the known names listed, before it is used (checkExperiment, buildDictionary).
 */
export const dictionaryNameSchema = z.string().min(1).pipe(z.custom<DictionaryName>(() => true));

/** The method registered under `name`, or a ParampredError listing the known ones. */
export function dictionaryMethod(name: string, fn = 'dictionaryMethod'): DictionaryMethod<object> {
  if (!Object.hasOwn(dictionaries, name)) throw unknownName(fn, 'dictionary method', name, dictionaryNames);
  return dictionaries[name as DictionaryName] as unknown as DictionaryMethod<object>;
}

/** Validated options of a spec, defaults filled in. */
export function resolveDictionaryOptions(spec: DictionarySpec, fn = 'resolveDictionaryOptions'): object {
  const m = dictionaryMethod(spec.method, fn);
  const { method: _m, ...rest } = spec;
  const r = m.options.safeParse(rest);
  if (!r.success) {
    throw new ParampredError(fn, `expected valid options for dictionary '${spec.method}': ${r.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`).join('; ')}`);
  }
  return r.data;
}

/**
 * Builds U for `spec` (validates spec and input at this public entry). `trustedData`: the caller has
 * already checked the data sample's values are finite (a predicted layer checks its sample once, then
 * builds one dictionary per column from it), so the per-value scan is skipped; shapes are still checked.
 */
export function buildDictionary(spec: DictionarySpec, input: DictionaryInput, fn = 'buildDictionary', o: { trustedData?: boolean } = {}): Dictionary {
  const m = dictionaryMethod(spec.method, fn);
  const opts = resolveDictionaryOptions(spec, fn);
  const { nIn, alpha } = input;
  check(Number.isInteger(nIn) && nIn > 0, fn, 'nIn a positive integer', nIn);
  check(alpha.length > 0 && alpha.length <= nIn, fn, `between 1 and nIn=${nIn} sampled units α`, alpha.length);
  if (m.needs.data && !input.data) throw new ParampredError(fn, `expected a data sample for data-driven dictionary '${m.name}', got none`);
  if (m.needs.coords && !input.coords) throw new ParampredError(fn, `expected input coordinates for dictionary '${m.name}', got none`);
  if (input.coords) {
    const c = input.coords;
    check(c.points.length === nIn, fn, `coordinates for nIn=${nIn} units`, c.points.length);
    if (c.groups) check(c.groups.length === nIn, fn, `coordinate groups for nIn=${nIn} units`, c.groups.length);
  }
  if (input.data) {
    check(input.data.rows >= 2 || !m.needs.data, fn, `at least 2 data rows for dictionary '${m.name}'`, input.data.rows);
    const d = input.data;
    check(d.cols === nIn, fn, `data with ${nIn} columns`, d.cols);
    check(d.values.length === d.rows * d.cols, fn, 'data values of length rows·cols', d.values.length);
    for (let i = 0; !o.trustedData && i < d.values.length; i++) {
      if (!Number.isFinite(d.values[i])) throw new ParampredError(fn, `expected finite data, got ${d.values[i]} at row ${Math.floor(i / d.cols)}, column ${i % d.cols}`);
    }
  }
  return m.build(input, opts);
}

export type { Coords, DataMatrix, Dictionary, DictionaryInput, DictionaryMethod } from './types.js';
export { defineDictionary } from './types.js';
