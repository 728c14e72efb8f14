import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { applyOverrides } from '../../core/experiments/index.js';
import { getExperiment } from '../experiments/index.js';
import { readArrays } from './arrays.js';
import { runExperiment } from './runner.js';
import { loadRunModel, readFinal, readRunConfig, readRunInfo, runPath } from './run_dir.js';
import { syntheticDataset } from './synthetic.js';

test('loadRunModel rebuilds a finished run: its saved weights, and the test error final.json reports', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pp-rundir-'));
  try {
    // smoke: a data-driven (emp) second layer, whose U must come back with the weights
    const exp = applyOverrides(getExperiment('smoke'), ['epochs=1', 'dataset.validation=0', 'dictionarySample=60']);
    const data = syntheticDataset({ train: 100, test: 50 });
    const r = await runExperiment(exp, { outDir: dir, data, progress: 'none', figures: false });
    assert.deepEqual(readRunConfig(dir), exp);
    assert.deepEqual(readRunInfo(dir).data, { name: data.name, inputShape: data.inputShape, classes: data.classes });
    assert.deepEqual(readFinal(dir), r.final);

    const loaded = await loadRunModel(dir);
    assert.equal(loaded.seed, 1);
    const saved = readArrays(runPath(dir, 'model'), 'weights');
    loaded.model.weights.forEach((w, i) => assert.deepEqual(w.read().dataSync(), saved[i].data, w.name));
    // reference: the error of the loaded model's argmax on the test split, counted here
    const d = data.inputShape.reduce((p, q) => p * q, 1);
    const pred = tf.tidy(() => tf.argMax(loaded.model.predict(tf.tensor2d(data.test.x, [data.test.n, d])) as tf.Tensor, 1).dataSync());
    const wrong = Array.from(pred).filter((p, i) => p !== data.test.y[i]).length;
    assert.ok(Math.abs((100 * wrong) / data.test.n - r.final.testError) < 1e-9, `${(100 * wrong) / data.test.n} vs ${r.final.testError}`);
    loaded.model.dispose();
    await assert.rejects(loadRunModel(join(dir, 'nope')), /loadRunModel: expected a run directory \(with config\.json\), got .*nope/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
