import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { syntheticDataset } from '../run/synthetic.js';
import { ricaClassifierOptions, type RicaResult } from '../rica/run.js';
import { fmtSeconds } from '../run/progress.js';
import { getRicaPreset, reproduceRica, ricaClaims, ricaMarkdown, ricaPoints, ricaPresets, ricaRows, type RicaPreset, type RicaRecord } from './rica.js';

const result = (features: number, fraction: number, test: number, train: number): RicaResult => ({
  dataset: 'CIFAR-10 (JPEG-75 copy)', testAccuracy: test, trainAccuracy: train, features, fraction, nAlpha: fraction === 1 ? 36 : 18,
  dynamicParameters: 108 * 10, pooledFeatures: 8 * features, ricaLoss: 1, l2: test > 0.52 ? 3e-3 : 1e-3,
  seconds: { data: 0, patches: 0, rica: 1, extract: 2, classifier: 3, total: 6 },
});

test('ricaClaims against a hand-computed table: means ± sample sd over seeds, RICA-50 % − RICA paired by seed', () => {
  // seed | rica-k10 | rica50-k20
  //  1   | 50 %     | 53 %     → +3
  //  2   | 52 %     | 53 %     → +1
  //  3   | 54 %     | —        (unpaired: in rica-k10's mean, not in the difference)
  const records: RicaRecord[] = [
    { point: 'rica50-k20', seed: 2, result: result(20, 0.5, 0.53, 0.9), dir: '' },
    { point: 'rica-k10', seed: 3, result: result(10, 1, 0.54, 0.8), dir: '' },
    { point: 'rica-k10', seed: 1, result: result(10, 1, 0.5, 0.8), dir: '' },
    { point: 'rica50-k20', seed: 1, result: result(20, 0.5, 0.53, 0.9), dir: '' },
    { point: 'rica-k10', seed: 2, result: result(10, 1, 0.52, 0.8), dir: '' },
  ];
  const preset: RicaPreset = { ...ricaPresets.full, features: 10 };
  const rows = ricaRows(ricaPoints(10), records);
  assert.deepEqual(rows.map((r) => [r.point, r.seeds, r.n]), [['rica-k10', [1, 2, 3], 3], ['rica50-k20', [1, 2], 2]]);
  const [plain, pred, diff] = ricaClaims(rows, { preset, dataset: 'CIFAR-10 (JPEG-75 copy)' });
  const near = (a: number | null, b: number) => assert.ok(a !== null && Math.abs(a - b) < 1e-9, `${a} vs ${b}`);
  assert.equal(plain.id, 'rica.full.test_accuracy');
  near(plain.value, 52); // (50 + 52 + 54) / 3
  near(plain.sd, 2); // √((4 + 0 + 4) / 2)
  assert.equal(plain.n_seeds, 3);
  assert.equal(pred.id, 'rica.pred50_2x.test_accuracy');
  near(pred.value, 53);
  near(pred.sd, 0);
  assert.equal(diff.id, 'rica.pred50_2x_minus_full.test_accuracy');
  near(diff.value, 2); // (3 + 1) / 2
  near(diff.sd, Math.SQRT2); // √((1 + 1) / 1)
  assert.equal(diff.n_seeds, 2);
  for (const c of [plain, pred, diff]) {
    assert.equal(c.dataset, 'CIFAR-10 (JPEG-75 copy)');
    assert.equal(c.command, 'parampred reproduce rica --preset full');
    assert.match(c.description, /\(full preset\)$/);
  }
  assert.match(pred.description, /2k = 20 features/);
  const md = ricaMarkdown(rows, { title: 't', notes: [] });
  assert.match(md, /\| rica-k10 \| 10 \| 1 \| 36 \| 1,080 \| 80 \| 52\.00 ± 2\.00 \| 80\.00 ± 0\.00 \| 1\.00 \| 1e-3, 1e-3, 3e-3 \|/);
  assert.match(md, /\| 1 \| 50\.00 \| 53\.00 \| \+3\.00 \|/);
  assert.match(md, /\| mean ± sd \| \| \| 2\.00 ± 1\.41 \|/);
  // a single seed: no sd
  const one = ricaClaims(ricaRows(ricaPoints(10), records.filter((r) => r.seed === 1)), { preset, dataset: 'd' });
  assert.deepEqual(one.map((c) => c.sd), [null, null, null]);
  assert.throws(() => getRicaPreset('huge'), /getRicaPreset: expected preset to be one of "quick", "full", "large", "converged", got "huge"/);
  // the converged preset is the full preset's seed 1 with only the classifier changed (longer fits, a wider L2
  // grid reaching below the full preset's), so that its accuracies compare with that seed's run for run
  const { classifier, seeds, makesClaims, name: _n, description: _d, ...same } = getRicaPreset('converged');
  const { classifier: fullClassifier, seeds: _s, makesClaims: _m, name: _n2, description: _d2, ...fullSame } = ricaPresets.full;
  assert.deepEqual(same, fullSame);
  assert.deepEqual([seeds, makesClaims], [1, false]);
  const [conv, full] = [ricaClassifierOptions(classifier), ricaClassifierOptions(fullClassifier)];
  assert.ok(conv.steps > full.steps, 'longer fits');
  assert.ok(Array.isArray(conv.l2) && Array.isArray(full.l2) && Math.min(...conv.l2) < Math.min(...full.l2), 'a grid reaching below the full preset\'s');
  // the large preset (k = 200 vs 400) names its own claims, so that merging keeps the full preset's
  const large = getRicaPreset('large');
  assert.equal(large.features, 200);
  const k20 = ricaPoints(20);
  const relabel = (r: RicaRecord): RicaRecord => ({ ...r, point: r.point === 'rica-k10' ? k20[0].id : k20[1].id });
  const big = ricaClaims(ricaRows(k20, records.map(relabel)), { preset: { ...large, features: 20 }, dataset: 'd' });
  assert.deepEqual(big.map((c) => c.id), ['rica.k200.test_accuracy', 'rica.pred50_k400.test_accuracy', 'rica.pred50_k400_minus_k200.test_accuracy']);
  assert.deepEqual(big.map((c) => c.value), [plain.value, pred.value, diff.value]);
  assert.match(big[0].command, /--preset large$/);
});

test('reproduceRica on tiny synthetic images through runRica: both points × seeds, files, claims merged; resume reads the runs back; a finished run without --resume or with another config is an error', async () => {
  await tf.setBackend('cpu');
  const root = mkdtempSync(join(tmpdir(), 'pp-repro-rica-'));
  try {
    const data = syntheticDataset({ train: 120, test: 80 });
    const preset: RicaPreset = { name: 'tiny', description: 'test', features: 4, trainImages: 120, testImages: 80, patches: 1000, steps: 20, batchSize: 100, patch: 3, classifier: { steps: 30, l2: [1e-3, 1e-1] }, seeds: 2, makesClaims: true };
    const results = join(root, 'results');
    mkdirSync(results);
    const other = { id: 'other.claim', description: 'kept', value: 1, sd: null, n_seeds: 1, unit: 'x', dataset: 'd', command: 'c' };
    writeFileSync(join(results, 'claims.json'), JSON.stringify([other]));
    const out = join(root, 'out');
    const lines: string[] = [];
    const r = await reproduceRica({ preset, outDir: out, resultsDir: results, data, backend: 'current', log: (l) => lines.push(l) });
    assert.equal(r.trained, 4);
    // seed-major: both points of seed 1 before seed 2
    assert.deepEqual(r.records.map((x) => `${x.point}/${x.seed}`), ['rica-k4/1', 'rica50-k8/1', 'rica-k4/2', 'rica50-k8/2']);
    const [plain, pred] = r.rows;
    assert.equal(plain.dynamicParameters, 3 * 3 * 1 * 4); // p²·c·k
    assert.equal(pred.dynamicParameters, 5 * 1 * 8); // n_α = round(0.5·9) = 5, ·c·2k
    assert.equal(pred.pooledFeatures, 64);
    for (const x of r.records) {
      for (const f of ['config.json', 'metrics.jsonl', 'final.json']) assert.ok(statSync(join(out, 'points', x.point, `seed-${x.seed}`, f)).size > 0, f);
      const cfg = JSON.parse(readFileSync(join(x.dir, 'config.json'), 'utf8'));
      assert.deepEqual([cfg.features, cfg.fraction, cfg.seed, cfg.patch, cfg.steps], [x.point === 'rica-k4' ? 4 : 8, x.point === 'rica-k4' ? 1 : 0.5, x.seed, 3, 20]);
    }
    // the claims from the runs' own final.json files, by the formulas of the claims test
    const acc = (p: string, s: number) => 100 * (JSON.parse(readFileSync(join(out, 'points', p, `seed-${s}`, 'final.json'), 'utf8')) as RicaResult).testAccuracy;
    const merged = JSON.parse(readFileSync(join(results, 'claims.json'), 'utf8')) as { id: string; value: number }[];
    assert.deepEqual(merged.map((c) => c.id), ['other.claim', 'rica.full.test_accuracy', 'rica.pred50_2x.test_accuracy', 'rica.pred50_2x_minus_full.test_accuracy']);
    assert.ok(Math.abs(merged[1].value - (acc('rica-k4', 1) + acc('rica-k4', 2)) / 2) < 1e-9);
    assert.ok(Math.abs(merged[3].value - (acc('rica50-k8', 1) - acc('rica-k4', 1) + acc('rica50-k8', 2) - acc('rica-k4', 2)) / 2) < 1e-9);
    assert.deepEqual(JSON.parse(readFileSync(join(out, 'claims.json'), 'utf8')), merged.slice(1));
    assert.match(readFileSync(join(out, 'summary.md'), 'utf8'), /\| rica50-k8 \| 8 \| 0\.5 \| 5 \| 40 \| 64 \|/);
    assert.equal((JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { runs: unknown[] }).runs.length, 4);

    // resume: nothing recomputed (final.json untouched), the same rows
    const mtime = statSync(join(out, 'points', 'rica-k4', 'seed-1', 'final.json')).mtimeMs;
    lines.length = 0;
    const again = await reproduceRica({ preset, outDir: out, resultsDir: null, data, backend: 'current', resume: true, log: (l) => lines.push(l) });
    assert.equal(again.trained, 0);
    const noTime = (rows: typeof r.rows) => rows.map(({ seconds: _s, ...x }) => x);
    assert.deepEqual(again.rows, r.rows); // read back: the seconds too
    assert.equal(statSync(join(out, 'points', 'rica-k4', 'seed-1', 'final.json')).mtimeMs, mtime);
    assert.equal(lines.filter((l) => /\(done before\)$/.test(l)).length, 4, lines.join('\n'));
    // a read-back summary keeps the runs' own time (the sum of their final.json seconds), not this call's wall time
    const own = r.records.reduce((n, x) => n + (JSON.parse(readFileSync(join(x.dir, 'final.json'), 'utf8')) as RicaResult).seconds.total, 0);
    const md = readFileSync(join(out, 'summary.md'), 'utf8');
    assert.ok(md.includes(`the runs' own time ${fmtSeconds(own)} in all`), md);
    assert.match(md, /this invocation computed none and read back all 4/);
    // a missing run is computed on resume, the others are read back
    rmSync(join(out, 'points', 'rica50-k8', 'seed-2'), { recursive: true });
    const partial = await reproduceRica({ preset, outDir: out, resultsDir: null, data, backend: 'current', resume: true, log: () => {} });
    assert.equal(partial.trained, 1);
    assert.deepEqual(noTime(partial.rows), noTime(r.rows)); // seeded: the same accuracy again

    await assert.rejects(reproduceRica({ preset, outDir: out, resultsDir: null, data, backend: 'current', log: () => {} }), /reproduceRica: expected an empty run directory or --resume, got existing results in .*rica-k4.seed-1/);
    await assert.rejects(reproduceRica({ preset: { ...preset, steps: 21 }, outDir: out, resultsDir: null, data, backend: 'current', resume: true, log: () => {} }), /reproduceRica: expected .*rica-k4.seed-1 to hold a run of the same config to resume, got different steps \(20 there, 21 now\)/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('reproduceRica: a smoke-look preset writes no claims', async () => {
  await tf.setBackend('cpu');
  const root = mkdtempSync(join(tmpdir(), 'pp-repro-rica-'));
  try {
    const preset: RicaPreset = { name: 'tiny', description: 'test', features: 2, trainImages: 60, testImages: 40, patches: 500, steps: 5, batchSize: 100, patch: 3, classifier: { steps: 5 }, seeds: 1, makesClaims: false };
    const results = join(root, 'results');
    const r = await reproduceRica({ preset, outDir: join(root, 'out'), resultsDir: results, data: syntheticDataset({ train: 60, test: 40 }), backend: 'current', log: () => {} });
    assert.deepEqual(r.claims, []);
    assert.throws(() => statSync(join(results, 'claims.json')), /ENOENT/);
    assert.throws(() => statSync(join(root, 'out', 'claims.json')), /ENOENT/);
    assert.match(readFileSync(join(root, 'out', 'summary.md'), 'utf8'), /This preset makes no claims\./);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
