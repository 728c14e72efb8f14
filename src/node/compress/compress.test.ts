import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import '../index.js'; // parampred/node: file:// router, layers registered
import { defineExperiment } from '../../core/experiments/index.js';
import { compressModel } from '../../core/compress/index.js';
import { runExperiment } from '../run/runner.js';
import { loadExperimentData } from '../run/data.js';
import { runPath } from '../run/run_dir.js';
import { loadTfjsModel } from '../run/tfjs_model.js';
import { compressSaved } from './compress.js';

const here = dirname(fileURLToPath(import.meta.url));
const exp = defineExperiment({
  name: 'compress-tiny', why: 'compress tests',
  dataset: { name: 'synthetic', limit: { train: 200, test: 100 } },
  model: { kind: 'mlp', hidden: [16], layers: [null] },
  optimizer: { lr: 3e-3 }, batchSize: 20, epochs: 2,
});

/** Test error (%) of `m` on the run's test split, by argmax of its outputs. */
async function errorByHand(m: tf.LayersModel): Promise<number> {
  const data = await loadExperimentData(exp);
  const pred = (m.predict(tf.tensor2d(data.test.x, [data.test.n, 64])) as tf.Tensor).argMax(1).dataSync();
  let wrong = 0;
  for (let i = 0; i < data.test.n; i++) if (pred[i] !== data.test.y[i]) wrong++;
  return (100 * wrong) / data.test.n;
}

test('compress a run\'s hidden layer by svd: a loadable model with the approximated outputs and a report (costs, times, test errors)', async () => {
  const root = mkdtempSync(join(tmpdir(), 'pp-compress-'));
  try {
    const run = join(root, 'run');
    const r = await runExperiment(exp, { outDir: run, progress: 'none', figures: false, backend: 'current' });
    const original = await loadTfjsModel(runPath(run, 'tfjs'));
    const hidden = original.layers[0].name;
    const out = join(root, 'out');
    const { report } = await compressSaved({ source: run, out, specs: [{ layer: hidden, method: 'svd', options: { rank: 4 } }], repeats: 3, batches: [1, 8] });
    assert.deepEqual(readdirSync(out).sort(), ['model.json', 'report.json', 'weights.bin']);
    assert.deepEqual(readdirSync(root).sort(), ['out', 'run'], 'no temporary folder left');
    const loaded = await tf.loadLayersModel(`file://${join(out, 'model.json')}`);
    const expected = compressModel(original, [{ layer: hidden, method: 'svd', options: { rank: 4 } }]).model;
    const x = tf.randomNormal([5, 64], 0, 1, 'float32', 1);
    assert.deepEqual((loaded.predict(x) as tf.Tensor).dataSync(), (expected.predict(x) as tf.Tensor).dataSync());
    // costs: 64-16-4 with the 64×16 kernel at rank 4
    const [l] = report.layers;
    assert.deepEqual({ before: l.before, after: l.after }, { before: { parameters: 64 * 16 + 16, multiplyAdds: 64 * 16 }, after: { parameters: 4 * 80 + 16, multiplyAdds: 4 * 80 } });
    assert.deepEqual(report.network.before, { parameters: 64 * 16 + 16 + 16 * 4 + 4, multiplyAdds: 64 * 16 + 16 * 4 });
    assert.deepEqual(report.network.after, { parameters: 4 * 80 + 16 + 16 * 4 + 4, multiplyAdds: 4 * 80 + 16 * 4 });
    for (const t of [l.time, report.network.time]) {
      assert.deepEqual(Object.keys(t), ['batch1', 'batch8']);
      for (const p of Object.values(t)) assert.ok(p.beforeMs > 0 && p.afterMs > 0 && Math.abs(p.speedup - p.beforeMs / p.afterMs) < 1e-12);
    }
    // test errors: before = the run's own final.json; after = argmax of the saved model by hand
    assert.equal(report.test!.before.error, r.final.testError);
    assert.equal(report.test!.after.error, await errorByHand(loaded));
    assert.deepEqual(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')), JSON.parse(JSON.stringify(report)));
    // a bare TF.js model folder compresses too (no dataset: no test errors); its second layer at full rank
    const out2 = join(root, 'out2');
    const again = await compressSaved({ source: out, out: out2, specs: [{ layer: loaded.layers[2].name, method: 'svd', options: { rank: 4 } }], repeats: 1, batches: [1] });
    assert.equal(again.report.test, null);
    assert.ok(again.report.layers[0].error.relative < 1e-5);
    // bad input: nothing written
    await assert.rejects(compressSaved({ source: run, out, specs: [{ layer: hidden, method: 'svd', options: { rank: 2 } }] }), /compressSaved: expected --out to be a new folder, got existing/);
    const bad = join(root, 'bad');
    await assert.rejects(compressSaved({ source: run, out: bad, specs: [{ layer: hidden, method: 'svd', options: { rank: 17 } }] }), /expected rank an integer between 1 and min\(m, k\) = 16/);
    await assert.rejects(compressSaved({ source: root, out: bad, specs: [{ layer: hidden, method: 'svd', options: { rank: 2 } }] }), /expected a run directory \(with config.json\) or a TF.js model folder \(with model.json\), got neither in/);
    assert.ok(!existsSync(bad));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the CLI: parampred compress with an unknown layer lists the layers and exits 2, writing nothing; a valid call prints the costs', async () => {
  const root = mkdtempSync(join(tmpdir(), 'pp-compress-'));
  try {
    const main = join(here, '..', '..', 'cli', 'main.ts');
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4], name: 'fc' })] });
    await model.save(`file://${join(root, 'm')}`);
    const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', main, 'compress', join(root, 'm'), ...args, '--out', join(root, 'o')], { encoding: 'utf8', env: { ...process.env, PARAMPRED_THREADS: '1' } });
    const r = cli('--layer', 'nope', '--rank', '2');
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /error: parampred compress: expected layer to be one of "fc", got "nope"/);
    assert.ok(!existsSync(join(root, 'o')));
    const ok = cli('--layer', 'fc', '--rank', '2', '--repeats', '1');
    assert.equal(ok.status, 0, ok.stderr);
    // 4 → 3 at rank 2 costs more than the layer itself: 2·(4 + 3) + 3 parameters, 2·(4 + 3) multiply-adds
    assert.match(ok.stdout, /fc \(Dense\) svd: 15 → 17 parameters, 12 → 14 multiply-adds/);
    assert.ok(existsSync(join(root, 'o', 'model.json')));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
