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
