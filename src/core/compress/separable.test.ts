import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { approximateLayer, compressModel, chainCost, layerCost } from './index.js';
import { convModel, convWith, frob, layerOutput, relDiff, roundTrip, type ConvSpec } from './conv_test_util.js';

const SPEC: ConvSpec = { filters: 5, kernelSize: [3, 4], padding: 'same', activation: 'relu' };
const IN: [number, number, number] = [9, 10, 3];

/** Ŵ[y, x, c, f] = Σ_k V[y, 0, c, k]·H[0, x, k, f] from the chain's two kernels (the composition of the two convs). */
function composed(v: tf.Tensor, h: tf.Tensor): Float64Array {
  const [kh, , C, K] = v.shape, [, kw, , F] = h.shape;
  const a = v.dataSync(), b = h.dataSync();
  const w = new Float64Array(kh * kw * C * F);
  for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) for (let c = 0; c < C; c++) for (let f = 0; f < F; f++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += a[(y * C + c) * K + k] * b[(x * K + k) * F + f];
    w[((y * kw + x) * C + c) * F + f] = s;
  }
  return w;
}

test('separable: at every rank the chain evaluates the conv with Ŵ = V∘H, error.frobenius = ‖W − Ŵ‖ from the chain\'s kernels, non-increasing in the rank, ~0 at full rank min(C·kh, kw·F) with the original outputs', () => {
  for (const spec of [SPEC, { ...SPEC, padding: 'valid' as const, strides: [2, 3] as [number, number], activation: 'tanh' as const }]) {
    const m = convModel(IN, spec);
    const w = m.getLayer('conv').getWeights()[0];
    const wv = w.dataSync();
    const bias = m.getLayer('conv').getWeights()[1];
    const x = tf.randomNormal([2, ...IN], 0, 1, 'float32', 3);
    const full = Math.min(3 * 3, 4 * 5);
    let last = Infinity;
    for (let k = 1; k <= full; k++) {
      const { approximation: ap } = approximateLayer(m, { layer: 'conv', method: 'separable', options: { rank: k } });
      assert.deepEqual(ap.layers.map((l) => l.getClassName()), ['Conv2D', 'Conv2D']);
      const hat = composed(ap.layers[0].getWeights()[0], ap.layers[1].getWeights()[0]);
      const e = frob(wv, hat);
      assert.ok(Math.abs(ap.error.frobenius - e) < 1e-5 * (1 + e), `rank ${k}: reported ${ap.error.frobenius} vs measured ${e}`);
      assert.ok(ap.error.frobenius <= last + 1e-9, `rank ${k}: error grew ${last} → ${ap.error.frobenius}`);
      last = ap.error.frobenius;
      const chain = ap.layers.reduce<tf.Tensor>((h, l) => l.apply(h) as tf.Tensor, x);
      const ref = convWith(x, hat, w.shape as [number, number, number, number], bias, spec);
      assert.ok(relDiff(chain, ref) < 1e-4, `rank ${k}: chain vs conv(Ŵ) ${relDiff(chain, ref)}`);
    }
    assert.ok(last < 1e-5 && last / frob(wv, new Float64Array(wv.length)) < 1e-5, `full rank error ${last}`);
    const { model: c } = compressModel(m, [{ layer: 'conv', method: 'separable', options: { rank: full } }]);
    assert.ok(relDiff(layerOutput(c, 'conv', x), layerOutput(m, 'conv', x)) < 1e-4);
    assert.ok(relDiff(c.predict(x) as tf.Tensor, m.predict(x) as tf.Tensor) < 1e-4);
  }
});

test('separable: reported costs are the counted costs of the built layers, and by hand K·(H′·W·kh·C + H′·W′·kw·F)', () => {
  const cases: [ConvSpec, number, number][] = [[SPEC, 9 * 10, 9 * 10], [{ ...SPEC, padding: 'valid', strides: [2, 3] }, 4 * 10, 4 * 3]];
  for (const [spec, vertPositions, outPositions] of cases) {
    const m = convModel(IN, spec);
    for (const k of [1, 4]) {
      const { approximation: ap, report } = approximateLayer(m, { layer: 'conv', method: 'separable', options: { rank: k } });
      assert.deepEqual(report.after, chainCost(ap.layers, IN));
      assert.deepEqual(report.before, layerCost(m.getLayer('conv'), IN));
      assert.equal(report.after.multiplyAdds, k * (vertPositions * 3 * 3 + outPositions * 4 * 5));
      assert.equal(report.before.multiplyAdds, outPositions * 3 * 4 * 3 * 5);
      assert.equal(report.after.parameters, k * (3 * 3 + 4 * 5) + 5);
    }
  }
});

test('separable: a compressed convnet saves and loads with identical outputs; the next layer is unchanged', async () => {
  const m = convModel(IN, SPEC, 2);
  const inShape = [9, 10, 2];
  const { model: c, layers } = compressModel(m, [{ layer: 'conv', method: 'separable', options: { rank: 3 } }]);
  assert.deepEqual(c.layers.map((l) => l.name), ['pre', 'conv_sep3', 'conv', 'next', 'flat', 'out']);
  assert.deepEqual(layers[0].after, chainCost([c.getLayer('conv_sep3'), c.getLayer('conv')], inShape));
  assert.deepEqual(c.getLayer('next').getWeights()[0].dataSync(), m.getLayer('next').getWeights()[0].dataSync());
  const back = await roundTrip(c);
  const x = tf.randomNormal([3, ...IN], 0, 1, 'float32', 5);
  assert.deepEqual((back.predict(x) as tf.Tensor).dataSync(), (c.predict(x) as tf.Tensor).dataSync());
});

test('separable: bad input (rank too large or not an integer ≥ 1, a Dense layer, dilation) is a ParampredError naming the bound', () => {
  const m = convModel(IN, SPEC);
  assert.throws(() => approximateLayer(m, { layer: 'conv', method: 'separable', options: { rank: 10 } }), /approximateLayer: expected rank an integer between 1 and min\(C·kh, kw·F\) = 9 for layer 'conv' \(kernel 3×4, 3 → 5\), got 10/);
  assert.throws(() => approximateLayer(m, { layer: 'conv', method: 'separable', options: { rank: 0 } }), /expected valid options for method 'separable': rank: expected an integer ≥ 1/);
  assert.throws(() => approximateLayer(m, { layer: 'conv', method: 'separable', options: { rank: 2, colors: 3 } }), /expected valid options for method 'separable'/);
  assert.throws(() => approximateLayer(m, { layer: 'out', method: 'separable', options: { rank: 1 } }), /expected a layer of class Conv2D for method 'separable', got 'out' of class Dense \(layers it applies to: conv, next\)/);
  const d = tf.sequential({ layers: [tf.layers.conv2d({ filters: 2, kernelSize: 3, dilationRate: 2, inputShape: [9, 9, 1], name: 'conv' })] });
  assert.throws(() => approximateLayer(d, { layer: 'conv', method: 'separable', options: { rank: 1 } }), /expected dilationRate 1 for method 'separable', got \[2, 2\] in layer 'conv'/);
});
