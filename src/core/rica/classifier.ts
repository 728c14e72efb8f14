/**
 * The linear classifier on pooled features: L2-regularised softmax regression, features standardised with
 * the training set's mean and std, trained full-batch with Adam (cosine-decayed rate). Coates et al. used
 * an L2-SVM; a softmax regression is the same linear family.
 */
import * as tf from '@tensorflow/tfjs';
import { check } from '../errors.js';
import { softmaxCrossEntropy } from '../train/losses.js';

export interface SoftmaxOptions {
  /** L2 penalty (l2/2)·‖W‖² added to the mean cross-entropy (default 1e-3). */
  l2?: number;
  steps?: number;
  lr?: number;
}

export interface LinearClassifier {
  mean: tf.Tensor1D;
  std: tf.Tensor1D;
  w: tf.Variable;
  b: tf.Variable;
}

/** Trains softmax regression on x (n × m) with labels y (0..classes−1). */
export function trainSoftmax(x: Float32Array, y: Int32Array, classes: number, o: SoftmaxOptions = {}): LinearClassifier {
  const n = y.length, m = x.length / n;
  check(Number.isInteger(m) && m >= 1 && n >= 1 && y.every((v) => v >= 0 && v < classes), 'trainSoftmax', `n × m features for n = ${n} labels in 0..${classes - 1}`, x.length);
  const l2 = o.l2 ?? 1e-3, steps = o.steps ?? 300, lr0 = o.lr ?? 0.01;
  const xt = tf.tensor2d(x, [n, m]);
  const { mean, variance } = tf.moments(xt, 0);
  const std = tf.tidy(() => tf.sqrt(tf.add(variance, 1e-8)) as tf.Tensor1D);
  const xs = tf.tidy(() => tf.div(tf.sub(xt, mean), std));
  const yt = tf.oneHot(tf.tensor1d(y, 'int32'), classes).toFloat();
  const w = tf.variable(tf.zeros([m, classes]));
  const b = tf.variable(tf.zeros([classes]));
  const opt = tf.train.adam(lr0);
  for (let s = 0; s < steps; s++) {
    (opt as unknown as { learningRate: number }).learningRate = (lr0 * (1 + Math.cos((Math.PI * s) / steps))) / 2;
    const loss = opt.minimize(() => tf.add(softmaxCrossEntropy(yt, tf.add(tf.matMul(xs, w), b)), tf.mul(tf.sum(tf.square(w)), l2 / 2)) as tf.Scalar, true, [w, b]);
    loss?.dispose();
  }
  opt.dispose();
  tf.dispose([xt, xs, yt, variance]);
  return { mean: mean as tf.Tensor1D, std, w, b };
}

/** Predicted classes of x (n × m). */
export function predictClasses(c: LinearClassifier, x: Float32Array): Int32Array {
  const m = c.w.shape[0];
  return tf.tidy(() => tf.argMax(tf.add(tf.matMul(tf.div(tf.sub(tf.tensor2d(x, [x.length / m, m]), c.mean), c.std), c.w), c.b), 1).dataSync() as Int32Array);
}

/** Accuracy of the classifier on x (n × m) with labels y. */
export function accuracy(c: LinearClassifier, x: Float32Array, y: Int32Array): number {
  return predictClasses(c, x).reduce((s, v, i) => s + (v === y[i] ? 1 : 0), 0) / y.length;
}

/** The L2 weight chosen by chooseL2 and every candidate's validation accuracy. */
export interface L2Choice {
  l2: number;
  /** Rows held out (the last ones of x). */
  validation: number;
  grid: { l2: number; validationAccuracy: number }[];
}

/**
 * Chooses trainSoftmax's L2 weight on held-out rows: for each l2 of `grid`, trains on the first n − v rows
 * of x (standardised with their own statistics) and scores the last v; returns the l2 of the best
 * validation accuracy (the first in grid order on a tie). Uses only x and y: pass training data.
 */
export function chooseL2(x: Float32Array, y: Int32Array, classes: number, grid: readonly number[], validation: number, o: Omit<SoftmaxOptions, 'l2'> = {}): L2Choice {
  const n = y.length, m = x.length / n;
  check(grid.length >= 1 && grid.every((v) => v >= 0) && Number.isInteger(validation) && validation >= 1 && validation < n, 'chooseL2', `a non-empty grid of L2 weights ≥ 0 and 1 ≤ validation < ${n} rows`, { grid, validation });
  const f = n - validation;
  const xv = x.subarray(f * m), yv = y.subarray(f);
  const scores = grid.map((l2) => {
    const c = trainSoftmax(x.subarray(0, f * m), y.subarray(0, f), classes, { ...o, l2 });
    const validationAccuracy = accuracy(c, xv, yv);
    disposeClassifier(c);
    return { l2, validationAccuracy };
  });
  const best = scores.reduce((b, s) => (s.validationAccuracy > b.validationAccuracy ? s : b));
  return { l2: best.l2, validation, grid: scores };
}

/** Frees the classifier's tensors. */
export function disposeClassifier(c: LinearClassifier): void {
  tf.dispose([c.mean, c.std, c.w, c.b]);
}
