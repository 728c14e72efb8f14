import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { syntheticDataset } from '../run/synthetic.js';
import { runRica } from './run.js';

test('runRica runs end to end on small images, beats chance, writes its files; RICA-50 % with 2k features learns as many parameters as RICA with k', async () => {
  await tf.setBackend('cpu');
  const data = syntheticDataset({ train: 300, test: 200 });
  const dir = mkdtempSync(join(tmpdir(), 'pp-rica-'));
  const common = { patch: 3, patches: 3000, steps: 60, batchSize: 200, trainImages: 300, testImages: 200, data, backend: 'current' as const, classifier: { steps: 100, l2: 1e-3 } };
  const plain = await runRica({ ...common, features: 8, fraction: 1, outDir: dir });
  const half = await runRica({ ...common, features: 16, fraction: 0.5 });
  assert.equal(plain.dynamicParameters, 3 * 3 * 1 * 8);
  assert.equal(half.nAlpha, 5); // round(0.5 · 9)
  assert.equal(half.dynamicParameters, 5 * 1 * 16);
  assert.equal(plain.pooledFeatures, 64);
  assert.ok(plain.testAccuracy > 0.4 && half.testAccuracy > 0.4, `4 classes: ${plain.testAccuracy}, ${half.testAccuracy}`);
  for (const f of ['config.json', 'metrics.jsonl', 'final.json']) assert.ok(existsSync(join(dir, f)), f);
  const final = JSON.parse(readFileSync(join(dir, 'final.json'), 'utf8'));
  assert.equal(final.testAccuracy, plain.testAccuracy);
  assert.equal(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).features, 8);
  // seeded: the same options give the same accuracy
  const again = await runRica({ ...common, features: 8, fraction: 1 });
  assert.equal(again.testAccuracy, plain.testAccuracy);
  rmSync(dir, { recursive: true });
});

test('runRica chooses the classifier\'s L2 on training images only: other test labels leave the choice and the training accuracy unchanged; a number fixes it', async () => {
  await tf.setBackend('cpu');
  const data = syntheticDataset({ train: 200, test: 100, noise: 1.5 });
  const common = { patch: 3, patches: 2000, steps: 30, batchSize: 200, trainImages: 200, testImages: 100, backend: 'current' as const, features: 6, fraction: 1 };
  const grid = [1e-4, 1e-2, 1];
  const a = await runRica({ ...common, data, classifier: { steps: 60, l2: grid, validation: 50 } });
  assert.deepEqual(a.l2Choice?.grid.map((g) => g.l2), grid);
  assert.equal(a.l2Choice?.validation, 50);
  assert.equal(a.l2, a.l2Choice!.grid.reduce((b, g) => (g.validationAccuracy > b.validationAccuracy ? g : b)).l2);
  const shuffled = { ...data, test: { ...data.test, y: Int32Array.from(data.test.y, (v) => (v + 1) % data.classes) } };
  const b = await runRica({ ...common, data: shuffled, classifier: { steps: 60, l2: grid, validation: 50 } });
  assert.deepEqual(b.l2Choice, a.l2Choice);
  assert.equal(b.trainAccuracy, a.trainAccuracy);
  assert.notEqual(b.testAccuracy, a.testAccuracy); // the test labels did change what is scored
  const fixed = await runRica({ ...common, data, classifier: { steps: 60, l2: 0.5 } });
  assert.equal(fixed.l2, 0.5);
  assert.equal(fixed.l2Choice, undefined);
});

test('runRica names a bad fraction', async () => {
  await assert.rejects(runRica({ features: 4, fraction: 1.5, backend: 'current', data: syntheticDataset({ train: 10, test: 10 }) }), /runRica: expected fraction in \(0, 1\], got 1.5/);
});
