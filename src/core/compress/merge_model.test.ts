import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { buildMlp } from '../models/mlp.js';
import { buildConvnet } from '../models/convnet.js';
import { PredictedLayer } from '../layers/predicted_layer.js';
import { mergeModel } from './merge_model.js';

/** Max |a − b| relative to max |a|. */
function relErr(a: tf.Tensor, b: tf.Tensor): number {
  const x = a.dataSync(), y = b.dataSync();
  assert.equal(x.length, y.length);
  let d = 0, m = 0;
  for (let i = 0; i < x.length; i++) {
    d = Math.max(d, Math.abs(x[i] - y[i]));
    m = Math.max(m, Math.abs(x[i]));
  }
  return d / m;
}

/** Saves and loads through TF.js's in-memory IO (the serialization path every IO handler shares). */
async function roundTrip(m: tf.LayersModel): Promise<tf.LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await m.save(tf.io.withSaveHandler(async (a) => {
    saved = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return tf.loadLayersModel(tf.io.fromMemory(saved!));
}

/** Scrambles every weight (V, biases, kernels) so that the test does not rest on initial values. */
function randomize(m: tf.LayersModel, seed: number): void {
  m.layers.forEach((l, i) => l.setWeights(l.getWeights().map((w, k) => (w.dtype === 'float32' && !/alpha|U/.test(l.weights[k].originalName) ? tf.randomNormal(w.shape, 0, 0.3, 'float32', seed + 31 * i + k) : w))));
}

/** Reference outputs: each predicted layer's composite W applied by hand, layer by layer (ReLU / softmax). */
function mlpByHand(m: tf.LayersModel, x: tf.Tensor2D): tf.Tensor {
  return tf.tidy(() => {
    let h: tf.Tensor2D = x;
    m.layers.forEach((l, i) => {
      const w = l instanceof PredictedLayer ? (l as unknown as { composite(): tf.Tensor2D }).composite() : (l.getWeights()[0] as tf.Tensor2D);
      const b = l.getWeights().find((t, k) => /bias/.test(l.weights[k].originalName))!;
      const z = tf.add(tf.matMul(h, w), b) as tf.Tensor2D;
      h = i === m.layers.length - 1 ? tf.softmax(z) : tf.relu(z);
    });
    return h;
  });
}

test('mergeModel: an MLP with predicted layers becomes plain Dense layers with the same outputs (vs composite W by hand), and saves/loads', async () => {
  const m = buildMlp({ inputSize: 36, hidden: [12, 10], classes: 4, inputGeometry: { height: 6, width: 6, channels: 1 }, layers: [{ fraction: 0.5, columns: 3, dictionary: { method: 'se' } }, { fraction: 0.5, columns: 2, dictionary: { method: 'rand' } }], seed: 2 });
  randomize(m, 5);
  const merged = mergeModel(m);
  assert.deepEqual(merged.layers.map((l) => l.getClassName()), ['Dense', 'Dense', 'Dense']);
  assert.deepEqual(merged.layers.map((l) => l.name), m.layers.map((l) => l.name));
  assert.equal(merged.countParams(), 36 * 12 + 12 + 12 * 10 + 10 + 10 * 4 + 4);
  const x = tf.randomNormal([7, 36], 0, 1, 'float32', 9) as tf.Tensor2D;
  const ref = mlpByHand(m, x);
  assert.ok(relErr(ref, m.predict(x) as tf.Tensor) < 1e-5, 'the reference agrees with the predicted model');
  assert.ok(relErr(ref, merged.predict(x) as tf.Tensor) < 1e-5);
  const back = await roundTrip(merged);
  assert.deepEqual((back.predict(x) as tf.Tensor).dataSync(), (merged.predict(x) as tf.Tensor).dataSync());
  // independent: disposing the original leaves the merged model usable
  m.dispose();
  assert.ok(relErr(ref, merged.predict(x) as tf.Tensor) < 1e-5);
});

test('mergeModel: the convnet builder at a small size (predicted conv and dense) gives the same outputs with Conv2D / Dense layers', () => {
  const m = buildConvnet({ inputShape: [9, 9, 2], classes: 3, convLayers: [[4, 3], [5, 3]], convs: [{ fraction: 0.5, dictionary: { method: 'se' } }, null], pools: [2, 1], padding: 'same', denseUnits: 6, dense: { fraction: 0.5, columns: 2, dictionary: { method: 'se' } }, seed: 1 });
  randomize(m, 11);
  const merged = mergeModel(m);
  assert.ok(!merged.layers.some((l) => l instanceof PredictedLayer));
  assert.deepEqual(merged.layers.map((l) => l.getClassName()), m.layers.map((l) => l.getClassName().replace('Predicted', '')));
  const x = tf.randomNormal([4, 9, 9, 2], 0, 1, 'float32', 3);
  assert.ok(relErr(m.predict(x) as tf.Tensor, merged.predict(x) as tf.Tensor) < 1e-5);
  // the merged conv filters are the predicted layer's composite, exactly
  const conv = m.layers.find((l) => l instanceof PredictedLayer)! as unknown as { name: string; composite(): tf.Tensor };
  assert.deepEqual(merged.getLayer(conv.name).getWeights()[0].dataSync(), conv.composite().dataSync());
});

test('mergeModel: a functional model and a model without predicted layers; a non-model is refused', () => {
  const inp = tf.input({ shape: [5] });
  const a = tf.layers.dense({ units: 3, activation: 'relu', name: 'a' }).apply(inp) as tf.SymbolicTensor;
  const m = tf.model({ inputs: inp, outputs: tf.layers.dense({ units: 2, name: 'b' }).apply(a) as tf.SymbolicTensor });
  const merged = mergeModel(m);
  assert.ok(!(merged instanceof tf.Sequential));
  const x = tf.randomNormal([3, 5], 0, 1, 'float32', 1);
  assert.deepEqual((merged.predict(x) as tf.Tensor).dataSync(), (m.predict(x) as tf.Tensor).dataSync());
  assert.throws(() => mergeModel({} as tf.LayersModel), /mergeModel: expected a tf.LayersModel, got/);
});
