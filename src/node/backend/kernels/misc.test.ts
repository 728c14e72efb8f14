import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { assertSameOnBoth, nativeCalls, randn } from './test_util.js';
import { rng } from '../../../core/rng.js';

test('native Softmax matches cpu on the last axis (rel tol 1e-6)', async () => {
  for (const shape of [[10], [128, 10], [3, 4, 5], [300, 257]]) {
    const v = randn(shape, 5).map((x) => x * 10);
    await assertSameOnBoth(`softmax ${shape}`, () => tf.softmax(tf.tensor(v, shape)), 1e-6);
    await assertSameOnBoth(`softmax dim ${shape}`, () => tf.softmax(tf.tensor(v, shape), shape.length - 1), 1e-6);
  }
});

test('native GatherV2 matches cpu for float32/int32/bool over axes and index shapes (exact)', async () => {
  const r = rng(3);
  for (const [shape, axis, idxShape] of [
    [[1000, 784], 0, [128]], [[5, 7], 1, [4]], [[2, 3, 4], 1, [2, 2]], [[6], 0, [9]], [[4, 5], -1, []],
  ] as [number[], number, number[]][]) {
    const dim = shape[axis < 0 ? shape.length + axis : axis];
    const idx = Array.from({ length: idxShape.reduce((a, b) => a * b, 1) }, () => r.int(dim));
    const v = randn(shape, 9);
    for (const dtype of ['float32', 'int32', 'bool'] as const) {
      const vals = dtype === 'float32' ? v : v.map((x) => (dtype === 'bool' ? Number(x > 0) : Math.round(x * 10)));
      await assertSameOnBoth(`gather ${dtype} ${shape} axis ${axis}`, () => tf.gather(tf.tensor(vals, shape, dtype), tf.tensor(idx, idxShape, 'int32'), axis), 0);
    }
  }
  await tf.setBackend('native');
  assert.ok(await nativeCalls(() => void tf.tidy(() => tf.gather(tf.ones([10, 3]), [1, 2]).dataSync())) > 0);
  assert.throws(() => tf.gather(tf.ones([10, 3]), [1, 10]), /GatherV2: the index value 10 is not in \[0, 9\]/);
  assert.throws(() => tf.gather(tf.ones([10, 3], 'int32'), [-1]), /GatherV2: the index value -1 is not in \[0, 9\]/);
});

test('native Cast of int32/bool gives a real Float32Array; other casts match cpu', async () => {
  await tf.setBackend('native');
  for (const [vals, dtype] of [[[1, -2, 3, 2147483647], 'int32'], [[1, 0, 1], 'bool']] as [number[], 'int32' | 'bool'][]) {
    const t = tf.cast(tf.tensor(vals, [vals.length], dtype), 'float32');
    const be = tf.backend() as unknown as { data: { get(id: object): { values: unknown } } };
    assert.ok(be.data.get(t.dataId).values instanceof Float32Array, `${dtype} → float32 values`);
    assert.deepEqual([...t.dataSync()], [...Float32Array.from(vals)]);
    t.dispose();
  }
  await assertSameOnBoth('cast float→int32', () => tf.cast(tf.tensor([1.7, -2.7, 0.2, 3e9]), 'int32'), 0);
  await assertSameOnBoth('cast float→bool', () => tf.cast(tf.tensor([1.7, 0, NaN]), 'bool'), 0);
  await assertSameOnBoth('cast int→bool', () => tf.cast(tf.tensor([1, 0, 5], [3], 'int32'), 'bool'), 0);
});

test('native AddN matches cpu (rel tol 1e-6)', async () => {
  for (const shape of [[3], [128, 500]]) {
    await assertSameOnBoth(`addN ${shape}`, () => tf.addN([0, 1, 2].map((s) => tf.tensor(randn(shape, s), shape))), 1e-6);
  }
  await assertSameOnBoth('addN int32', () => tf.addN([tf.tensor([1, 2], [2], 'int32'), tf.tensor([3, 4], [2], 'int32')]), 0);
});
