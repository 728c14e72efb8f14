import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { assertSameOnBoth, nativeCalls, randn } from './test_util.js';
import { broadcastGeometry } from './broadcast.js';

const ops: [string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor][] = [
  ['add', tf.add], ['sub', tf.sub], ['mul', tf.mul], ['div', tf.div], ['maximum', tf.maximum], ['minimum', tf.minimum],
  ['squaredDifference', tf.squaredDifference],
  ['equal', tf.equal], ['notEqual', tf.notEqual], ['less', tf.less], ['lessEqual', tf.lessEqual], ['greater', tf.greater],
  ['greaterEqual', tf.greaterEqual],
];
// Same shape, scalars, trailing, leading-1, column, two-sided and large (parallel) broadcasts.
const shapes: [number[], number[]][] = [
  [[3, 4], [3, 4]], [[], [2, 3]], [[2, 3], []], [[4, 5, 6], [6]], [[4, 5, 6], [5, 6]], [[4, 1, 6], [5, 1]],
  [[7, 3], [7, 1]], [[1, 3], [4, 1]], [[2, 3, 4, 5], [3, 1, 5]], [[128, 500], [500]], [[300, 300], [300, 300]],
  [[64, 1], [64, 1000]], [[], []], [[1, 1], [1]],
];

/** Values with ties (so comparisons see equal pairs) and a NaN when asked. */
function values(shape: number[], seed: number, nan: boolean): Float32Array {
  const v = randn(shape, seed).map((x) => Math.round(x * 4) / 4 + (x > 1.5 ? 0.5 : 0));
  if (nan && v.length > 2) v[1] = NaN;
  return v;
}

test('native binary and comparison kernels match cpu over broadcasts (rel tol 1e-6, NaN kept)', async () => {
  for (const [sa, sb] of shapes) {
    for (const nan of [false, true]) {
      const av = values(sa, 1, nan), bv = values(sb, 2, false);
      for (const [name, op] of ops) {
        await assertSameOnBoth(`${name} ${JSON.stringify(sa)} ${JSON.stringify(sb)}`, () => op(tf.tensor(av, sa), tf.tensor(bv, sb)), 1e-6);
      }
    }
  }
});

test('binary kernels run natively on float32 and delegate int32 and >4-d broadcasts', async () => {
  await tf.setBackend('native');
  assert.ok(await nativeCalls(() => void tf.tidy(() => tf.add(tf.ones([128, 500]), tf.ones([500])).dataSync())) > 0);
  assert.equal(await nativeCalls(() => void tf.tidy(() => tf.add(tf.ones([3], 'int32'), tf.ones([3], 'int32')).dataSync())), 0);
  const a = [2, 1, 3, 1, 5, 1], b = [1, 4, 1, 6, 1, 7];
  assert.equal(await nativeCalls(() => void tf.tidy(() => tf.add(tf.ones(a), tf.ones(b)).dataSync())), 0);
  await assertSameOnBoth('add 6-d two-sided', () => tf.add(tf.tensor(randn(a, 3), a), tf.tensor(randn(b, 4), b)));
  await assertSameOnBoth('add int32', () => tf.add(tf.tensor([1, 2, 3], [3], 'int32'), tf.tensor([4], [1], 'int32')), 0);
});

test('broadcastGeometry merges affine dims and marks repeats with stride 0', () => {
  const geo = new Int32Array(12);
  assert.ok(broadcastGeometry([128, 500], [500], [128, 500], geo));
  assert.deepEqual([...geo], [1, 1, 128, 500, 0, 0, 500, 1, 0, 0, 0, 1]);
  assert.ok(broadcastGeometry([2, 3, 4], [2, 3, 4], [2, 3, 4], geo));
  assert.deepEqual([...geo], [1, 1, 1, 24, 0, 0, 0, 1, 0, 0, 0, 1]);
  assert.ok(broadcastGeometry([7, 1], [7, 3], [7, 3], geo));
  assert.deepEqual([...geo], [1, 1, 7, 3, 0, 0, 1, 0, 0, 0, 3, 1]);
  assert.equal(broadcastGeometry([2, 1, 3, 1, 5, 1], [1, 4, 1, 6, 1, 7], [2, 4, 3, 6, 5, 7], geo), false);
});
