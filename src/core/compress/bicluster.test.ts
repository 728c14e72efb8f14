import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { mat, svd } from '../linalg.js';
import { approximateLayer, compressModel, chainCost, layerCost } from './index.js';
import { convModel, convWith, frob, groupedAsDense, layerOutput, relDiff, roundTrip, type ConvSpec } from './conv_test_util.js';

const C = 6, F = 8, KH = 3, KW = 2, P = KH * KW;
const IN: [number, number, number] = [8, 7, C];
const SPEC: ConvSpec = { filters: F, kernelSize: [KH, KW], padding: 'same', strides: [2, 1], activation: 'relu' };

/** Ŵ of the two-layer chain from its kernels: Ŵ[y, x, c, f] = Σ_j D1[y, x, c, j]·D2[0, 0, j, f] (D = each GroupedConv2D as a dense kernel). */
function composed(chain: tf.layers.Layer[]): Float64Array {
  const mid = chain[0].getConfig().groupFilters as number[];
  const J = mid.reduce((s, n) => s + n, 0);
  const d1 = groupedAsDense(chain[0], C).w, d2 = groupedAsDense(chain[1], J).w;
  const w = new Float64Array(P * C * F);
  for (let pc = 0; pc < P * C; pc++) for (let f = 0; f < F; f++) {
    let s = 0;
    for (let j = 0; j < J; j++) s += d1[pc * J + j] * d2[j * F + f];
    w[pc * F + f] = s;
  }
  return w;
}

/** Singular values of W as the (kh·kw·C) × F matrix (HWIO rows (y, x, c)). */
function spectrum(w: ArrayLike<number>): Float64Array {
  return svd(mat(P * C, F, Float64Array.from(w))).s;
}

test('bicluster with G = H = 1: error is √(Σ_{i>K} s_i²) of W as (kh·kw·C) × F, equal to ‖W − Ŵ‖ from the chain; at full K = min(kh·kw·C, F) the outputs are the original ones', () => {
  const m = convModel(IN, SPEC);
  const w = m.getLayer('conv').getWeights()[0].dataSync();
  const s = spectrum(w);
  const x = tf.randomNormal([2, ...IN], 0, 1, 'float32', 3);
  for (let k = 1; k <= F; k++) {
    const { approximation: ap } = approximateLayer(m, { layer: 'conv', method: 'bicluster', options: { inputGroups: 1, outputGroups: 1, rank: k } });
    const expected = Math.sqrt(s.slice(k).reduce((t, v) => t + v * v, 0));
    assert.ok(Math.abs(ap.error.frobenius - expected) < 1e-6 * (1 + expected), `K = ${k}: ${ap.error.frobenius} vs ${expected}`);
    assert.ok(Math.abs(frob(w, composed(ap.layers)) - expected) < 1e-5, `K = ${k}: measured ${frob(w, composed(ap.layers))} vs ${expected}`);
  }
  const { model: c, layers } = compressModel(m, [{ layer: 'conv', method: 'bicluster', options: { inputGroups: 1, outputGroups: 1, rank: F } }]);
  assert.ok(layers[0].error.relative < 1e-6);
  assert.ok(relDiff(layerOutput(c, 'conv', x), layerOutput(m, 'conv', x)) < 1e-4);
  assert.ok(relDiff(c.predict(x) as tf.Tensor, m.predict(x) as tf.Tensor) < 1e-4);
});

test('bicluster with groups: the chain evaluates conv(Ŵ), error.frobenius = ‖W − Ŵ‖ from the chain, non-increasing in K (same clustering), and 0 once K reaches every block\'s rank', () => {
  const m = convModel(IN, SPEC);
  const w = m.getLayer('conv').getWeights()[0].dataSync();
  const bias = m.getLayer('conv').getWeights()[1];
  const x = tf.randomNormal([2, ...IN], 0, 1, 'float32', 4);
  let last = Infinity, groups = '';
  for (let k = 1; k <= F; k++) {
    const opts = { inputGroups: 3, outputGroups: 2, rank: k };
    let ap;
    try {
      ap = approximateLayer(m, { layer: 'conv', method: 'bicluster', options: opts }).approximation;
    } catch (e) {
      assert.match(String(e), /expected rank an integer between 1 and the largest block rank/);
      break;
    }
    const g = JSON.stringify([ap.layers[0].getConfig().inputGroups, ap.layers[1].getConfig().groupFilters]);
    if (k > 1) assert.equal(g, groups, 'the clustering does not depend on K');
    groups = g;
    assert.deepEqual(ap.layers.map((l) => l.getClassName()), ['GroupedConv2D', 'GroupedConv2D']);
    const hat = composed(ap.layers);
    assert.ok(Math.abs(ap.error.frobenius - frob(w, hat)) < 1e-5, `K = ${k}: ${ap.error.frobenius} vs ${frob(w, hat)}`);
    assert.ok(ap.error.frobenius <= last + 1e-9, `K = ${k}: error grew`);
    last = ap.error.frobenius;
    const chain = ap.layers.reduce<tf.Tensor>((h, l) => l.apply(h) as tf.Tensor, x);
    assert.ok(relDiff(chain, convWith(x, hat, [KH, KW, C, F], bias, SPEC)) < 1e-4, `K = ${k}`);
  }
  // block (C_g·XY) × F_h has rank ≤ F_h ≤ F − 1 with two output groups: at the largest block rank the error is 0
  assert.ok(last < 1e-5, `error at the largest K ${last}`);
});

test('bicluster: reported costs are the counted costs of the two GroupedConv2D layers, and by hand H′·W′·K·(kh·kw·C·H + G·H·F̄)', () => {
  const m = convModel(IN, SPEC);
  const outPos = 4 * 7;
  for (const [G, H, K] of [[1, 1, 3], [3, 2, 2], [2, 4, 1]]) {
    const { approximation: ap, report } = approximateLayer(m, { layer: 'conv', method: 'bicluster', options: { inputGroups: G, outputGroups: H, rank: K } });
    const g = (ap.layers[0].getConfig().inputGroups as number[][]).length, filters = ap.layers[1].getConfig().groupFilters as number[], h = filters.length;
    const fBar = filters[0];
    assert.ok(filters.every((n) => n === fBar) && fBar >= F / h && fBar <= F - h + 1);
    assert.ok(g <= G && h <= H && g >= 1 && h >= 1);
    assert.deepEqual(report.after, chainCost(ap.layers, IN));
    assert.deepEqual(report.before, layerCost(m.getLayer('conv'), IN));
    assert.equal(report.after.multiplyAdds, outPos * K * (P * C * h + g * h * fBar));
    assert.equal(report.before.multiplyAdds, outPos * P * C * F);
  }
});

test('bicluster: a compressed convnet saves and loads (GroupedConv2D deserializes) with identical outputs', async () => {
  const m = convModel([8, 7, 3], SPEC, C);
  const { model: c } = compressModel(m, [{ layer: 'conv', method: 'bicluster', options: { inputGroups: 2, outputGroups: 2, rank: 2 } }]);
  assert.deepEqual(c.layers.map((l) => l.getClassName()), ['Conv2D', 'GroupedConv2D', 'GroupedConv2D', 'Conv2D', 'Flatten', 'Dense']);
  const back = await roundTrip(c);
  assert.deepEqual(back.layers.map((l) => l.getClassName()), c.layers.map((l) => l.getClassName()));
  const x = tf.randomNormal([3, 8, 7, 3], 0, 1, 'float32', 5);
  assert.deepEqual((back.predict(x) as tf.Tensor).dataSync(), (c.predict(x) as tf.Tensor).dataSync());
});

test('bicluster: bad input (G > C, H > F, K above the largest block rank, missing options, a Dense layer) is a ParampredError', () => {
  const m = convModel(IN, SPEC);
  const ap = (options: object, layer = 'conv') => approximateLayer(m, { layer, method: 'bicluster', options: options as Record<string, unknown> });
  assert.throws(() => ap({ inputGroups: 7, outputGroups: 2, rank: 1 }), /approximateLayer: expected inputGroups an integer between 1 and the 6 input channels of layer 'conv', got 7/);
  assert.throws(() => ap({ inputGroups: 2, outputGroups: 9, rank: 1 }), /approximateLayer: expected outputGroups an integer between 1 and the 8 filters of layer 'conv', got 9/);
  assert.throws(() => ap({ inputGroups: 1, outputGroups: 1, rank: 9 }), /approximateLayer: expected rank an integer between 1 and the largest block rank min\(kh·kw·C_g, F_h\) = 8 of layer 'conv' with 1 input × 1 output groups, got 9/);
  assert.throws(() => ap({ inputGroups: 2, outputGroups: 2 }), /expected valid options for method 'bicluster': rank: expected an integer ≥ 1/);
  assert.throws(() => ap({ inputGroups: 2, outputGroups: 2, rank: 1 }, 'out'), /expected a layer of class Conv2D for method 'bicluster', got 'out' of class Dense/);
});
