/** Row selection (limit, validation hold-out), pixel scaling, label checks and standardisation shared by the loaders. */
import { ParampredError } from '../../core/errors.js';
import { DataFormatError } from './errors.js';
import type { Split } from './types.js';

/** Which train rows to keep: train = [0, min(limit, total − V)), valid = [total − V, total) (the last V rows of the full train set, whatever the limit). */
export interface RowPlan {
  train: [number, number];
  valid?: [number, number];
}

/** Plans the train rows of a `total`-row train set. */
export function planTrain(total: number, limit: number | undefined, validation: number, fn: string): RowPlan {
  if (validation >= total) throw new ParampredError(fn, `expected validation < the ${total} train rows, got ${validation}`);
  const end = Math.min(limit ?? Infinity, total - validation);
  return validation > 0 ? { train: [0, end], valid: [total - validation, total] } : { train: [0, end] };
}

/** The ranges of a plan, sorted, for sequential readers. */
export function planRanges(p: RowPlan): [number, number][] {
  return p.valid ? [p.train, p.valid] : [p.train];
}

/** Test rows [0, min(limit, total)). */
export function planTest(total: number, limit: number | undefined): [number, number] {
  return [0, Math.min(limit ?? Infinity, total)];
}

/** Checks that every label byte lies in [lo, hi], naming the first bad one. */
export function checkLabels(y: Uint8Array, lo: number, hi: number, fn: string, file: string, firstIndex = 0): void {
  for (let i = 0; i < y.length; i++) {
    if (y[i] < lo || y[i] > hi) throw new DataFormatError(fn, file, `labels in ${lo}..${hi}`, `${y[i]} at item ${firstIndex + i}`);
  }
}

/** Labels as 0-based Int32: y[i] − base. */
export function labels(y: Uint8Array, base = 0): Int32Array {
  const out = new Int32Array(y.length);
  for (let i = 0; i < y.length; i++) out[i] = y[i] - base;
  return out;
}

/** Pixel bytes to floats in [0, 1]: x/255, same order. */
export function scalePixels(b: Uint8Array): Float32Array {
  const out = new Float32Array(b.length);
  for (let i = 0; i < b.length; i++) out[i] = b[i] / 255;
  return out;
}

/** Standardises features in place: (x − mean)/std per feature, with mean and population std of `train` (std 0 → 1); the same statistics are applied to `others`. */
export function standardise(train: Split, d: number, others: Split[]): { mean: Float64Array; std: Float64Array } {
  const mean = new Float64Array(d), sq = new Float64Array(d);
  const n = train.n;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += train.x[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= Math.max(n, 1);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) sq[j] += (train.x[i * d + j] - mean[j]) ** 2;
  const std = sq.map((s) => Math.sqrt(s / Math.max(n, 1)) || 1);
  for (const s of [train, ...others]) for (let i = 0; i < s.n; i++) for (let j = 0; j < d; j++) s.x[i * d + j] = (s.x[i * d + j] - mean[j]) / std[j];
  return { mean, std };
}

/** A split from row-major float features and Int32 labels. */
export function split(x: Float32Array, y: Int32Array): Split {
  return { x, y, n: y.length };
}
