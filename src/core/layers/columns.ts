/**
 * The fixed part of a predicted layer with J columns (docs/method.md §1 "Columns"): per column j its own
 * α_j and U_j, both from the stream rng(seed).fork(`column${j}`), packed side by side into one
 * U (n_v × J·n_α, row-major) and one α table (J × n_α, stored as float32 for a TF.js weight).
 */
import { ParampredError, check } from '../errors.js';
import { rng } from '../rng.js';
import { buildDictionary, dictionaryMethod } from '../dictionaries/index.js';
import type { Coords, DataMatrix, DictionarySpec } from '../dictionaries/index.js';
import { drawAlpha } from './alpha.js';
import type { SamplerSpecLike } from './alpha.js';

/**
 * A dictionary choice as plain JSON: a registered method's name (the registry's union, so a typo is a
 * compile error) plus its options; names coming from JSON are still checked at run time.
 */
export type DictionarySpecLike = DictionarySpec;

export interface ColumnSetup {
  nIn: number;
  nAlpha: number;
  columns: number;
  seed: number;
  dictionary: DictionarySpecLike;
  sampler?: SamplerSpecLike | null;
  coords?: Coords;
  /**
   * Inputs sample for data-driven dictionaries; without it their U is left at zero. Its values must
   * have been checked by the caller (PredictedLayer.setDictionaryFromData, the public entry): the
   * columns' dictionaries are built from it without scanning it again.
   */
  data?: DataMatrix;
}

export interface ColumnDictionaries {
  /** U, n_v × J·n_α row-major: column j occupies entries [j·n_α, (j+1)·n_α) of each row. */
  u: Float32Array;
  /** α, J × n_α. */
  alpha: Float32Array;
  /** False when the method needs data and none was given (U is zero). */
  ready: boolean;
}

/** Whether `spec` names a data-driven dictionary (emp, emp2, ae, kmeans, pca). */
export function needsData(spec: DictionarySpecLike, fn: string): boolean {
  return dictionaryMethod(spec.method, fn).needs.data;
}

/** Whether `spec` names a dictionary whose U is trained (lowrank). */
export function trainableDictionary(spec: DictionarySpecLike, fn: string): boolean {
  return dictionaryMethod(spec.method, fn).trainable;
}

/** Draws α_j and builds U_j for every column; see the file doc for the layout. */
export function buildColumnDictionaries(s: ColumnSetup, fn: string): ColumnDictionaries {
  const { nIn, nAlpha, columns: J } = s;
  check(Number.isInteger(nAlpha) && nAlpha >= 1 && nAlpha <= nIn, fn, `n_α between 1 and the input size n_v=${nIn}`, nAlpha);
  const ready = !needsData(s.dictionary, fn) || s.data !== undefined;
  const u = new Float32Array(nIn * J * nAlpha);
  const alpha = new Float32Array(J * nAlpha);
  for (let j = 0; j < J; j++) {
    const col = rng(s.seed).fork(`column${j}`);
    const a = drawAlpha(s.sampler, nIn, nAlpha, col.fork('alpha'), s.coords, fn);
    alpha.set(a, j * nAlpha);
    if (!ready) continue;
    const d = buildDictionary(s.dictionary, { nIn, alpha: a, coords: s.coords, data: s.data, rng: col.fork('dictionary') }, fn, { trustedData: true });
    if (d.nIn !== nIn || d.nAlpha !== nAlpha) {
      throw new ParampredError(fn, `expected dictionary '${s.dictionary.method}' to return U of ${nIn} × ${nAlpha}, got ${d.nIn} × ${d.nAlpha}`);
    }
    for (let i = 0; i < nIn; i++) {
      for (let k = 0; k < nAlpha; k++) u[i * J * nAlpha + j * nAlpha + k] = d.u[i * nAlpha + k];
    }
  }
  return { u, alpha, ready };
}

/**
 * Per-column std of V so that W_j = U_j V_j has variance `target` (docs/method.md §2):
 * σ_V² = target / mean_i Σ_a U_ia² over U_j's rows (1/n_α-scaled fallback when U_j is zero).
 */
export function vStdPerColumn(u: Float32Array, nIn: number, nAlpha: number, columns: number, target: number): number[] {
  const out: number[] = [];
  for (let j = 0; j < columns; j++) {
    let s = 0;
    for (let i = 0; i < nIn; i++) {
      for (let k = 0; k < nAlpha; k++) {
        const x = u[i * columns * nAlpha + j * nAlpha + k];
        s += x * x;
      }
    }
    const m = s / nIn;
    out.push(m > 0 ? Math.sqrt(target / m) : Math.sqrt(target));
  }
  return out;
}

/** Resolves n_α from an explicit count or a fraction of n_v (n_α = round(fraction·n_v), at least 1). */
export function resolveNAlpha(nIn: number, nAlpha: number | undefined, fraction: number | undefined, fn: string): number {
  if (nAlpha !== undefined) {
    check(Number.isInteger(nAlpha) && nAlpha >= 1 && nAlpha <= nIn, fn, `nAlpha an integer between 1 and the input size n_v=${nIn}`, nAlpha);
    return nAlpha;
  }
  check(fraction !== undefined && fraction > 0 && fraction <= 1, fn, 'fraction in (0, 1] (or nAlpha)', fraction);
  return Math.max(1, Math.round(fraction * nIn));
}
