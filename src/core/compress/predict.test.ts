import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { rng } from '../rng.js';
import { approximateLayer, compressMethod, compressModel, chainCost } from './index.js';
import type { DataMatrix } from '../dictionaries/types.js';

const H = 8, M = H * H, K = 12;
const GEOMETRY = { height: H, width: H, channels: 1 };

/** A smooth kernel over the 8 × 8 grid: output o is a low-frequency cosine pattern (plus a little noise from `noise`). */
function smoothW(noise = 0): Float32Array {
  const r = rng(3).fork('w');
  const w = new Float32Array(M * K);
  for (let y = 0; y < H; y++) for (let x = 0; x < H; x++) for (let o = 0; o < K; o++) {
    const fy = (o % 3) + 1, fx = Math.floor(o / 3) + 1;
    w[(y * H + x) * K + o] = Math.cos((Math.PI * fy * (y + 0.5)) / (2 * H)) * Math.cos((Math.PI * fx * (x + 0.5)) / (2 * H)) + noise * r.normal();
  }
  return w;
}

/** fc (64 → 12, relu, kernel `w`) then out (12 → 3). */
function model(w = smoothW()): tf.LayersModel {
  const m = tf.sequential({ layers: [tf.layers.dense({ units: K, activation: 'relu', inputShape: [M], name: 'fc' }), tf.layers.dense({ units: 3, name: 'out' })] });
  const b = tf.tensor1d(Array.from({ length: K }, (_, i) => 0.1 * i));
  m.getLayer('fc').setWeights([tf.tensor2d(w, [M, K]), b]);
  return m;
}

/** A correlated sample of 64 inputs: smooth random images (for data-driven dictionaries). */
function sample(rows = 400): DataMatrix {
  const r = rng(5).fork('x');
  const values = new Float32Array(rows * M);
  for (let n = 0; n < rows; n++) {
    const c = Array.from({ length: 6 }, () => r.normal());
    for (let y = 0; y < H; y++) for (let x = 0; x < H; x++) {
      values[n * M + y * H + x] = c[0] + c[1] * y / H + c[2] * x / H + c[3] * Math.sin(y) * Math.cos(x) + 0.3 * r.normal() + c[4] * (x * y) / M + c[5] * ((y - 3.5) ** 2) / 16;
    }
  }
  return { rows, cols: M, values };
}

/** The chain's U (m × n_α) and V (n_α × k) as float64 row-major arrays. */
const weightsOf = (layers: tf.layers.Layer[]) => layers.map((l) => Float64Array.from(l.getWeights()[0].dataSync()));

/** ‖W − U·V‖_F / ‖W‖_F and max |Uᵀ(W − U·V)| / max |UᵀW| computed here from the chain's own weights. */
function residual(w: Float32Array, u: Float64Array, v: Float64Array, a: number): { relative: number; orthogonality: number } {
  const r = new Float64Array(M * K);
  let num = 0, den = 0;
  for (let i = 0; i < M; i++) for (let o = 0; o < K; o++) {
    let s = 0;
    for (let p = 0; p < a; p++) s += u[i * a + p] * v[p * K + o];
    r[i * K + o] = w[i * K + o] - s;
    num += r[i * K + o] ** 2;
    den += w[i * K + o] ** 2;
  }
  let ur = 0, uw = 0;
  for (let p = 0; p < a; p++) for (let o = 0; o < K; o++) {
    let s = 0, t = 0;
    for (let i = 0; i < M; i++) {
      s += u[i * a + p] * r[i * K + o];
      t += u[i * a + p] * w[i * K + o];
    }
    ur = Math.max(ur, Math.abs(s));
    uw = Math.max(uw, Math.abs(t));
  }
  return { relative: Math.sqrt(num / den), orthogonality: ur / uw };
}

test('predict at fraction 1 (α = every input) reproduces W: se over the grid and emp from a sample, the outputs match the dense layer', () => {
  const w = smoothW(0.3);
  const m = model(w);
  const x = tf.randomNormal([5, M], 0, 1, 'float32', 7);
  const ref = (m.predict(x) as tf.Tensor).dataSync();
  for (const [dictionary, input] of [[{ method: 'se' }, { geometry: GEOMETRY }], [{ method: 'emp' }, { sample: sample() }]] as const) {
    const { approximation: ap, report } = approximateLayer(m, { layer: 'fc', method: 'predict', options: { dictionary, fraction: 1, lambda: 0 }, input });
    const [u, v] = weightsOf(ap.layers);
    const r = residual(w, u, v, M);
    assert.ok(r.relative < 1e-5, `${dictionary.method}: ‖W − UV‖/‖W‖ = ${r.relative}`);
    assert.ok(Math.abs(report.error.relative - r.relative) < 1e-5, `${dictionary.method}: reported ${report.error.relative} vs ${r.relative}`);
    const out = compressModel(m, [{ layer: 'fc', method: 'predict', options: { dictionary, fraction: 1, lambda: 0 }, input }]).model;
    const got = (out.predict(x) as tf.Tensor).dataSync();
    for (let i = 0; i < ref.length; i++) assert.ok(Math.abs(got[i] - ref[i]) < 1e-3 * (1 + Math.abs(ref[i])), `${dictionary.method}: output ${i}: ${got[i]} vs ${ref[i]}`);
  }
});

test('predict: V is the least-squares fit (residual ⟂ U), the reported error is ‖W − UV‖, and it falls as the fraction grows on a smooth W', () => {
  const w = smoothW();
  const m = model(w);
  const errors: number[] = [];
  for (const fraction of [0.05, 0.1, 0.25, 0.5]) {
    const { approximation: ap } = approximateLayer(m, { layer: 'fc', method: 'predict', options: { fraction, lambda: 0 }, input: { geometry: GEOMETRY } });
    const a = Math.round(fraction * M);
    const [u, v] = weightsOf(ap.layers);
    const r = residual(w, u, v, a);
    assert.ok(r.orthogonality < 1e-4, `fraction ${fraction}: max|Uᵀ(W − UV)| / max|UᵀW| = ${r.orthogonality}`);
    assert.ok(Math.abs(ap.error.relative - r.relative) < 1e-5, `fraction ${fraction}: reported ${ap.error.relative} vs ${r.relative}`);
    errors.push(r.relative);
  }
  for (let i = 1; i < errors.length; i++) assert.ok(errors[i] < errors[i - 1], `errors not decreasing: ${errors.join(', ')}`);
  assert.ok(errors[errors.length - 1] < errors[0] / 2, `errors ${errors.join(", ")}`);
});

test('predict: the costs are the built chain\'s (chainCost); with one column they equal svd\'s at rank t = n_α; J columns make V block-diagonal', () => {
  const m = model();
  const { approximation: ap, report } = approximateLayer(m, { layer: 'fc', method: 'predict', options: { alpha: 5 }, input: { geometry: GEOMETRY } });
  assert.deepEqual(report.after, chainCost(ap.layers, [M]));
  assert.deepEqual(report.after, { parameters: 5 * (M + K) + K, multiplyAdds: 5 * (M + K) });
  assert.deepEqual(report.before, { parameters: M * K + K, multiplyAdds: M * K });
  const svd = approximateLayer(m, { layer: 'fc', method: 'svd', options: { rank: 5 } }).report;
  assert.deepEqual(report.after, svd.after);
  // J = 3 columns of 4 outputs, n_α = 4 each: U 64 × 12, V 12 × 12 block-diagonal (zeros stored and multiplied)
  const { approximation: ap3, report: r3 } = approximateLayer(m, { layer: 'fc', method: 'predict', options: { alpha: 4, columns: 3, seed: 2 }, input: { geometry: GEOMETRY } });
  assert.deepEqual(r3.after, chainCost(ap3.layers, [M]));
  assert.deepEqual(r3.after, { parameters: 12 * (M + K) + K, multiplyAdds: 12 * (M + K) });
  const v = ap3.layers[1].getWeights()[0].dataSync();
  for (let row = 0; row < 12; row++) for (let o = 0; o < K; o++) if (Math.floor(row / 4) !== Math.floor(o / 4)) assert.equal(v[row * K + o], 0, `V[${row}, ${o}] outside its column block`);
  assert.ok(r3.error.relative > 0 && r3.error.relative < 1);
});

test('predict: needsSample follows the dictionary; bad options and missing inputs are ParampredErrors that say what to give', () => {
  const predict = compressMethod('predict');
  assert.equal(predict.needsSample!(predict.options.parse({ dictionary: { method: 'emp' }, fraction: 0.1 })), true);
  assert.equal(predict.needsSample!(predict.options.parse({ fraction: 0.1 })), false);
  // the CLI's --opt dictionary=emp / --opt dictionary={"method":"emp","lambdaRel":0.1}
  assert.deepEqual(predict.options.parse({ dictionary: 'emp', alpha: 2 }), predict.options.parse({ dictionary: { method: 'emp' }, alpha: 2 }));
  assert.deepEqual((predict.options.parse({ dictionary: '{"method":"emp","lambdaRel":0.1}', alpha: 2 }) as { dictionary: object }).dictionary, { method: 'emp', lambdaRel: 0.1 });
  const m = model();
  const run = (options: Record<string, unknown>, input = {}) => () => approximateLayer(m, { layer: 'fc', method: 'predict', options, input });
  const g = { geometry: GEOMETRY };
  assert.throws(run({ fraction: 0.1, alpha: 3 }, g), /approximateLayer: expected valid options for method 'predict': \(options\): expected exactly one of fraction, alpha/);
  assert.throws(run({}, g), /expected exactly one of fraction, alpha/);
  assert.throws(run({ fraction: 1.5 }, g), /fraction: expected a number in \(0, 1\]/);
  assert.throws(run({ alpha: 65 }, g), /expected alpha between 1 and the layer's input size m = 64 for predict for layer 'fc' \(kernel 64 × 12\), got 65/);
  assert.throws(run({ alpha: 4, columns: 5 }, g), /expected columns to divide the layer's 12 outputs/);
  assert.throws(run({ alpha: 4, bogus: 1 }, g), /expected valid options for method 'predict'/);
  assert.throws(run({ alpha: 4, dictionary: { method: 'sex' } }, g), /expected dictionary method to be one of .*"se".*got "sex"/);
  assert.throws(run({ alpha: 4, dictionary: { method: 'se', lambda: -1 } }, g), /expected valid options for dictionary 'se'/);
  assert.throws(run({ alpha: 4, dictionary: { method: 'lowrank' } }, g), /expected a fixed dictionary for predict for layer 'fc'.*got 'lowrank'/);
  assert.throws(run({ alpha: 4 }), /expected the input's image geometry for dictionary 'se'.*give options.geometry/);
  assert.throws(run({ alpha: 4, geometry: { height: 7, width: 8, channels: 1 } }), /expected a geometry with height·width·channels = m = 64/);
  assert.throws(run({ alpha: 4, dictionary: { method: 'emp' } }), /expected a sample of the layer's inputs for data-driven dictionary 'emp'/);
  assert.throws(run({ alpha: 4, dictionary: { method: 'emp' } }, { sample: { rows: 1, cols: 3, values: new Float32Array(3) } }), /expected a sample with m = 64 columns/);
  assert.throws(() => approximateLayer(m, { layer: 'out', method: 'predict', options: { alpha: 20 }, input: g }), /expected alpha between 1 and the layer's input size m = 12/);
});
