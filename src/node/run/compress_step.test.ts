import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '../index.js';
import { applyOverrides, defineExperiment } from '../../core/experiments/index.js';
import { runExperiment } from './runner.js';
import { loadTfjsModel } from './tfjs_model.js';

const base = defineExperiment({
  name: 'compress-step-tiny', why: 'test',
  dataset: { name: 'synthetic', limit: { train: 200, test: 100 } },
  model: { kind: 'mlp', hidden: [16, 12], layers: [null, null] },
  optimizer: { lr: 3e-3 }, batchSize: 20, epochs: 1,
});

test('an experiment\'s compress step: after training the run holds compressed/ (model + report) whose "before" is the run\'s own test error; resume reads it back; no step, no folder', async () => {
  const root = mkdtempSync(join(tmpdir(), 'pp-compress-step-'));
  try {
    const exp = applyOverrides(base, ['compress.layers=[{"layer":"dense1","method":"svd","options":{"rank":3}}]', 'compress.finetuneEpochs=1']);
    const dir = join(root, 'run');
    const r = await runExperiment(exp, { seed: 1, outDir: dir, progress: 'none', figures: false });
    assert.ok(r.compressed, 'a report');
    const rep = r.compressed!;
    assert.equal(rep.test!.before.error, r.final.testError, 'the same net on the same test split');
    assert.ok(rep.test!.finetuned, 'fine-tuned');
    assert.equal(rep.layers[0].method, 'svd');
    // 64 → 16 at rank 3: 3·(64 + 16) kernel weights instead of 64·16 (plus the 16 biases either way)
    assert.equal(rep.layers[0].after.parameters, 3 * (64 + 16) + 16);
    const m = await loadTfjsModel(join(dir, 'compressed'));
    assert.equal(m.layers.filter((l) => l.getClassName() === 'Dense').length, 4, 'dense1 became two Dense layers');
    const x = tf.randomNormal([3, 64], 0, 1, 'float32', 5);
    const orig = await loadTfjsModel(join(dir, 'tfjs'));
    assert.deepEqual((m.predict(x) as tf.Tensor).shape, (orig.predict(x) as tf.Tensor).shape);
    orig.dispose();
    x.dispose();
    m.dispose();
    const t = statSync(join(dir, 'compressed', 'report.json')).mtimeMs;
    const again = await runExperiment(exp, { seed: 1, outDir: dir, resume: true, progress: 'none', figures: false });
    assert.deepEqual(again.compressed, rep);
    assert.equal(statSync(join(dir, 'compressed', 'report.json')).mtimeMs, t, 'not recompressed');

    const plain = await runExperiment(base, { seed: 1, outDir: join(root, 'plain'), progress: 'none', figures: false });
    assert.equal(plain.compressed, null);
    assert.ok(!existsSync(join(root, 'plain', 'compressed')));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a compress step that cannot apply fails before training, naming the layers', async () => {
  const root = mkdtempSync(join(tmpdir(), 'pp-compress-step-bad-'));
  try {
    const bad = applyOverrides(base, ['compress.layers=[{"layer":"conv9","method":"svd","options":{"rank":3}}]']);
    await assert.rejects(runExperiment(bad, { seed: 1, outDir: join(root, 'a'), progress: 'none', figures: false }), /compress\.layers.*dense1.*conv9/s);
    assert.ok(!existsSync(join(root, 'a', 'final.json')), 'nothing trained');
    const wrongKind = applyOverrides(base, ['compress.layers=[{"layer":"dense1","method":"separable","options":{"rank":3}}]']);
    await assert.rejects(runExperiment(wrongKind, { seed: 1, outDir: join(root, 'b'), progress: 'none', figures: false }), /Conv2D.*separable.*dense1/s);
    const badOption = applyOverrides(base, ['compress.layers=[{"layer":"dense1","method":"svd","options":{"rank":0}}]']);
    await assert.rejects(runExperiment(badOption, { seed: 1, outDir: join(root, 'c'), progress: 'none', figures: false }), /rank/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
