import { test } from 'node:test';
import assert from 'node:assert/strict';
import { paperMlpMethods } from '../../core/models/mlp.js';
import { getExperiment } from '../experiments/index.js';
import { getPreset, paperFractions, presets } from './presets.js';
import { buildPoints, denseLearned, expectedCounts, fractionTag, lowrankRanks, matchedWidth, paperFraction, predictedLearned } from './points.js';

const mnist = { inputSize: 784, classes: 10 };
const fractionsOf = (name: 'quick' | 'full') => new Set(presets[name].grid.flatMap((g) => g.fractions));

test('paper fractions: linspace(20/784, 1, 10)', () => {
  assert.equal(paperFractions.length, 10);
  assert.ok(Math.abs(paperFractions[0] - 20 / 784) < 1e-15 && paperFractions[9] === 1);
  for (let k = 1; k < 10; k++) assert.ok(Math.abs(paperFractions[k] - paperFractions[k - 1] - (1 - 20 / 784) / 9) < 1e-12);
});

test('presets: quick has ≥ 2 seeds and full ≥ 3; every method and the 0.05 point in both; full covers α/n_v 0.025–1 for se-emp', () => {
  assert.ok(presets.quick.seeds >= 2);
  assert.ok(presets.full.seeds >= 3);
  const full = fractionsOf('full');
  for (const f of [0.025, 0.05, 0.1, 0.25, 0.5, 1]) assert.ok(full.has(f), `full lacks ${f}`);
  for (const f of presets.full.downsizedFractions) assert.ok(f < 1 && full.has(f));
  for (const name of ['quick', 'full'] as const) {
    const p = presets[name];
    const methods = new Set(p.grid.flatMap((g) => g.methods));
    for (const m of paperMlpMethods) assert.ok(methods.has(m), `${name} lacks ${m}`);
    const points = buildPoints(p, mnist);
    const has = (id: string) => points.some((x) => x.id === id);
    assert.ok(has('full') && has('se-emp-f0.0500-c10') && has('downsized-f0.0500'), name);
    for (const c of [1, 5, 10]) assert.ok(has(`se-emp-f0.0500-c${c}`), `${name} lacks se-emp with ${c} columns at 0.05`);
    for (const m of paperMlpMethods) assert.ok(has(`${m}-f0.0500-c10`), `${name} lacks ${m} at 0.05`);
  }
  assert.ok(buildPoints(presets.full, mnist).some((x) => x.id === 'se-emp-f0.0250-c10'));
  assert.throws(() => getPreset('huge'), /getPreset: expected preset to be one of "quick", "full".*got "huge"/);
});

test('lowrank: the rank of each layer makes its learned U and V as many weights as the predicted V (nearest integer), one column', () => {
  for (const f of [0.025, 0.05, 0.1, 0.25, 0.5]) {
    const ranks = lowrankRanks(mnist, [500, 500], f);
    [[784, 500], [500, 500]].forEach(([nv, h], k) => {
      const target = Math.max(1, Math.round(f * nv)) * h; // the predicted layer's V
      for (let r = 1; r <= 500; r++) assert.ok(Math.abs(ranks[k] * (nv + h) - target) <= Math.abs(r * (nv + h) - target) + 1e-9, `f ${f} layer ${k}: rank ${ranks[k]} vs ${r}`);
    });
    const p = buildPoints(presets.full, mnist).find((x) => x.id === `lowrank-${fractionTag(f)}-c10`)!;
    assert.ok(p.experiment.model.kind === 'mlp');
    const layers = p.experiment.model.layers;
    assert.deepEqual(layers.map((l) => [l?.dictionary.method, l?.columns, Math.round(l!.fraction * (l === layers[0] ? 784 : 500))]), [['lowrank', 1, ranks[0]], ['lowrank', 1, ranks[1]]]);
    // its expected counts: U and V of both layers are dynamic
    const c = expectedCounts(p, mnist);
    assert.equal(c.paper, (ranks[0] * (784 + 500) + ranks[1] * 1000) / (784 * 500 + 500 * 500));
  }
});

test('the ℓ control: se-emp points with layer 1\'s SE length scale set, the other points on the default', () => {
  const pts = buildPoints(presets.full, mnist);
  for (const f of [0.05, 0.25]) {
    for (const l of [1, 2, 3]) {
      const p = pts.find((x) => x.id === `se-emp-${fractionTag(f)}-c10-l${l}`)!;
      assert.ok(p && !p.aliasOf && p.lengthScale === l && p.experiment.model.kind === 'mlp');
      assert.deepEqual(p.experiment.model.layers[0]!.dictionary, { method: 'se', lengthScale: l });
      assert.deepEqual(p.experiment.model.layers[1]!.dictionary, { method: 'emp' });
    }
  }
  const plain = pts.find((x) => x.id === 'se-emp-f0.0500-c10')!;
  assert.ok(plain.experiment.model.kind === 'mlp');
  assert.deepEqual(plain.experiment.model.layers[0]!.dictionary, { method: 'se' });
  assert.equal(plain.experiment.model.calibrate, presets.full.calibrate);
});

test('points: registered experiments with overrides (epochs, split, layers from paperMlpLayers); se is an alias of se-emp', () => {
  const p = presets.quick;
  const points = buildPoints(p, mnist);
  const seEmp = points.find((x) => x.id === 'se-emp-f0.0500-c10')!;
  const se = points.find((x) => x.id === 'se-f0.0500-c10')!;
  assert.equal(se.aliasOf, seEmp.id);
  assert.equal(seEmp.aliasOf, undefined);
  const e = seEmp.experiment;
  assert.equal(e.epochs, p.epochs);
  assert.equal(e.dataset.validation, p.validation);
  assert.equal(e.dataset.limit.train, p.trainLimit);
  assert.ok(e.model.kind === 'mlp');
  assert.deepEqual(e.model.layers.map((l) => [l?.dictionary.method, l?.fraction, l?.columns]), [['se', 0.05, 10], ['emp', 0.05, 10]]);
  assert.equal(e.model.calibrate, p.calibrate);
  const lr = points.find((x) => x.id === 'lowrank-f0.0500-c10')!.experiment;
  assert.equal(lr.pretraining, null); // lowrank is never pretrained (the paper)
  assert.ok(lr.model.kind === 'mlp' && lr.model.layers.every((l) => l?.columns === 1));
  assert.equal(getExperiment('mnist-mlp-se-emp').optimizer.lr, e.optimizer.lr); // the rest is the registered experiment
  // ids are unique, only se points are aliases
  assert.equal(new Set(points.map((x) => x.id)).size, points.length);
  assert.ok(points.filter((x) => x.aliasOf).every((x) => x.method === 'se'));
  // full: pretraining for all but lowrank
  const fullPts = buildPoints(presets.full, mnist);
  assert.deepEqual(fullPts.find((x) => x.id === 'rand-f0.0500-c10')!.experiment.pretraining, { epochs: presets.full.pretrainingEpochs, lr: 1e-3, batchSize: 100 });
  assert.equal(fullPts.find((x) => x.id === 'lowrank-f0.0500-c10')!.experiment.pretraining, null);
});

test('downsized width: the registered 784-45-45-10 at 5 %, learned counts by hand, nearest width', () => {
  // se-emp at 5 %: 39·500 + 500 + 25·500 + 500 + 500·10 + 10 = 38,010 (the registry file's count)
  assert.equal(predictedLearned(mnist, [500, 500], 0.05), 39 * 500 + 500 + 25 * 500 + 500 + 5010);
  assert.equal(denseLearned(mnist, 2, 45), 784 * 45 + 45 + 45 * 45 + 45 + 45 * 10 + 10);
  const h = matchedWidth(mnist, 2, predictedLearned(mnist, [500, 500], 0.05));
  const ds = getExperiment('mnist-mlp-downsized');
  assert.ok(ds.model.kind === 'mlp');
  assert.equal(h, ds.model.hidden[0]);
  // nearest: no other width is closer (brute force)
  for (const target of [1000, 38010, 123456, 700000]) {
    const w = matchedWidth(mnist, 2, target);
    for (let k = 1; k < 2000; k++) assert.ok(Math.abs(denseLearned(mnist, 2, w) - target) <= Math.abs(denseLearned(mnist, 2, k) - target));
  }
  assert.ok(Math.abs(paperFraction(mnist, [500, 500], 0.05) - 32000 / 642000) < 1e-15);
  const pts = buildPoints(presets.quick, mnist);
  const d = pts.find((x) => x.id === 'downsized-f0.0500')!.experiment;
  assert.ok(d.model.kind === 'mlp');
  assert.deepEqual(d.model.hidden, [45, 45]);
});
