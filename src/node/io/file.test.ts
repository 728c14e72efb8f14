import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { registerFileRouter } from './file.js';
import { PredictedDense } from '../../core/layers/predicted_dense.js';
import { PredictedConv2D } from '../../core/layers/predicted_conv2d.js';

before(async () => {
  await tf.setBackend('cpu');
  registerFileRouter();
});

describe('file:// save and load', () => {
  it('round-trips a model with predicted layers bit-exactly (U, V, α, bias, config)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parampred-io-'));
    try {
      const m = tf.sequential();
      m.add(new PredictedConv2D({ inputShape: [6, 6, 2], filters: 4, kernelSize: 3, fraction: 0.5, seed: 2, activation: 'relu' }));
      m.add(tf.layers.flatten());
      m.add(new PredictedDense({ units: 6, columns: 3, nAlpha: 5, dictionary: { method: 'se' }, inputGeometry: { height: 4, width: 4, channels: 4 }, seed: 3 }));
      m.add(tf.layers.dense({ units: 2 }));
      await m.save(`file://${dir}`);
      const m2 = await tf.loadLayersModel(`file://${dir}/model.json`);
      assert.deepEqual(m2.layers.map((l) => l.getConfig()), m.layers.map((l) => l.getConfig()));
      const w1 = m.getWeights(), w2 = m2.getWeights();
      assert.equal(w2.length, w1.length);
      w1.forEach((w, i) => assert.deepEqual(w2[i].dataSync(), w.dataSync(), m.weights[i].name));
      const x = tf.randomNormal([3, 6, 6, 2], 0, 1, 'float32', 1);
      assert.deepEqual((m2.predict(x) as tf.Tensor).dataSync(), (m.predict(x) as tf.Tensor).dataSync());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
