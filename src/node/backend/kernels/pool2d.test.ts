import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { assertSameOnBoth, nativeCalls, randn } from './test_util.js';

// |native − cpu| ≤ 1e-5·(1 + |cpu|) (max pooling is exact; averages sum ≤ 9 terms).
const RTOL = 1e-5;
type Pad = 'valid' | 'same' | number;
// [batch, height, width, channels]
const shapes = [[1, 6, 6, 1], [3, 7, 5, 3], [2, 9, 8, 17]];
const windows: [number, number][] = [[2, 2], [3, 3], [2, 1], [3, 2], [1, 1]]; // [filter, stride]
const pads: Pad[] = ['valid', 'same', 1];

function pool(kernel: string, x: tf.Tensor, filter: number, stride: number, pad: Pad, rounding?: 'floor' | 'ceil'): tf.Tensor {
  return tf.engine().runKernel(kernel, { x }, { filterSize: [filter, filter], strides: [stride, stride], pad, dimRoundingMode: rounding } as unknown as tf.NamedAttrMap) as tf.Tensor;
}

test('native MaxPool and AvgPool match cpu over shapes, windows, strides, paddings valid/same/number (floor/ceil)', async () => {
  for (const s of shapes) {
    const xv = randn(s, 1);
    for (const [f, st] of windows) for (const pad of pads) for (const rounding of typeof pad === 'number' ? (['floor', 'ceil'] as const) : [undefined]) {
      if (typeof pad === 'number' && pad >= f) continue; // TF.js requires pad < filter
      for (const k of [tf.MaxPool, tf.AvgPool]) {
        await assertSameOnBoth(`${k} ${s} f${f} s${st} ${pad} ${rounding ?? ''}`, () => pool(k, tf.tensor(xv, s), f, st, pad, rounding), RTOL);
      }
    }
  }
});

test('MaxPoolGrad and AvgPoolGrad (tf.grads) match cpu, including AvgPoolGrad dividing by the whole window as TF.js does', async () => {
  for (const s of shapes) {
    const xv = randn(s, 2);
    for (const [f, st] of windows) for (const pad of ['valid', 'same'] as const) {
      const gm = tf.grad((x: tf.Tensor) => tf.maxPool(x as tf.Tensor4D, f, st, pad).square().sum());
      const ga = tf.grad((x: tf.Tensor) => tf.avgPool(x as tf.Tensor4D, f, st, pad).square().sum());
      await assertSameOnBoth(`grad max ${s} f${f} s${st} ${pad}`, () => gm(tf.tensor(xv, s)), RTOL);
      await assertSameOnBoth(`grad avg ${s} f${f} s${st} ${pad}`, () => ga(tf.tensor(xv, s)), RTOL);
    }
  }
});

test('pooling runs natively on float32 and delegates int32 to cpu', async () => {
  await assertSameOnBoth('int32 maxPool', () => pool(tf.MaxPool, tf.tensor([1, 5, 2, 8, 3, 4, 7, 6, 9], [1, 3, 3, 1], 'int32'), 2, 1, 'valid'), 0);
  await tf.setBackend('native');
  assert.equal(await nativeCalls(() => void tf.tidy(() => pool(tf.MaxPool, tf.ones([1, 3, 3, 1], 'int32'), 2, 1, 'valid').dataSync())), 0);
  assert.ok(await nativeCalls(() => void tf.tidy(() => pool(tf.AvgPool, tf.ones([1, 3, 3, 1]), 2, 1, 'valid').dataSync())) > 0);
});

test('pooling windows that hold padding only, and TF.js\'s 1×1 identity case, match cpu (forward and gradient)', async () => {
  // tfjs-core's spec "pool max x=[2,2,3] f=[1,1] s=2 p=1 fractional outputs default rounding": TF.js returns x itself.
  const x12 = Float32Array.from({ length: 12 }, (_, i) => i + 1);
  for (const k of [tf.MaxPool, tf.AvgPool]) {
    await assertSameOnBoth(`${k} f1 s2 p1 identity`, () => pool(k, tf.tensor(x12, [1, 2, 2, 3]), 1, 2, 1), 0);
  }
  const s = [2, 5, 4, 3];
  const xv = randn(s, 3);
  for (const f of [1, 2, 3]) for (const st of [1, 2, 3]) for (const pad of [1, 2, 3]) for (const rounding of ['floor', 'ceil'] as const) {
    for (const k of [tf.MaxPool, tf.AvgPool]) {
      await assertSameOnBoth(`${k} f${f} s${st} p${pad} ${rounding}`, () => pool(k, tf.tensor(xv, s), f, st, pad, rounding), RTOL);
    }
    const op = (fn: typeof tf.maxPool) => tf.grad((x: tf.Tensor) => fn(x as tf.Tensor4D, f, st, pad, rounding).square().sum());
    await assertSameOnBoth(`grad max f${f} s${st} p${pad} ${rounding}`, () => op(tf.maxPool)(tf.tensor(xv, s)), RTOL);
    await assertSameOnBoth(`grad avg f${f} s${st} p${pad} ${rounding}`, () => op(tf.avgPool)(tf.tensor(xv, s)), RTOL);
  }
});

test('max pooling over NaN, ±Infinity, −FLT_MAX and ties matches cpu: NaN skipped, −Infinity for windows without a number, first maximum gets the gradient', async () => {
  const special = [NaN, -Infinity, Infinity, -3.4028234663852886e38, 0, 0, 1, -1];
  const s = [2, 6, 6, 2];
  const n = s.reduce((a, b) => a * b, 1);
  // Seeded mixes: mostly ties (0), with NaN/∓Inf runs so that whole windows hold no number.
  for (const seed of [1, 2, 3]) {
    const u = randn([n], 20 + seed);
    const xv = Float32Array.from(u, (v, i) => (i % 7 < 3 ? special[(i * (seed + 2)) % special.length] : Math.max(0, Math.round(v))));
    for (const [f, st] of [[2, 2], [3, 1], [2, 1]]) {
      await assertSameOnBoth(`max specials seed ${seed} f${f} s${st}`, () => pool(tf.MaxPool, tf.tensor(xv, s), f, st, 'valid'), 0);
      const g = tf.grad((x: tf.Tensor) => tf.maxPool(x as tf.Tensor4D, f, st, 'same').sum());
      await assertSameOnBoth(`grad max specials seed ${seed} f${f} s${st}`, () => g(tf.tensor(xv, s)), 0);
    }
  }
  // Ties only (relu outputs): no fallback needed, same routing of the gradient.
  const ties = Float32Array.from(randn([n], 30), (v) => Math.max(0, Math.round(v)));
  const g = tf.grad((x: tf.Tensor) => tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid').sum());
  await assertSameOnBoth('grad max ties', () => g(tf.tensor(ties, s)), 0);
  await tf.setBackend('native');
  assert.ok(await nativeCalls(() => void tf.tidy(() => g(tf.tensor(ties, s)).dataSync())) > 0, 'ties stay native');
  // The gradient kernel follows the cpu kernel's routing itself, so windows without a number stay native too.
  const withNaN = Float32Array.from(ties, (v, i) => (i % 5 === 0 ? NaN : i % 5 === 1 ? -Infinity : v));
  const gradKernel = () => void tf.tidy(() => {
    const x = tf.tensor(withNaN, s);
    const attrs = { filterSize: [2, 2], strides: [2, 2], pad: 'valid' } as unknown as tf.NamedAttrMap;
    (tf.engine().runKernel(tf.MaxPoolGrad, { dy: tf.ones([2, 3, 3, 2]), input: x, output: tf.zeros([2, 3, 3, 2]) }, attrs) as tf.Tensor).dataSync();
  });
  assert.equal(await nativeCalls(gradKernel), 1, 'MaxPoolGrad over NaN/−Infinity windows runs natively');
});
