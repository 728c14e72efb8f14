import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { buildConvnet } from '../../core/models/convnet.js';
import { PredictedConv2D } from '../../core/layers/predicted_conv2d.js';
import { constrainColumns, trainStep } from './train_step.js';

/** Largest L2 norm over the columns of `w`, a column = every axis in `axes` at one index of the others (loops). */
function maxColumnNormOf(w: tf.Tensor, axes: number[]): number {
  const shape = w.shape;
  const vals = w.dataSync();
  const sums = new Map<string, number>();
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((p, q) => p * q, 1));
  for (let f = 0; f < vals.length; f++) {
    const key = shape.map((n, i) => (axes.includes(i) ? '*' : Math.floor(f / strides[i]) % n)).join(',');
    sums.set(key, (sums.get(key) ?? 0) + vals[f] ** 2);
  }
  return Math.sqrt(Math.max(...sums.values()));
}

test('maxColumnNorm on a convnet: a predicted conv V is clipped per output channel (over n_α and c_in), plain kernels over all axes but the last', async () => {
  await tf.setBackend('cpu');
  const max = 0.05; // far below the initial norms: every column is clipped after the step
  const model = buildConvnet({
    inputShape: [8, 8, 2], classes: 3, convLayers: [[4, 3], [4, 3]], pools: [1, 1], denseUnits: 6, seed: 1,
    convs: [{ fraction: 0.5, dictionary: { method: 'rand' } }, null],
  });
  const constrained = constrainColumns(model, max);
  const pc = model.layers.find((l) => l instanceof PredictedConv2D) as PredictedConv2D;
  assert.ok(constrained.includes(pc.weightsByRole.V), 'V carries the constraint');
  const x = tf.randomNormal([5, 8 * 8 * 2], 0, 1, 'float32', 3) as tf.Tensor2D;
  const labels = tf.tensor1d([0, 1, 2, 0, 1], 'int32');
  const y = tf.oneHot(labels, 3).toFloat() as tf.Tensor2D;
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  trainStep(model, tf.train.sgd(1), vars, { x, y, labels }, { probs: true, weightDecay: 0, constrained, modelInputShape: [8, 8, 2] });
  const v = pc.weightsByRole.V.read();
  const tol = max * (1 + 1e-5);
  assert.ok(maxColumnNormOf(v, [0, 1]) <= tol, `V columns over (n_α, c_in): ${maxColumnNormOf(v, [0, 1])}`);
  // clipping over n_α alone (the old rule for a rank-3 V) would leave these columns up to √c_in times too long
  assert.ok(maxColumnNormOf(v, [0]) > 0.5 * max);
  for (const w of model.trainableWeights) {
    if (w.shape.length < 2 || w === pc.weightsByRole.V) continue;
    const axes = [...Array(w.shape.length - 1).keys()];
    assert.ok(maxColumnNormOf(w.read(), axes) <= tol, `${w.name}: ${maxColumnNormOf(w.read(), axes)}`);
  }
  assert.deepEqual(constrainColumns(buildConvnet({ inputShape: [8, 8, 2], classes: 3, convLayers: [[4, 3]], pools: [1], denseUnits: 6 }), null), [], 'null attaches nothing');
  tf.dispose([x, y, labels]);
  model.dispose();
});
