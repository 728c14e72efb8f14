/**
 * `--set key.path=value` overrides, checked against the experiment: the key must name an existing
 * field (unknown keys list the valid ones), the value must have that field's type, and the result is
 * validated again by defineExperiment. A key inside a section that is null (pretraining, earlyStopping,
 * a dense layer of model.layers) switches the section on with its schema defaults, then sets the key.
 */
import type { z } from 'zod';
import { ParampredError } from '../errors.js';
import { defineExperiment } from './define.js';
import { experimentSchema, type Experiment, type ExperimentInput } from './schema.js';

type Def = { type: string; innerType?: Schema; shape?: Record<string, Schema>; element?: Schema; options?: Schema[] };
type Schema = z.ZodType & { _zod: { def: Def } };

/** The schema below wrappers (default, prefault, optional, nullable, readonly). */
function unwrap(s: Schema): Schema {
  let t = s;
  while (t._zod.def.innerType && ['default', 'prefault', 'optional', 'nullable', 'readonly', 'nonoptional', 'catch'].includes(t._zod.def.type)) t = t._zod.def.innerType;
  return t;
}

/** The schema of field `key` of the value `node`, whose schema is `schema` (null when unknown). */
function childSchema(schema: Schema | null, key: string, node: unknown): Schema | null {
  if (!schema) return null;
  const s = unwrap(schema);
  const d = s._zod.def;
  if (d.type === 'object') return d.shape?.[key] ?? null;
  if (d.type === 'array') return /^\d+$/.test(key) ? (d.element ?? null) : null;
  if (d.type === 'union' && d.options) {
    // a discriminated union (model): the option whose `kind` is the current value's
    const kind = (node as { kind?: unknown } | null)?.kind;
    const opt = d.options.find((o) => unwrap(o)._zod.def.shape?.kind?.safeParse(kind).success) ?? null;
    return opt ? childSchema(opt, key, null) : null;
  }
  return null;
}

/** A null section switched on: every key of its object schema, with the default where there is one. */
function sectionDefaults(schema: Schema): Record<string, unknown> | null {
  const s = unwrap(schema);
  if (s._zod.def.type !== 'object' || !s._zod.def.shape) return null;
  const out: Record<string, unknown> = {};
  for (const [k, f] of Object.entries(s._zod.def.shape)) {
    const r = f.safeParse(undefined);
    out[k] = r.success ? r.data : undefined;
  }
  return out;
}

/** One parsed override. */
export interface Override {
  path: string[];
  raw: string;
}

/** Parses "a.b.c=value" (value may contain '='). */
export function parseOverride(text: string, fn = 'parseOverride'): Override {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new ParampredError(fn, `expected key.path=value, got ${JSON.stringify(text)}`);
  const key = text.slice(0, eq).trim();
  const path = key.split('.');
  if (path.some((p) => p === '')) throw new ParampredError(fn, `expected a dotted key without empty parts, got ${JSON.stringify(key)}`);
  return { path, raw: text.slice(eq + 1) };
}

/** Every settable key path of `obj`: leaves, plus containers (set with JSON). Arrays are indexed by number. */
export function keyPaths(obj: unknown, prefix = ''): string[] {
  const out: string[] = [];
  if (obj !== null && typeof obj === 'object') {
    for (const [k, v] of Object.entries(obj)) {
      const p = prefix ? `${prefix}.${k}` : k;
      out.push(p);
      out.push(...keyPaths(v, p));
    }
  }
  return out;
}

/** Leaf key paths only (what `--set` usually names). */
export function leafPaths(obj: unknown, prefix = ''): string[] {
  if (obj === null || typeof obj !== 'object') return prefix ? [prefix] : [];
  const entries = Object.entries(obj);
  if (entries.length === 0) return prefix ? [prefix] : [];
  return entries.flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
}

/** Converts `raw` to the type of `current` (number, boolean, string; JSON for null, objects, arrays). */
export function parseValue(raw: string, current: unknown, key: string, fn = 'parseValue'): unknown {
  const bad = (what: string) => new ParampredError(fn, `expected ${what} for ${key}, got ${JSON.stringify(raw)}`);
  switch (typeof current) {
    case 'number': {
      const v = raw.trim() === '' ? NaN : Number(raw);
      if (!Number.isFinite(v)) throw bad('a number');
      return v;
    }
    case 'boolean':
      if (raw === 'true') return true;
      if (raw === 'false') return false;
      throw bad('true or false');
    case 'string':
      if (raw.startsWith('"')) {
        try {
          const v: unknown = JSON.parse(raw);
          if (typeof v === 'string') return v;
        } catch {
          /* fall through: take the text as is */
        }
      }
      return raw;
    default:
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        if (current === null || current === undefined) return raw; // a null (or not yet set) field may take a bare string; the schema judges it
        throw bad('JSON');
      }
  }
}

/** Applies overrides to a resolved experiment and validates the result (defaults re-filled). */
export function applyOverrides(exp: Experiment, overrides: readonly (string | Override)[], fn = 'applyOverrides'): Experiment {
  const copy = structuredClone(exp) as Record<string, unknown>;
  for (const o of overrides) {
    const { path, raw } = typeof o === 'string' ? parseOverride(o, fn) : o;
    const key = path.join('.');
    let node: unknown = copy;
    let schema: Schema | null = experimentSchema as unknown as Schema;
    for (let i = 0; i < path.length - 1; i++) {
      if (node === null || typeof node !== 'object' || !Object.hasOwn(node, path[i])) {
        node = undefined;
        break;
      }
      const parent = node as Record<string, unknown>;
      schema = childSchema(schema, path[i], parent);
      if (parent[path[i]] === null && schema) {
        const on = sectionDefaults(schema);
        if (on) parent[path[i]] = on; // a null section switched on with its defaults
      }
      node = parent[path[i]];
    }
    const last = path[path.length - 1];
    // a key the config holds, or an optional one its schema declares but the config leaves out (e.g. a conv's `over`)
    const declared = (n: object) => !Array.isArray(n) && childSchema(schema, last, n) !== null;
    if (node === null || typeof node !== 'object' || !(Object.hasOwn(node, last) || declared(node))) {
      throw new ParampredError(fn, `expected one of the keys of experiment '${exp.name}': ${leafPaths(exp).join(', ')}; got unknown key ${JSON.stringify(key)}`);
    }
    const parent = node as Record<string, unknown>;
    parent[last] = parseValue(raw, parent[last], key, fn);
  }
  return defineExperiment(copy as ExperimentInput, fn);
}
