import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { rng } from '../rng.js';
import { approximateLayer, compressModel, chainCost, layerCost } from './index.js';

const M = 12, K = 8;
const SIGMA = [5, 4, 3, 2, 1, 0.5, 0.25, 0.1];

/** k orthonormal columns in R^n (row-major n × k) by Gram–Schmidt of seeded normals. */
function orthonormal(n: number, k: number, seed: number): Float64Array {
  const r = rng(seed).fork('q');
  const q = new Float64Array(n * k);
  for (let j = 0; j < k; j++) {
    const v = Array.from({ length: n }, () => r.normal());
    for (let p = 0; p < j; p++) {
      let d = 0;
      for (let i = 0; i < n; i++) d += v[i] * q[i * k + p];
      for (let i = 0; i < n; i++) v[i] -= d * q[i * k + p];
    }
    const norm = Math.hypot(...v);
    for (let i = 0; i < n; i++) q[i * k + j] = v[i] / norm;
  }
  return q;
}

/** W = Q1 diag(σ) Q2ᵀ (M × K): its singular values are SIGMA by construction. */
function knownSpectrum(): Float32Array {
  const q1 = orthonormal(M, K, 1), q2 = orthonormal(K, K, 2);
  const w = new Float32Array(M * K);
  for (let i = 0; i < M; i++) for (let o = 0; o < K; o++) {
    let s = 0;
    for (let j = 0; j < K; j++) s += q1[i * K + j] * SIGMA[j] * q2[o * K + j];
    w[i * K + o] = s;
  }
  return w;
}

/** fc (12 → 8, relu, W with known spectrum) then out (8 → 3, softmax). */
function model(): tf.Sequential {
  const m = tf.sequential({ layers: [
    tf.layers.dense({ units: K, activation: 'relu', inputShape: [M], name: 'fc' }),
    tf.layers.dense({ units: 3, activation: 'softmax', name: 'out' }),
  ] });
  m.getLayer('fc').setWeights([tf.tensor2d(knownSpectrum(), [M, K]), tf.randomNormal([K], 0, 0.1, 'float32', 4)]);
  return m;
}

/** ‖W − A·B‖_F in float64 from the chain's two kernels. */
function chainError(w: Float32Array, a: Float32Array, b: Float32Array, t: number): number {
  let e = 0;
  for (let i = 0; i < M; i++) for (let o = 0; o < K; o++) {
    let s = 0;
    for (let j = 0; j < t; j++) s += a[i * t + j] * b[j * K + o];
    e += (w[i * K + o] - s) ** 2;
  }
  return Math.sqrt(e);
}

test('svd: at every rank t the Frobenius error is √(Σ_{i>t} σ_i²) of the known spectrum, both reported and measured from the produced kernels; ~0 at full rank', () => {
  const m = model();
  const w = knownSpectrum();
  for (let t = 1; t <= K; t++) {
    const { approximation: ap } = approximateLayer(m, { layer: 'fc', method: 'svd', options: { rank: t } });
    const expected = Math.sqrt(SIGMA.slice(t).reduce((s, x) => s + x * x, 0));
    const [a, b] = ap.layers.map((l) => l.getWeights()[0].dataSync() as Float32Array);
    const measured = chainError(w, a, b, t);
    assert.ok(Math.abs(ap.error.frobenius - expected) < 1e-9 + 1e-5 * expected, `rank ${t}: reported ${ap.error.frobenius} vs ${expected}`);
    assert.ok(Math.abs(measured - expected) < 1e-5, `rank ${t}: measured ${measured} vs ${expected}`);
    assert.ok(Math.abs(ap.error.relative - expected / Math.hypot(...SIGMA)) < 1e-6);
  }
});

test('svd: at full rank the compressed model gives the original outputs; at rank t its outputs are relu(x·Ŵ + b) with Ŵ the rank-t kernel', async () => {
  const m = model();
  const x = tf.randomNormal([6, M], 0, 1, 'float32', 7);
  const full = compressModel(m, [{ layer: 'fc', method: 'svd', options: { rank: K } }]);
  const diff = tf.sub(full.model.predict(x) as tf.Tensor, m.predict(x) as tf.Tensor).abs().max().dataSync()[0];
  assert.ok(diff < 1e-5, String(diff));
  const { model: c, layers } = compressModel(m, [{ layer: 'fc', method: 'svd', options: { rank: 3 } }]);
  assert.deepEqual(c.layers.map((l) => l.name), ['fc_svd3', 'fc', 'out']);
  assert.deepEqual(c.layers.map((l) => l.getClassName()), ['Dense', 'Dense', 'Dense']);
  assert.deepEqual(layers[0].replacedBy, ['fc_svd3', 'fc']);
  // hidden activations by hand from the chain's weights
  const [a] = c.getLayer('fc_svd3').getWeights();
  const [b, bias] = c.getLayer('fc').getWeights();
  const hidden = tf.relu(tf.add(tf.matMul(tf.matMul(x, a), b), bias));
  const sub = tf.model({ inputs: c.inputs, outputs: c.getLayer('fc').output as tf.SymbolicTensor });
  assert.ok(tf.sub(sub.predict(x) as tf.Tensor, hidden).abs().max().dataSync()[0] < 1e-5);
  // saves and loads (TF.js's own Dense layers) with the same outputs
  let saved: tf.io.ModelArtifacts | undefined;
  await c.save(tf.io.withSaveHandler(async (art) => ((saved = art), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
  const back = await tf.loadLayersModel(tf.io.fromMemory(saved!));
  assert.deepEqual((back.predict(x) as tf.Tensor).dataSync(), (c.predict(x) as tf.Tensor).dataSync());
  // the original is untouched
  assert.deepEqual(m.getLayer('fc').getWeights()[0].dataSync(), knownSpectrum());
});

test('svd: reported costs equal the counted multiply-adds and parameters of the produced layers (and of the original), for 2-D and 3-D inputs', () => {
  for (const inputShape of [[M], [5, M]]) {
    const inp = tf.input({ shape: inputShape });
    const fcLayer = tf.layers.dense({ units: K, name: 'fc' });
    const f = tf.model({ inputs: inp, outputs: fcLayer.apply(inp) as tf.SymbolicTensor });
    for (const t of [1, 4, K]) {
      const { approximation: ap, report } = approximateLayer(f, { layer: 'fc', method: 'svd', options: { rank: t } });
      assert.deepEqual(report.after, chainCost(ap.layers, inputShape));
      assert.deepEqual(report.before, layerCost(fcLayer, inputShape));
      const rows = inputShape.length === 2 ? inputShape[0] : 1;
      assert.equal(report.after.multiplyAdds, rows * t * (M + K)); // the paper's O(nmt + ntk)
      assert.equal(report.before.multiplyAdds, rows * M * K);
    }
  }
});

test('compressModel works on a functional model (full rank: same outputs)', () => {
  const inp = tf.input({ shape: [M] });
  const h = tf.layers.dense({ units: K, activation: 'sigmoid', name: 'fc' }).apply(inp) as tf.SymbolicTensor;
  const f = tf.model({ inputs: inp, outputs: [tf.layers.dense({ units: 2, name: 'out' }).apply(h) as tf.SymbolicTensor, h] });
  const { model: c } = compressModel(f, [{ layer: 'fc', method: 'svd', options: { rank: K } }, { layer: 'out', method: 'svd', options: { rank: 2 } }]);
  const x = tf.randomNormal([4, M], 0, 1, 'float32', 2);
  const [a, b] = [f.predict(x) as tf.Tensor[], c.predict(x) as tf.Tensor[]];
  a.forEach((t, i) => assert.ok(tf.sub(t, b[i]).abs().max().dataSync()[0] < 1e-5));
});

test('bad input: rank out of range, a layer the method does not apply to, unknown layer or method, repeated layer', () => {
  const m = model();
  const conv = tf.sequential({ layers: [tf.layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [5, 5, 1], name: 'conv' }), tf.layers.flatten({ name: 'flat' }), tf.layers.dense({ units: 2, name: 'd' })] });
  assert.throws(() => approximateLayer(m, { layer: 'fc', method: 'svd', options: { rank: 9 } }), /approximateLayer: expected rank an integer between 1 and min\(m, k\) = 8 for layer 'fc' \(kernel 12 × 8\), got 9/);
  assert.throws(() => approximateLayer(m, { layer: 'fc', method: 'svd', options: { rank: 0 } }), /approximateLayer: expected valid options for method 'svd': rank: expected an integer ≥ 1/);
  assert.throws(() => approximateLayer(m, { layer: 'fc', method: 'svd', options: { rank: 1.5 } }), /expected valid options for method 'svd': rank: expected an integer ≥ 1/);
  assert.throws(() => approximateLayer(m, { layer: 'fc', method: 'svd' }), /expected valid options for method 'svd': rank: expected an integer ≥ 1/);
  assert.throws(() => approximateLayer(conv, { layer: 'conv', method: 'svd', options: { rank: 1 } }), /approximateLayer: expected a layer of class Dense for method 'svd', got 'conv' of class Conv2D \(layers it applies to: d\)/);
  assert.throws(() => approximateLayer(m, { layer: 'nope', method: 'svd', options: { rank: 1 } }), /approximateLayer: expected layer to be one of "fc", "out", got "nope"/);
  assert.throws(() => approximateLayer(m, { layer: 'fc', method: 'tucker', options: { rank: 1 } }), /approximateLayer: expected compression method to be one of "svd", .*"separable", "monochromatic", "bicluster".*, got "tucker"/);
  assert.throws(() => compressModel(m, [{ layer: 'fc', method: 'svd', options: { rank: 1 } }, { layer: 'fc', method: 'svd', options: { rank: 2 } }]), /compressModel: expected each layer at most once, got 'fc' twice/);
});
