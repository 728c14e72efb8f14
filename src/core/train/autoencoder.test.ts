import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { tiedReconstruct, trainTiedAutoencoder } from './autoencoder.js';
import { buildDictionary } from '../dictionaries/index.js';
import { Rng, rng } from '../rng.js';
import type { DataMatrix } from '../dictionaries/types.js';

/** 200 × 16 rows in [0, 1] built from 3 smooth prototypes: learnable structure. */
function protoData(): DataMatrix {
  const r = new Rng(1, 'ae-data');
  const protos = [0, 1, 2].map((k) => Array.from({ length: 16 }, (_, j) => 0.5 + 0.4 * Math.sin((j + 1) * (k + 1) * 0.4)));
  const values = new Float32Array(200 * 16);
  for (let i = 0; i < 200; i++) {
    const w = [r.uniform(), r.uniform(), r.uniform()];
    const s = w[0] + w[1] + w[2];
    for (let j = 0; j < 16; j++) values[i * 16 + j] = protos.reduce((t, p, k) => t + (w[k] / s) * p[j], 0) + 0.02 * r.normal();
  }
  return { rows: 200, cols: 16, values };
}

test('tiedReconstruct = act(x·W + b)·Wᵀ + c (plain-loop reference, sigmoid and relu)', () => {
  const r = new Rng(2);
  const [n, v, h] = [3, 4, 2];
  const X = Array.from({ length: n }, () => Array.from({ length: v }, () => r.normal()));
  const W = Array.from({ length: v }, () => Array.from({ length: h }, () => r.normal()));
  const b = [0.3, -0.2];
  const c = [0.1, 0.2, 0.3, 0.4];
  for (const act of ['sigmoid', 'relu'] as const) {
    const f = act === 'sigmoid' ? (z: number) => 1 / (1 + Math.exp(-z)) : (z: number) => Math.max(0, z);
    const got = tf.tidy(() => tiedReconstruct(tf.tensor2d(X), tf.tensor2d(W), tf.tensor1d(b), tf.tensor1d(c), act).arraySync());
    for (let i = 0; i < n; i++) {
      const hid = b.map((bk, k) => f(X[i].reduce((s, x, j) => s + x * W[j][k], bk)));
      for (let j = 0; j < v; j++) {
        const ref = c[j] + hid.reduce((s, hk, k) => s + hk * W[j][k], 0);
        assert.ok(Math.abs(got[i][j] - ref) < 1e-5, `${act} (${i}, ${j})`);
      }
    }
  }
});

test('trainTiedAutoencoder lowers the loss; no tensors leak', () => {
  const data = protoData();
  const before = tf.memory().numTensors;
  const w0 = tf.tensor2d(new Rng(3).normals(16 * 4, 0.3), [16, 4]);
  const w = tf.variable(w0);
  w0.dispose();
  const x = tf.tensor2d(data.values, [200, 16]);
  const initial = tf.tidy(() => tf.losses.meanSquaredError(x, tiedReconstruct(x, w, tf.zeros([4]), tf.zeros([16]))).dataSync()[0]);
  x.dispose();
  const res = trainTiedAutoencoder({ data, weights: () => w, variables: [w], epochs: 15, batchSize: 20, learningRate: 1e-2, rng: rng(4) });
  assert.equal(res.losses.length, 15);
  assert.ok(res.finalLoss < 0.3 * initial, `final ${res.finalLoss} vs initial ${initial}`);
  assert.ok(res.losses[14] < 0.5 * res.losses[0], `epoch losses ${res.losses[0]} → ${res.losses[14]}`);
  tf.dispose([w, res.encoderBias, res.decoderBias]);
  assert.equal(tf.memory().numTensors, before);
});

test('predicted form W = U·V: only V (and the biases) train, U stays fixed; loss still falls', () => {
  const data = protoData();
  const u = tf.tensor2d(new Rng(5).normals(16 * 6, 0.4), [16, 6]);
  const uBefore = u.dataSync().slice();
  const v = tf.variable(tf.tensor2d(new Rng(6).normals(6 * 3, 0.3), [6, 3]));
  const vBefore = v.dataSync().slice();
  const res = trainTiedAutoencoder({ data, weights: () => tf.matMul(u, v), variables: [v], epochs: 10, batchSize: 25, learningRate: 1e-2, activation: 'relu', rng: rng(7) });
  assert.deepEqual(u.dataSync(), uBefore);
  assert.notDeepEqual(v.dataSync(), vBefore);
  assert.ok(res.losses[9] < res.losses[0], `${res.losses[0]} → ${res.losses[9]}`);
  tf.dispose([u, v, res.encoderBias, res.decoderBias]);
});

test('trainTiedAutoencoder validates its inputs; ae dictionary U = trained encoder weights', () => {
  const data = protoData();
  const w = tf.variable(tf.zeros([15, 3]));
  assert.throws(() => trainTiedAutoencoder({ data, weights: () => w, variables: [w], rng: rng(1) }), /trainTiedAutoencoder: expected weights\(\) of shape \[16, n_h\] to match the data's 16 columns, got \[15, 3\]/);
  assert.throws(() => trainTiedAutoencoder({ data, weights: () => w, variables: [w], epochs: -1, rng: rng(1) }), /trainTiedAutoencoder: expected epochs a non-negative integer, got -1/);
  w.dispose();
  const before = tf.memory().numTensors;
  const alpha = Int32Array.of(0, 1, 2, 3);
  const d0 = buildDictionary({ method: 'ae', epochs: 0 }, { nIn: 16, alpha, data, rng: rng(8) });
  const d = buildDictionary({ method: 'ae', epochs: 5 }, { nIn: 16, alpha, data, rng: rng(8) });
  assert.equal(tf.memory().numTensors, before, 'ae disposes its variables');
  assert.equal(d.u.length, 64);
  // epochs 0 returns the Glorot-normal initialisation; training moves it
  const std = Math.sqrt(d0.u.reduce((s, x) => s + x * x, 0) / 64);
  assert.ok(Math.abs(std - Math.sqrt(2 / 20)) < 0.1, `init std ${std}`);
  assert.notDeepEqual(d.u, d0.u);
});
