import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticDataset } from '../run/synthetic.js';
import { reproduceMnist } from './mnist.js';
import { runDemo } from './demo.js';
import type { ReproducePreset } from './presets.js';
import type { Claim, RunRecord } from './summary.js';

const tiny: ReproducePreset = {
  name: 'tiny',
  description: 'test',
  seeds: 2,
  epochs: 1,
  trainLimit: null,
  validation: 0,
  testLimit: null,
  dictionarySample: 100,
  pretrainingEpochs: null,
  calibrate: 'he',
  hidden: [20, 20],
  grid: [
    { methods: ['se-emp', 'se', 'rand', 'lowrank'], fractions: [0.05, 0.25], columns: [10] },
    { methods: ['se-emp'], fractions: [0.05], columns: [2] },
  ],
  downsizedFractions: [0.05],
  downsizedColumns: 10,
  makesClaims: true,
};

test('reproduce end to end on synthetic data: summary, claims merged by id, results copied, resume skips finished runs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pp-repro-'));
  try {
    const data = syntheticDataset({ train: 120, test: 60, validation: 40 });
    const out = join(dir, 'out');
    const results = join(dir, 'results');
    const claimsPath = join(results, 'claims.json');
    const keep: Claim = { id: 'other.claim', description: 'kept', value: 1, sd: null, n_seeds: 1, unit: '', dataset: 'x', command: '' };
    const stale: Claim = { ...keep, id: 'synthetic.full.test_error', value: -1 };
    (await import('node:fs')).mkdirSync(results, { recursive: true });
    writeFileSync(claimsPath, JSON.stringify([keep, stale]));
    const lines: string[] = [];
    const r = await reproduceMnist({ preset: tiny, outDir: out, data, resultsDir: results, progress: 'none', log: (l) => lines.push(l), command: 'test-cmd' });
    // 1 full + 3 methods × 2 fractions + 1 two-column + 1 downsized = 9 trained points (se = se-emp: aliases)
    assert.equal(r.records.length, 9 * 2);
    assert.equal(r.trained, 18);
    assert.equal(r.rows.length, 11); // + the 2 se alias rows
    const seAlias = r.rows.find((x) => x.point === 'se-f0.0500-c10')!;
    const seEmp = r.rows.find((x) => x.point === 'se-emp-f0.0500-c10')!;
    assert.equal(seAlias.aliasOf, seEmp.point);
    assert.deepEqual(seAlias.errors, seEmp.errors);
    // the row's mean/sd are those of the records' test errors
    const recs = (JSON.parse(readFileSync(join(out, 'runs.json'), 'utf8')) as RunRecord[]).filter((x) => x.point === 'full');
    const errs = recs.map((x) => x.testError as number);
    const m = (errs[0] + errs[1]) / 2;
    const full = r.rows.find((x) => x.point === 'full')!;
    assert.ok(Math.abs(full.mean! - m) < 1e-12 && Math.abs(full.sd! - Math.abs(errs[0] - errs[1]) / Math.SQRT2) < 1e-12);
    assert.equal(full.n, 2);
    assert.equal(full.fraction, 1);
    // paper-convention fraction measured on the model: 0.25 of 64 = 16 α, 0.25 of 20 = 5 α → (16·20 + 5·20)/(64·20 + 20·20)
    assert.ok(Math.abs(r.rows.find((x) => x.point === 'rand-f0.2500-c10')!.fraction - (16 * 20 + 5 * 20) / (64 * 20 + 20 * 20)) < 1e-12);
    for (const f of ['summary.md', 'summary.json', 'claims.json', 'error-vs-fraction.svg', 'columns.svg', 'plan.json', 'runs.json']) assert.ok(existsSync(join(out, f)), f);
    for (const f of ['summary.md', 'summary.json', 'error-vs-fraction.svg', 'columns.svg', 'README.md']) assert.ok(existsSync(join(results, 'synthetic-tiny', f)), f);
    assert.match(readFileSync(join(results, 'synthetic-tiny', 'README.md'), 'utf8'), /test-cmd/);
    assert.match(readFileSync(join(out, 'error-vs-fraction.svg'), 'utf8'), /^<svg/);
    const merged = JSON.parse(readFileSync(claimsPath, 'utf8')) as Claim[];
    assert.equal(merged[0].id, 'other.claim');
    const fc = merged.find((c) => c.id === 'synthetic.full.test_error')!;
    assert.equal(fc.value, full.mean);
    assert.equal(merged.filter((c) => c.id === 'synthetic.full.test_error').length, 1);
    for (const id of ['synthetic.cols10.best_fraction_within_0.2pp', 'synthetic.cols10.frac05.test_error', 'synthetic.downsized.frac05.test_error']) assert.ok(merged.some((c) => c.id === id), id);
    assert.ok(lines.some((l) => /\[reproduce 18\/18\]/.test(l)));
    // training order: the claims' points first, then se-emp's curve, then the rest
    const order = ['full', 'se-emp-f0.0500-c10', 'downsized-f0.0500', 'rand-f0.0500-c10', 'se-emp-f0.2500-c10', 'se-emp-f0.0500-c2', 'rand-f0.2500-c10'].map((id) => r.records.findIndex((x) => x.point === id));
    assert.ok(order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1])), `order ${order}`);
    // without --resume an existing run directory is refused; with it every run is read back, nothing retrained
    await assert.rejects(reproduceMnist({ preset: tiny, outDir: out, data, resultsDir: null, progress: 'none', log: () => {} }), /expected an empty run directory or --resume/);
    const again = await reproduceMnist({ preset: tiny, outDir: out, data, resultsDir: null, progress: 'none', log: () => {}, resume: true });
    assert.equal(again.trained, 0);
    assert.deepEqual(again.rows.map((x) => x.mean), r.rows.map((x) => x.mean));
    // --finished-only with a third seed: nothing trained, the two finished seeds summarised, no claim made
    // (no point has all 3 seeds), and the summary says it is partial
    const partial = await reproduceMnist({ preset: tiny, seeds: 3, outDir: out, data, resultsDir: null, progress: 'none', log: () => {}, finishedOnly: true });
    assert.equal(partial.trained, 0);
    assert.equal(partial.records.length, 18);
    assert.deepEqual(partial.rows.map((x) => x.mean), r.rows.map((x) => x.mean));
    assert.equal(partial.claims.length, 0);
    assert.match(readFileSync(join(out, 'summary.md'), 'utf8'), /Partial: 18 of 27 runs have finished/);
    assert.ok(!existsSync(join(out, 'points', 'full', 'seed-3')));
    // a smoke preset never writes results/claims.json
    const before = readFileSync(claimsPath, 'utf8');
    await reproduceMnist({ preset: { ...tiny, makesClaims: false }, outDir: out, data, resultsDir: results, progress: 'none', log: () => {}, finishedOnly: true });
    assert.equal(readFileSync(claimsPath, 'utf8'), before);
    assert.ok(existsSync(join(results, 'synthetic-tiny', 'claims.json')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('demo on synthetic data: both runs, fractions printed and named, pictures copied; a second call reuses the runs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pp-demo-'));
  try {
    const data = syntheticDataset({ height: 28, width: 28, classes: 4, train: 100, test: 40, validation: 20 });
    const lines: string[] = [];
    const r = await runDemo({ outDir: dir, epochs: 1, train: 100, data, overrides: ['model.hidden=[20,20]', 'dictionarySample=50', 'dataset.validation=20'], progress: 'none', print: (l) => lines.push(l) });
    const text = lines.join('\n');
    assert.match(text, /full MLP .*test error \d+\.\d\d %/);
    assert.match(text, /se-emp MLP .*test error \d+\.\d\d %/);
    // 0.05 of 784 = 39 α, 0.05 of 20 = 1 α: (39·20 + 1·20) / (784·20 + 20·20)
    const expected = (39 * 20 + 1 * 20) / (784 * 20 + 20 * 20);
    assert.ok(Math.abs(r.predicted.parameters.paper.fraction - expected) < 1e-12);
    assert.match(text, new RegExp(`paper convention .*: ${(100 * expected).toFixed(1)} %`));
    assert.match(text, /wall time \d+ s/);
    assert.ok(existsSync(join(dir, 'fig1.png')) && existsSync(join(dir, 'features-full.png')));
    const again: string[] = [];
    const r2 = await runDemo({ outDir: dir, epochs: 1, train: 100, data, overrides: ['model.hidden=[20,20]', 'dictionarySample=50', 'dataset.validation=20'], progress: 'none', print: (l) => again.push(l) });
    assert.match(again.join('\n'), /reusing the finished run/);
    assert.equal(r2.predicted.testError, r.predicted.testError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
