import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { rng } from '../rng.js';
import { mat, svd } from '../linalg.js';
import { approximateLayer, compressModel, chainCost, layerCost } from './index.js';
import { convModel, convWith, frob, layerOutput, relDiff, roundTrip, type ConvSpec } from './conv_test_util.js';

const C = 3, F = 8, KH = 3, KW = 3;
const IN: [number, number, number] = [10, 9, C];
const SPEC: ConvSpec = { filters: F, kernelSize: [KH, KW], padding: 'same', activation: 'relu' };

/**
 * A kernel whose filters are exactly rank 1 in colour ⊗ space, W[y, x, c, f] = col_{f mod clusters}[c]·s_f[y, x],
 * with `clusters` distinct colours (each filter's colour a multiple of its cluster's).
 */
function rankOneKernel(clusters: number, seed: number): Float32Array {
  const r = rng(seed);
  const cols = Array.from({ length: clusters }, () => r.normals(C));
  const w = new Float32Array(KH * KW * C * F);
  for (let f = 0; f < F; f++) {
    const col = cols[f % clusters], scale = 0.5 + r.uniform();
    const s = r.normals(KH * KW);
    for (let p = 0; p < KH * KW; p++) for (let c = 0; c < C; c++) w[(p * C + c) * F + f] = scale * col[c] * s[p];
  }
  return w;
}

function model(w?: Float32Array, spec = SPEC): tf.Sequential {
  const m = convModel(IN, spec);
  if (w) m.getLayer('conv').setWeights([tf.tensor4d(w, [KH, KW, C, F]), m.getLayer('conv').getWeights()[1]]);
  return m;
}

/** Ŵ[y, x, c, f] = colour[0, 0, c, f]·spatial[y, x, f, 0] from the chain's two kernels. */
function composed(colour: tf.Tensor, spatial: tf.Tensor): Float64Array {
  const a = colour.dataSync(), b = spatial.dataSync();
  const w = new Float64Array(KH * KW * C * F);
  for (let p = 0; p < KH * KW; p++) for (let c = 0; c < C; c++) for (let f = 0; f < F; f++) w[(p * C + c) * F + f] = a[c * F + f] * b[p * F + f];
  return w;
}

/** Σ_f Σ_{i>1} σ_i(M_f)²: the error of the best rank-1 (colour ⊗ space) approximation of each filter, by SVD. */
function rankOneResidual(w: ArrayLike<number>): number {
  let e = 0;
  for (let f = 0; f < F; f++) {
    const m = new Float64Array(C * KH * KW);
    for (let p = 0; p < KH * KW; p++) for (let c = 0; c < C; c++) m[c * KH * KW + p] = w[(p * C + c) * F + f];
    const { s } = svd(mat(C, KH * KW, m));
    for (let i = 1; i < s.length; i++) e += s[i] * s[i];
  }
  return Math.sqrt(e);
}

test('monochromatic: a layer whose filters are exactly rank 1 in colour ⊗ space is reproduced (outputs ~1e-4, error ~0) with C′ = F, and with C′ = its number of colours', () => {
  const w = rankOneKernel(3, 1);
  const m = model(w);
  const x = tf.randomNormal([2, ...IN], 0, 1, 'float32', 2);
  for (const colors of [F, 3]) {
    const { model: c, layers } = compressModel(m, [{ layer: 'conv', method: 'monochromatic', options: { colors } }]);
    assert.ok(layers[0].error.relative < 1e-5, `C′ = ${colors}: relative error ${layers[0].error.relative}`);
    assert.ok(relDiff(layerOutput(c, 'conv', x), layerOutput(m, 'conv', x)) < 1e-4, `C′ = ${colors}`);
    assert.ok(relDiff(c.predict(x) as tf.Tensor, m.predict(x) as tf.Tensor) < 1e-4);
  }
});

test('monochromatic: on a generic layer the chain evaluates conv(Ŵ) with Ŵ = colour ⊗ spatial from its kernels, error.frobenius = ‖W − Ŵ‖, at least the best per-filter rank-1 error and equal to it at C′ = F; fewer colours cost accuracy on clustered colours', () => {
  const m = model();
  const w = m.getLayer('conv').getWeights()[0].dataSync();
  const bias = m.getLayer('conv').getWeights()[1];
  const floor = rankOneResidual(w);
  const x = tf.randomNormal([2, ...IN], 0, 1, 'float32', 4);
  for (let colors = 1; colors <= F; colors++) {
    const { approximation: ap } = approximateLayer(m, { layer: 'conv', method: 'monochromatic', options: { colors } });
    assert.deepEqual(ap.layers.map((l) => l.getClassName()), ['Conv2D', 'DepthwiseConv2D']);
    const hat = composed(ap.layers[0].getWeights()[0], ap.layers[1].getWeights()[0]);
    const e = frob(w, hat);
    assert.ok(Math.abs(ap.error.frobenius - e) < 1e-5 * (1 + e), `C′ = ${colors}: reported ${ap.error.frobenius} vs ${e}`);
    assert.ok(ap.error.frobenius >= floor - 1e-6, `C′ = ${colors}: ${ap.error.frobenius} below the rank-1 floor ${floor}`);
    if (colors === F) assert.ok(Math.abs(ap.error.frobenius - floor) < 1e-5, `C′ = F: ${ap.error.frobenius} vs ${floor}`);
    const chain = ap.layers.reduce<tf.Tensor>((h, l) => l.apply(h) as tf.Tensor, x);
    assert.ok(relDiff(chain, convWith(x, hat, [KH, KW, C, F], bias, SPEC)) < 1e-4, `C′ = ${colors}`);
  }
  // clustered colours (4 distinct): the error falls (weakly) from 1 to 4 colours and is 0 from 4 on
  const clustered = model(rankOneKernel(4, 7));
  const errs = [1, 2, 3, 4, 6, F].map((colors) => approximateLayer(clustered, { layer: 'conv', method: 'monochromatic', options: { colors } }).approximation.error.relative);
  for (let i = 1; i < errs.length; i++) assert.ok(errs[i] <= errs[i - 1] + 1e-6, `errors ${errs.join(', ')}`);
  assert.ok(errs[0] > 0.1 && errs[3] < 1e-5, `errors ${errs.join(', ')}`);
});

test('monochromatic: reported costs are the counted costs of the built layers, and by hand C·F·H·W + kh·kw·F·H′·W′', () => {
  for (const [spec, outPos] of [[SPEC, 10 * 9], [{ ...SPEC, padding: 'valid', strides: [2, 2] }, 4 * 4]] as [ConvSpec, number][]) {
    const m = model(undefined, spec);
    const { approximation: ap, report } = approximateLayer(m, { layer: 'conv', method: 'monochromatic', options: { colors: 4 } });
    assert.deepEqual(report.after, chainCost(ap.layers, IN));
    assert.deepEqual(report.before, layerCost(m.getLayer('conv'), IN));
    assert.equal(report.after.multiplyAdds, C * F * 10 * 9 + KH * KW * F * outPos);
    assert.equal(report.before.multiplyAdds, KH * KW * C * F * outPos);
  }
});

test('monochromatic: seeded (same seed, same chain), and a compressed convnet saves and loads (plain TF.js layers) with identical outputs', async () => {
  const m = model();
  const a = approximateLayer(m, { layer: 'conv', method: 'monochromatic', options: { colors: 3, seed: 5 } }).approximation;
  const b = approximateLayer(m, { layer: 'conv', method: 'monochromatic', options: { colors: 3, seed: 5 } }).approximation;
  assert.deepEqual(a.layers[0].getWeights()[0].dataSync(), b.layers[0].getWeights()[0].dataSync());
  const { model: c } = compressModel(m, [{ layer: 'conv', method: 'monochromatic', options: { colors: 3 } }]);
  assert.deepEqual(c.layers.map((l) => l.name), ['conv_mono3', 'conv', 'next', 'flat', 'out']);
  const back = await roundTrip(c);
  assert.deepEqual(back.layers.map((l) => l.getClassName()), ['Conv2D', 'DepthwiseConv2D', 'Conv2D', 'Flatten', 'Dense']);
  const x = tf.randomNormal([3, ...IN], 0, 1, 'float32', 5);
  assert.deepEqual((back.predict(x) as tf.Tensor).dataSync(), (c.predict(x) as tf.Tensor).dataSync());
});

test('monochromatic: bad input (colors > F or < 1, a Dense layer) is a ParampredError', () => {
  const m = model();
  assert.throws(() => approximateLayer(m, { layer: 'conv', method: 'monochromatic', options: { colors: 9 } }), /approximateLayer: expected colors an integer between 1 and the 8 filters of layer 'conv', got 9/);
  assert.throws(() => approximateLayer(m, { layer: 'conv', method: 'monochromatic', options: { colors: 0 } }), /expected valid options for method 'monochromatic': colors: expected an integer ≥ 1/);
  assert.throws(() => approximateLayer(m, { layer: 'conv', method: 'monochromatic', options: {} }), /expected valid options for method 'monochromatic': colors: expected an integer ≥ 1/);
  assert.throws(() => approximateLayer(m, { layer: 'out', method: 'monochromatic', options: { colors: 2 } }), /expected a layer of class Conv2D for method 'monochromatic', got 'out' of class Dense/);
});
