import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticDataset } from '../run/synthetic.js';
import { runReproduction } from './run.js';
import { declaredClaims, type ClaimSpec } from './claims.js';
import { point, type PresetBase, type Reproduction } from './reproduction.js';
import { getReproduction, reproductionNames, reproductions } from './registry.js';
import type { Claim, RunRecord } from './summary.js';

interface TinyPreset extends PresetBase {
  epochs: number;
}

const specs: ClaimSpec[] = [
  { id: 'tiny.dense.test_error', kind: 'error', point: 'dense', description: 'dense' },
  { id: 'tiny.pred.test_accuracy', kind: 'accuracy', point: 'pred', description: 'predicted' },
  { id: 'tiny.pred_minus_dense', kind: 'paired', a: 'pred', b: 'dense', description: 'paired' },
  { id: 'tiny.side.test_error', kind: 'error', point: 'side', description: 'one seed only' },
];

/** A reproduction of the smoke experiment: a dense point, a predicted point, and a one-seed side point. */
const tiny: Reproduction<TinyPreset> = {
  name: 'tiny',
  summary: 'test',
  presets: { one: { name: 'one', description: 'tiny preset', seeds: 2, makesClaims: true, epochs: 1 } },
  shape: { inputSize: 64, classes: 4 },
  points: (preset) => [
    point({ id: 'dense', method: 'full', nominalFraction: null, columns: null }, 'smoke', [`epochs=${preset.epochs}`, 'model.layers=[null,null]']),
    point({ id: 'pred', method: 'se-emp', nominalFraction: 0.25, columns: 4 }, 'smoke', [`epochs=${preset.epochs}`]),
    point({ id: 'side', method: 'rand', nominalFraction: 0.25, columns: 4, seeds: 1 }, 'smoke', [`epochs=${preset.epochs}`, 'model.layers.1.dictionary={"method":"rand"}']),
  ],
  priority: (p) => (p.id === 'pred' ? 0 : 1),
  title: ({ preset }) => `tiny ${preset.name}`,
  notes: () => ['a note'],
  tables: () => '## extra table\n',
  claims: (rows, { command, preset, label }) => declaredClaims(specs, rows, { command, preset: preset.name, dataset: label }),
  convergence: () => [['dense', 'dense net']],
  figures: async (rows, { convergence }) => ({ 'n.svg': `<svg>${rows.length} ${convergence.length}</svg>` }),
  readme: () => ({ intro: 'intro. Made with', fields: 'fields', files: 'files', paper: 'paper says' }),
};

test('a reproduction through the real runner: points × seeds (fewer for a side point), priority order, claims from per-seed results, results merged; resume trains only what is missing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pp-run-'));
  try {
    const data = syntheticDataset({ train: 120, test: 60, validation: 40 });
    const out = join(dir, 'out');
    const results = join(dir, 'results');
    mkdirSync(results);
    const keep: Claim = { id: 'other', description: 'kept', value: 1, sd: null, n_seeds: 1, unit: '', dataset: 'x', command: '' };
    writeFileSync(join(results, 'claims.json'), JSON.stringify([keep]));
    const lines: string[] = [];
    const r = await runReproduction(tiny, { preset: 'one', outDir: out, data, resultsDir: results, progress: 'none', log: (l) => lines.push(l), command: 'cmd' });
    assert.equal(r.trained, 5); // 2 + 2 + 1
    assert.deepEqual(r.records.map((x) => `${x.point}/${x.seed}`), ['pred/1', 'pred/2', 'dense/1', 'dense/2', 'side/1']);
    // the claims against a reference computed here from the runs' own final.json files
    const err = (p: string, s: number) => (JSON.parse(readFileSync(join(out, 'points', p, `seed-${s}`, 'final.json'), 'utf8')) as { testError: number }).testError;
    const [d1, d2, p1, p2] = [err('dense', 1), err('dense', 2), err('pred', 1), err('pred', 2)];
    const by = (id: string) => r.claims.find((c) => c.id === id)!;
    assert.ok(Math.abs(by('tiny.dense.test_error').value! - (d1 + d2) / 2) < 1e-12);
    assert.ok(Math.abs(by('tiny.dense.test_error').sd! - Math.abs(d1 - d2) / Math.SQRT2) < 1e-12);
    assert.ok(Math.abs(by('tiny.pred.test_accuracy').value! - (100 - (p1 + p2) / 2)) < 1e-12);
    assert.ok(Math.abs(by('tiny.pred_minus_dense').value! - (p1 - d1 + p2 - d2) / 2) < 1e-12);
    assert.ok(Math.abs(by('tiny.pred_minus_dense').sd! - Math.abs(p1 - d1 - (p2 - d2)) / Math.SQRT2) < 1e-12);
    // a one-seed point is not "partial": the run is complete, but its claim has n = 1
    assert.equal(by('tiny.side.test_error').n_seeds, 1);
    // claims carry the loader's label (what results must call the data), not its registry name
    assert.equal(by('tiny.dense.test_error').dataset, data.label);
    assert.notEqual(data.label, data.name);
    const merged = JSON.parse(readFileSync(join(results, 'claims.json'), 'utf8')) as Claim[];
    assert.deepEqual(merged.map((c) => c.id), ['other', ...specs.map((s) => s.id)]);
    const md = readFileSync(join(out, 'summary.md'), 'utf8');
    assert.match(md, /^# tiny one\n/);
    assert.match(md, /- Preset one: tiny preset\n- a note\n/);
    assert.match(md, /## extra table/);
    assert.doesNotMatch(md, /Partial/);
    assert.equal(readFileSync(join(out, 'n.svg'), 'utf8'), '<svg>3 1</svg>');
    const readme = readFileSync(join(results, 'synthetic-one', 'README.md'), 'utf8');
    assert.match(readme, /intro\. Made with\n\n```\nPARAMPRED_DATA=\/path\/to\/data cmd\n```/);
    assert.match(readme, /paper says\n\n- `tiny\.dense\.test_error`/);
    assert.ok(lines.some((l) => /\[reproduce 5\/5\] side seed 1/.test(l)));
    // resume: a finished run is read back, a deleted one is trained again, and only that one
    rmSync(join(out, 'points', 'dense', 'seed-2'), { recursive: true });
    const again = await runReproduction(tiny, { preset: tiny.presets.one, outDir: out, data, resultsDir: null, progress: 'none', log: () => {}, resume: true });
    assert.equal(again.trained, 1);
    const others = (rs: RunRecord[]) => rs.filter((x) => !(x.point === 'dense' && x.seed === 2)).map((x) => x.testError);
    assert.deepEqual(others(again.records), others(r.records));
    assert.equal(typeof again.records.find((x) => x.point === 'dense' && x.seed === 2)?.testError, 'number');
    const runs = JSON.parse(readFileSync(join(out, 'runs.json'), 'utf8')) as RunRecord[];
    assert.equal(runs.length, 5);
    // --finished-only with a seed gone: nothing trained, the summary says partial, claims lacking a seed left out
    rmSync(join(out, 'points', 'pred', 'seed-2'), { recursive: true });
    const part = await runReproduction(tiny, { preset: 'one', outDir: out, data, resultsDir: null, progress: 'none', log: () => {}, finishedOnly: true });
    assert.equal(part.trained, 0);
    assert.equal(part.records.length, 4);
    assert.deepEqual(part.claims.map((c) => c.id), ['tiny.dense.test_error']);
    assert.match(readFileSync(join(out, 'summary.md'), 'utf8'), /Partial: 4 of 5 runs have finished/);
    assert.doesNotMatch(readFileSync(join(out, 'summary.md'), 'utf8'), /In training when/);
    // a run another live process trains (its lock, its first epoch in its metrics) is named with how far it is
    const held = join(out, 'points', 'pred', 'seed-2');
    mkdirSync(held, { recursive: true });
    writeFileSync(join(held, 'lock.json'), JSON.stringify({ pid: process.ppid, host: hostname(), since: 'then' }));
    writeFileSync(join(held, 'metrics.jsonl'), '{"epoch":0}\n');
    await runReproduction(tiny, { preset: 'one', outDir: out, data, resultsDir: null, progress: 'none', log: () => {}, finishedOnly: true });
    assert.match(readFileSync(join(out, 'summary.md'), 'utf8'), new RegExp(`In training when this summary was written: pred seed 2 \\(pid ${process.ppid}, 1 of 1 epochs\\)\\.`));
    rmSync(held, { recursive: true });
    assert.ok(!existsSync(join(out, 'points', 'pred', 'seed-2', 'final.json')));
    // --points: only the named point trains (pred seed 2 again); a gone seed of another point stays gone
    rmSync(join(out, 'points', 'dense', 'seed-1'), { recursive: true });
    const onlyLog: string[] = [];
    const only = await runReproduction(tiny, { preset: 'one', outDir: out, data, resultsDir: null, progress: 'none', log: (l) => onlyLog.push(l), resume: true, points: ['pred'] });
    assert.equal(only.trained, 1);
    // the runs it will train, counted before it starts (the ETA's), and no time left once the last is done
    assert.ok(onlyLog.includes('[reproduce] 1 of the 5 runs to train here (points pred), the others read back'), onlyLog.join('\n'));
    assert.match(onlyLog.find((l) => l.includes('pred seed 2: test error')) ?? '', /ETA 0s$/);
    assert.deepEqual(only.records.map((x) => `${x.point}/${x.seed}`), ['pred/1', 'pred/2', 'dense/2', 'side/1']);
    assert.ok(!existsSync(join(out, 'points', 'dense', 'seed-1', 'final.json')));
    assert.deepEqual(only.claims.map((c) => c.id), ['tiny.pred.test_accuracy']);
    await assert.rejects(runReproduction(tiny, { preset: 'one', outDir: out, data, resultsDir: null, points: ['pred', 'nope'] }), /expected points among the preset's: dense, pred, side, got "nope"/);
    await assert.rejects(runReproduction(tiny, { preset: 'two', outDir: out, data, resultsDir: null }), /parampred reproduce tiny: expected preset to be one of "one", got "two"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('runs trained in bf16 (run.json versions.precision) keep their claims out of results/claims.json, in <dataset>-<preset>-bf16; a mix is named', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pp-run-bf16-'));
  try {
    const data = syntheticDataset({ train: 120, test: 60, validation: 40 });
    const out = join(dir, 'out'), results = join(dir, 'results');
    mkdirSync(results);
    const first = await runReproduction(tiny, { preset: 'one', outDir: out, data, resultsDir: null, progress: 'none', log: () => {}, command: 'cmd' });
    assert.equal(first.trained, 5);
    const keep: Claim = { id: 'other', description: 'kept', value: 1, sd: null, n_seeds: 1, unit: '', dataset: 'x', command: '' };
    writeFileSync(join(results, 'claims.json'), JSON.stringify([keep]));
    // mark one run as trained in bf16, as the runner records it
    const info = join(out, 'points', 'pred', 'seed-1', 'run.json');
    const j = JSON.parse(readFileSync(info, 'utf8'));
    j.versions.precision = 'bf16';
    writeFileSync(info, JSON.stringify(j));
    const lines: string[] = [];
    const r = await runReproduction(tiny, { preset: 'one', outDir: out, data, resultsDir: results, progress: 'none', log: (l) => lines.push(l), finishedOnly: true, command: 'cmd' });
    assert.ok(r.claims.length > 0, 'the claims are still computed');
    assert.deepEqual((JSON.parse(readFileSync(join(results, 'claims.json'), 'utf8')) as Claim[]).map((c) => c.id), ['other'], 'nothing merged');
    assert.ok(existsSync(join(results, 'synthetic-one-bf16', 'claims.json')) && !existsSync(join(results, 'synthetic-one')));
    const md = readFileSync(join(out, 'summary.md'), 'utf8');
    assert.match(md, /Mixed precisions\*\*: 4 run\(s\) fp32, 1 run\(s\) bf16|Mixed precisions\*\*: 1 run\(s\) bf16, 4 run\(s\) fp32/);
    assert.ok(lines.some((l) => /bf16 runs: its claims stay in .*synthetic-one-bf16/.test(l)));
    // all fp32 again: merged as usual
    j.versions.precision = 'fp32';
    writeFileSync(info, JSON.stringify(j));
    await runReproduction(tiny, { preset: 'one', outDir: out, data, resultsDir: results, progress: 'none', log: () => {}, finishedOnly: true, command: 'cmd' });
    assert.deepEqual((JSON.parse(readFileSync(join(results, 'claims.json'), 'utf8')) as Claim[]).map((c) => c.id), ['other', ...specs.map((x) => x.id)]);
    // the read-back summaries keep the record of the invocation that trained the runs (their own wall time is not its)
    const lastTraining = (JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { lastTraining: { trained: number; wallSeconds: number } }).lastTraining;
    assert.deepEqual([lastTraining.trained, lastTraining.wallSeconds], [5, first.wallSeconds]);
    assert.match(readFileSync(join(results, 'synthetic-one', 'README.md'), 'utf8'), /\(0 runs trained here\).* The last invocation that trained runs here: wall time \S+ for 5 run\(s\), on \d{4}-\d\d-\d\d/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('two presets sharing one folder of runs: the second writes its plan, summary and figures to <out>/summary-<preset>/, not over the first\'s', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pp-run-share-'));
  try {
    const data = syntheticDataset({ train: 120, test: 60, validation: 40 });
    const out = join(dir, 'out');
    const quiet = { outDir: out, data, resultsDir: null, progress: 'none' as const, log: () => {}, finishedOnly: true };
    const first = await runReproduction(tiny, { ...quiet, preset: 'one' });
    assert.equal(first.summaryDir, out);
    const mine = ['plan.json', 'summary.md', 'summary.json', 'claims.json', 'runs.json', 'n.svg'].map((f) => [f, readFileSync(join(out, f), 'utf8')] as const);
    const lines: string[] = [];
    const other: TinyPreset = { ...tiny.presets.one, name: 'other', description: 'another preset over the same runs' };
    const second = await runReproduction(tiny, { ...quiet, preset: other, log: (l) => lines.push(l) });
    assert.equal(second.summaryDir, join(out, 'summary-other'));
    for (const [f, text] of mine) {
      assert.equal(readFileSync(join(out, f), 'utf8'), text, `${f} of preset one untouched`);
      assert.ok(existsSync(join(out, 'summary-other', f)), `${f} of preset other`);
    }
    assert.equal(JSON.parse(readFileSync(join(out, 'summary-other', 'plan.json'), 'utf8')).preset.name, 'other');
    assert.ok(lines.some((l) => l.includes('is another preset\'s') && l.includes('summary-other')));
    // the first preset again: its own folder, as before
    assert.equal((await runReproduction(tiny, { ...quiet, preset: 'one' })).summaryDir, out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('registry: every reproduction builds unique point ids per preset, from registered experiments; unknown names are listed', () => {
  assert.deepEqual([...reproductionNames].sort(), ['cifar', 'letter', 'madelon', 'mnist']);
  for (const [name, def] of Object.entries(reproductions)) {
    assert.equal(def.name, name);
    for (const preset of Object.values(def.presets)) {
      const pts = def.points(preset as never, def.shape);
      assert.ok(pts.length > 1, `${name}/${preset.name}`);
      assert.equal(new Set(pts.map((p) => p.id)).size, pts.length, `${name}/${preset.name} ids`);
      assert.ok(pts.every((p) => /^[a-z0-9.-]+$/.test(p.id)));
    }
  }
  assert.throws(() => getReproduction('imagenet'), /getReproduction: expected reproduction to be one of "mnist", "letter", "madelon", "cifar", got "imagenet"/);
});

test('--jobs workers (two at once, here in one process): each run trained exactly once, the same results as one sweep in order; the summary after them counts their runs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pp-run-jobs-'));
  try {
    const data = syntheticDataset({ train: 120, test: 60, validation: 40 });
    const seq = join(dir, 'seq'), par = join(dir, 'par');
    const reference = await runReproduction(tiny, { preset: 'one', outDir: seq, data, resultsDir: null, progress: 'none', log: () => {} });
    const logs: string[][] = [[], []];
    const both: string[] = []; // the two workers' lines in the order they were logged
    const workers = await Promise.all([0, 1].map((i) => runReproduction(tiny, { preset: 'one', outDir: par, data, resultsDir: null, progress: 'none', log: (l) => (logs[i].push(l), both.push(l)), resume: true, worker: true, workers: 2 })));
    // the run that finished last leaves nothing to train: its worker's ETA counts neither the runs the other worker
    // finished nor those it skipped as the other's
    assert.match(both.filter((l) => /: test error /.test(l)).at(-1) ?? '', /, 0 runs left to the jobs, ETA 0s$/, both.join('\n'));
    // every run once: the workers' trained counts add up to the sweep's runs, each skipped the other's
    assert.equal(workers[0].trained + workers[1].trained, 5);
    assert.ok(workers.every((w) => w.trained > 0), `both workers trained: ${workers.map((w) => w.trained)}`);
    assert.ok(logs.flat().some((l) => /\(another job\), skipped/.test(l)), 'a worker skipped a run the other held');
    assert.ok(workers.every((w) => w.rows.length === 0 && w.claims.length === 0), 'workers summarise nothing');
    assert.ok(!existsSync(join(par, 'summary.md')) && !existsSync(join(par, 'plan.json')));
    for (const r of reference.records) {
      const runDir = join(par, 'points', r.point, `seed-${r.seed}`);
      assert.ok(!existsSync(join(runDir, 'lock.json')), `${runDir}: lock released`);
      assert.deepEqual((JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as { resumes: unknown[] }).resumes, [], `${runDir}: trained once, never resumed`);
    }
    const summary = await runReproduction(tiny, { preset: 'one', outDir: par, data, resultsDir: null, progress: 'none', log: () => {}, finishedOnly: true, jobs: { count: 2, trained: 5, seconds: 7 } });
    assert.deepEqual(summary.records.map((x) => [x.point, x.seed, x.testError]), reference.records.map((x) => [x.point, x.seed, x.testError]));
    assert.deepEqual(summary.claims.map((c) => [c.id, c.value, c.sd]), reference.claims.map((c) => [c.id, c.value, c.sd]));
    assert.equal(summary.trained, 5);
    assert.match(readFileSync(join(par, 'summary.md'), 'utf8'), /\(5 runs trained by 2 jobs at once, 0 read back\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
