import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { MaxColumnNorm, applyConstraints } from './max_column_norm.js';
import { PredictedConv2D } from './predicted_conv2d.js';
import { PredictedDense } from './predicted_dense.js';
import { assertClose, randt } from './test_util.js';

before(async () => {
  await tf.setBackend('cpu');
});

/**
 * Reference by loops: `column(o)` lists the flat indices of output unit o's weights; each column whose
 * L2 norm exceeds `max` is scaled to norm `max`, the others are left alone.
 */
function clipColumns(w: Float32Array, units: number, column: (o: number) => number[], max: number): Float32Array {
  const out = Float32Array.from(w);
  for (let o = 0; o < units; o++) {
    const idx = column(o);
    const norm = Math.sqrt(idx.reduce((s, i) => s + w[i] ** 2, 0));
    if (norm > max) for (const i of idx) out[i] = (w[i] * max) / norm;
  }
  return out;
}

function columnNorms(w: Float32Array, units: number, column: (o: number) => number[]): number[] {
  return Array.from({ length: units }, (_, o) => Math.sqrt(column(o).reduce((s, i) => s + w[i] ** 2, 0)));
}

/** V scaled up so that some columns exceed `max` and some do not. */
function inflateV(l: PredictedDense | PredictedConv2D, seed: number): tf.Variable {
  const v = l.weightsByRole.V.read() as tf.Variable;
  v.assign(tf.mul(randt(v.shape, seed), tf.linspace(0.05, 1.5, v.shape[v.shape.length - 1])));
  return v;
}

describe('MaxColumnNorm on the predicted layers', () => {
  it('PredictedConv2D: V [n_α, c_in, c_out] is clipped per output channel over n_α and c_in (loops)', () => {
    const [a, cIn, cOut] = [3, 4, 6];
    const l = new PredictedConv2D({ filters: cOut, kernelSize: 3, nAlpha: a, seed: 2, dictionary: { method: 'rand' }, maxColumnNorm: 1 });
    l.apply(tf.input({ shape: [5, 5, cIn] }));
    assert.deepEqual(l.vColumnAxes, [0, 1]);
    const v = inflateV(l, 7);
    const before = v.dataSync().slice() as Float32Array;
    const column = (o: number) => Array.from({ length: a * cIn }, (_, k) => k * cOut + o); // V[α, c, o] at (α·c_in + c)·c_out + o
    const norms = columnNorms(before, cOut, column);
    assert.ok(norms.some((n) => n > 1.01) && norms.some((n) => n < 0.99), `some columns above and some below 1: ${norms}`);
    applyConstraints(l.trainableWeights);
    const after = v.dataSync() as Float32Array;
    assertClose(after, clipColumns(before, cOut, column, 1), 'conv V', 1e-5, 1e-7);
    // the rule of a kernel (over axis 1 of V, as the runner did by its variable name) would differ here
    const axis1 = (o: number) => Array.from({ length: cIn }, (_, c) => c * cOut + o);
    assert.notDeepEqual(Array.from(clipColumns(before, cOut, axis1, 1)), Array.from(clipColumns(before, cOut, column, 1)));
  });

  it('PredictedDense: V [J, n_α, n_h/J] is clipped per output unit over n_α (loops)', () => {
    const [J, a, units] = [2, 3, 8];
    const m = units / J;
    const l = new PredictedDense({ units, columns: J, nAlpha: a, seed: 3, dictionary: { method: 'rand' }, maxColumnNorm: 0.5 });
    l.apply(tf.input({ shape: [10] }));
    const v = inflateV(l, 9);
    const before = v.dataSync().slice() as Float32Array;
    // output unit o = j·m + q has V[j, :, q] at (j·n_α + k)·m + q
    const column = (o: number) => Array.from({ length: a }, (_, k) => (Math.floor(o / m) * a + k) * m + (o % m));
    applyConstraints(l.trainableWeights);
    assertClose(v.dataSync(), clipColumns(before, units, column, 0.5), 'dense V', 1e-5, 1e-7);
  });

  it('the constraint is attached to V in build, set later by setMaxColumnNorm, kept in the config, and idempotent bit for bit', () => {
    const l = new PredictedConv2D({ filters: 4, kernelSize: 2, nAlpha: 2, seed: 1, dictionary: { method: 'rand' } });
    l.apply(tf.input({ shape: [4, 4, 2] }));
    assert.equal(l.weightsByRole.V.constraint, null);
    l.setMaxColumnNorm(0.3);
    const c = l.weightsByRole.V.constraint as MaxColumnNorm;
    assert.ok(c instanceof MaxColumnNorm);
    assert.deepEqual(c.getConfig(), { maxValue: 0.3, axes: [0, 1] });
    assert.equal(l.getConfig().maxColumnNorm, 0.3);
    const v = inflateV(l, 4);
    applyConstraints(l.trainableWeights);
    const once = v.dataSync().slice();
    // writing the clipped weights back (setWeights on resume) re-applies the constraint: nothing changes
    l.setWeights(l.getWeights());
    assert.deepEqual(l.weightsByRole.V.read().dataSync(), once);
    l.setMaxColumnNorm(null);
    assert.equal(l.weightsByRole.V.constraint, null);
    assert.throws(() => l.setMaxColumnNorm(-1), /PredictedConv2D\.setMaxColumnNorm: expected a positive number or null, got -1/);
  });

  it('setDictionaryLoaded makes an unfilled data-driven layer callable', () => {
    const l = new PredictedDense({ units: 4, nAlpha: 2, dictionary: { method: 'emp' } });
    l.apply(tf.input({ shape: [6] }));
    assert.throws(() => l.apply(tf.zeros([2, 6])), /PredictedDense: expected the data-driven dictionary 'emp' of layer '.*' to be built from data/);
    l.setDictionaryLoaded();
    assert.deepEqual((l.apply(tf.zeros([2, 6])) as tf.Tensor).shape, [2, 4]);
  });
});
