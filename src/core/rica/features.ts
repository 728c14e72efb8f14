/**
 * Dense RICA features of whole images (Coates, Lee & Ng 2011 single-layer pipeline): at every p×p
 * window (stride 1, 'valid') of an NHWC image, the contrast-normalised patch x̂ = (x − m·1)/s, m the
 * patch's mean and s = √(var + ε), is whitened and projected on the features: f = Ŵᵀ·Z·(x̂ − μ). With
 * A = (Z·Ŵ)ᵀ (k × d) and A' = A − (A·1/d)·1ᵀ (each filter minus its mean weight), A'·x = A·x − m·A·1, so
 * f = (A'·x)/s − A·μ: one tf.conv2d with A' as k filters, m and s from box filters of x and x² (k-free).
 * Then rectified by split polarity [max(0, f), max(0, −f)] (2k maps; Coates et al.'s choice for
 * sparse-coding features) and sum-pooled over the 4 quadrants of the H'×W' map (rows [0, round(H'/2)) and
 * the rest, columns likewise): 4·2k features per image. The negative part's sums are Σ max(0, f) − Σ f.
 */
import * as tf from '@tensorflow/tfjs';
import { check } from '../errors.js';
import { PATCH_EPS } from './patches.js';
import type { Zca } from './whiten.js';

export interface FeatureExtractor {
  patch: number;
  channels: number;
  /** A' (d × k, each column minus its mean) as conv filters [p, p, c, k]. */
  filters: tf.Tensor4D;
  /** A·μ (k). */
  offset: tf.Tensor1D;
  eps: number;
}

/** The extractor of features W (d × k, the columns scaled to unit norm as in the objective) after ZCA z. */
export function featureExtractor(w: tf.Tensor2D, z: Zca, patch: number, channels: number, eps = PATCH_EPS): FeatureExtractor {
  const d = patch * patch * channels;
  check(w.shape[0] === d && z.d === d, 'featureExtractor', `W with d = ${d} rows and a ZCA of the same size`, { w: w.shape, zca: z.d });
  return tf.tidy(() => {
    const wn = tf.div(w, tf.sqrt(tf.add(tf.sum(tf.square(w), 0, true), 1e-12)));
    const a = tf.matMul(tf.tensor2d(Float32Array.from(z.matrix), [d, d]), wn); // Z·Ŵ (d × k) = Aᵀ
    const k = w.shape[1];
    return {
      patch, channels, eps,
      filters: tf.keep(tf.reshape(tf.sub(a, tf.mean(a, 0, true)), [patch, patch, channels, k]) as tf.Tensor4D),
      offset: tf.keep(tf.reshape(tf.matMul(tf.tensor2d(Float32Array.from(z.mean), [1, d]), a), [k]) as tf.Tensor1D),
    };
  });
}

/** The raw responses f (n × H' × W' × k) of images x (n × h × w × c), H' = h − p + 1. */
export function denseResponses(e: FeatureExtractor, x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const box = tf.fill([e.patch, e.patch, e.channels, 1], 1 / (e.patch * e.patch * e.channels)) as tf.Tensor4D;
    const m = tf.conv2d(x, box, 1, 'valid');
    const m2 = tf.conv2d(tf.square(x), box, 1, 'valid');
    const invS = tf.rsqrt(tf.add(tf.relu(tf.sub(m2, tf.square(m))), e.eps));
    return tf.sub(tf.mul(tf.conv2d(x, e.filters, 1, 'valid'), invS), e.offset) as tf.Tensor4D;
  });
}

/**
 * Split-polarity rectification and quadrant sum-pooling of responses f (n × H' × W' × k, H', W' ≥ 2):
 * n × (4·2k), ordered (quadrant row, quadrant col, polarity·k). Each quadrant's sum is an avgPool with a
 * round(H'/2) × round(W'/2) window and stride, 'same' padding (the odd remainder's window is padded at the
 * end and averaged over its in-bounds part), times the quadrant's size: two pools over the maps (of
 * max(0, f) and f) instead of slices, concat or sums over non-innermost axes (slow on the native backend).
 */
export function poolQuadrants(f: tf.Tensor4D): tf.Tensor2D {
  const [n, h, w, k] = f.shape;
  check(h >= 2 && w >= 2, 'poolQuadrants', 'response maps of at least 2 × 2', [h, w]);
  const hh = Math.round(h / 2), hw = Math.round(w / 2);
  return tf.tidy(() => {
    const size = tf.tensor4d([hh * hw, hh * (w - hw), (h - hh) * hw, (h - hh) * (w - hw)], [1, 2, 2, 1]);
    const sum = (t: tf.Tensor4D) => tf.mul(tf.avgPool(t, [hh, hw], [hh, hw], 'same'), size);
    const pos = sum(tf.relu(f)), all = sum(f);
    return tf.reshape(tf.concat([pos, tf.sub(pos, all)], 3), [n, 8 * k]) as tf.Tensor2D;
  });
}

/** Pooled features (n × 8k) of images x (n × h·w·c, NHWC rows), in batches of `batchSize` images. */
export function extractFeatures(e: FeatureExtractor, x: Float32Array, shape: readonly [number, number, number], batchSize = 50): Float32Array {
  const size = shape[0] * shape[1] * shape[2];
  const n = x.length / size;
  check(Number.isInteger(n) && shape[2] === e.channels, 'extractFeatures', `whole images of [${shape.join(', ')}] with ${e.channels} channels`, x.length);
  const k = e.filters.shape[3];
  const out = new Float32Array(n * 8 * k);
  for (let b = 0; b < n; b += batchSize) {
    const nb = Math.min(batchSize, n - b);
    const pooled = tf.tidy(() => poolQuadrants(denseResponses(e, tf.tensor4d(x.subarray(b * size, (b + nb) * size), [nb, ...shape]))));
    out.set(pooled.dataSync(), b * 8 * k);
    pooled.dispose();
  }
  return out;
}

/** Frees the extractor's tensors. */
export function disposeExtractor(e: FeatureExtractor): void {
  tf.dispose([e.filters, e.offset]);
}
