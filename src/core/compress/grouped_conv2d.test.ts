import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { GroupedConv2D } from './grouped_conv2d.js';
import { layerCost } from './cost.js';
import { convWith, groupedAsDense, relDiff, roundTrip } from './conv_test_util.js';

const IN: [number, number, number] = [7, 8, 5];

/**
 * Groups reading channels {3, 0}, {1, 2} and {4, 1} (overlapping) into 2, 3 and 1 filters (concat), outputs
 * permuted; or, `equal`, into 2 filters each (stack + transpose), 4 of the 6 kept in a new order.
 */
function layer(strides: [number, number] = [1, 1], padding: 'valid' | 'same' = 'same', equal = false, activation: 'relu' | 'tanh' = 'relu'): GroupedConv2D {
  const l = new GroupedConv2D({ kernelSize: [3, 2], strides, padding, inputGroups: [[3, 0], [1, 2], [4, 1]], groupFilters: equal ? [2, 2, 2] : [2, 3, 1], outputOrder: equal ? [5, 0, 3, 2] : [5, 0, 3, 1, 4, 2], activation, name: 'g' });
  l.apply(tf.input({ shape: IN }));
  l.setWeights(l.weights.map((w, i) => tf.randomNormal(w.shape as number[], 0, 1, 'float32', 10 + i)));
  return l;
}

test('GroupedConv2D: outputs equal a dense conv2d with the block-structured, permuted kernel (+ bias, activation), for same / valid padding and strides; output shape and counted cost Σ_g kh·kw·C_g·F_g; equal groups (stack path) and a selecting outputOrder too', () => {
  const x = tf.randomNormal([2, ...IN], 0, 1, 'float32', 1);
  for (const [strides, padding, equal, activation = 'relu'] of [[[1, 1], 'same', false], [[2, 3], 'valid', false], [[2, 2], 'same', false], [[1, 1], 'same', true], [[2, 3], 'valid', true], [[1, 1], 'same', true, 'tanh'], [[1, 1], 'valid', false, 'tanh']] as [[number, number], 'valid' | 'same', boolean, ('relu' | 'tanh')?][]) {
    const l = layer(strides, padding, equal, activation);
    const F = equal ? 4 : 6, macs = 2 * 2 + 2 * (equal ? 2 : 3) + 2 * (equal ? 2 : 1);
    const { w, shape } = groupedAsDense(l, IN[2]);
    const bias = l.getWeights()[3];
    const y = l.apply(x) as tf.Tensor;
    const ref = convWith(x, w, shape, bias, { filters: F, kernelSize: [3, 2], strides, padding, activation });
    assert.deepEqual(y.shape, ref.shape);
    assert.deepEqual(l.computeOutputShape([null, ...IN]), [null, ...ref.shape.slice(1)]);
    assert.ok(relDiff(y, ref) < 1e-5, `${strides} ${padding}: ${relDiff(y, ref)}`);
    const positions = ref.shape[1]! * ref.shape[2]!;
    assert.deepEqual(layerCost(l, IN), { parameters: 6 * macs + F, multiplyAdds: positions * 6 * macs });
  }
});

test('GroupedConv2D: a model holding it saves and loads (JSON topology) with identical outputs', async () => {
  const m = tf.sequential({ layers: [tf.layers.conv2d({ filters: 5, kernelSize: 1, inputShape: IN, name: 'c', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) })] });
  const g = layer();
  m.add(new GroupedConv2D(g.getConfig() as unknown as ConstructorParameters<typeof GroupedConv2D>[0]));
  m.layers[1].setWeights(g.getWeights());
  const back = await roundTrip(m);
  assert.equal(back.layers[1].getClassName(), 'GroupedConv2D');
  assert.deepEqual(back.layers[1].getConfig(), m.layers[1].getConfig());
  const x = tf.randomNormal([3, ...IN], 0, 1, 'float32', 2);
  assert.deepEqual((back.predict(x) as tf.Tensor).dataSync(), (m.predict(x) as tf.Tensor).dataSync());
});

test('GroupedConv2D: bad configs are ParampredErrors', () => {
  const base = { kernelSize: 3, inputGroups: [[0, 1], [2]], groupFilters: [1, 2] };
  assert.throws(() => new GroupedConv2D({ ...base, groupFilters: [1] }), /GroupedConv2D: expected groupFilters: 2 positive integers \(one per group\), got \[1\]/);
  assert.throws(() => new GroupedConv2D({ ...base, inputGroups: [[0], []] }), /GroupedConv2D: expected inputGroups: one or more non-empty lists of channel indices/);
  assert.throws(() => new GroupedConv2D({ ...base, outputOrder: [0, 0, 1] }), /GroupedConv2D: expected outputOrder distinct indices in 0\.\.2, got \[0,0,1\]/);
  assert.throws(() => new GroupedConv2D({ ...base, outputOrder: [3] }), /GroupedConv2D: expected outputOrder distinct indices in 0\.\.2, got \[3\]/);
  assert.throws(() => new GroupedConv2D({ ...base, activation: 'swish' }), /GroupedConv2D: expected activation to be one of/);
  assert.throws(() => new GroupedConv2D(base).apply(tf.input({ shape: [5, 5, 2] })), /GroupedConv2D: expected input channel indices below the input's 2 channels, got 2 in layer/);
});
