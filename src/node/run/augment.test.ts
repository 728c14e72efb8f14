import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { applyOverrides, defineExperiment } from '../../core/experiments/index.js';
import { runExperiment } from './runner.js';
import { loadExperimentData } from './data.js';
import { readArrays } from './arrays.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'pp-aug-'));
const noSeconds = (rows: object[]) => rows.map((r) => ({ ...r, seconds: 0 }));

const tiny = defineExperiment({
  name: 'tiny-augment',
  why: 'augmentation wiring tests',
  dataset: { name: 'synthetic', limit: { train: 120, test: 60 } },
  model: { kind: 'mlp', hidden: [12], layers: [null] },
  optimizer: { lr: 3e-3 },
  batchSize: 20,
  epochs: 2,
});

async function train(exp: typeof tiny, extra: Partial<Parameters<typeof runExperiment>[1]> = {}, dir = tmp()) {
  await tf.setBackend('cpu'); // deterministic reference backend
  const r = await runExperiment(exp, { outDir: dir, progress: 'none', figures: false, backend: 'current', ...extra });
  return { ...r, weights: readArrays(join(dir, 'model'), 'weights') };
}

test('augment null is the default, and an identity augmentation trains bit-identically to none', async () => {
  assert.equal(tiny.dataset.augment, null);
  assert.equal(tiny.dataset.normalize, 'none');
  const none = await train(tiny);
  const identity = await train(applyOverrides(tiny, ['dataset.augment={"crop":0,"flip":false}']));
  assert.deepEqual(noSeconds(identity.metrics), noSeconds(none.metrics));
  identity.weights.forEach((w, i) => assert.deepEqual(w.data, none.weights[i].data, w.name));
  const augmented = await train(applyOverrides(tiny, ['dataset.augment.crop=2']));
  assert.deepEqual(augmented.final.experiment, 'tiny-augment');
  assert.notDeepEqual(augmented.metrics.map((m) => m.trainLoss), none.metrics.map((m) => m.trainLoss), 'crop 2 + flip changes the trajectory');
  for (const r of [none, identity, augmented]) rmSync(r.dir, { recursive: true });
});

test('an augmented run stopped after epoch 1 and resumed reaches the uninterrupted run bit for bit', async () => {
  const exp = applyOverrides(tiny, ['dataset.augment.crop=2', 'epochs=3']);
  const full = await train(exp);
  const dir = tmp();
  await assert.rejects(train(exp, { onProgress: (e) => { if (e.kind === 'epoch' && e.epoch === 0) throw new Error('stop'); } }, dir), /stop/);
  const resumed = await train(exp, { resume: true }, dir);
  assert.deepEqual(noSeconds(resumed.metrics), noSeconds(full.metrics));
  resumed.weights.forEach((w, i) => assert.deepEqual(w.data, full.weights[i].data, w.name));
  rmSync(full.dir, { recursive: true });
  rmSync(dir, { recursive: true });
});

test("normalize 'per-channel' standardises every split with the training split's statistics", async () => {
  const plain = await loadExperimentData(tiny);
  const std = await loadExperimentData(applyOverrides(tiny, ['dataset.normalize=per-channel']));
  const xs = Array.from(plain.train.x);
  const m = xs.reduce((s, v) => s + v, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((s, v) => s + (v - m) ** 2, 0) / xs.length);
  for (const split of ['train', 'test'] as const) {
    plain[split].x.forEach((v, i) => assert.ok(Math.abs(std[split].x[i] - (v - m) / sd) < 1e-5, `${split} @${i}`));
  }
  assert.ok(std.notes?.some((n) => /standardised per channel/.test(n)));
});

test('augment on a non-image dataset is refused at the start of the run', async () => {
  const flat = { ...(await loadExperimentData(tiny)) };
  flat.inputShape = [flat.inputShape.reduce((a, b) => a * b, 1)];
  const dir = tmp();
  await assert.rejects(train(applyOverrides(tiny, ['dataset.augment.crop=1']), { data: flat }, dir), /runExperiment: expected an image dataset \[h, w, c\] for dataset.augment, got input shape \[64\]/);
  rmSync(dir, { recursive: true });
});

test('dataset.augment accepts crop/flip only', () => {
  assert.throws(() => defineExperiment({ ...tiny, dataset: { ...tiny.dataset, augment: { crop: 2, flip: true, scale: 1 } as never } }), /dataset.augment/);
});
