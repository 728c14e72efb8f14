/**
 * `--set key.path=value` overrides, checked against the experiment: the key must name an existing
 * field (unknown keys list the valid ones), the value must have that field's type, and the result is
 * validated again by defineExperiment.
 */
import { ParampredError } from '../errors.js';
import { defineExperiment } from './define.js';
import type { Experiment, ExperimentInput } from './schema.js';

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
        if (current === null) return raw; // a null field may take a bare string; the schema judges it
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
    for (let i = 0; i < path.length - 1; i++) {
      node = node !== null && typeof node === 'object' && Object.hasOwn(node, path[i]) ? (node as Record<string, unknown>)[path[i]] : undefined;
    }
    const last = path[path.length - 1];
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, last)) {
      throw new ParampredError(fn, `expected one of the keys of experiment '${exp.name}': ${leafPaths(exp).join(', ')}; got unknown key ${JSON.stringify(key)}`);
    }
    const parent = node as Record<string, unknown>;
    parent[last] = parseValue(raw, parent[last], key, fn);
  }
  return defineExperiment(copy as ExperimentInput, fn);
}
