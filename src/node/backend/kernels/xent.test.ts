import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { softmaxCrossEntropy } from '../../../core/train/losses.js';
import { assertSameOnBoth, nativeCalls, onBoth, randn } from './test_util.js';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number, label: string) => {
  assert.equal(a.length, b.length, `${label}: length`);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol * (1 + Math.abs(b[i])), `${label} @${i}: ${a[i]} vs ${b[i]}`);
};

/** Soft labels on even rows, one-hot on odd rows. */
function labels(rows: number, n: number): Float32Array {
  const y = new Float32Array(rows * n);
  for (let i = 0; i < rows; i++) {
    if (i % 2) y[i * n + ((i * 3) % n)] = 1;
    else for (let c = 0; c < n; c++) y[i * n + c] = (c + 1) / ((n * (n + 1)) / 2);
  }
  return y;
}

test('fused softmax cross-entropy on native = TF.js ops on cpu: value and both gradients (rel tol 1e-5), over shapes and logit scales', async () => {
  for (const [shape, scale] of [[[128, 10], 1], [[7, 3], 30], [[1, 1000], 5], [[2, 3, 4], 1], [[5], 100]] as [number[], number][]) {
    const n = shape[shape.length - 1], rows = shape.reduce((a, b) => a * b, 1) / n;
    const x = randn(shape, 11 + n).map((v) => v * scale), y = labels(rows, n);
    const r = await onBoth(() => {
      const { value, grads } = tf.valueAndGrads((a: tf.Tensor, b: tf.Tensor) => softmaxCrossEntropy(b, a))([tf.tensor(x, shape), tf.tensor(y, shape)]);
      return [value, ...grads, tf.losses.softmaxCrossEntropy(tf.tensor(y, shape), tf.tensor(x, shape))];
    });
    for (let k = 0; k < 3; k++) close(r.native[k], r.cpu[k], 1e-5, `[${shape}]×${scale} output ${k}`);
    close(r.native[0], r.cpu[3], 1e-5, `[${shape}]×${scale} vs tf.losses on cpu`);
  }
});

test('fused softmax cross-entropy runs as one native call forward and one backward', async () => {
  await onBoth(() => tf.scalar(0)); // registers and selects native last
  await tf.setBackend('native');
  const x = tf.tensor(randn([64, 10], 3), [64, 10]), y = tf.tensor(labels(64, 10), [64, 10]);
  assert.equal(await nativeCalls(() => { tf.tidy(() => softmaxCrossEntropy(y, x)); }), 1);
  const both = await nativeCalls(() => { tf.tidy(() => tf.grad((a: tf.Tensor) => softmaxCrossEntropy(y, a))(x)); });
  assert.equal(both, 2);
  tf.dispose([x, y]);
});

test('fused softmax cross-entropy: gradients of gradients on native = the float64 analytic ones (rel tol 1e-4)', async () => {
  // TF.js cannot serve as the reference here: tf.losses.softmaxCrossEntropy has no second order, and
  // −Σ y·log(softmax(x)) through TF.js's Softmax gradient gives wrong second derivatives (checked
  // against finite differences).
  const rows = 6, n = 5, shape = [rows, n], x = randn(shape, 21), w = randn(shape, 22), y = labels(rows, n);
  const d2x = new Float64Array(rows * n), d2y = new Float64Array(rows * n), dyx = new Float64Array(rows * n);
  for (let i = 0; i < rows; i++) {
    const r = Array.from(x.subarray(i * n, (i + 1) * n)), m = Math.max(...r);
    const e = r.map((v) => Math.exp(v - m)), z = e.reduce((a, b) => a + b, 0), s = e.map((v) => v / z);
    const ws = s.reduce((t, sc, c) => t + sc * w[i * n + c], 0), wsum = w.subarray(i * n, (i + 1) * n).reduce((a, b) => a + b, 0);
    for (let c = 0; c < n; c++) {
      d2x[i * n + c] = (s[c] * (w[i * n + c] - ws)) / rows; // d/dx Σ W·∂L/∂x
      d2y[i * n + c] = -w[i * n + c] / rows; //                  d/dy Σ W·∂L/∂x
      dyx[i * n + c] = -(w[i * n + c] - s[c] * wsum) / rows; //  d/dx Σ W·∂L/∂y
    }
  }
  await onBoth(() => tf.scalar(0));
  await tf.setBackend('native');
  const [g2x, g2y, gyx] = tf.tidy(() => {
    const X = tf.tensor(x, shape), Y = tf.tensor(y, shape), W = tf.tensor(w, shape);
    const outer = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.grad((z: tf.Tensor) => softmaxCrossEntropy(b, z))(a), W));
    const g2 = tf.grads(outer)([X, Y]);
    const gy = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.grad((b: tf.Tensor) => softmaxCrossEntropy(b, a))(Y), W)))(X);
    return [...g2, gy].map((t) => t.dataSync().slice());
  });
  close(g2x, d2x, 1e-4, 'd/dx of the logits gradient');
  close(g2y, d2y, 1e-4, 'd/dy of the logits gradient');
  close(gyx, dyx, 1e-4, 'd/dx of the labels gradient');
});

test('fused softmax cross-entropy on native = TF.js ops on cpu with huge, infinite and NaN logits (NaN where cpu has NaN)', async () => {
  const rows: number[][] = [[0.5, -1, 2], [1e30, -1e30, 0], [Infinity, 0, 1], [-Infinity, 0, 1], [NaN, 0, 1], [-Infinity, -Infinity, -Infinity]];
  const y = [0, 0, 1];
  for (const row of rows) {
    // the value alone, and value and gradient of a batch of the row with an ordinary one
    await assertSameOnBoth(`specials [${row}]`, () => {
      const x = tf.tensor([row, [0.1, 0.2, 0.3]]), yy = tf.tensor([y, [1, 0, 0]]);
      const { value, grads } = tf.valueAndGrads((a: tf.Tensor) => softmaxCrossEntropy(yy, a))([x]);
      return [softmaxCrossEntropy(tf.tensor([y]), tf.tensor([row])), value, grads[0]];
    }, 1e-5);
  }
});
