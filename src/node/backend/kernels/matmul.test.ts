import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { assertSameOnBoth, nativeCalls, randn } from './test_util.js';

// |native − cpu| ≤ 1e-4·(1 + |cpu|) throughout (inner dimensions ≤ 64).
const RTOL = 1e-4;
// [a batch dims, b batch dims]: same, one side 1 or missing, rank 4. (The cpu kernel mishandles two-sided
// broadcasts such as [2, 1] with [1, 3]; those are checked against explicit tiling below.)
const batches: [number[], number[]][] = [[[], []], [[3], [3]], [[1], [4]], [[4], []], [[], [2]], [[2, 3], [3]], [[2, 3], [1, 1]], [[2, 3], [2, 3]]];

test('native BatchMatMul matches cpu over transposes and batch broadcasting', async () => {
  const m = 5, k = 7, n = 3;
  for (const [ba, bb] of batches) for (const tA of [false, true]) for (const tB of [false, true]) {
    const sa = [...ba, ...(tA ? [k, m] : [m, k])], sb = [...bb, ...(tB ? [n, k] : [k, n])];
    const av = randn(sa, 1), bv = randn(sb, 2);
    await assertSameOnBoth(`matmul ${sa} ${sb} ${tA} ${tB}`, () => tf.matMul(tf.tensor(av, sa), tf.tensor(bv, sb), tA, tB), RTOL);
  }
  // Two-sided broadcasts: reference = cpu matMul of the operands tiled to the full batch shape.
  for (const [sa, sb] of [[[2, 1, 5, 7], [1, 3, 7, 3]], [[3, 1, 2, 5, 7], [4, 1, 7, 3]]]) {
    const av = randn(sa, 3), bv = randn(sb, 4);
    const outer = tf.broadcast_util.assertAndGetBroadcastShape(sa.slice(0, -2), sb.slice(0, -2));
    const tile = (s: number[]) => [...outer.map((d, i) => d / ([...new Array(outer.length + 2 - s.length).fill(1), ...s][i])), 1, 1];
    const full = (v: Float32Array, s: number[]) => tf.tile(tf.tensor(v, [...new Array(outer.length + 2 - s.length).fill(1), ...s]), tile(s));
    await tf.setBackend('cpu');
    const ref = tf.tidy(() => tf.matMul(full(av, sa), full(bv, sb)).dataSync().slice());
    await tf.setBackend('native');
    const got = tf.tidy(() => tf.matMul(tf.tensor(av, sa), tf.tensor(bv, sb)).dataSync().slice());
    assert.equal(got.length, ref.length);
    for (let i = 0; i < ref.length; i++) assert.ok(Math.abs(got[i] - ref[i]) <= RTOL * (1 + Math.abs(ref[i])), `two-sided ${sa} ${sb} @${i}`);
  }
  const big = [64, 64];
  await assertSameOnBoth('matmul 64×64', () => tf.matMul(tf.tensor(randn(big, 3), big), tf.tensor(randn(big, 4), big)), RTOL);
  // Sizes off the primitive's register blocks, above the single-thread threshold (2·m·n·k ≥ 16e6).
  for (const tA of [false, true]) for (const tB of [false, true]) {
    const [m2, k2, n2] = [261, 130, 250];
    const sa = tA ? [k2, m2] : [m2, k2], sb = tB ? [n2, k2] : [k2, n2];
    await assertSameOnBoth(`matmul ${sa} ${sb} ${tA} ${tB}`, () => tf.matMul(tf.tensor(randn(sa, 5), sa), tf.tensor(randn(sb, 6), sb), tA, tB), 1e-3);
  }
});

test('matMul gradients (tf.grads) match cpu, with batches and transposes', async () => {
  for (const [sa, sb, tA, tB] of [[[5, 7], [7, 3], false, false], [[2, 7, 5], [2, 3, 7], true, true], [[4, 5, 7], [4, 3, 7], false, true]] as [number[], number[], boolean, boolean][]) {
    const av = randn(sa, 5), bv = randn(sb, 6);
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.matMul(a, b, tA, tB).square().sum());
    await assertSameOnBoth(`grad matmul ${sa} ${sb}`, () => g([tf.tensor(av, sa), tf.tensor(bv, sb)]), RTOL);
  }
});

test('native _FusedMatMul matches cpu for every activation and bias form; unusual bias delegates and matches', async () => {
  const av = randn([2, 6, 5], 7), bv = randn([5, 4], 8), biasv = randn([4], 9), pv = randn([4], 10), full = randn([6, 4], 11);
  const acts = ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu', 'prelu'] as const;
  for (const activation of acts) for (const bias of ['none', 'vector', 'scalar', 'full'] as const) {
    await assertSameOnBoth(`fused matmul ${activation} ${bias}`, () => tf.fused.matMul({
      a: tf.tensor(av, [2, 6, 5]), b: tf.tensor(bv, [5, 4]), activation, leakyreluAlpha: 0.15,
      bias: bias === 'none' ? undefined : bias === 'vector' ? tf.tensor(biasv) : bias === 'scalar' ? tf.scalar(-0.2) : tf.tensor(full, [6, 4]),
      preluActivationWeights: activation === 'prelu' ? tf.tensor(pv) : undefined,
    }), RTOL);
  }
  // 2-D products run the epilogue as oneDNN post-ops: the same activations on a larger, odd shape.
  const [m2, k2, n2] = [129, 67, 45];
  const a2 = randn([m2, k2], 12), b2 = randn([n2, k2], 13), bias2 = randn([n2], 14);
  for (const activation of acts) {
    await assertSameOnBoth(`fused matmul 2-D ${activation}`, () => tf.fused.matMul({
      a: tf.tensor(a2, [m2, k2]), b: tf.tensor(b2, [n2, k2]), transposeB: true, activation, leakyreluAlpha: 0.15,
      bias: tf.tensor(bias2), preluActivationWeights: activation === 'prelu' ? tf.tensor(randn([n2], 15)) : undefined,
    }), RTOL);
  }
  const g = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.fused.matMul({ a, b, bias: c, activation: 'relu' }).square().sum());
  await assertSameOnBoth('fused matmul grads', () => g([tf.tensor(av, [12, 5]), tf.tensor(bv, [5, 4]), tf.tensor(biasv)]), RTOL);
});

test('int32 matMul delegates to cpu and matches exactly', async () => {
  const ints = () => tf.matMul(tf.tensor([[1, 2], [3, 4]], undefined, 'int32'), tf.tensor([[5, 6], [7, 8]], undefined, 'int32'));
  await assertSameOnBoth('int32', ints, 0);
  await tf.setBackend('native');
  assert.equal(await nativeCalls(() => void tf.tidy(() => ints().dataSync())), 0);
});

test('native _FusedMatMul keeps NaN and ±Inf through every activation as cpu does (oneDNN relu/clip would map NaN to 0)', async () => {
  // column 0 feeds NaN, ±Inf and signed zeros straight through; column 1 makes Inf − Inf = NaN in the sum
  const special = [NaN, Infinity, -Infinity, -0, 0, -2, 3, 7];
  const a = special.flatMap((v) => [v, 1]), b = [1, Infinity, 0, -Infinity];
  for (const activation of ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu'] as const) {
    await assertSameOnBoth(`fused matmul specials ${activation}`, () => tf.fused.matMul({
      a: tf.tensor(a, [8, 2]), b: tf.tensor(b, [2, 2]), bias: tf.tensor([0.5, 0]), activation, leakyreluAlpha: 0.2,
    }), RTOL);
  }
});
