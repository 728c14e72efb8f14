// Independent float64 reference computations for the dictionary tests (plain loops, no ml-matrix).
import { Rng } from '../rng.js';
import type { DataMatrix } from './types.js';

/** X solving A·X = B (Gauss–Jordan with partial pivoting). */
export function gaussSolve(A: number[][], B: number[][]): number[][] {
  const n = A.length;
  const a = A.map((r, i) => [...r, ...B[i]]);
  const w = a[0].length;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
    [a[c], a[p]] = [a[p], a[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r][c] / a[c][c];
      for (let k = c; k < w; k++) a[r][k] -= f * a[c][k];
    }
  }
  return a.map((r, i) => r.slice(n).map((v) => v / a[i][i]));
}

/** Sample covariance (N−1) of f(X), X as rows. */
export function covLoops(X: number[][], f: (x: number) => number = (x) => x): number[][] {
  const N = X.length;
  const n = X[0].length;
  const Y = X.map((r) => r.map(f));
  const mu = new Array(n).fill(0);
  for (const r of Y) for (let j = 0; j < n; j++) mu[j] += r[j] / N;
  const C = Array.from({ length: n }, () => new Array(n).fill(0));
  for (const r of Y) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) C[j][k] += ((r[j] - mu[j]) * (r[k] - mu[k])) / (N - 1);
  return C;
}

/** U = K[:, α]·(K[α, α] + λI)⁻¹ from a full kernel matrix K. */
export function ridgeReference(K: number[][], alpha: ArrayLike<number>, lambda: number): number[][] {
  const al = Array.from(alpha);
  const Kaa = al.map((i, a) => al.map((j, b) => K[i][j] + (a === b ? lambda : 0)));
  const rhs = al.map((i) => K[i]); // K(α, all), n_α × n_v
  const X = gaussSolve(Kaa, rhs); // (K_αα+λI)⁻¹ K(α, all)
  return K.map((_, i) => al.map((_, a) => X[a][i]));
}

/** rows × cols data with correlated columns: X = Z·A + 0.1·noise, Z rows × latent. */
export function correlatedData(rows: number, cols: number, latent: number, seed: number): number[][] {
  const r = new Rng(seed, 'data');
  const A = Array.from({ length: latent }, () => Array.from({ length: cols }, () => r.normal()));
  return Array.from({ length: rows }, () => {
    const z = Array.from({ length: latent }, () => r.normal());
    return Array.from({ length: cols }, (_, j) => z.reduce((s, zk, k) => s + zk * A[k][j], 0) + 0.1 * r.normal());
  });
}

/** A DataMatrix holding X (rows). */
export function toData(X: number[][]): DataMatrix {
  return { rows: X.length, cols: X[0].length, values: Float32Array.from(X.flat()) };
}

/** Element (i, j) of a row-major n × m dictionary. */
export function at(u: Float32Array, m: number, i: number, j: number): number {
  return u[i * m + j];
}

/** Max |a − b| over two equal-shape row-major arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}
