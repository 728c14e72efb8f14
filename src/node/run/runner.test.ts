import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import { defineExperiment } from '../../core/experiments/index.js';
import { DivergedError, runExperiment } from './runner.js';
import { syntheticDataset } from './synthetic.js';
import { denseMlp } from './model.js';
import { readMetrics } from './metrics.js';
import { loadCheckpoint } from './checkpoint.js';
import { readArrays } from './arrays.js';

const here = dirname(fileURLToPath(import.meta.url));
const child = join(here, 'resume_child.ts');
const tmp = () => mkdtempSync(join(tmpdir(), 'pp-run-'));
// One thread: with 2 OpenMP threads the native backend's results vary in the last bits between runs
// when the CPU is contended (measured: 2 of 2 concurrent runs differed; with 1 thread 3 of 3 agreed).
const childEnv = { ...process.env, PARAMPRED_THREADS: '1' };
const noSeconds = (rows: object[]) => rows.map((r) => ({ ...r, seconds: 0 }));

function runChild(dir: string, mode: string) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', child, dir, mode], { encoding: 'utf8', env: childEnv });
  assert.equal(r.status, 0, r.stderr);
}

test('kill -9 mid-epoch, then --resume: same weights (bit for bit) and metrics as an uninterrupted run', async () => {
  const full = tmp();
  const killed = tmp();
  runChild(full, 'full');
  // start a run, kill -9 it in the middle of epoch 2 (after the epoch-1 checkpoint was written)
  await new Promise<void>((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, killed, 'pause'], { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('paused')) p.kill('SIGKILL');
    });
    p.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited ${code}: ${err}`))));
  });
  assert.equal(loadCheckpoint(killed)!.state.epoch, 1, 'the epoch-1 checkpoint survived the kill');
  assert.ok(!existsSync(join(killed, 'final.json')));
  runChild(killed, 'resume');
  const a = readArrays(join(full, 'model'), 'weights');
  const b = readArrays(join(killed, 'model'), 'weights');
  assert.equal(a.length, b.length);
  a.forEach((x, i) => assert.ok(Buffer.from(x.data.buffer).equals(Buffer.from(b[i].data.buffer)), `weight ${x.name} differs`));
  assert.deepEqual(noSeconds(readMetrics(killed)), noSeconds(readMetrics(full)));
  assert.equal(readMetrics(full).length, 4);
  const fa = JSON.parse(readFileSync(join(full, 'final.json'), 'utf8'));
  const fb = JSON.parse(readFileSync(join(killed, 'final.json'), 'utf8'));
  assert.equal(fb.testError, fa.testError);
  assert.equal(fb.testLoss, fa.testLoss);
  assert.equal(JSON.parse(readFileSync(join(killed, 'run.json'), 'utf8')).resumes[0].fromEpoch, 1);
  rmSync(full, { recursive: true });
  rmSync(killed, { recursive: true });
});

const tiny = defineExperiment({
  name: 'tiny',
  why: 'runner tests',
  dataset: { name: 'synthetic', limit: { train: 200, test: 100 }, validation: 50 },
  model: { kind: 'mlp', hidden: [16], layers: [null] },
  optimizer: { lr: 3e-3 },
  batchSize: 20,
  epochs: 3,
});

test('a non-finite loss stops the run naming epoch and step, and keeps the last good checkpoint', async () => {
  const dir = tmp();
  const data = syntheticDataset({ train: 200, test: 100, validation: 50 });
  let model: tf.LayersModel | undefined;
  await assert.rejects(
    runExperiment(tiny, {
      outDir: dir, data, progress: 'none', figures: false,
      buildModel: async (e, d, ctx) => {
        const b = denseMlp(e, d, ctx.seed);
        model = b.model;
        return b;
      },
      // after epoch 1, blow the first kernel up: epoch 2's first loss is not finite
      onProgress: (ev) => {
        if (ev.kind === 'epoch' && ev.epoch === 0) model!.layers[0].setWeights(model!.layers[0].getWeights().map((w) => w.mul(1e38).mul(1e38)));
      },
    }),
    (e: Error) => {
      assert.ok(e instanceof DivergedError);
      assert.match(e.message, /runExperiment: expected a finite loss, got (NaN|-?Infinity) at epoch 2, batch 1\/10 \(step 11\).*Last good checkpoint kept in .*: the one after epoch 1/);
      return true;
    },
  );
  const c = loadCheckpoint(dir)!;
  assert.equal(c.state.epoch, 1);
  assert.ok(c.arrays.model.every((a) => a.data.every(Number.isFinite)), 'the kept checkpoint holds finite weights');
  assert.equal(readMetrics(dir).length, 1);
  rmSync(dir, { recursive: true });
});

test('a huge learning rate diverges in epoch 1: the CLI exits with code 3 and the message', () => {
  const dir = tmp();
  const main = join(here, '..', '..', 'cli', 'main.ts');
  const r = spawnSync(process.execPath, ['--import', 'tsx', main, 'run', 'smoke', '--set', 'optimizer.name=sgd', '--set', 'optimizer.lr=1e9', '--out', dir, '--progress', 'none'], { encoding: 'utf8' });
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stderr, /diverged: runExperiment: expected a finite loss, got \S+ at epoch 1, batch \d+\/20/);
  rmSync(dir, { recursive: true });
});

test('a run directory holds config, run info, metrics, final results, an SVG plot and PNG pictures', async () => {
  const dir = tmp();
  const r = await runExperiment(tiny, { outDir: dir, progress: 'none' });
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  assert.deepEqual(config, JSON.parse(JSON.stringify(tiny)));
  const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
  assert.equal(run.seed, 1);
  assert.equal(run.versions.tfjs, tf.version['tfjs-core']);
  assert.ok(run.machine.cores >= 1 && run.machine.cpu.length > 0);
  const metrics = readMetrics(dir);
  assert.equal(metrics.length, 3);
  // parameter counts against the architecture: 64-16-4
  const { dynamic, dense, fraction, convention } = r.final.parameters.paper;
  assert.deepEqual({ dynamic, dense, fraction, convention }, { dynamic: 64 * 16, dense: 64 * 16, fraction: 1, convention: 'paper' });
  assert.equal(r.final.parameters.wholeNetwork.trainable, 64 * 16 + 16 + 16 * 4 + 4);
  // the SVG is an SVG and carries every plotted point (Vega writes each point's values in aria-label)
  const svg = readFileSync(join(dir, 'plots', 'learning-curves.svg'), 'utf8');
  assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(svg, /<\/svg>\s*$/);
  for (const m of metrics) {
    for (const [v, split] of [[m.trainLoss, 'train'], [m.validLoss!, 'valid']] as const) {
      const label = `epoch: ${m.epoch + 1}; loss: ${Number(v.toPrecision(12))}; split: ${split}`;
      assert.ok(svg.includes(label), `missing point ${label}`);
    }
  }
  // features.png: 16 features of 8×8 pixels, scale 7, 6 per row, 2 px gaps → 3 rows
  const png = PNG.sync.read(readFileSync(join(dir, 'pictures', 'features.png')));
  assert.equal(png.width, 2 + 6 * (8 * 7 + 2));
  assert.equal(png.height, 2 + 3 * (8 * 7 + 2));
  // a second run into the same folder without --resume is refused; --resume of a finished run returns it
  await assert.rejects(runExperiment(tiny, { outDir: dir, progress: 'none' }), /expected an empty run directory or --resume/);
  const again = await runExperiment(tiny, { outDir: dir, progress: 'none', resume: true });
  assert.equal(again.final.testError, r.final.testError);
  rmSync(dir, { recursive: true });
});

test('a predicted first layer gets Fig. 1 pictures: α masks with n_α sampled pixels per column', async () => {
  const dir = tmp();
  const { getExperiment } = await import('../experiments/index.js');
  const { applyOverrides } = await import('../../core/experiments/index.js');
  await runExperiment(applyOverrides(getExperiment('smoke'), ['epochs=1']), { outDir: dir, progress: 'none' });
  const mask = PNG.sync.read(readFileSync(join(dir, 'pictures', 'mask.png')));
  // 4 columns of 8×8 pixels at scale 7, 2 px gaps, one row
  assert.equal(mask.width, 2 + 4 * (8 * 7 + 2));
  assert.equal(mask.height, 2 + (8 * 7 + 2));
  let white = 0;
  for (let i = 0; i < mask.width * mask.height; i++) if (mask.data[i * 4] === 255 && mask.data[i * 4 + 1] === 255 && mask.data[i * 4 + 2] === 255) white++;
  const gaps = mask.width * mask.height - 4 * 56 * 56; // the white border between tiles
  assert.equal(white - gaps, 4 * 16 * 49, 'n_α = 16 sampled pixels in each of the 4 columns');
  const fig = PNG.sync.read(readFileSync(join(dir, 'pictures', 'fig1.png')));
  const feat = PNG.sync.read(readFileSync(join(dir, 'pictures', 'features.png')));
  assert.equal(fig.width, 2 * feat.width + 16);
  rmSync(dir, { recursive: true });
});

test('importing the runner registers no backend (runExperiment makes native active when called)', () => {
  const runner = join(here, 'runner.ts');
  const code = `const tf = await import('@tensorflow/tfjs'); await import(${JSON.stringify(runner)}); console.log(tf.findBackendFactory('native') === null ? 'none' : 'registered');`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'none');
});
