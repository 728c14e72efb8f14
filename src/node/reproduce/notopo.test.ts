import { test } from 'node:test';
import assert from 'node:assert/strict';
import { letterReproduction, madelonReproduction } from './notopo.js';
import { denseLearned, predictedLearned } from './points.js';
import { cifarReproduction } from './cifar.js';
import { cifarSeLearned, convnetLearned } from '../experiments/cifar-convnet-downsized.js';
import { getExperiment } from '../experiments/index.js';

const baseHidden = (name: string) => {
  const m = getExperiment(`${name}-mlp`).model;
  return m.kind === 'mlp' ? m.hidden : [];
};

test('no-topology points: the dataset\'s MLP, each method in both hidden layers at each fraction, the downsized width nearest in learned parameters', () => {
  for (const def of [letterReproduction, madelonReproduction]) {
    const preset = def.presets.full;
    const pts = def.points(preset, def.shape);
    assert.equal(pts.length, 1 + preset.methods.length * preset.fractions.length + preset.fractions.length);
    assert.equal(preset.seeds, 3);
    for (const id of ['full', 'emp-f0.2500-c10', 'emp2-f0.1000-c10', 'pca-f0.1000-c10', 'rand-f0.2500-c10', 'downsized-f0.2500']) assert.ok(pts.some((p) => p.id === id), `${def.name} lacks ${id}`);
    for (const p of pts) {
      const e = p.experiment;
      assert.equal(e.dataset.name, def.name);
      assert.ok(e.model.kind === 'mlp');
      assert.deepEqual(e.pretraining, { epochs: 10, lr: 1e-3, batchSize: 100 });
      if (p.method === 'full' || p.method === 'downsized') assert.ok(e.model.layers.every((l) => l === null));
      else {
        assert.deepEqual(e.model.layers.map((l) => [l?.dictionary.method, l?.fraction, l?.columns]), [[p.method, p.nominalFraction, 10], [p.method, p.nominalFraction, 10]]);
        assert.equal(e.model.calibrate, 'glorot');
      }
      if (p.method === 'downsized') {
        // brute force: no other width learns a count nearer the predicted net's
        const target = predictedLearned(def.shape, baseHidden(def.name), p.nominalFraction!);
        const h = e.model.hidden[0];
        for (let k = 1; k < 600; k++) assert.ok(Math.abs(denseLearned(def.shape, 2, h) - target) <= Math.abs(denseLearned(def.shape, 2, k) - target));
      }
    }
    // a point's run depends on the loaded data's name only through dataset.name
    assert.equal(def.points(preset, def.shape, 'synthetic')[0].experiment.dataset.name, 'synthetic');
  }
  // letter at 0.25: n_α = 4 of 16 and 63 of 250 (62.5 rounds up): 4·250 + 250 + 63·250 + 250 + 250·26 + 26 learned
  assert.equal(predictedLearned(letterReproduction.shape, [250, 250], 0.25), 4 * 250 + 250 + 63 * 250 + 250 + 250 * 26 + 26);
  assert.deepEqual(baseHidden('letter'), [250, 250]);
});

test('cifar points: se at α/n_v = 1 − predicted in every layer, downsized matching its learned count, one seed off the claims\' fractions', () => {
  const full = cifarReproduction.presets.full;
  const pts = cifarReproduction.points(full, cifarReproduction.shape);
  assert.deepEqual(pts.map((p) => p.id), ['full', 'se-f0.7500', 'se-f0.5000', 'se-f0.2500', 'se-f0.1000', 'downsized-f0.7500', 'downsized-f0.5000', 'downsized-f0.2500', 'downsized-f0.1000']);
  for (const p of pts) {
    const e = p.experiment;
    assert.ok(e.model.kind === 'convnet');
    assert.equal(e.dataset.name, 'cifar10');
    assert.equal(p.seeds, p.nominalFraction === 0.75 || p.nominalFraction === 0.1 ? 1 : undefined);
    const spec = e.model.spec;
    if (p.method === 'se') {
      assert.deepEqual([...spec.convs.map((c) => c?.fraction), spec.dense?.fraction], [p.nominalFraction, p.nominalFraction, p.nominalFraction, p.nominalFraction]);
    }
    if (p.method === 'downsized') {
      assert.ok(spec.convs.every((c) => c === null) && spec.dense === null);
      const learned = convnetLearned(spec.convLayers.map(([f]) => f), spec.denseUnits);
      const target = cifarSeLearned(p.nominalFraction!);
      assert.ok(Math.abs(learned - target) / target < 0.01, `${p.id}: ${learned} vs ${target}`);
    }
  }
  const quick = cifarReproduction.points(cifarReproduction.presets.quick, cifarReproduction.shape);
  assert.ok(quick.every((p) => p.experiment.epochs === 4 && p.experiment.dataset.limit.train === 10000 && p.seeds === undefined));
  assert.equal(cifarReproduction.presets.quick.seeds, 1);
});

test('cifar controls: pca-basis and pca-downsized predict nothing (α/n_v = 1 in every layer); their table pairs nets by seed', () => {
  const controls = cifarReproduction.presets.controls;
  const pts = cifarReproduction.points(controls, cifarReproduction.shape);
  const spec = (id: string) => {
    const p = pts.find((x) => x.id === id);
    assert.ok(p && p.nominalFraction === 1 && p.experiment.model.kind === 'convnet', id);
    return p.experiment.model.spec;
  };
  const layers = (s: ReturnType<typeof spec>) => [...s.convs.map((c) => [c?.fraction, c?.over, c?.dictionary?.method]), [s.dense?.fraction, s.dense?.columns, s.dense?.dictionary?.method]];
  const pcaAll = [[1, 'patch', 'pca'], [1, 'patch', 'pca'], [1, 'patch', 'pca'], [1, 1, 'pca']];
  assert.deepEqual(layers(spec('pca-basis-f1.0000')), pcaAll);
  assert.deepEqual(layers(spec('pca-downsized-f1.0000')), pcaAll);
  // pca-downsized has the downsized net's widths, pca-basis the full net's
  const down = pts.find((p) => p.id === 'downsized-f0.5000')!.experiment.model;
  assert.ok(down.kind === 'convnet');
  assert.deepEqual([spec('pca-downsized-f1.0000').convLayers, spec('pca-downsized-f1.0000').denseUnits], [down.spec.convLayers, down.spec.denseUnits]);
  assert.deepEqual([spec('pca-basis-f1.0000').convLayers, spec('pca-basis-f1.0000').denseUnits], [[[48, 8], [64, 8], [64, 5]], 500]);
  assert.ok(pts.some((p) => p.id === 'pca-patch-f0.5000') && pts.some((p) => p.id === 'emp-patch-rebuild-f0.5000'));
  const row = (point: string, seeds: number[], errors: number[]) => ({
    point, method: point, nominalFraction: 1, columns: 1, seeds, errors, mean: errors.reduce((a, b) => a + b, 0) / errors.length, sd: 0.5, n: errors.length, diverged: 0,
    hidden: [48, 64, 64, 500], matchedFraction: null, fraction: 1, wholeNetworkFraction: 1, learned: 825910,
  });
  // seeds 1 and 3 in both: (18.0 − 23.0 + 19.5 − 21.0) / 2 = −3.25, sd of {−5, −1.5} = 2.47 (by hand); 95 % interval
  // −3.25 ± 12.706·2.4749/√2 = −3.25 ± 22.24 (the t-table's quantile for 1 degree of freedom)
  const rows = [row('full', [1, 2, 3], [23.0, 22.5, 21.0]), row('pca-basis-f1.0000', [1, 3], [18.0, 19.5])];
  const md = cifarReproduction.tables!(rows as never, { preset: controls } as never);
  const lines = md.split('\n').filter((l) => l.startsWith('| pca-'));
  assert.equal(lines.length, 1, md); // only the pair whose two nets are in the rows
  assert.match(lines[0], /^\| pca-basis-f1\.0000 − full \| 18\.75 ± 0\.50 \(n = 2\) \| 22\.17 ± 0\.50 \(n = 3\) \| -3\.25 ± 2\.47 \(n = 2; 95 % CI −25\.49 to \+18\.99\) \|/);
});

test("cifar claims: the controls preset claims its own nets only (the full, SE and downsized runs it reads back keep the full preset's claims); the full preset none of the controls'", () => {
  const row = (point: string) => ({
    point, method: point, nominalFraction: 0.5, columns: 1, seeds: [1, 2, 3], errors: [20, 21, 22], mean: 21, sd: 1, n: 3, diverged: 0,
    hidden: [48, 64, 64, 500], matchedFraction: null, fraction: 0.5, wholeNetworkFraction: 0.5, learned: 1,
  });
  const rows = ['full', 'se-f0.5000', 'downsized-f0.5000', 'se-f0.2500', 'downsized-f0.2500', 'pca-patch-f0.5000', 'pca-downsized-f1.0000', 'pca-random-patch-f0.5000', 'se-grow-f0.5000'].map(row);
  const ids = (preset: 'full' | 'controls') =>
    cifarReproduction.claims(rows as never, { command: 'c', preset: cifarReproduction.presets[preset], label: 'CIFAR-10 (JPEG-75 copy)' } as never).map((c) => c.id);
  assert.deepEqual(ids('full'), [
    'cifar.full.test_accuracy', 'cifar.frac50.test_accuracy', 'cifar.frac75.test_accuracy', 'cifar.downsized.frac50.test_accuracy', 'cifar.downsized.frac75.test_accuracy',
    // what predicting costs and the central control, paired by seed
    'cifar.frac50_minus_full.test_error', 'cifar.frac75_minus_full.test_error', 'cifar.frac50_minus_downsized.test_error', 'cifar.frac75_minus_downsized.test_error',
  ]);
  assert.deepEqual(ids('controls').sort(), [
    'cifar.pca-downsized.test_accuracy', 'cifar.pca-downsized_minus_downsized.test_error', 'cifar.pca-patch.frac50.test_accuracy',
    'cifar.pca-patch.frac50_minus_downsized.test_error', 'cifar.pca-patch.frac50_minus_pca-downsized.test_error',
    'cifar.pca-random-patch.frac50.test_accuracy', 'cifar.pca-random-patch.frac50_minus_downsized.test_error', 'cifar.pca-random-patch.frac50_minus_pca-patch.test_error',
    // a pair is made once both of its nets are in the rows (se-grow against SE-50 %); emp-patch's are not
    'cifar.se-grow.frac50.test_accuracy', 'cifar.se-grow.frac50_minus_downsized.test_error', 'cifar.se-grow.frac50_minus_se.test_error',
  ]);
});

test('cifar long preset: SE-50 % and its downsized net only, the full preset\'s nets but 40 epochs; claims under their own ids, paired by seed', () => {
  const long = cifarReproduction.presets.long;
  const pts = cifarReproduction.points(long, cifarReproduction.shape);
  assert.deepEqual(pts.map((p) => p.id), ['se-f0.5000', 'downsized-f0.5000']);
  const full = cifarReproduction.points(cifarReproduction.presets.full, cifarReproduction.shape);
  for (const p of pts) {
    assert.equal(p.seeds, undefined); // every seed
    const twin = full.find((q) => q.id === p.id)!;
    // the same net and recipe as the full preset's point of that id, trained twice as long
    assert.equal(twin.experiment.epochs, 20);
    assert.equal(p.experiment.epochs, 40);
    assert.deepEqual({ ...p.experiment, epochs: 20 }, twin.experiment);
  }
  const row = (point: string, errors: number[]) => {
    const mean = errors.reduce((a, b) => a + b, 0) / errors.length;
    return { point, method: point.split('-')[0], nominalFraction: 0.5, columns: 1, seeds: [1, 2, 3], errors, mean, sd: 1, n: 3, diverged: 0, hidden: [], matchedFraction: null, fraction: 0.5, wholeNetworkFraction: 0.5, learned: 1 };
  };
  const claims = cifarReproduction.claims([row('se-f0.5000', [20, 23, 21]), row('downsized-f0.5000', [21, 22, 24])] as never, { command: 'c', preset: long, label: 'CIFAR-10 (JPEG-75 copy)' } as never);
  assert.deepEqual(claims.map((c) => c.id), ['cifar.epochs40.frac50.test_accuracy', 'cifar.epochs40.downsized.frac50.test_accuracy', 'cifar.epochs40.frac50_minus_downsized.test_error']);
  // per-seed differences −1, +1, −3: mean −1, sample sd 2
  const pair = claims[2];
  assert.ok(Math.abs((pair.value ?? NaN) + 1) < 1e-9 && Math.abs((pair.sd ?? NaN) - 2) < 1e-9 && pair.n_seeds === 3, JSON.stringify(pair));
  assert.ok(claims.every((c) => /40 epochs/.test(c.description)), 'each claim says it is the 40-epoch training');
});

test('cifar central preset: SE-50 % and its downsized net, the full preset\'s points exactly (its runs read back), 5 seeds, claims under their own ids', () => {
  const central = cifarReproduction.presets.central;
  assert.equal(central.seeds, 5);
  const pts = cifarReproduction.points(central, cifarReproduction.shape, 'cifar10');
  assert.deepEqual(pts.map((p) => p.id), ['se-f0.5000', 'downsized-f0.5000']);
  const full = cifarReproduction.points(cifarReproduction.presets.full, cifarReproduction.shape, 'cifar10');
  // the same configs as the full preset's points of those ids: a shared sweep folder reads seeds 1–3 back
  for (const p of pts) assert.deepEqual(p, full.find((q) => q.id === p.id));
  const errors = { se: [21, 22, 23, 20, 22], down: [22, 21, 24, 22, 23] };
  const row = (point: string, e: number[]) => ({ point, method: point.split('-')[0], nominalFraction: 0.5, columns: 1, seeds: [1, 2, 3, 4, 5], errors: e, mean: e.reduce((a, b) => a + b, 0) / e.length, sd: 1, n: e.length, diverged: 0, hidden: [], matchedFraction: null, fraction: 0.5, wholeNetworkFraction: 0.5, learned: 1 });
  const claims = cifarReproduction.claims([row('se-f0.5000', errors.se), row('downsized-f0.5000', errors.down)] as never, { command: 'c', preset: central, label: 'CIFAR-10 (JPEG-75 copy)' } as never);
  assert.deepEqual(claims.map((c) => c.id), ['cifar.seeds5.frac50.test_accuracy', 'cifar.seeds5.downsized.frac50.test_accuracy', 'cifar.seeds5.frac50_minus_downsized.test_error']);
  // per-seed differences −1, +1, −1, −2, −1: mean −0.8, squared deviations 0.04 + 3.24 + 0.04 + 1.44 + 0.04 = 4.8, sample sd √(4.8/4)
  const pair = claims[2];
  assert.ok(Math.abs((pair.value ?? NaN) + 0.8) < 1e-9 && Math.abs((pair.sd ?? NaN) - Math.sqrt(1.2)) < 1e-9 && pair.n_seeds === 5, JSON.stringify(pair));
  assert.ok(claims.every((c) => /seeds 1–5/.test(c.description) && !/epochs/.test(c.description)), 'each claim says it is the 5-seed, 20-epoch set');
});
