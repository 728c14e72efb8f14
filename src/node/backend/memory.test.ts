import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { registerNativeBackend } from './register.js';
import type { NativeBackend } from './native_backend.js';
import { BufferPool } from './pool.js';
import { rng } from '../../core/rng.js';
import { dense } from '../../core/layers/dense.js';
import { softmaxCrossEntropy } from '../../core/train/losses.js';

async function nativeBackend(): Promise<NativeBackend> {
  assert.ok(registerNativeBackend(), 'native addon must be built (npm run build:native)');
  await tf.setBackend('native');
  return tf.backend() as NativeBackend;
}

test('200 training steps of a small conv+dense model keep tf.memory().numTensors and the pool size constant', async () => {
  const be = await nativeBackend();
  const r = rng(7);
  const x = tf.tensor(r.fork('x').normals(16 * 12 * 12 * 3), [16, 12, 12, 3]);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: 16 }, (_, i) => i % 10), 'int32'), 10);
  const model = tf.sequential({ layers: [
    tf.layers.conv2d({ inputShape: [12, 12, 3], filters: 6, kernelSize: 3, activation: 'relu', kernelInitializer: tf.initializers.glorotNormal({ seed: 1 }) }),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.glorotNormal({ seed: 2 }) }),
    tf.layers.flatten(),
    tf.layers.dense({ units: 20, activation: 'relu', kernelInitializer: tf.initializers.glorotNormal({ seed: 3 }) }),
    tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tf.initializers.glorotNormal({ seed: 4 }) }),
  ] });
  model.compile({ optimizer: tf.train.momentum(0.05, 0.9), loss: 'categoricalCrossentropy' });
  let first = 0, last = 0;
  let ref: { numTensors: number; pool: { arrays: number; bytes: number } } | undefined;
  for (let step = 0; step < 200; step++) {
    const loss = (await model.trainOnBatch(x, y)) as number;
    if (step === 0) first = loss;
    last = loss;
    const now = { numTensors: tf.memory().numTensors, pool: be.pool.stats() };
    if (step === 10) ref = now;
    if (ref) assert.deepEqual(now, ref, `step ${step}: memory changed`);
  }
  assert.ok(ref && ref.pool.arrays > 0, 'the pool must be in use');
  assert.ok(last < first, `training must make progress (loss ${first} → ${last})`);
  model.dispose();
  tf.dispose([x, y]);
});

test('200 steps with parampred\'s Dense and fused softmax cross-entropy (SGD, then Adam) keep numTensors and the pool size constant', async () => {
  const be = await nativeBackend();
  const r = rng(8);
  const x = tf.tensor(r.fork('x').normals(32 * 24), [32, 24]);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: 32 }, (_, i) => i % 10), 'int32'), 10).asType('float32');
  for (const opt of [tf.train.sgd(0.05), tf.train.adam(1e-2)]) {
    const model = tf.sequential({ layers: [
      dense({ inputShape: [24], units: 16, activation: 'relu', kernelInitializer: tf.initializers.glorotNormal({ seed: 5 }) }),
      dense({ units: 16, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotNormal({ seed: 6 }) }),
      dense({ units: 10, kernelInitializer: tf.initializers.glorotNormal({ seed: 7 }) }),
    ] });
    let first = 0, last = 0;
    let ref: { numTensors: number; pool: { arrays: number; bytes: number } } | undefined;
    for (let step = 0; step < 200; step++) {
      const loss = opt.minimize(() => softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor), true)!;
      const v = loss.dataSync()[0];
      loss.dispose();
      if (step === 0) first = v;
      last = v;
      const now = { numTensors: tf.memory().numTensors, pool: be.pool.stats() };
      if (step === 10) ref = now;
      if (ref) assert.deepEqual(now, ref, `step ${step}: memory changed`);
    }
    assert.ok(last < first, `training must make progress (loss ${first} → ${last})`);
    opt.dispose();
    model.dispose();
  }
  tf.dispose([x, y]);
});

test('values handed out by dataSync() are never overwritten by later ops (pool aliasing)', async () => {
  await nativeBackend();
  const r = rng(8);
  const av = r.fork('a').normals(6 * 5), bv = r.fork('b').normals(5 * 4);
  const a = tf.tensor(av, [6, 5]), b = tf.tensor(bv, [5, 4]);
  const c = tf.matMul(a, b);
  const held = c.dataSync();
  const copy = held.slice();
  c.dispose();
  // Same-size outputs again and again: a reused buffer would overwrite `held`.
  for (let i = 0; i < 20; i++) tf.tidy(() => tf.matMul(tf.mul(a, i + 1), b).dataSync());
  assert.deepEqual(held, copy);
  tf.dispose([a, b]);
});

test('a slice that views a pooled buffer keeps its values after the source is disposed', async () => {
  await nativeBackend();
  const a = tf.tensor(rng(9).normals(8 * 6), [8, 6]), b = tf.eye(6);
  const src = tf.matMul(a, b); // pooled output
  const view = tf.slice(src, [2, 0], [3, 6]); // cpu Slice returns a subarray of src's values
  const expected = tf.slice(a, [2, 0], [3, 6]).dataSync().slice();
  src.dispose();
  for (let i = 0; i < 10; i++) tf.tidy(() => tf.matMul(tf.mul(a, -1), b)); // same size as src
  assert.deepEqual(view.dataSync(), expected);
  tf.dispose([a, b, view]);
});

test('many live pooled tensors disposed in random order never share memory', async () => {
  await nativeBackend();
  const r = rng(10);
  const b = tf.eye(4);
  const live: { t: tf.Tensor; v: number }[] = [];
  for (let i = 0; i < 300; i++) {
    if (live.length > 0 && r.uniform() < 0.45) live.splice(r.int(live.length), 1)[0].t.dispose();
    const v = i + 1;
    live.push({ t: tf.tidy(() => tf.matMul(tf.fill([3, 4], v), b)), v });
  }
  for (const { t, v } of live) assert.ok(Array.from(t.dataSync()).every((x) => x === v), `tensor ${v} was overwritten`);
  tf.dispose([b, ...live.map((l) => l.t)]);
});

test('BufferPool: reuses a released array, never one claimed twice or viewed', () => {
  const pool = new BufferPool();
  const a = pool.acquire(8);
  pool.claim(a);
  pool.release(a);
  assert.equal(pool.stats().arrays, 1);
  assert.equal(pool.acquire(8), a, 'a released array is reused');
  pool.claim(a);
  pool.claim(a); // a second tensor holds it
  pool.release(a);
  assert.equal(pool.stats().arrays, 0, 'a doubly held array is never reused');
  const b = pool.acquire(8);
  pool.claim(b);
  pool.claim(b.subarray(2, 4)); // a view
  pool.release(b);
  assert.equal(pool.stats().arrays, 0, 'a viewed array is never reused');
  const c = pool.acquire(4);
  pool.disown(c);
  pool.release(c);
  assert.equal(pool.stats().arrays, 0, 'a disowned array is never reused');
});

test('native kernels write every element of a reused output buffer (pool pre-filled with NaN arrays)', async () => {
  const be = await nativeBackend();
  const r = rng(11);
  const x = tf.tensor(r.fork('x').normals(2 * 7 * 7 * 3), [2, 7, 7, 3]);
  const w1 = tf.tensor(r.fork('w').normals(3 * 4), [1, 1, 3, 4]);
  const dw = tf.tensor(r.fork('d').normals(3 * 2), [1, 1, 3, 2]);
  const cases: [string, () => tf.Tensor][] = [
    // Strides larger than the window leave input positions that no output touches.
    ['conv grads, 1×1 stride 2', () => tf.concat(tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'valid').sum())([x, w1]).map((t) => t.flatten()))],
    ['depthwise grads, 1×1 stride 2', () => tf.concat(tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'valid').sum())([x, dw]).map((t) => t.flatten()))],
    ['maxPool grad, 2×2 stride 3', () => tf.grad((a: tf.Tensor) => tf.maxPool(a as tf.Tensor4D, 2, 3, 'valid').sum())(x)],
    ['avgPool grad, 2×2 stride 3', () => tf.grad((a: tf.Tensor) => tf.avgPool(a as tf.Tensor4D, 2, 3, 'valid').sum())(x)],
    ['conv forward', () => tf.conv2d(x as tf.Tensor4D, w1 as tf.Tensor4D, 1, 'same')],
  ];
  for (const [label, f] of cases) {
    await tf.setBackend('cpu');
    const ref = tf.tidy(() => f().dataSync().slice());
    await tf.setBackend('native');
    for (const size of [x.size, w1.size, dw.size, 2 * 7 * 7 * 4, 2 * 4 * 4 * 4, 2 * 4 * 4 * 6]) {
      const poisoned = [0, 1, 2, 3].map(() => be.pool.acquire(size).fill(NaN));
      for (const a of poisoned) be.pool.release(a);
    }
    const got = tf.tidy(() => f().dataSync().slice());
    assert.equal(got.length, ref.length, label);
    for (let i = 0; i < ref.length; i++) assert.ok(Math.abs(got[i] - ref[i]) <= 1e-5 * (1 + Math.abs(ref[i])), `${label} @${i}: ${got[i]} vs ${ref[i]}`);
  }
  tf.dispose([x, w1, dw]);
});
