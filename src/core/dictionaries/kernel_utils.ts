/** Helpers shared by the kernel dictionaries (se, emp, emp2): the ridge formula and the SE kernel. */
import { mat, solveSpd, type Mat } from '../linalg.js';
import type { Coords } from './types.js';

/**
 * U = K(all, α)·(K(α, α) + λI)⁻¹ (n_v × n_α, float32) from kAll = K(all, α) (n_v × n_α, float64);
 * K(α, α) is read from kAll's rows α. Solved as (K(α,α) + λI)·Uᵀ = K(α, all) (Cholesky; docs/method.md §1).
 *
 * With `groups` (group of each input unit) the kernel must be zero between units of different groups (SE
 * across channels): then K(α, α) is block-diagonal and U(i, a) = 0 unless i and α_a share a group, so each
 * group g is solved on its own, (K(α_g, α_g) + λI)·U(g, α_g)ᵀ = K(α_g, g) — the convnet's dense layer over
 * 8×8×64 solves 64 systems of ~32 instead of one of 2,048 (issue 13). Rows of groups without α are zero,
 * as the dense formula gives. Without `groups` (emp, emp2) the one dense solve.
 */
export function ridgeDictionary(kAll: Mat, alpha: Int32Array, lambda: number, groups?: Int32Array): Float32Array {
  const m = alpha.length;
  const n = kAll.rows;
  if (!groups) return ridgeBlock(kAll, alpha, lambda, Int32Array.from(alpha.keys()), Int32Array.from({ length: n }, (_, i) => i));
  const byGroup = new Map<number, { cols: number[]; rows: number[] }>();
  for (let a = 0; a < m; a++) {
    const g = groups[alpha[a]];
    let e = byGroup.get(g);
    if (!e) byGroup.set(g, (e = { cols: [], rows: [] }));
    e.cols.push(a);
  }
  for (let i = 0; i < n; i++) byGroup.get(groups[i])?.rows.push(i);
  const u = new Float32Array(n * m);
  for (const { cols, rows } of byGroup.values()) {
    const ub = ridgeBlock(kAll, alpha, lambda, Int32Array.from(cols), Int32Array.from(rows));
    const mb = cols.length;
    for (let r = 0; r < rows.length; r++) for (let b = 0; b < mb; b++) u[rows[r] * m + cols[b]] = ub[r * mb + b];
  }
  return u;
}

/** K(rows, α_cols)·(K(α_cols, α_cols) + λI)⁻¹ (rows × cols, float32) from kAll = K(all, α); `cols` index α. */
function ridgeBlock(kAll: Mat, alpha: Int32Array, lambda: number, cols: Int32Array, rows: Int32Array): Float32Array {
  const m = kAll.cols;
  const mb = cols.length;
  const nb = rows.length;
  const kaa = mat(mb, mb);
  for (let a = 0; a < mb; a++) {
    for (let b = 0; b < mb; b++) {
      kaa.data[a * mb + b] = 0.5 * (kAll.data[alpha[cols[a]] * m + cols[b]] + kAll.data[alpha[cols[b]] * m + cols[a]]);
    }
    kaa.data[a * mb + a] += lambda;
  }
  const rhs = mat(mb, nb);
  for (let r = 0; r < nb; r++) for (let a = 0; a < mb; a++) rhs.data[a * nb + r] = kAll.data[rows[r] * m + cols[a]];
  const ut = solveSpd(kaa, rhs);
  const u = new Float32Array(nb * mb);
  for (let r = 0; r < nb; r++) for (let a = 0; a < mb; a++) u[r * mb + a] = ut.data[a * nb + r];
  return u;
}

/**
 * K(all, α) for the squared-exponential kernel exp(−‖x−y‖²/(2ℓ²)), zero across different groups (each
 * row visits only its group's α: the convnet's dense layer, 64 groups, does 1/64 of the n_v·n_α pairs).
 */
export function seKernelColumns(coords: Coords, alpha: Int32Array, lengthScale: number): Mat {
  const { points, groups } = coords;
  const n = points.length;
  const m = alpha.length;
  const out = mat(n, m);
  const s = 1 / (2 * lengthScale * lengthScale);
  const all = Int32Array.from(alpha.keys());
  const byGroup = new Map<number, number[]>();
  if (groups) {
    for (let a = 0; a < m; a++) {
      const g = groups[alpha[a]];
      const e = byGroup.get(g);
      if (e) e.push(a);
      else byGroup.set(g, [a]);
    }
  }
  for (let i = 0; i < n; i++) {
    const p = points[i];
    for (const a of groups ? byGroup.get(groups[i]) ?? [] : all) {
      const j = alpha[a];
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
 * are skipped; each point visits only its group's α); when no group holds two α points, the diagonal of
 * the coordinates' bounding box.
 */
export function meanNearestNeighbour(coords: Coords, alpha: Int32Array): number {
  const { points, groups } = coords;
  let sum = 0;
  let count = 0;
  const byGroup = new Map<number, number[]>();
  if (groups) {
    for (const j of alpha) {
      const e = byGroup.get(groups[j]);
      if (e) e.push(j);
      else byGroup.set(groups[j], [j]);
    }
  }
  for (const i of alpha) {
    let best = Infinity;
    for (const j of groups ? byGroup.get(groups[i])! : alpha) { // α of i's own group, in α's order
      if (j === i) continue;
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
