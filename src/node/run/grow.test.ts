import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { applyOverrides, defineExperiment } from '../../core/experiments/index.js';
import { PredictedLayer } from '../../core/layers/predicted_layer.js';
import { getExperiment } from '../experiments/index.js';
import { runExperiment } from './runner.js';
import { readArrays } from './arrays.js';
import { loadCheckpoint } from './checkpoint.js';
import { loadRunModel } from './run_dir.js';
import { parameterCounts } from './params.js';
import { defaultModelFactory } from './model.js';
import { syntheticDataset } from './synthetic.js';

// the cpu backend: in-process runs that must agree bit for bit (the native one varies in the last bits under contention)
before(async () => {
  await tf.setBackend('cpu');
});

const tmp = () => mkdtempSync(join(tmpdir(), 'pp-grow-'));
const grow = '{"stages":[{"afterEpoch":1,"fraction":0.5}]}';
const exp = applyOverrides(getExperiment('smoke'), ['epochs=3', `grow=${grow}`, 'dataset.limit.train=200']);
const opts = { progress: 'none' as const, figures: false, backend: 'current' as const };

test('growing α: after epoch 1 the predicted layers train at the new fraction; an interrupted run resumes to the same weights', async () => {
  const full = tmp();
  const a = await runExperiment(exp, { outDir: full, ...opts });
  // the final model is the grown one: the same parameter counts as a model built at fraction 0.5
  const at50 = await defaultModelFactory(applyOverrides(exp, ['model.layers.0.fraction=0.5', 'model.layers.1.fraction=0.5']), syntheticDataset(), { seed: 1, willLoadWeights: true });
  assert.deepEqual(a.final.parameters, parameterCounts(at50.model));
  at50.model.dispose();
  assert.equal(a.final.grown?.length, 1);
  const g = a.final.grown![0];
  assert.equal(g.afterEpoch, 1);
  assert.equal(g.fraction, 0.5);
  assert.deepEqual(g.layers.map((l) => [l.nAlphaBefore, l.nAlphaAfter]), [[16, 32], [8, 16]]); // 0.25 → 0.5 of 64 pixels and of 32 units
  // SE over pixels keeps W and its outputs (measured 3e-6); the emp layer's kernel is rebuilt from layer 1's
  // trained features, whose span moved during epoch 1: its W is not kept (measured 15 %), its outputs are (2.7 %)
  const [se, emp] = g.layers;
  assert.ok(se.outputError! < 0.01, `${se.layer}: ${se.outputError}`);
  assert.ok(emp.outputError! < 0.06, `${emp.layer}: ${emp.outputError}`);
  assert.ok(a.metrics.every((m) => Number.isFinite(m.trainLoss)));

  // interrupted in epoch 2 (after the growth and its checkpoint), then resumed
  const cut = tmp();
  await assert.rejects(
    runExperiment(exp, { outDir: cut, ...opts, onProgress: (e) => { if (e.kind === 'step' && e.epoch === 1 && e.batch === 3) throw new Error('interrupted'); } }),
    /interrupted/,
  );
  assert.equal(loadCheckpoint(cut)!.state.epoch, 1);
  const b = await runExperiment(exp, { outDir: cut, ...opts, resume: true });
  assert.deepEqual(b.final.grown, a.final.grown);
  assert.equal(b.final.testError, a.final.testError);
  const wa = readArrays(join(full, 'model'), 'weights');
  const wb = readArrays(join(cut, 'model'), 'weights');
  assert.equal(wa.length, wb.length);
  wa.forEach((x, i) => assert.ok(Buffer.from(x.data.buffer).equals(Buffer.from(wb[i].data.buffer)), `weight ${x.name} differs`));

  // the finished run loads at its last stage's shapes
  const loaded = await loadRunModel(full);
  const nAlpha = loaded.model.layers.filter((l) => l instanceof PredictedLayer).map((l) => (l as PredictedLayer).nAlpha);
  assert.deepEqual(nAlpha, [32, 16]);
  loaded.model.dispose();
  rmSync(full, { recursive: true });
  rmSync(cut, { recursive: true });
});

test('grow stages are checked: increasing, below epochs, on a model with predicted layers', () => {
  const base = getExperiment('smoke');
  const bad = (stages: unknown, e = base) => () => defineExperiment({ ...e, grow: { stages } } as never);
  assert.throws(bad([{ afterEpoch: 3, fraction: 0.5 }]), /grow.stages.0.afterEpoch to increase and be below epochs \(3\), got 3/);
  assert.throws(bad([{ afterEpoch: 2, fraction: 0.5 }, { afterEpoch: 1, fraction: 0.75 }]), /grow.stages.1.afterEpoch to increase.*got 1 after 2/);
  assert.throws(bad([{ afterEpoch: 1, fraction: 1.5 }]), /fraction/);
  const dense = { ...base, model: { ...base.model, layers: [null, null] } };
  assert.throws(bad([{ afterEpoch: 1, fraction: 0.5 }], dense as never), /grow only on a model with predicted layers/);
});
