import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { countParameters } from './count.js';
import { PredictedDense } from './layers/predicted_dense.js';
import { PredictedConv2D } from './layers/predicted_conv2d.js';

before(async () => {
  await tf.setBackend('cpu');
});

describe('countParameters', () => {
  it('matches the definitions on a small MLP (paper and whole-network conventions)', () => {
    const [nv, h1, h2, out, J, a] = [12, 6, 4, 3, 2, 3];
    const m = tf.sequential();
    m.add(new PredictedDense({ inputShape: [nv], units: h1, columns: J, nAlpha: a, dictionary: { method: 'rand' } }));
    m.add(tf.layers.dense({ units: h2 }));
    m.add(tf.layers.dense({ units: out, activation: 'softmax' }));
    const c = countParameters(m);
    assert.deepEqual(c.layers.map((l) => [l.kind, l.dynamic, l.total, l.fixed, l.bias, l.output]), [
      ['predicted-dense', a * h1, nv * h1, nv * J * a, h1, false],
      ['dense', h1 * h2, h1 * h2, 0, h2, false],
      ['dense', h2 * out, h2 * out, 0, out, true],
    ]);
    assert.equal(c.paper.convention, 'paper');
    assert.equal(c.paper.fraction, (a * h1) / (nv * h1));
    const trainable = a * h1 + h1 + h1 * h2 + h2 + h2 * out + out;
    assert.equal(c.wholeNetwork.trainable, trainable);
    assert.equal(c.wholeNetwork.trainable, m.countParams() - nv * J * a - J * a); // minus U and α
    assert.equal(c.wholeNetwork.fraction, trainable / (nv * h1 + h1 + h1 * h2 + h2 + h2 * out + out));
  });

  it('counts trained U for lowrank and tied spatial dictionaries for convs; dense nets have fraction 1', () => {
    const m = tf.sequential();
    m.add(new PredictedConv2D({ inputShape: [6, 6, 2], filters: 4, kernelSize: 3, nAlpha: 4, dictionary: { method: 'rand' } }));
    m.add(tf.layers.flatten());
    m.add(new PredictedDense({ units: 8, nAlpha: 5, dictionary: { method: 'lowrank' } }));
    m.add(tf.layers.dense({ units: 2 }));
    const c = countParameters(m);
    const conv = c.layers[0], lr = c.layers[2];
    assert.deepEqual([conv.dynamic, conv.total, conv.fixed], [4 * 2 * 4, 9 * 2 * 4, 9 * 4]);
    assert.deepEqual([lr.dynamic, lr.total, lr.fixed], [64 * 5 + 5 * 8, 64 * 8, 0]);
    assert.equal(c.paper.fraction, (32 + 360) / (72 + 512));
    const d = tf.sequential();
    d.add(tf.layers.dense({ inputShape: [5], units: 3 }));
    d.add(tf.layers.dense({ units: 2 }));
    const cd = countParameters(d);
    assert.equal(cd.paper.fraction, 1);
    assert.equal(cd.wholeNetwork.fraction, 1);
  });
});
