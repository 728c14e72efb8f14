import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { assertSameOnBoth, nativeCalls, randn } from './test_util.js';

// Tolerance for every comparison here: |native − cpu| ≤ 1e-4·(1 + |cpu|) (float32 sums of ≤ a few hundred terms).
const RTOL = 1e-4;
type Pad = 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];
const pads: Pad[] = ['valid', 'same', 1, [[0, 0], [1, 2], [2, 0], [0, 0]]];
// [batch, height, width, inChannels, filterH, filterW, outChannels]
const shapes = [[1, 7, 7, 1, 3, 3, 2], [3, 9, 8, 3, 3, 2, 4], [2, 6, 5, 5, 1, 1, 3], [1, 8, 8, 2, 4, 4, 1]];

function conv(x: tf.Tensor, w: tf.Tensor, strides: number, pad: Pad, dil: number, rounding?: 'floor' | 'ceil' | 'round'): tf.Tensor {
  return tf.engine().runKernel(tf.Conv2D, { x, filter: w }, {
    strides: [strides, strides], pad, dataFormat: 'NHWC', dilations: [dil, dil], dimRoundingMode: rounding,
  } as unknown as tf.NamedAttrMap) as tf.Tensor;
}

test('native Conv2D matches cpu over shapes, strides 1/2, padding valid/same/number/explicit, dilations 1/2, rounding', async () => {
  for (const [n, h, w, c, fh, fw, oc] of shapes) {
    const xv = randn([n, h, w, c], 1), wv = randn([fh, fw, c, oc], 2);
    for (const strides of [1, 2]) for (const pad of pads) for (const dil of [1, 2]) {
      const rounding = typeof pad === 'number' ? (['floor', 'ceil'] as const)[(strides + dil) % 2] : undefined;
      const label = `conv ${[n, h, w, c, fh, fw, oc]} s${strides} ${JSON.stringify(pad)} d${dil} ${rounding ?? ''}`;
      await assertSameOnBoth(label, () => conv(tf.tensor(xv, [n, h, w, c]), tf.tensor(wv, [fh, fw, c, oc]), strides, pad, dil, rounding), RTOL);
    }
  }
});

test('Conv2D gradients (tf.grads: Conv2DBackpropInput and Conv2DBackpropFilter) match cpu', async () => {
  for (const [n, h, w, c, fh, fw, oc] of shapes) {
    const xv = randn([n, h, w, c], 3), wv = randn([fh, fw, c, oc], 4);
    for (const strides of [1, 2]) for (const pad of pads) {
      const g = tf.grads((x: tf.Tensor, f: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, strides, pad).square().sum());
      await assertSameOnBoth(`grad conv ${[n, h, w, c, fh, fw, oc]} s${strides} ${JSON.stringify(pad)}`,
        () => g([tf.tensor(xv, [n, h, w, c]), tf.tensor(wv, [fh, fw, c, oc])]), RTOL);
    }
  }
});

test('native FusedConv2D matches cpu for every activation, per-channel/scalar bias and PReLU weights', async () => {
  const xv = randn([2, 7, 6, 3], 5), wv = randn([3, 3, 3, 4], 6), bv = randn([4], 7), av = randn([4], 8);
  const acts = ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu', 'prelu'] as const;
  for (const activation of acts) for (const bias of ['none', 'vector', 'scalar'] as const) for (const strides of [1, 2]) {
    await assertSameOnBoth(`fused ${activation} ${bias} s${strides}`, () => tf.fused.conv2d({
      x: tf.tensor(xv, [2, 7, 6, 3]) as tf.Tensor4D, filter: tf.tensor(wv, [3, 3, 3, 4]) as tf.Tensor4D, strides, pad: 'same',
      bias: bias === 'none' ? undefined : bias === 'vector' ? tf.tensor(bv) : tf.scalar(0.3),
      activation, preluActivationWeights: activation === 'prelu' ? tf.tensor(av) : undefined, leakyreluAlpha: 0.3,
    }), RTOL);
  }
  // Gradient of the fused op (through the native forward and backprop kernels).
  const g = tf.grads((x: tf.Tensor, f: tf.Tensor, b: tf.Tensor) => tf.fused.conv2d({
    x: x as tf.Tensor4D, filter: f as tf.Tensor4D, strides: 1, pad: 'valid', bias: b, activation: 'relu',
  }).square().sum());
  await assertSameOnBoth('fused grad', () => g([tf.tensor(xv, [2, 7, 6, 3]), tf.tensor(wv, [3, 3, 3, 4]), tf.tensor(bv)]), RTOL);
});

test('native FusedConv2D keeps NaN and ±Inf through every activation as cpu does', async () => {
  const special = [NaN, Infinity, -Infinity, -0, 0, -2, 3, 7];
  for (const activation of ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu'] as const) {
    await assertSameOnBoth(`fused conv specials ${activation}`, () => tf.fused.conv2d({
      x: tf.tensor(special.flatMap((v) => [v, 1]), [1, 8, 1, 2]) as tf.Tensor4D, filter: tf.tensor([1, Infinity, 0, -Infinity], [1, 1, 2, 2]) as tf.Tensor4D,
      strides: 1, pad: 'valid', bias: tf.tensor([0.5, 0]), activation, leakyreluAlpha: 0.2,
    }), RTOL);
  }
});

test('conv cases not handled natively (NCHW, full-shape bias/PReLU weights, int32) delegate to cpu and still match', async () => {
  const xv = randn([2, 3, 6, 5], 9), wv = randn([3, 3, 3, 4], 10);
  const nchw = () => tf.conv2d(tf.tensor(xv, [2, 3, 6, 5]) as tf.Tensor4D, tf.tensor(wv, [3, 3, 3, 4]) as tf.Tensor4D, 1, 'same', 'NCHW');
  await assertSameOnBoth('NCHW', nchw, RTOL);
  const x2 = randn([2, 6, 5, 3], 11), fullBias = randn([6, 5, 4], 12);
  const fused = (activation: 'relu' | 'prelu') => () => tf.fused.conv2d({
    x: tf.tensor(x2, [2, 6, 5, 3]) as tf.Tensor4D, filter: tf.tensor(wv, [3, 3, 3, 4]) as tf.Tensor4D, strides: 1, pad: 'same',
    bias: tf.tensor(fullBias, [6, 5, 4]), activation, preluActivationWeights: activation === 'prelu' ? tf.tensor(fullBias, [6, 5, 4]) : undefined,
  });
  await assertSameOnBoth('full-shape bias', fused('relu'), RTOL);
  await assertSameOnBoth('full-shape prelu', fused('prelu'), RTOL);
  await assertSameOnBoth('int32 (kernel called directly)', () => conv(tf.ones([1, 4, 4, 2], 'int32'), tf.ones([2, 2, 2, 3], 'int32'), 1, 'valid', 1), 0);
  await tf.setBackend('native');
  assert.equal(await nativeCalls(() => void tf.tidy(() => nchw().dataSync())), 0, 'NCHW must not reach the addon');
  assert.ok(await nativeCalls(() => void tf.tidy(() => tf.conv2d(tf.ones([1, 4, 4, 2]) as tf.Tensor4D, tf.ones([2, 2, 2, 3]) as tf.Tensor4D, 1, 'valid').dataSync())) > 0,
    'NHWC float32 must run natively');
});

test('backprop kernels given a dy whose shape is not the forward output (tf.conv2dTranspose accepts any) match cpu instead of reading dy as the computed shape', async () => {
  // tfjs-core's spec "conv2dTranspose input=8x8x8,output=4x4x8,f=8,s=1,inDepth=8,p=same vec4": dy 8×8 for a 4×4 output.
  const xv = Float32Array.from({ length: 8 * 8 * 8 }, (_, i) => i % 5), wv = Float32Array.from({ length: 8 * 8 * 8 * 8 }, (_, i) => i % 5);
  await assertSameOnBoth('conv2dTranspose dy 8x8, output 4x4', () =>
    tf.conv2dTranspose(tf.tensor(xv, [1, 8, 8, 8]) as tf.Tensor4D, tf.tensor(wv, [8, 8, 8, 8]) as tf.Tensor4D, [1, 4, 4, 8], 1, 'same'), RTOL);
  const dy = randn([2, 9, 7, 4], 13), x = randn([2, 6, 5, 3], 14);
  await assertSameOnBoth('Conv2DBackpropFilter dy 9x7 for a 6x5 output', () => tf.engine().runKernel(tf.Conv2DBackpropFilter,
    { x: tf.tensor(x, [2, 6, 5, 3]), dy: tf.tensor(dy, [2, 9, 7, 4]) },
    { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: [3, 3, 3, 4] } as unknown as tf.NamedAttrMap) as tf.Tensor, RTOL);
  await assertSameOnBoth('DepthwiseConv2dNativeBackpropInput dy 9x7 for a 6x5 output', () => tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropInput,
    { dy: tf.tensor(dy, [2, 9, 7, 4]), filter: tf.tensor(randn([3, 3, 4, 1], 15), [3, 3, 4, 1]) },
    { strides: [1, 1], dilations: [1, 1], pad: 'same', dimRoundingMode: undefined, inputShape: [2, 6, 5, 4] } as unknown as tf.NamedAttrMap) as tf.Tensor, RTOL);
});
