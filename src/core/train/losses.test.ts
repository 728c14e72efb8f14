import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { softmaxCrossEntropy } from './losses.js';
import { ParampredError } from '../errors.js';
import { rng } from '../rng.js';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number, label: string) => {
  assert.equal(a.length, b.length, `${label}: length`);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol * (1 + Math.abs(b[i])), `${label} @${i}: ${a[i]} vs ${b[i]}`);
};

/** The loss, its gradients and −log softmax / rows, in float64 JS: an independent reference. */
function reference(x: Float32Array, y: Float32Array, rows: number, n: number) {
  let loss = 0;
  const gx = new Float64Array(rows * n), gy = new Float64Array(rows * n);
  for (let i = 0; i < rows; i++) {
    const r = Array.from(x.subarray(i * n, (i + 1) * n));
    const m = Math.max(...r);
    const lse = m + Math.log(r.reduce((s, v) => s + Math.exp(v - m), 0));
    for (let c = 0; c < n; c++) {
      const logp = r[c] - lse;
      loss -= (y[i * n + c] * logp) / rows;
      gx[i * n + c] = (Math.exp(logp) - y[i * n + c]) / rows;
      gy[i * n + c] = -logp / rows;
    }
  }
  return { loss, gx, gy };
}

test('softmaxCrossEntropy (TF.js ops) = tf.losses.softmaxCrossEntropy and the float64 reference, with both gradients', async () => {
  await tf.setBackend('cpu');
  const rows = 12, n = 7, r = rng(3);
  const x = r.normals(rows * n).map((v) => 3 * v);
  const y = new Float32Array(rows * n);
  for (let i = 0; i < rows; i++) {
    // soft labels on even rows, one-hot on odd ones
    if (i % 2) y[i * n + (i % n)] = 1;
    else for (let c = 0; c < n; c++) y[i * n + c] = 1 / n;
  }
  const ref = reference(x, y, rows, n);
  const X = tf.tensor2d(x, [rows, n]), Y = tf.tensor2d(y, [rows, n]);
  const { value, grads } = tf.valueAndGrads((a: tf.Tensor, b: tf.Tensor) => softmaxCrossEntropy(b, a))([X, Y]);
  close([value.dataSync()[0]], [ref.loss], 1e-6, 'value');
  close(grads[0].dataSync(), ref.gx, 1e-6, 'd logits');
  close(grads[1].dataSync(), ref.gy, 1e-6, 'd labels');
  close([value.dataSync()[0]], tf.losses.softmaxCrossEntropy(Y, X).dataSync(), 1e-6, 'vs tf.losses');
  close(grads[0].dataSync(), tf.grad((a: tf.Tensor) => tf.losses.softmaxCrossEntropy(Y, a))(X).dataSync(), 1e-6, 'd logits vs tf.losses');
});

test('softmaxCrossEntropy: rank 1 and 3 (rows = all leading elements), int labels cast', async () => {
  await tf.setBackend('cpu');
  const x = rng(4).normals(2 * 3 * 5);
  const y = new Float32Array(30).map((_, i) => (i % 5 === 2 ? 1 : 0));
  const ref = reference(x, y, 6, 5);
  close(softmaxCrossEntropy(tf.tensor3d(y, [2, 3, 5]), tf.tensor3d(x, [2, 3, 5])).dataSync(), [ref.loss], 1e-6, 'rank 3');
  const r1 = reference(x.subarray(0, 5), y.subarray(0, 5), 1, 5);
  close(softmaxCrossEntropy(tf.tensor1d(Array.from(y.subarray(0, 5)), 'int32'), tf.tensor1d(x.subarray(0, 5))).dataSync(), [r1.loss], 1e-6, 'rank 1 int labels');
});

test('softmaxCrossEntropy rejects mismatched shapes and scalars, naming the argument', () => {
  assert.throws(() => softmaxCrossEntropy(tf.zeros([4, 3]), tf.zeros([4, 2])), (e: Error) => e instanceof ParampredError && /labels of the logits' shape \[4, 2\]/.test(e.message));
  assert.throws(() => softmaxCrossEntropy(tf.scalar(1), tf.scalar(1)), (e: Error) => e instanceof ParampredError && /logits of rank ≥ 1/.test(e.message));
});
