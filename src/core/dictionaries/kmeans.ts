/**
 * `kmeans`: U's columns are k-means atoms of the layer's inputs (the original code's k-means dictionary,
 * docs/method.md §1): n_α centroids of the data rows, k-means++ initialisation from this dictionary's seeded
 * stream, then at most `iterations` Lloyd steps (stopping early once no assignment changes; an empty
 * cluster keeps its centroid), each column scaled to unit L2 norm unless normalize is false.
 */
import { z } from 'zod';
import { ParampredError } from '../errors.js';
import type { Rng } from '../rng.js';
import { defineDictionary, type DataMatrix } from './types.js';

export default defineDictionary({
  name: 'kmeans',
  summary: 'U[:, a] = c_a/‖c_a‖, c = n_α k-means centroids of the data rows (k-means++ init, Lloyd steps)',
  needs: { data: true, coords: false },
  trainable: false,
  options: z.object({
    iterations: z.number().int().nonnegative().default(20),
    normalize: z.boolean().default(true),
  }).strict(),
  build({ nIn, alpha, data, rng }, { iterations, normalize }) {
    if (!data) throw new ParampredError('kmeans', 'expected a data sample, got none');
    const m = alpha.length;
    const { centroids } = kmeans(data, m, { iterations, rng });
    const u = new Float32Array(nIn * m);
    for (let a = 0; a < m; a++) {
      let s = 0;
      for (let i = 0; i < nIn; i++) s += centroids[a * nIn + i] ** 2;
      const scale = normalize && s > 0 ? 1 / Math.sqrt(s) : 1;
      for (let i = 0; i < nIn; i++) u[i * m + a] = centroids[a * nIn + i] * scale;
    }
    return { nIn, nAlpha: m, u };
  },
});

/** Squared distance from data row r to centroid a. */
function dist2(x: Float32Array, r: number, c: Float64Array, a: number, n: number): number {
  let s = 0;
  const o = r * n;
  const p = a * n;
  for (let j = 0; j < n; j++) {
    const d = x[o + j] - c[p + j];
    s += d * d;
  }
  return s;
}

/**
 * k-means of the rows of `data` into k clusters: centroids (k × n_v row-major), assignments and the
 * distortion Σ_r ‖x_r − c_{assign(r)}‖² of the final assignment.
 */
export function kmeans(data: DataMatrix, k: number, o: { iterations: number; rng: Rng }): { centroids: Float64Array; assign: Int32Array; distortion: number } {
  const { rows, cols: n, values: x } = data;
  const c = new Float64Array(k * n);
  // k-means++: first centre uniform, then each with probability ∝ D² to the nearest chosen centre.
  const d2 = new Float64Array(rows).fill(Infinity);
  let pick = o.rng.int(rows);
  for (let a = 0; a < k; a++) {
    for (let j = 0; j < n; j++) c[a * n + j] = x[pick * n + j];
    let total = 0;
    for (let r = 0; r < rows; r++) {
      d2[r] = Math.min(d2[r], dist2(x, r, c, a, n));
      total += d2[r];
    }
    if (total > 0) {
      let t = o.rng.uniform() * total;
      pick = rows - 1;
      for (let r = 0; r < rows; r++) {
        t -= d2[r];
        if (t < 0) { pick = r; break; }
      }
    } else pick = o.rng.int(rows);
  }
  const assign = new Int32Array(rows).fill(-1);
  const nearest = (): { changed: boolean; distortion: number } => {
    let changed = false;
    let distortion = 0;
    for (let r = 0; r < rows; r++) {
      let best = 0;
      let bestD = Infinity;
      for (let a = 0; a < k; a++) {
        const d = dist2(x, r, c, a, n);
        if (d < bestD) { bestD = d; best = a; }
      }
      if (assign[r] !== best) { assign[r] = best; changed = true; }
      distortion += bestD;
    }
    return { changed, distortion };
  };
  let state = nearest();
  for (let it = 0; it < o.iterations && state.changed; it++) {
    const sum = new Float64Array(k * n);
    const count = new Int32Array(k);
    for (let r = 0; r < rows; r++) {
      const a = assign[r];
      count[a]++;
      for (let j = 0; j < n; j++) sum[a * n + j] += x[r * n + j];
    }
    for (let a = 0; a < k; a++) if (count[a] > 0) for (let j = 0; j < n; j++) c[a * n + j] = sum[a * n + j] / count[a];
    state = nearest();
  }
  return { centroids: c, assign, distortion: state.distortion };
}
