/** Helpers shared by the kernel dictionaries (se, emp, emp2): the ridge formula and the SE kernel. */
import { mat, solveSpd, type Mat } from '../linalg.js';
import type { Coords } from './types.js';

/**
 * U = K(all, α)·(K(α, α) + λI)⁻¹ (n_v × n_α, float32) from kAll = K(all, α) (n_v × n_α, float64);
 * K(α, α) is read from kAll's rows α. Solved as (K(α,α) + λI)·Uᵀ = K(α, all) (Cholesky; METHOD.md §1).
 */
export function ridgeDictionary(kAll: Mat, alpha: Int32Array, lambda: number): Float32Array {
  const m = alpha.length;
  const n = kAll.rows;
  const kaa = mat(m, m);
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < m; b++) {
      kaa.data[a * m + b] = 0.5 * (kAll.data[alpha[a] * m + b] + kAll.data[alpha[b] * m + a]);
    }
    kaa.data[a * m + a] += lambda;
  }
  const rhs = mat(m, n);
  for (let i = 0; i < n; i++) for (let a = 0; a < m; a++) rhs.data[a * n + i] = kAll.data[i * m + a];
  const ut = solveSpd(kaa, rhs);
  const u = new Float32Array(n * m);
  for (let i = 0; i < n; i++) for (let a = 0; a < m; a++) u[i * m + a] = ut.data[a * n + i];
  return u;
}

/** K(all, α) for the squared-exponential kernel exp(−‖x−y‖²/(2ℓ²)), zero across different groups. */
export function seKernelColumns(coords: Coords, alpha: Int32Array, lengthScale: number): Mat {
  const { points, groups } = coords;
  const n = points.length;
  const m = alpha.length;
  const out = mat(n, m);
  const s = 1 / (2 * lengthScale * lengthScale);
  for (let i = 0; i < n; i++) {
    const p = points[i];
    for (let a = 0; a < m; a++) {
      const j = alpha[a];
      if (groups && groups[i] !== groups[j]) continue;
      const q = points[j];
      let d2 = 0;
      for (let k = 0; k < p.length; k++) d2 += (p[k] - q[k]) ** 2;
      out.data[i * m + a] = Math.exp(-d2 * s);
    }
  }
  return out;
}

/**
 * Mean nearest-neighbour distance among the α points within their own group (groups with one α point
 * are skipped); when no group holds two α points, the diagonal of the coordinates' bounding box.
 */
export function meanNearestNeighbour(coords: Coords, alpha: Int32Array): number {
  const { points, groups } = coords;
  let sum = 0;
  let count = 0;
  for (const i of alpha) {
    let best = Infinity;
    for (const j of alpha) {
      if (j === i || (groups && groups[i] !== groups[j])) continue;
      let d2 = 0;
      for (let k = 0; k < points[i].length; k++) d2 += (points[i][k] - points[j][k]) ** 2;
      if (d2 < best) best = d2;
    }
    if (best < Infinity) {
      sum += Math.sqrt(best);
      count++;
    }
  }
  if (count > 0) return sum / count;
  const d = points[0].length;
  let diag2 = 0;
  for (let k = 0; k < d; k++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const p of points) { lo = Math.min(lo, p[k]); hi = Math.max(hi, p[k]); }
    diag2 += (hi - lo) ** 2;
  }
  return Math.sqrt(diag2) || 1;
}
