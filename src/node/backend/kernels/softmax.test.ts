import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { assertSameOnBoth, nativeCalls, randn } from './test_util.js';

// |native − cpu| ≤ 1e-6·(1 + |cpu|): both compute exp(x − max) / Σ; exp differs by ≤ 2 ulp.
const RTOL = 1e-6;

test('native Softmax matches cpu on short rows (blocks of 256 rows: 128×10, 300×10, 513×7, 10000×10) and long rows, n around the switch at 16', async () => {
  for (const shape of [[128, 10], [300, 10], [513, 7], [10000, 10], [1, 1], [5, 1], [64, 15], [64, 16], [64, 17], [2, 3, 10], [40, 257], [3, 1000]]) {
    const v = randn(shape, shape[0] + shape[shape.length - 1]).map((x) => x * 8);
    await assertSameOnBoth(`softmax ${shape}`, () => tf.softmax(tf.tensor(v, shape)), RTOL);
  }
});

test('native Softmax keeps NaN, ±Infinity, huge and tiny logits as cpu does, in short and long rows', async () => {
  const rows = [
    [NaN, 1, 2], [Infinity, 0, 1], [-Infinity, 0, 1], [-Infinity, -Infinity, -Infinity], [Infinity, Infinity, 0],
    [1e30, -1e30, 0], [-0, 0, -0], [88, 89, -104], [-200, -201, -300], [3.4e38, 3.4e38, -3.4e38],
  ];
  for (const n of [3, 40]) {
    // Each special row padded with ordinary values to n columns, between ordinary rows.
    const v = rows.flatMap((r, i) => [...Array.from({ length: n }, (_, c) => Math.sin(i + c)), ...r, ...Array.from({ length: n - 3 }, (_, c) => Math.cos(c))]);
    const shape = [rows.length * 2, n];
    await assertSameOnBoth(`softmax specials n=${n}`, () => tf.softmax(tf.tensor(v, shape)), RTOL);
  }
});

test('native Softmax rows sum to 1 and it runs natively on float32 last-axis input', async () => {
  await tf.setBackend('native');
  const v = randn([128, 10], 3);
  const out = tf.tidy(() => tf.softmax(tf.tensor(v, [128, 10])).dataSync());
  for (let r = 0; r < 128; r++) {
    let s = 0;
    for (let c = 0; c < 10; c++) s += out[r * 10 + c];
    assert.ok(Math.abs(s - 1) < 1e-6, `row ${r} sums to ${s}`);
  }
  assert.ok(await nativeCalls(() => void tf.tidy(() => tf.softmax(tf.ones([128, 10])).dataSync())) > 0);
});
