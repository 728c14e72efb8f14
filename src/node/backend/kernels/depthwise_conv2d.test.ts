import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { assertSameOnBoth, randn } from './test_util.js';

// |native − cpu| ≤ 1e-4·(1 + |cpu|) throughout.
const RTOL = 1e-4;
type Pad = 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];
const pads: Pad[] = ['valid', 'same', 1, [[0, 0], [2, 1], [0, 1], [0, 0]]];
// [batch, height, width, channels, filterH, filterW, channel multiplier]
const shapes = [[1, 7, 7, 1, 3, 3, 2], [3, 8, 9, 3, 3, 2, 1], [2, 6, 6, 4, 3, 3, 5], [1, 5, 6, 2, 1, 1, 3]];

function dw(x: tf.Tensor, f: tf.Tensor, strides: number, pad: Pad, dil: number, rounding?: 'floor' | 'ceil'): tf.Tensor {
  return tf.engine().runKernel(tf.DepthwiseConv2dNative, { x, filter: f }, {
    strides: [strides, strides], pad, dilations: [dil, dil], dimRoundingMode: rounding,
  } as unknown as tf.NamedAttrMap) as tf.Tensor;
}

test('native DepthwiseConv2dNative matches cpu over shapes, multipliers 1-5, strides, paddings, dilations (strides or dilations 1)', async () => {
  for (const [n, h, w, c, fh, fw, m] of shapes) {
    const xv = randn([n, h, w, c], 1), fv = randn([fh, fw, c, m], 2);
    for (const [strides, dil] of [[1, 1], [2, 1], [1, 2]]) for (const pad of pads) {
      const rounding = typeof pad === 'number' ? 'ceil' : undefined;
      await assertSameOnBoth(`dw ${[n, h, w, c, fh, fw, m]} s${strides} d${dil} ${JSON.stringify(pad)}`,
        () => dw(tf.tensor(xv, [n, h, w, c]), tf.tensor(fv, [fh, fw, c, m]), strides, pad, dil, rounding), RTOL);
    }
  }
});

test('depthwise gradients (tf.grads: DepthwiseConv2dNativeBackpropInput/Filter) match cpu', async () => {
  for (const [n, h, w, c, fh, fw, m] of shapes) {
    const xv = randn([n, h, w, c], 3), fv = randn([fh, fw, c, m], 4);
    for (const strides of [1, 2]) for (const pad of pads) {
      const g = tf.grads((x: tf.Tensor, f: tf.Tensor) => tf.depthwiseConv2d(x as tf.Tensor4D, f as tf.Tensor4D, strides, pad).square().sum());
      await assertSameOnBoth(`grad dw ${[n, h, w, c, fh, fw, m]} s${strides} ${JSON.stringify(pad)}`,
        () => g([tf.tensor(xv, [n, h, w, c]), tf.tensor(fv, [fh, fw, c, m])]), RTOL);
    }
  }
});

test('native FusedDepthwiseConv2D matches cpu (bias, relu/prelu/elu), and the predicted-layer pattern depthwise → 1×1 conv with gradients', async () => {
  const xv = randn([2, 7, 7, 3], 5), fv = randn([3, 3, 3, 4], 6), bv = randn([12], 7), av = randn([12], 8), pv = randn([1, 1, 12, 5], 9);
  for (const activation of ['linear', 'relu', 'prelu', 'elu'] as const) {
    await assertSameOnBoth(`fused dw ${activation}`, () => tf.fused.depthwiseConv2d({
      x: tf.tensor(xv, [2, 7, 7, 3]) as tf.Tensor4D, filter: tf.tensor(fv, [3, 3, 3, 4]) as tf.Tensor4D, strides: 1, pad: 'same',
      bias: tf.tensor(bv), activation, preluActivationWeights: activation === 'prelu' ? tf.tensor(av) : undefined,
    }), RTOL);
  }
  const g = tf.grads((x: tf.Tensor, p: tf.Tensor) =>
    tf.conv2d(tf.depthwiseConv2d(x as tf.Tensor4D, tf.tensor(fv, [3, 3, 3, 4]) as tf.Tensor4D, 1, 'valid'), p as tf.Tensor4D, 1, 'valid').square().sum());
  await assertSameOnBoth('depthwise→1×1 grads', () => g([tf.tensor(xv, [2, 7, 7, 3]), tf.tensor(pv, [1, 1, 12, 5])]), RTOL);
});
