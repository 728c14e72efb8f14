import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '../index.js'; // parampred/node: file:// router, layers registered
import { defineExperiment } from '../../core/experiments/index.js';
import { compressModel } from '../../core/compress/index.js';
import { runExperiment } from '../run/runner.js';
import { loadExperimentData } from '../run/data.js';
import { runPath } from '../run/run_dir.js';
import { loadTfjsModel } from '../run/tfjs_model.js';
import { evaluate } from '../run/train_step.js';
import { compressSaved } from './compress.js';

const exp = defineExperiment({
  name: 'finetune-tiny', why: 'compress --finetune tests',
  dataset: { name: 'synthetic', limit: { train: 200, test: 100 } },
  model: { kind: 'mlp', hidden: [16, 12], layers: [null, null] },
  optimizer: { lr: 3e-3 }, batchSize: 20, epochs: 2, seed: 4,
});

const same = (a: tf.Tensor[], b: tf.Tensor[]) => a.length === b.length && a.every((t, i) => tf.equal(t, b[i]).all().dataSync()[0] === 1);

test('compress --finetune: the approximated layers stay as approximated, the layer above is trained, the saved model is the fine-tuned one', async () => {
  const root = mkdtempSync(join(tmpdir(), 'pp-finetune-'));
  try {
    const run = join(root, 'run');
    await runExperiment(exp, { outDir: run, progress: 'none', figures: false, backend: 'current' });
    const original = await loadTfjsModel(runPath(run, 'tfjs'));
    const [h1, h2, top] = original.layers.map((l) => l.name);
    const specs = [{ layer: h1, method: 'svd', options: { rank: 2 } }];
    const out = join(root, 'out');
    const { report } = await compressSaved({ source: run, out, specs, repeats: 1, batches: [1], finetune: { epochs: 3, lr: 3e-3 } });
    const expected = compressModel(original, specs).model;
    const saved = await loadTfjsModel(out);
    // trained: the layers above h1 (h2 and the output); frozen: h1's chain
    assert.deepEqual(report.finetune!.trainedLayers, [h2, top]);
    assert.equal(report.finetune!.train, 'above');
    assert.deepEqual({ batchSize: report.finetune!.batchSize, seed: report.finetune!.seed, epochs: report.finetune!.trainLoss.length }, { batchSize: 20, seed: 4, epochs: 3 });
    for (const name of report.layers[0].replacedBy) assert.ok(same(saved.getLayer(name).getWeights(), expected.getLayer(name).getWeights()), `${name} changed`);
    for (const name of [h2, top]) assert.ok(!same(saved.getLayer(name).getWeights(), expected.getLayer(name).getWeights()), `${name} not trained`);
    // the errors: 'after' is the compressed model before fine-tuning, 'finetuned' the saved model's
    const data = await loadExperimentData(exp);
    const ev = (m: tf.LayersModel, split = data.test) => evaluate(m, split, 64, data.classes, { probs: true, modelInputShape: null });
    assert.equal(report.test!.after.error, ev(expected).error);
    assert.equal(report.test!.finetuned!.error, ev(saved).error);
    // fine-tuning lowers the training loss of the approximated net
    assert.ok(ev(saved, data.train).loss < ev(expected, data.train).loss, `train loss ${ev(saved, data.train).loss} vs ${ev(expected, data.train).loss}`);
    // 'all' trains the chain too; seeded: the same call gives the same weights
    const all = async (o: string) => (await compressSaved({ source: run, out: join(root, o), specs, repeats: 1, batches: [1], finetune: { epochs: 1, train: 'all' } })).report;
    const [a1, a2] = [await all('all1'), await all('all2')];
    assert.deepEqual(a1.finetune!.trainedLayers, [...report.layers[0].replacedBy, h2, top]);
    const [m1, m2] = [await loadTfjsModel(join(root, 'all1')), await loadTfjsModel(join(root, 'all2'))];
    assert.ok(same(m1.getWeights(), m2.getWeights()));
    assert.ok(!same(m1.getLayer(h1).getWeights(), expected.getLayer(h1).getWeights()));
    assert.equal(a1.test!.finetuned!.error, a2.test!.finetuned!.error);
    // bad input: nothing written
    const bad = join(root, 'bad');
    await assert.rejects(compressSaved({ source: out, out: bad, specs: [{ layer: top, method: 'svd', options: { rank: 2 } }], finetune: { epochs: 1 } }), /expected a run directory to fine-tune \(its training data\), got a bare TF.js model/);
    await assert.rejects(compressSaved({ source: run, out: bad, specs: [{ layer: top, method: 'svd', options: { rank: 2 } }], finetune: { epochs: 1 } }), /expected a layer with weights above the approximated ones .* to fine-tune, got none: use train 'all'/);
    await assert.rejects(compressSaved({ source: run, out: bad, specs, finetune: { epochs: 0 } }), /expected fine-tuning epochs a positive integer, got 0/);
    assert.ok(!existsSync(bad));
    assert.deepEqual(readdirSync(root).sort(), ['all1', 'all2', 'out', 'run']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('compress predict from a run: a layer on the image input gets the grid geometry (se), a higher layer its inputs on the training data (emp)', async () => {
  const root = mkdtempSync(join(tmpdir(), 'pp-finetune-'));
  try {
    const run = join(root, 'run');
    await runExperiment(exp, { outDir: run, progress: 'none', figures: false, backend: 'current' });
    const original = await loadTfjsModel(runPath(run, 'tfjs'));
    const [h1, h2] = original.layers.map((l) => l.name);
    const specs = [
      { layer: h1, method: 'predict', options: { alpha: 6 } },
      { layer: h2, method: 'predict', options: { alpha: 5, dictionary: { method: 'emp' } } },
    ];
    const { report } = await compressSaved({ source: run, out: join(root, 'out'), specs, repeats: 1, batches: [1], sampleSize: 150 });
    // by hand: the synthetic images are 8 × 8 × 1; h2's inputs are h1's outputs on the first 150 training images
    const data = await loadExperimentData(exp);
    const x = tf.tensor2d(data.train.x.subarray(0, 150 * 64), [150, 64]);
    const hidden = original.getLayer(h1).apply(x) as tf.Tensor;
    const sample = { rows: 150, cols: 16, values: hidden.dataSync() as Float32Array };
    const expected = compressModel(original, [
      { ...specs[0], input: { geometry: { height: 8, width: 8, channels: 1 } } },
      { ...specs[1], input: { sample } },
    ]).model;
    const saved = await loadTfjsModel(join(root, 'out'));
    assert.ok(same(saved.getWeights(), expected.getWeights()));
    assert.deepEqual(report.layers.map((l) => l.after.parameters), [6 * (64 + 16) + 16, 5 * (16 + 12) + 12]);
    // without the run (a bare model) there is neither geometry nor data
    await assert.rejects(compressSaved({ source: join(root, 'out'), out: join(root, 'bad'), specs: [specs[0]] }), /expected the input's image geometry for dictionary 'se'/);
    await assert.rejects(compressSaved({ source: runPath(run, 'tfjs'), out: join(root, 'bad'), specs: [specs[1]] }), /expected a sample of the layer's inputs for data-driven dictionary 'emp'/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
