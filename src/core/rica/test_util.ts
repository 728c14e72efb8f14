/** Test helper (not exported by the index): the dense pooled RICA features in float64, patch by patch. */
import type { Zca } from './whiten.js';

/**
 * Pooled features (n × 8k, ordered quadrant row, quadrant col, polarity, feature) of images x
 * (n × h·w·c, NHWC) straight from the definition in features.ts: every p×p window's patch (row, col,
 * channel order) contrast-normalised (x − m)/√(var + eps), whitened Z·(x̂ − μ), projected on the
 * unit-norm columns of W (d × k, row-major), split [max(0, f), max(0, −f)] and summed over the quadrants
 * rows [0, round(H'/2)) / the rest and columns likewise. Also returns the responses (n × H' × W' × k).
 */
export function referenceFeatures(x: Float32Array, shape: readonly [number, number, number], w: Float32Array, k: number, zca: Zca, p: number, eps: number): { pooled: Float64Array; responses: Float64Array } {
  const [h, wd, c] = shape, d = p * p * c, H = h - p + 1, W = wd - p + 1, n = x.length / (h * wd * c);
  const wn = new Float64Array(d * k);
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let i = 0; i < d; i++) s += w[i * k + j] ** 2;
    for (let i = 0; i < d; i++) wn[i * k + j] = w[i * k + j] / Math.sqrt(s + 1e-12);
  }
  const responses = new Float64Array(n * H * W * k), pooled = new Float64Array(n * 8 * k);
  const hh = Math.round(H / 2), hw = Math.round(W / 2);
  const v = new Float64Array(d), white = new Float64Array(d);
  for (let b = 0; b < n; b++) for (let i = 0; i < H; i++) for (let j = 0; j < W; j++) {
    for (let a = 0; a < p; a++) for (let q = 0; q < p; q++) for (let ch = 0; ch < c; ch++) v[(a * p + q) * c + ch] = x[((b * h + i + a) * wd + j + q) * c + ch];
    let m = 0, s2 = 0;
    for (let t = 0; t < d; t++) m += v[t] / d;
    for (let t = 0; t < d; t++) s2 += (v[t] - m) ** 2 / d;
    for (let t = 0; t < d; t++) v[t] = (v[t] - m) / Math.sqrt(s2 + eps) - zca.mean[t];
    for (let t = 0; t < d; t++) {
      let s = 0;
      for (let u = 0; u < d; u++) s += zca.matrix[t * d + u] * v[u];
      white[t] = s;
    }
    const quad = (i < hh ? 0 : 2) + (j < hw ? 0 : 1);
    for (let kk = 0; kk < k; kk++) {
      let f = 0;
      for (let t = 0; t < d; t++) f += wn[t * k + kk] * white[t];
      responses[((b * H + i) * W + j) * k + kk] = f;
      pooled[b * 8 * k + quad * 2 * k + (f > 0 ? 0 : k) + kk] += Math.abs(f);
    }
  }
  return { pooled, responses };
}
