/**
 * Dense RICA features of whole images (Coates, Lee & Ng 2011 single-layer pipeline): at every p×p
 * window (stride 1, 'valid') of an NHWC image, the contrast-normalised patch x̂ = (x − m·1)/s is whitened
 * and projected on the features: f = Ŵᵀ·Z·(x̂ − μ) = (A·x − m·A·1)/s − A·μ with A = (Z·Ŵ)ᵀ (k × d), so
 * A·x is one tf.conv2d with A as k filters and m, s come from box filters of x and x². Then rectified by
 * split polarity [max(0, f), max(0, −f)] (2k maps; Coates et al.'s choice for sparse-coding features) and
 * sum-pooled over the 4 quadrants of the map: 4·2k features per image.
 */
import * as tf from '@tensorflow/tfjs';
import { check } from '../errors.js';
import { PATCH_EPS } from './patches.js';
import type { Zca } from './whiten.js';

export interface FeatureExtractor {
  patch: number;
  channels: number;
  /** A (d × k) as conv filters [p, p, c, k]. */
  filters: tf.Tensor4D;
  /** A·1 (k) and A·μ (k). */
  rowSum: tf.Tensor1D;
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
      filters: tf.keep(tf.reshape(a, [patch, patch, channels, k]) as tf.Tensor4D),
      rowSum: tf.keep(tf.sum(a, 0) as tf.Tensor1D),
      offset: tf.keep(tf.reshape(tf.matMul(tf.tensor2d(Float32Array.from(z.mean), [1, d]), a), [k]) as tf.Tensor1D),
    };
  });
}

/** The raw responses f (n × H' × W' × k) of images x (n × h × w × c), H' = h − p + 1. */
export function denseResponses(e: FeatureExtractor, x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const d = e.patch * e.patch * e.channels;
    const box = tf.ones([e.patch, e.patch, e.channels, 1]) as tf.Tensor4D;
    const m = tf.div(tf.conv2d(x, box, 1, 'valid'), d);
    const m2 = tf.div(tf.conv2d(tf.square(x), box, 1, 'valid'), d);
    const s = tf.sqrt(tf.add(tf.relu(tf.sub(m2, tf.square(m))), e.eps));
    const ax = tf.conv2d(x, e.filters, 1, 'valid');
    return tf.sub(tf.div(tf.sub(ax, tf.mul(m, e.rowSum)), s), e.offset) as tf.Tensor4D;
  });
}

/**
 * Split-polarity rectification and quadrant sum-pooling of responses f: n × (4·2k), ordered (quadrant row,
 * quadrant col, polarity·k). The sums are one batched matMul with a 4 × H·W 0/1 matrix (a tf.sum over
 * axes [1, 2] of the slices ran ~100× slower on the native backend).
 */
export function poolQuadrants(f: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    const [n, h, w, k] = f.shape;
    const r = tf.reshape(tf.concat([tf.relu(f), tf.relu(tf.neg(f))], 3), [n, h * w, 2 * k]);
    const hh = Math.round(h / 2), hw = Math.round(w / 2);
    const q = new Float32Array(4 * h * w);
    for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) q[((i < hh ? 0 : 2) + (j < hw ? 0 : 1)) * h * w + i * w + j] = 1;
    const qt = tf.tile(tf.tensor3d(q, [1, 4, h * w]), [n, 1, 1]) as tf.Tensor3D;
    return tf.reshape(tf.matMul(qt, r as tf.Tensor3D), [n, 8 * k]) as tf.Tensor2D;
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
  tf.dispose([e.filters, e.rowSum, e.offset]);
}
