import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { cachedColumnVariances, cachedCovariance, collectData, columnMeans, columnVariances, covariance, covarianceColumns, covarianceColumnsShared, dataMatrix } from './data_matrix.js';
import { covLoops } from './dictionaries/test_reference.js';
import { Rng } from './rng.js';

test('collectData flattens [b, ...] batches to rows × n_v, across tensors, iterables and async iterables', async () => {
  const t = tf.tensor3d(Array.from({ length: 24 }, (_, i) => i), [4, 2, 3]);
  const d = await collectData(t);
  assert.deepEqual([d.rows, d.cols], [4, 6]);
  assert.deepEqual(Array.from(d.values), Array.from({ length: 24 }, (_, i) => i));
  const batches = [0, 1, 2].map((k) => tf.fill([5, 2, 2], k));
  const it = await collectData(batches, { maxRows: 12 });
  assert.deepEqual([it.rows, it.cols], [12, 4]);
  assert.deepEqual(Array.from(it.values.subarray(40)), new Array(8).fill(2));
  let pulled = 0;
  async function* gen(): AsyncGenerator<tf.Tensor> {
    for (const b of batches) { pulled++; yield b; }
  }
  const a = await collectData(gen(), { maxRows: 5 });
  assert.deepEqual([a.rows, a.cols, pulled], [5, 4, 1]);
  const one = await collectData([tf.tensor1d([1, 2, 3])]);
  assert.deepEqual([one.rows, one.cols], [1, 3]);
  assert.ok(!t.isDisposed && !batches[0].isDisposed, 'inputs stay owned by the caller');
  tf.dispose([t, ...batches]);
});

test('collectData rejects non-finite values (row, column), mismatched widths, empty sources, bad maxRows', async () => {
  const good = tf.zeros([3, 4]);
  const bad = tf.tensor2d([[0, 1], [2, Infinity]]);
  await assert.rejects(collectData([tf.zeros([3, 2]), bad]), /collectData: expected finite data, got Infinity at row 4, column 1/);
  await assert.rejects(collectData([good, tf.zeros([2, 5])]), /collectData: expected every batch to flatten to 4 columns, got tensor of shape \[2, 5\]/);
  await assert.rejects(collectData([]), /collectData: expected at least one row of data, got none/);
  await assert.rejects(collectData(good, { maxRows: 0 }), /collectData: expected maxRows a positive integer, got 0/);
  tf.dispose([good, bad]);
});

test('column statistics match plain float64 loops (N−1 covariance, with and without f)', () => {
  const r = new Rng(2);
  const X = Array.from({ length: 30 }, () => Array.from({ length: 5 }, () => r.normal() + 1));
  const d = dataMatrix(30, 5, X.flat());
  for (const f of [undefined, (x: number) => x * x]) {
    const C = covLoops(X, f);
    const full = covariance(d, f);
    const cols = covarianceColumns(d, [4, 1], f);
    const v = columnVariances(d, f);
    for (let i = 0; i < 5; i++) {
      assert.ok(Math.abs(v[i] - C[i][i]) < 1e-5 * (1 + C[i][i]));
      for (let j = 0; j < 5; j++) assert.ok(Math.abs(full.data[i * 5 + j] - C[i][j]) < 1e-5);
      assert.ok(Math.abs(cols.data[i * 2] - C[i][4]) < 1e-5 && Math.abs(cols.data[i * 2 + 1] - C[i][1]) < 1e-5);
    }
  }
  const mu = columnMeans(d);
  assert.ok(Math.abs(mu[2] - X.reduce((s, row) => s + row[2], 0) / 30) < 1e-6);
  assert.throws(() => covariance(dataMatrix(1, 5, [1, 2, 3, 4, 5])), /covariance: expected at least 2 rows of data, got 1/);
});

test('cached covariance is computed once per DataMatrix and key; shared columns equal direct columns', () => {
  const r = new Rng(3);
  const d = dataMatrix(20, 6, Array.from({ length: 120 }, () => r.normal()));
  const a = cachedCovariance(d, 'x');
  assert.equal(cachedCovariance(d, 'x'), a, 'same object on the second call');
  assert.notEqual(cachedCovariance(d, 'x^2', (x) => x * x), a);
  const direct = covarianceColumns(d, [5, 0, 2]);
  const shared = covarianceColumnsShared(d, [5, 0, 2], 'x');
  assert.ok(direct.data.every((v, i) => Math.abs(v - shared.data[i]) < 1e-12));
});

test('cached column variances: computed once per DataMatrix and key, equal to columnVariances', () => {
  const r = new Rng(4);
  const d = dataMatrix(20, 6, Array.from({ length: 120 }, () => r.normal()));
  const sq = (x: number): number => x * x;
  const v = cachedColumnVariances(d, 'x');
  assert.equal(cachedColumnVariances(d, 'x'), v, 'same object on the second call');
  assert.deepEqual(v, columnVariances(d));
  assert.deepEqual(cachedColumnVariances(d, 'x^2', sq), columnVariances(d, sq));
  assert.notDeepEqual(cachedColumnVariances(d, 'x^2', sq), v);
});
