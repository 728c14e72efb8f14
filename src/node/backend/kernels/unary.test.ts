import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { assertSameOnBoth, nativeCalls, randn } from './test_util.js';

const step = (alpha: number) => (x: tf.Tensor) => tf.engine().runKernel(tf.Step, { x }, { alpha }) as tf.Tensor;
const ops: [string, (x: tf.Tensor) => tf.Tensor, number][] = [
  ['relu', tf.relu, 0], ['step0', step(0), 0], ['step0.3', step(0.3), 0], ['neg', tf.neg, 0], ['exp', tf.exp, 1e-6],
  ['log', tf.log, 1e-6], ['sqrt', tf.sqrt, 1e-6], ['square', tf.square, 0], ['rsqrt', tf.rsqrt, 1e-6], ['abs', tf.abs, 0],
  ['sigmoid', tf.sigmoid, 1e-6], ['tanh', tf.tanh, 1e-6], ['reciprocal', tf.reciprocal, 1e-6], ['elu', tf.elu, 1e-6],
  ['leakyRelu', (x) => tf.leakyRelu(x, 0.15), 1e-6], ['relu6', tf.relu6, 0], ['softplus', tf.softplus, 1e-6],
];

test('native unary kernels match cpu (rel tol as listed, 0 = exact up to 1e-7·(1+|x|); NaN and ±Inf kept)', async () => {
  for (const shape of [[5], [3, 7], [128, 500], [2, 3, 4, 5]]) {
    const v = randn(shape, 7).map((x) => x * 6); // reaches Relu6's cap and Softplus' thresholds
    v[0] = NaN;
    if (v.length > 3) v.set([Infinity, -Infinity, 0], 1);
    for (const [name, op, tol] of ops) {
      await assertSameOnBoth(`${name} ${JSON.stringify(shape)}`, () => op(tf.tensor(v, shape)), tol || 1e-7);
    }
  }
});

test('unary kernels run natively on float32 and delegate int32', async () => {
  await tf.setBackend('native');
  assert.ok(await nativeCalls(() => void tf.tidy(() => tf.relu(tf.ones([4])).dataSync())) > 0);
  assert.equal(await nativeCalls(() => void tf.tidy(() => tf.neg(tf.ones([4], 'int32')).dataSync())), 0);
  await assertSameOnBoth('abs int32', () => tf.abs(tf.tensor([-3, 2, 0], [3], 'int32')), 0);
});
