import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { buildMlp, paperMlpLayers } from './mlp.js';
import { buildConvnet } from './convnet.js';
import { prepareDataDictionaries } from './prepare.js';
import { countParameters } from '../count.js';
import { calibrateScale } from '../layers/calibrate.js';
import { PredictedDense } from '../layers/predicted_dense.js';
import { PredictedConv2D } from '../layers/predicted_conv2d.js';
import { randt, weightValues } from '../layers/test_util.js';

before(async () => {
  await tf.setBackend('cpu');
});

describe('models', () => {
  it('buildMlp se-emp at 5 % with 10 columns: paper fraction, data dictionary of layer 2 from layer-1 features', () => {
    const m = buildMlp({ layers: paperMlpLayers('se-emp', 0.05, 10), seed: 1 });
    const [l1, l2] = m.layers as PredictedDense[];
    assert.deepEqual([l1.dictionary.method, l2.dictionary.method, l1.nAlpha, l2.nAlpha], ['se', 'emp', 39, 25]);
    assert.throws(() => m.predict(tf.zeros([2, 784])), /data-driven dictionary 'emp'/);
    const sample = tf.relu(randt([60, 784], 2));
    const r = prepareDataDictionaries(m, sample);
    assert.deepEqual(r.dictionaries, [l2.name]);
    assert.equal((m.predict(sample) as tf.Tensor).shape.join(), '60,10');
    const c = countParameters(m);
    assert.equal(c.paper.fraction, (39 * 500 + 25 * 500) / (784 * 500 + 500 * 500));
  });

  it('layer-wise pretraining trains V and biases only, and lowers the reconstruction loss', () => {
    const m = buildMlp({ inputSize: 16, hidden: [8, 6], classes: 3, activation: 'sigmoid', inputGeometry: { height: 4, width: 4, channels: 1 }, layers: [{ nAlpha: 6, columns: 2 }, { nAlpha: 4, columns: 2, dictionary: { method: 'emp' } }] });
    const [l1, l2] = m.layers;
    const before = [l1, l2].map((l) => ({ U: weightValues(l, 'U').slice(), V: weightValues(l, 'V').slice() }));
    const r = prepareDataDictionaries(m, tf.sigmoid(randt([64, 16], 3)), { pretrain: { epochs: 8, batchSize: 16, learningRate: 0.02 } });
    assert.equal(r.pretrained.length, 2);
    for (const p of r.pretrained) assert.ok(p.losses[p.losses.length - 1] < p.losses[0], `${p.layer}: ${p.losses}`);
    assert.deepEqual(weightValues(l1, 'U'), before[0].U);
    assert.notDeepEqual(weightValues(l1, 'V'), before[0].V);
    assert.notDeepEqual(weightValues(l2, 'U'), before[1].U); // built from data after layer 1 was pretrained
  });

  it('calibrateScale matches each predicted layer to a dense layer (a second pass changes nothing)', () => {
    const m = buildConvnet({ inputShape: [12, 12, 3], convLayers: [[4, 3], [6, 3], [6, 3]], pools: [2, 1, 1], convs: [{ fraction: 0.5 }, { fraction: 0.5 }, null], denseUnits: 10, dense: { nAlpha: 3, columns: 2 } });
    const x = randt([20, 12, 12, 3], 4);
    const first = calibrateScale(m, x);
    assert.equal(first.length, 3);
    const second = calibrateScale(m, x);
    for (const s of second) assert.ok(Math.abs(s.factor - 1) < 1e-3, `${s.layer}: ${s.factor}`);
  });

  it('buildConvnet: the paper architecture with predicted convs and a 5-column SE dense layer', () => {
    const m = buildConvnet({ convs: [{ fraction: 0.25 }, { fraction: 0.25 }, { fraction: 0.25 }], dense: { fraction: 0.5 } });
    const kinds = m.layers.map((l) => l.getClassName());
    assert.deepEqual(kinds, ['PredictedConv2D', 'MaxPooling2D', 'PredictedConv2D', 'PredictedConv2D', 'Flatten', 'PredictedDense', 'Dense']);
    assert.deepEqual(m.layers.map((l) => (l.outputShape as number[]).slice(1)), [[25, 25, 48], [12, 12, 48], [5, 5, 64], [1, 1, 64], [64], [500], [10]]);
    const c1 = m.layers[0] as PredictedConv2D, d = m.layers[5] as PredictedDense;
    assert.deepEqual([c1.nAlpha, d.columns, d.nAlpha], [16, 5, 32]);
    assert.equal((m.predict(randt([2, 32, 32, 3], 5)) as tf.Tensor).shape.join(), '2,10');
  });
});
