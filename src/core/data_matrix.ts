/**
 * A sample of a layer's inputs as a rows × n_v matrix, for data-driven dictionaries (emp, emp2, ae,
 * kmeans, pca; docs/method.md §1), and the column statistics they share (float64).
 */
import * as tf from '@tensorflow/tfjs';
import { ParampredError, check, describe } from './errors.js';
import type { DataMatrix } from './dictionaries/types.js';
import { mat, type Mat } from './linalg.js';
import { linalgProvider } from './linalg_provider.js';

export type DataSource = tf.Tensor | AsyncIterable<tf.Tensor> | Iterable<tf.Tensor>;

/**
 * Collects up to `maxRows` rows from a tensor or a (async) iterable of batches: each batch [b, ...] is
 * flattened to b rows of n_v = Π rest (a rank-1 tensor is one row). Rejects non-finite values, naming the
 * row and column. The caller keeps ownership of the tensors (none is disposed).
 */
export async function collectData(src: DataSource, opts: { maxRows?: number } = {}): Promise<DataMatrix> {
  const fn = 'collectData';
  const maxRows = opts.maxRows ?? Infinity;
  check(maxRows === Infinity || (Number.isInteger(maxRows) && maxRows > 0), fn, 'maxRows a positive integer', maxRows);
  const chunks: Float32Array[] = [];
  let rows = 0;
  let cols = -1;
  const batches: AsyncIterable<tf.Tensor> | Iterable<tf.Tensor> = src instanceof tf.Tensor ? [src] : src;
  for await (const t of batches) {
    if (!(t instanceof tf.Tensor)) throw new ParampredError(fn, `expected tensors, got ${describe(t)}`);
    check(t.rank >= 1, fn, 'batches of rank ≥ 1', t);
    const b = t.rank === 1 ? 1 : t.shape[0];
    const c = b === 0 ? 0 : t.size / b;
    if (b === 0) continue;
    if (cols < 0) cols = c;
    else check(c === cols, fn, `every batch to flatten to ${cols} columns`, t);
    const take = Math.min(b, maxRows - rows);
    const all = (await t.data()) as Float32Array | Int32Array | Uint8Array;
    const vals = Float32Array.from(all.subarray(0, take * cols));
    for (let i = 0; i < vals.length; i++) {
      if (!Number.isFinite(vals[i])) {
        throw new ParampredError(fn, `expected finite data, got ${vals[i]} at row ${rows + Math.floor(i / cols)}, column ${i % cols}`);
      }
    }
    chunks.push(vals);
    rows += take;
    if (rows >= maxRows) break;
  }
  if (rows === 0 || cols <= 0) throw new ParampredError(fn, 'expected at least one row of data, got none');
  const values = new Float32Array(rows * cols);
  let off = 0;
  for (const ch of chunks) {
    values.set(ch, off);
    off += ch.length;
  }
  return { rows, cols, values };
}

/** A DataMatrix from a row-major array (rows × cols). */
export function dataMatrix(rows: number, cols: number, values: ArrayLike<number>): DataMatrix {
  check(values.length === rows * cols, 'dataMatrix', `${rows}×${cols}=${rows * cols} values`, values.length);
  return { rows, cols, values: Float32Array.from(values) };
}

/** Column means μ_j = (1/N) Σ_i x_ij of f(X) (f applied elementwise; identity by default). */
export function columnMeans(d: DataMatrix, f?: (x: number) => number): Float64Array {
  const mu = new Float64Array(d.cols);
  for (let i = 0; i < d.rows; i++) {
    const o = i * d.cols;
    for (let j = 0; j < d.cols; j++) mu[j] += f ? f(d.values[o + j]) : d.values[o + j];
  }
  for (let j = 0; j < d.cols; j++) mu[j] /= d.rows;
  return mu;
}

/**
 * Columns `cols` of the sample covariance of f(X): C[:, cols] (n_v × |cols|), C = (Y−μ)ᵀ(Y−μ)/(N−1),
 * Y = f(X) (numpy's np.cov, as in the original code). Cost N·n_v·|cols|.
 */
export function covarianceColumns(d: DataMatrix, cols: ArrayLike<number>, f?: (x: number) => number): Mat {
  check(d.rows >= 2, 'covarianceColumns', 'at least 2 rows of data', d.rows);
  const n = d.cols;
  const m = cols.length;
  const mu = columnMeans(d, f);
  const out = mat(n, m);
  const y = new Float64Array(n);
  const ya = new Float64Array(m);
  for (let i = 0; i < d.rows; i++) {
    const o = i * n;
    for (let j = 0; j < n; j++) y[j] = (f ? f(d.values[o + j]) : d.values[o + j]) - mu[j];
    for (let a = 0; a < m; a++) ya[a] = y[cols[a]];
    for (let j = 0; j < n; j++) {
      const yj = y[j];
      if (yj === 0) continue;
      const r = j * m;
      for (let a = 0; a < m; a++) out.data[r + a] += yj * ya[a];
    }
  }
  for (let k = 0; k < out.data.length; k++) out.data[k] /= d.rows - 1;
  return out;
}

/**
 * The full n_v × n_v sample covariance of f(X) (N−1 normalisation). Cost N·n_v²/2. From n_v ≥ the
 * installed LinalgProvider's minSize.gram, (Y−μ)ᵀ(Y−μ) is its gramAccumulate (BLAS dsyrk on Node) over
 * blocks of centred rows.
 */
export function covariance(d: DataMatrix, f?: (x: number) => number): Mat {
  check(d.rows >= 2, 'covariance', 'at least 2 rows of data', d.rows);
  const p = linalgProvider();
  if (p?.gramAccumulate && d.cols >= p.minSize.gram) return covarianceGram(d, f, p.gramAccumulate.bind(p));
  return covarianceJs(d, f);
}

/** `covariance` by `gram` (C += YᵀY on C's lower triangle) over blocks of ≤ 2¹⁸ centred values (2 MB). */
function covarianceGram(d: DataMatrix, f: ((x: number) => number) | undefined, gram: (y: Float64Array, rows: number, cols: number, c: Float64Array) => void): Mat {
  const n = d.cols;
  const mu = columnMeans(d, f);
  const out = mat(n, n);
  const block = Math.max(1, Math.min(d.rows, Math.floor(2 ** 18 / n)));
  const y = new Float64Array(block * n);
  for (let r0 = 0; r0 < d.rows; r0 += block) {
    const rows = Math.min(block, d.rows - r0);
    for (let r = 0; r < rows; r++) {
      const o = (r0 + r) * n;
      for (let j = 0; j < n; j++) y[r * n + j] = (f ? f(d.values[o + j]) : d.values[o + j]) - mu[j];
    }
    gram(rows === block ? y : y.subarray(0, rows * n), rows, n, out.data);
  }
  for (let j = 0; j < n; j++) {
    for (let k = 0; k <= j; k++) {
      const v = out.data[j * n + k] / (d.rows - 1);
      out.data[j * n + k] = v;
      out.data[k * n + j] = v;
    }
  }
  return out;
}

/** `covariance` in JS only (whatever provider is installed). */
export function covarianceJs(d: DataMatrix, f?: (x: number) => number): Mat {
  check(d.rows >= 2, 'covariance', 'at least 2 rows of data', d.rows);
  const n = d.cols;
  const mu = columnMeans(d, f);
  const out = mat(n, n);
  const y = new Float64Array(n);
  for (let i = 0; i < d.rows; i++) {
    const o = i * n;
    for (let j = 0; j < n; j++) y[j] = (f ? f(d.values[o + j]) : d.values[o + j]) - mu[j];
    for (let j = 0; j < n; j++) {
      const yj = y[j];
      if (yj === 0) continue;
      const r = j * n;
      for (let k = j; k < n; k++) out.data[r + k] += yj * y[k];
    }
  }
  for (let j = 0; j < n; j++) {
    for (let k = j; k < n; k++) {
      const v = out.data[j * n + k] / (d.rows - 1);
      out.data[j * n + k] = v;
      out.data[k * n + j] = v;
    }
  }
  return out;
}

/** Column variances of f(X) (N−1 normalisation): the diagonal of `covariance`. */
export function columnVariances(d: DataMatrix, f?: (x: number) => number): Float64Array {
  check(d.rows >= 2, 'columnVariances', 'at least 2 rows of data', d.rows);
  const mu = columnMeans(d, f);
  const v = new Float64Array(d.cols);
  for (let i = 0; i < d.rows; i++) {
    const o = i * d.cols;
    for (let j = 0; j < d.cols; j++) v[j] += ((f ? f(d.values[o + j]) : d.values[o + j]) - mu[j]) ** 2;
  }
  for (let j = 0; j < d.cols; j++) v[j] /= d.rows - 1;
  return v;
}

const covCache = new WeakMap<DataMatrix, Map<string, Mat>>();
const varCache = new WeakMap<DataMatrix, Map<string, Float64Array>>();

/**
 * `columnVariances(d, f)` memoised per DataMatrix object and `key` (naming f), as cachedCovariance: emp
 * and emp2 need them for every column's λ (10 columns of a 5000×500 sample spent 1–2 s on them). The
 * array is shared: do not change it.
 */
export function cachedColumnVariances(d: DataMatrix, key: string, f?: (x: number) => number): Float64Array {
  let m = varCache.get(d);
  if (!m) varCache.set(d, (m = new Map()));
  let v = m.get(key);
  if (!v) m.set(key, (v = columnVariances(d, f)));
  return v;
}

/**
 * `covariance(d, f)` memoised per DataMatrix object and `key` (naming f), so the J columns of a layer
 * share one N·n_v²/2 computation. Treats `d` as immutable: do not change its values after the first call.
 */
export function cachedCovariance(d: DataMatrix, key: string, f?: (x: number) => number): Mat {
  let m = covCache.get(d);
  if (!m) covCache.set(d, (m = new Map()));
  let c = m.get(key);
  if (!c) m.set(key, (c = covariance(d, f)));
  return c;
}

/** Columns `cols` of the covariance of f(X): gathered from the cached full covariance when n_v ≤ 2048
 * (cheaper over several columns; 2048² float64 = 32 MB), or ≤ 4096 with a native Gram product installed
 * (4096² float64 = 128 MB; a conv's 8·8·48 = 3,072-entry patches: 100 s of JS loops, 3 s this way), else
 * computed directly (N·n_v·|cols|). */
export function covarianceColumnsShared(d: DataMatrix, cols: ArrayLike<number>, key: string, f?: (x: number) => number): Mat {
  const p = linalgProvider();
  const fullUpTo = p?.gramAccumulate && d.cols >= p.minSize.gram ? 4096 : 2048;
  if (d.cols > fullUpTo) return covarianceColumns(d, cols, f);
  const full = cachedCovariance(d, key, f);
  const n = d.cols;
  const m = cols.length;
  const out = mat(n, m);
  for (let i = 0; i < n; i++) for (let a = 0; a < m; a++) out.data[i * m + a] = full.data[i * n + cols[a]];
  return out;
}
