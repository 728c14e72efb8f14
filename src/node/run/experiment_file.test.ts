import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineExperiment } from '../../core/experiments/index.js';
import { PredictedConv2D } from '../../core/layers/predicted_conv2d.js';
import { isExperimentFile, loadExperimentFile } from './experiment_file.js';
import { runExperiment } from './runner.js';
import { loadRunModel } from './run_dir.js';
import { meanSd } from './seed_stats.js';

const here = dirname(fileURLToPath(import.meta.url));
const input = {
  name: 'my-tiny',
  why: 'a user experiment',
  dataset: { name: 'synthetic', limit: { train: 60, test: 20 } },
  model: { kind: 'mlp', hidden: [8], layers: [{ fraction: 0.5, dictionary: { method: 'rand' } }] },
  batchSize: 20,
  epochs: 1,
};

test('experiment files: .json, .mjs and .ts validated like named experiments, errors naming the file and the key', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pp-expfile-'));
  try {
    const ref = defineExperiment(input as never);
    const json = join(dir, 'my.json');
    writeFileSync(json, JSON.stringify(input));
    assert.deepEqual(await loadExperimentFile(json), ref);
    const mjs = join(dir, 'my.mjs');
    writeFileSync(mjs, `export default ${JSON.stringify(input)};\n`);
    assert.deepEqual(await loadExperimentFile(mjs), ref);
    const ts = join(dir, 'my.ts');
    writeFileSync(ts, `const e: { name: string; [k: string]: unknown } = ${JSON.stringify(input)};\nexport default e;\n`);
    assert.deepEqual(await loadExperimentFile(ts), ref);

    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...input, optimizer: { lr: -1 } }));
    await assert.rejects(loadExperimentFile(bad, 'parampred run'), (e: Error) => {
      assert.match(e.message, /^parampred run \(.*bad\.json\): expected a valid experiment 'my-tiny': optimizer\.lr: /);
      return true;
    });
    writeFileSync(bad, '{ not json');
    await assert.rejects(loadExperimentFile(bad), /expected JSON in .*bad\.json/);
    const none = join(dir, 'none.mjs');
    writeFileSync(none, 'export const x = 1;\n');
    await assert.rejects(loadExperimentFile(none), /expected .*none\.mjs to export the experiment as default .*got exports \["x"\]/);
    await assert.rejects(loadExperimentFile(join(dir, 'missing.json')), /got no file at .*missing\.json/);
    await assert.rejects(loadExperimentFile(join(dir, 'my.yaml')), /expected an experiment file ending in \.json, \.js/);
    assert.equal(isExperimentFile('smoke'), false);
    assert.equal(isExperimentFile('./smoke'), true);
    assert.equal(isExperimentFile('exp.json'), true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('parampred run <file> --set … --seeds 2: both seeds, summary.json with mean ± sd', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pp-expfile-cli-'));
  try {
    const file = join(dir, 'exp.json');
    writeFileSync(file, JSON.stringify(input));
    const main = join(here, '..', '..', 'cli', 'main.ts');
    const out = join(dir, 'out');
    const r = spawnSync(process.execPath, ['--import', 'tsx', main, 'run', file, '--set', 'model.hidden=[6]', '--seeds', '2', '--out', out, '--progress', 'none'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const finals = [1, 2].map((s) => JSON.parse(readFileSync(join(out, `seed-${s}`, 'final.json'), 'utf8')));
    assert.equal(JSON.parse(readFileSync(join(out, 'seed-1', 'config.json'), 'utf8')).model.hidden[0], 6);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const { mean, sd } = meanSd(finals.map((f) => f.testError));
    assert.equal(summary.experiment, 'my-tiny');
    assert.deepEqual({ mean: summary.rows[0].mean, sd: summary.rows[0].sd, n: summary.rows[0].n }, { mean, sd, n: 2 });
    assert.match(r.stdout, /my-tiny: test error \d+\.\d\d ± \d+\.\d\d% \(mean ± sd over 2 seeds\)/);
    const badFile = join(dir, 'bad.json');
    writeFileSync(badFile, JSON.stringify({ ...input, epochs: 0 }));
    const b = spawnSync(process.execPath, ['--import', 'tsx', main, 'run', badFile, '--out', join(dir, 'x')], { encoding: 'utf8' });
    assert.equal(b.status, 2);
    assert.match(b.stderr, /error: parampred run \(.*bad\.json\): expected a valid experiment 'my-tiny': epochs: /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a convnet experiment file (typed spec, max column norm) trains end to end; its predicted conv V is clipped per output channel', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pp-expfile-conv-'));
  try {
    const file = join(dir, 'conv.json');
    const spec = { convLayers: [[4, 3]], convs: [{ fraction: 0.5, dictionary: { method: 'se' } }], pools: [1], denseUnits: 10, dense: { fraction: 0.5, dictionary: { method: 'se' } } };
    writeFileSync(file, JSON.stringify({ ...input, name: 'conv-tiny', model: { kind: 'convnet', spec }, optimizer: { maxColumnNorm: 0.2 } }));
    const exp = await loadExperimentFile(file);
    const r = await runExperiment(exp, { outDir: join(dir, 'run'), progress: 'none', figures: false });
    assert.ok(Number.isFinite(r.final.testError));
    // paper fraction from the spec: synthetic images are 8×8×1: conv round(0.5·9)=5 of 9 positions, dense round(0.5·(6·6·4))=72 of 144 inputs
    assert.ok(Math.abs(r.final.parameters.paper.fraction - (5 * 1 * 4 + 72 * 10) / (9 * 1 * 4 + 144 * 10)) < 1e-12, String(r.final.parameters.paper.fraction));
    const { model } = await loadRunModel(join(dir, 'run'));
    const v = (model.layers.find((l) => l instanceof PredictedConv2D) as PredictedConv2D).weightsByRole.V.read();
    const norms = v.square().sum([0, 1]).sqrt().dataSync(); // V [n_α, c_in, c_out]: one norm per output channel
    assert.ok(Math.max(...norms) <= 0.2 * (1 + 1e-5), String(norms));
    model.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
