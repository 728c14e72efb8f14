import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { assertSameOnBoth, nativeCalls, randn } from './test_util.js';

/** All permutations of 0..n-1. */
function perms(n: number): number[][] {
  if (n === 0) return [[]];
  return perms(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

test('native Transpose matches cpu exactly over shapes × all permutations (rank 2-5, size-1 dims, identity)', async () => {
  const shapes = [
    [1, 1], [5, 7], [70, 33], [1, 9], [2, 3, 4], [3, 1, 5], [1, 6, 1], [2, 3, 4, 5], [4, 1, 3, 1], [2, 1, 3, 2, 3], [3, 2, 1, 4, 2],
  ];
  for (const shape of shapes) {
    const v = randn(shape, shape.length);
    for (const perm of perms(shape.length)) {
      await assertSameOnBoth(`transpose ${JSON.stringify(shape)} perm ${perm}`, () => tf.transpose(tf.tensor(v, shape), perm), 0);
    }
  }
});

test('native Transpose matches cpu on large shapes (threaded, tile edges) and rank 6', async () => {
  for (const [shape, perm] of [
    [[784, 10, 50], [1, 0, 2]], [[3, 100, 257], [0, 2, 1]], [[300, 257], [1, 0]], [[40, 30, 60], [2, 1, 0]],
    [[20, 30, 40, 5], [3, 1, 0, 2]], [[2, 3, 1, 4, 5, 2], [5, 0, 4, 2, 1, 3]], [[2, 3, 2, 4, 5, 2], [0, 1, 2, 3, 4, 5]],
  ] as [number[], number[]][]) {
    const v = randn(shape, 11);
    await assertSameOnBoth(`transpose ${JSON.stringify(shape)} perm ${perm}`, () => tf.transpose(tf.tensor(v, shape), perm), 0);
  }
});

test('gradient through tf.transpose matches cpu exactly', async () => {
  const shape = [4, 5, 6], w = randn([6, 4, 5], 2), v = randn(shape, 3);
  await assertSameOnBoth('grad transpose', () => {
    const f = (x: tf.Tensor) => tf.sum(tf.mul(tf.transpose(x, [2, 0, 1]), tf.tensor(w, [6, 4, 5])));
    return tf.grad(f)(tf.tensor(v, shape));
  }, 0);
});

test('Transpose runs natively on float32 and delegates int32 and rank 7', async () => {
  await tf.setBackend('native');
  assert.ok(await nativeCalls(() => void tf.tidy(() => tf.transpose(tf.ones([3, 4])).dataSync())) > 0);
  assert.equal(await nativeCalls(() => void tf.tidy(() => tf.transpose(tf.ones([3, 4], 'int32')).dataSync())), 0);
  assert.equal(await nativeCalls(() => void tf.tidy(() => tf.transpose(tf.ones([1, 2, 1, 2, 1, 2, 1])).dataSync())), 0);
  await assertSameOnBoth('transpose int32', () => tf.transpose(tf.tensor([1, 2, 3, 4, 5, 6], [2, 3], 'int32')), 0);
  const s7 = [2, 1, 2, 1, 2, 3, 1];
  await assertSameOnBoth('transpose rank 7', () => tf.transpose(tf.tensor(randn(s7, 4), s7), [6, 5, 4, 3, 2, 1, 0]), 0);
});
