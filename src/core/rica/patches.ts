/**
 * Patches for RICA (Coates, Lee & Ng 2011 pipeline; docs/method.md §2 "RICA"): random p×p patches of
 * NHWC images, each flattened in (row, col, channel) order, and per-patch brightness/contrast
 * normalisation x̂ = (x − mean(x)) / √(var(x) + ε) (population variance over the patch's p·p·c values;
 * Coates used ε = 10 on 0..255 pixels, i.e. 10/255² ≈ 1.54e-4 on x/255 pixels, the default here).
 */
import { check } from '../errors.js';
import type { Rng } from '../rng.js';

/** Coates et al.'s contrast-normalisation ε for pixels scaled to [0, 1]. */
export const PATCH_EPS = 10 / 255 ** 2;

/** `count` random p×p patches of the n images x (n × h·w·c, NHWC): count × p·p·c, (row, col, channel) order. */
export function samplePatches(x: Float32Array, shape: readonly [number, number, number], p: number, count: number, r: Rng): Float32Array {
  const [h, w, c] = shape;
  const size = h * w * c;
  const n = x.length / size;
  check(Number.isInteger(n) && n >= 1 && Number.isInteger(p) && p >= 1 && p <= Math.min(h, w) && Number.isInteger(count) && count >= 1, 'samplePatches', `whole images of [${shape.join(', ')}], a patch size in [1, ${Math.min(h, w)}] and a positive count`, { values: x.length, p, count });
  const d = p * p * c;
  const out = new Float32Array(count * d);
  for (let q = 0; q < count; q++) {
    const img = r.int(n), i0 = r.int(h - p + 1), j0 = r.int(w - p + 1);
    for (let i = 0; i < p; i++) {
      const src = img * size + ((i0 + i) * w + j0) * c;
      out.set(x.subarray(src, src + p * c), q * d + i * p * c);
    }
  }
  return out;
}

/** Per-row (x − mean) / √(var + eps) of rows × d values (a new array). */
export function normalizePatches(x: Float32Array, d: number, eps = PATCH_EPS): Float32Array {
  check(Number.isInteger(d) && d >= 1 && x.length % d === 0, 'normalizePatches', `rows of d = ${d} values`, x.length);
  const out = new Float32Array(x.length);
  for (let o = 0; o < x.length; o += d) {
    let s = 0, s2 = 0;
    for (let i = o; i < o + d; i++) s += x[i];
    const m = s / d;
    for (let i = o; i < o + d; i++) s2 += (x[i] - m) ** 2;
    const inv = 1 / Math.sqrt(s2 / d + eps);
    for (let i = o; i < o + d; i++) out[i] = (x[i] - m) * inv;
  }
  return out;
}
