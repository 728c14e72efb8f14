import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { calibrateColumns, referenceVariance } from './calibrate.js';
import { PredictedDense } from './predicted_dense.js';
import { buildMlp, paperMlpLayers } from '../models/mlp.js';
import { prepareDataDictionaries } from '../models/prepare.js';
import { randt, weightValues } from './test_util.js';

before(async () => {
  await tf.setBackend('cpu');
});

/** Mean square of x·U_jV_j per column j, in float64 from the raw weight arrays (the reference). */
function columnMeanSquares(layer: PredictedDense, x: Float32Array, rows: number): number[] {
  const n = layer.nIn, J = layer.columns, a = layer.nAlpha, h = layer.units / J;
  const u = weightValues(layer, 'U'), v = weightValues(layer, 'V'); // U: n × J·a, V: J × a × h
  const out: number[] = [];
  for (let j = 0; j < J; j++) {
    let s = 0;
    for (let r = 0; r < rows; r++) {
      const xu = new Float64Array(a);
      for (let i = 0; i < n; i++) for (let k = 0; k < a; k++) xu[k] += x[r * n + i] * u[i * J * a + j * a + k];
      for (let o = 0; o < h; o++) {
        let z = 0;
        for (let k = 0; k < a; k++) z += xu[k] * v[(j * a + k) * h + o];
        s += z * z;
      }
    }
    out.push(s / (rows * h));
  }
  return out;
}

describe('calibrateColumns', () => {
  for (const reference of ['he', 'glorot'] as const) {
    it(`each column's pre-activation mean square becomes σ²·E‖x‖² of a ${reference} dense layer`, () => {
      const layer = new PredictedDense({ units: 12, columns: 3, nAlpha: 5, dictionary: { method: 'se', lengthScale: 2 }, inputGeometry: { height: 6, width: 6, channels: 1 }, seed: 3 });
      layer.apply(tf.zeros([1, 36]));
      const x = tf.relu(randt([40, 36], 7)) as tf.Tensor2D;
      const xs = x.dataSync() as Float32Array;
      const before = columnMeanSquares(layer, xs, 40);
      const factors = calibrateColumns(layer, x, reference);
      const after = columnMeanSquares(layer, xs, 40);
      let sq = 0;
      for (let i = 0; i < xs.length; i++) sq += xs[i] * xs[i];
      const target = referenceVariance(reference, 36, 12) * (sq / 40);
      assert.equal(factors.length, 3);
      for (let j = 0; j < 3; j++) {
        assert.ok(Math.abs(after[j] / target - 1) < 1e-4, `column ${j}: ${after[j]} vs ${target}`);
        assert.ok(Math.abs(factors[j] ** 2 * before[j] / after[j] - 1) < 1e-4, `column ${j}: factor ${factors[j]}`);
      }
      assert.equal(referenceVariance(reference, 36, 12), reference === 'he' ? 2 / 36 : 2 / 48);
    });
  }

  it('prepareDataDictionaries calibrates before pretraining, layer by layer on the features below', () => {
    const m = buildMlp({ inputSize: 16, hidden: [8, 6], classes: 3, inputGeometry: { height: 4, width: 4, channels: 1 }, layers: [{ nAlpha: 6, columns: 2 }, { nAlpha: 4, columns: 2, dictionary: { method: 'emp' } }], seed: 2 });
    const x = tf.relu(randt([64, 16], 3));
    const r = prepareDataDictionaries(m, x, { calibrate: 'he' });
    assert.deepEqual(r.calibrated.map((c) => c.layer), m.layers.slice(0, 2).map((l) => l.name));
    // a second pass on the same sample finds every column already at the reference scale
    const again = prepareDataDictionaries(m, x, { calibrate: 'he' });
    for (const c of again.calibrated) for (const f of c.factors) assert.ok(Math.abs(f - 1) < 1e-3, `${c.layer}: ${f}`);
    // with pretraining, the report still lists the calibration first (it ran on the untrained V)
    const m2 = buildMlp({ inputSize: 16, hidden: [8, 6], classes: 3, inputGeometry: { height: 4, width: 4, channels: 1 }, layers: [{ nAlpha: 6, columns: 2 }, null], seed: 2 });
    const r2 = prepareDataDictionaries(m2, x, { calibrate: 'he', pretrain: { epochs: 2, batchSize: 16 } });
    assert.equal(r2.calibrated.length, 1);
    assert.equal(r2.pretrained.length, 2);
  });

  it('the paper MLP at 5 %: uncalibrated pre-activations are several times a He layer\'s (why calibration exists)', () => {
    const m = buildMlp({ layers: [paperMlpLayers('se', 0.05, 10)[0], null], seed: 1 });
    const x = tf.relu(randt([50, 784], 9));
    const f = calibrateColumns(m.layers[0] as PredictedDense, x as tf.Tensor2D, 'he');
    for (const k of f) assert.ok(k < 0.8, `factor ${k}`);
  });
});
