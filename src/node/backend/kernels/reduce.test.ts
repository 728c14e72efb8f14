import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { assertSameOnBoth, nativeCalls, randn } from './test_util.js';
import { reductionBlock } from './reduce.js';

const ops: [string, (x: tf.Tensor, axis: number | number[] | undefined, keepDims: boolean) => tf.Tensor][] = [
  ['sum', tf.sum], ['mean', tf.mean], ['max', tf.max], ['min', tf.min],
];
// Inner, outer, middle, all, several and non-contiguous axes (the last delegates).
const cases: [number[], number | number[] | undefined][] = [
  [[7], 0], [[3, 5], 1], [[3, 5], 0], [[3, 5], -1], [[128, 500], 0], [[128, 500], 1], [[64, 1000], [0, 1]], [[2, 3, 4], 1],
  [[2, 3, 4], [1, 2]], [[2, 3, 4], [0, 1]], [[2, 1, 4, 5], [1, 2]], [[2, 3, 4], undefined], [[4, 3, 1], 0], [[2, 3, 4], [0, 2]],
  [[3, 4], []],
];

test('native Sum/Mean/Max/Min match cpu over axes and keepDims (rel tol 1e-5; NaN propagates)', async () => {
  for (const [shape, axis] of cases) {
    for (const nan of [false, true]) {
      const v = randn(shape, 11);
      if (nan) v[v.length - 1] = NaN;
      for (const keepDims of [false, true]) {
        for (const [name, op] of ops) {
          await assertSameOnBoth(`${name} ${JSON.stringify(shape)} axis ${JSON.stringify(axis)} keep ${keepDims} nan ${nan}`,
            () => op(tf.tensor(v, shape), axis, keepDims), 1e-5);
        }
      }
    }
  }
});

test('reductions run natively over one block of axes, delegate int32 and split axes', async () => {
  await tf.setBackend('native');
  assert.ok(await nativeCalls(() => void tf.tidy(() => tf.sum(tf.ones([128, 500]), 0).dataSync())) > 0);
  assert.equal(await nativeCalls(() => void tf.tidy(() => tf.sum(tf.ones([2, 3, 4]), [0, 2]).dataSync())), 0);
  assert.equal(await nativeCalls(() => void tf.tidy(() => tf.max(tf.ones([3, 4], 'int32'), 1).dataSync())), 0);
  await assertSameOnBoth('sum int32', () => tf.sum(tf.tensor([[1, 2], [3, 4]], [2, 2], 'int32'), 0), 0);
  assert.deepEqual(reductionBlock([2, 3, 4], [1]), [2, 3, 4]);
  assert.deepEqual(reductionBlock([2, 1, 4, 5], [1, 2]), [2, 4, 5]);
  assert.equal(reductionBlock([2, 3, 4], [0, 2]), null);
});
