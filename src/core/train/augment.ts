/**
 * Training-batch augmentation for image data (NHWC rows, n × h·w·c row-major): pad-and-random-crop
 * (a shift by (dy, dx) ∈ [−crop, crop]² with zero fill: out(i, j) = x(i + dy, j + dx), 0 outside) and a
 * horizontal flip (out(i, j) = x(i, w − 1 − j)) with probability ½, drawn per example in the order dy,
 * dx, flip from the caller's stream. The crop is applied first, then the flip. With per-channel
 * standardised inputs the zero fill is the channel mean.
 */
import { check } from '../errors.js';
import type { Rng } from '../rng.js';

/** The augmentation of an experiment's training batches (schema: dataset.augment). */
export interface AugmentSpec {
  /** Pixels of zero padding before the random crop back to h × w (0 = no shift). */
  crop: number;
  /** Horizontal flip with probability ½. */
  flip: boolean;
}

/** Per-example shifts and flips: the random draws of one batch. */
export interface AugmentDraws {
  dy: Int32Array;
  dx: Int32Array;
  flip: Uint8Array;
}

/** Draws dy, dx ∈ [−crop, crop] and flip ∈ {0, 1} for n examples (nothing is drawn for a disabled part). */
export function drawAugment(n: number, spec: AugmentSpec, r: Rng): AugmentDraws {
  const dy = new Int32Array(n), dx = new Int32Array(n), flip = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (spec.crop > 0) {
      dy[i] = r.int(2 * spec.crop + 1) - spec.crop;
      dx[i] = r.int(2 * spec.crop + 1) - spec.crop;
    }
    if (spec.flip) flip[i] = r.uniform() < 0.5 ? 1 : 0;
  }
  return { dy, dx, flip };
}

/** Applies given shifts and flips to x (n × h·w·c, NHWC): a new array, out(i, j) = x(i + dy, f(j) + dx). */
export function shiftFlip(x: Float32Array, shape: readonly [number, number, number], d: AugmentDraws): Float32Array {
  const [h, w, c] = shape;
  const size = h * w * c;
  const n = d.dy.length;
  check(x.length === n * size, 'shiftFlip', `x of ${n} × ${h}·${w}·${c} values`, x.length);
  const out = new Float32Array(x.length);
  for (let b = 0; b < n; b++) {
    const base = b * size;
    const sy = d.dy[b], sx = d.dx[b], fl = d.flip[b] === 1;
    for (let i = 0; i < h; i++) {
      const si = i + sy;
      if (si < 0 || si >= h) continue;
      for (let j = 0; j < w; j++) {
        // the flip acts on the cropped image: output column j reads cropped column w−1−j
        const sj = (fl ? w - 1 - j : j) + sx;
        if (sj < 0 || sj >= w) continue;
        const o = base + (i * w + j) * c, s = base + (si * w + sj) * c;
        for (let k = 0; k < c; k++) out[o + k] = x[s + k];
      }
    }
  }
  return out;
}

/** Augments a training batch x (n × h·w·c) with draws from `r`: drawAugment then shiftFlip. */
export function augmentBatch(x: Float32Array, shape: readonly [number, number, number], spec: AugmentSpec, r: Rng): Float32Array {
  const n = x.length / (shape[0] * shape[1] * shape[2]);
  check(Number.isInteger(n) && Number.isInteger(spec.crop) && spec.crop >= 0 && spec.crop < Math.min(shape[0], shape[1]), 'augmentBatch', `whole images of shape [${shape.join(', ')}] and crop an integer in [0, ${Math.min(shape[0], shape[1]) - 1}]`, { values: x.length, crop: spec.crop });
  return shiftFlip(x, shape, drawAugment(n, spec, r));
}
