import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '../index.js'; // parampred/node: layers registered, file:// router
import { defineExperiment } from '../../core/experiments/index.js';
import { PredictedConv2D } from '../../core/layers/predicted_conv2d.js';
import { PredictedDense } from '../../core/layers/predicted_dense.js';
import { runExperiment } from './runner.js';
import { loadRunModel, runPath } from './run_dir.js';
import { loadTfjsModel, saveTfjsModel } from './tfjs_model.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'pp-tfjs-'));

const base = {
  why: 'tfjs model tests',
  dataset: { name: 'synthetic', limit: { train: 120, test: 60 } },
  optimizer: { lr: 3e-3 },
  batchSize: 20,
  epochs: 1,
  dictionarySample: 60,
} as const;

/** The run's model (rebuilt from parampred's arrays) and the TF.js model it saved give the same outputs. */
async function checkRun(exp: ReturnType<typeof defineExperiment>, x: tf.Tensor, predicted: (typeof PredictedDense | typeof PredictedConv2D)[]) {
  const dir = tmp();
  try {
    await runExperiment(exp, { outDir: dir, progress: 'none', figures: false, backend: 'current' });
    assert.ok(existsSync(join(dir, 'tfjs', 'model.json')) && existsSync(join(dir, 'tfjs', 'weights.bin')));
    assert.deepEqual(readdirSync(dir).filter((f) => f.includes('partial')), [], 'no temporary folder left');
    const run = await loadRunModel(dir);
    const loaded = await tf.loadLayersModel(`file://${join(runPath(dir, 'tfjs'), 'model.json')}`);
    assert.deepEqual(loaded.layers.map((l) => l.getClassName()), run.model.layers.map((l) => l.getClassName()));
    for (const cls of predicted) assert.ok(loaded.layers.some((l) => l instanceof cls), `a ${cls.className} came back as one`);
    const a = (run.model.predict(x) as tf.Tensor).dataSync();
    const b = (loaded.predict(x) as tf.Tensor).dataSync();
    // softmax outputs (the runner trains them as logits): rows sum to 1
    assert.ok(Math.abs(Array.from(b.slice(0, 4)).reduce((s, v) => s + v, 0) - 1) < 1e-5);
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= 1e-6, `output ${i}: ${a[i]} vs ${b[i]}`);
    run.model.dispose();
    loaded.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a run keeps its model in TF.js format: an MLP with predicted layers (SE and data-driven emp) loads back with the same outputs', async () => {
  const exp = defineExperiment({
    ...base, name: 'tfjs-mlp',
    model: { kind: 'mlp', hidden: [16, 12], layers: [{ fraction: 0.25, columns: 2, dictionary: { method: 'se' } }, { fraction: 0.5, columns: 2, dictionary: { method: 'emp' } }] },
  });
  const x = tf.randomNormal([5, 64], 0, 1, 'float32', 3);
  await checkRun(exp, x, [PredictedDense]);
  x.dispose();
});

test('a convnet run with predicted conv and dense layers loads back with the same outputs', async () => {
  const spec = { convLayers: [[4, 3]] as [number, number][], convs: [{ fraction: 0.5, dictionary: { method: 'se' } }], pools: [2], denseUnits: 8, dense: { fraction: 0.5, columns: 2, dictionary: { method: 'se' } } };
  const exp = defineExperiment({ ...base, name: 'tfjs-conv', model: { kind: 'convnet', spec } });
  const x = tf.randomNormal([5, 8, 8, 1], 0, 1, 'float32', 4);
  await checkRun(exp, x, [PredictedConv2D, PredictedDense]);
  x.dispose();
});

test('saveTfjsModel replaces an existing folder; loadTfjsModel names what is missing', async () => {
  const dir = tmp();
  try {
    const m = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
    const target = join(dir, 'tfjs');
    mkdirSync(target);
    writeFileSync(join(target, 'stale.txt'), 'x');
    await saveTfjsModel(m, target);
    assert.deepEqual(readdirSync(target).sort(), ['model.json', 'weights.bin']);
    const back = await loadTfjsModel(target);
    assert.deepEqual(back.getWeights()[0].dataSync(), m.getWeights()[0].dataSync());
    await assert.rejects(loadTfjsModel(join(dir, 'nope')), /loadTfjsModel: expected a TF.js model \(model.json \+ weights\) at .*nope, got no such path/);
    writeFileSync(join(dir, 'model.json'), '{"nothing": 1}');
    await assert.rejects(loadTfjsModel(dir), /loadTfjsModel: expected a loadable TF.js layers model at/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
