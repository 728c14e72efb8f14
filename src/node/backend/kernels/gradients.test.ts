import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { assertSameOnBoth, randn } from './test_util.js';

test('gradients through native kernels match cpu: softmax cross-entropy of a ReLU MLP (rel tol 1e-4)', async () => {
  const x = randn([16, 20], 1), w1 = randn([20, 30], 2), b1 = randn([30], 3), w2 = randn([30, 10], 4);
  const labels = Array.from({ length: 16 }, (_, i) => (i * 7) % 10);
  await assertSameOnBoth('softmaxCrossEntropy grads', () => {
    const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), 10).asType('float32');
    const f = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => {
      const h = tf.relu(tf.add(tf.matMul(tf.tensor(x, [16, 20]), a), b));
      return tf.losses.softmaxCrossEntropy(ys, tf.matMul(h, c));
    };
    const args = [tf.tensor(w1, [20, 30]), tf.tensor(b1, [30]), tf.tensor(w2, [30, 10])];
    const { value, grads } = tf.valueAndGrads(f)(args);
    return [value, ...grads];
  }, 1e-4);
});

test('gradients through native kernels match cpu: max/min/mean reductions, softmax, sigmoid, tanh, div (rel tol 1e-4)', async () => {
  const v = randn([6, 9], 8), u = randn([6, 9], 9).map((z) => Math.abs(z) + 0.5);
  await assertSameOnBoth('reduction grads', () => {
    const f = (a: tf.Tensor, b: tf.Tensor) => tf.addN([
      tf.sum(tf.max(a, 1)), tf.sum(tf.min(a, 0, true)), tf.mean(tf.mul(tf.softmax(a), b)), tf.sum(tf.sigmoid(tf.div(a, b))),
      tf.sum(tf.tanh(tf.squaredDifference(a, b))), tf.sum(tf.maximum(a, tf.sqrt(b))),
    ]);
    return tf.grads(f)([tf.tensor(v, [6, 9]), tf.tensor(u, [6, 9])]);
  }, 1e-4);
});
