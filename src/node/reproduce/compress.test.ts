import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../index.js';
import { defineExperiment } from '../../core/experiments/index.js';
import { compressClaims, reproduceCompress, tenPercentRanks, type CompressPreset, type CompressRow } from './compress.js';

const row = (seed: number, method: 'svd' | 'predict', point: string, t: number, cost: number, speedup: number): CompressRow => ({
  seed, method, point, ranks: [t, t], fraction: t / 100,
  multiplyAdds: { before: 1000, after: 10 * t }, parameters: { before: 1000, after: 10 * t },
  speedup: { batch1: speedup / 2, batch128: speedup }, speedupMedian: { batch1: 1, batch128: 1 }, ms: { batch1: { before: 1, after: 1 }, batch128: { before: 1, after: 1 } },
  error: { before: 1.5, after: 1.5 + 2 * cost, finetuned: 1.5 + cost }, weightError: [0.1, 0.1],
});

test('compressClaims: the largest mean batch-128 speed-up among svd points within 0.2 pp after fine-tuning; predict − svd at 10 % paired by seed', () => {
  const rows = [
    ...[1, 2].flatMap((s) => [row(s, 'svd', 't64', 64, 0.1, 3 + s), row(s, 'svd', 't32', 32, 0.5, 6), row(s, 'svd', 't128', 128, 0, 2)]),
    row(1, 'svd', '10pct', 10, 1, 8), row(2, 'svd', '10pct', 10, 1.2, 8),
    row(1, 'predict', '10pct', 10, 2, 8), row(2, 'predict', '10pct', 10, 3, 8),
    row(1, 'predict', 't64', 64, 0, 9), // predict points never count for the svd claim
  ];
  const [speed, vs] = compressClaims(rows, { preset: 'full', dataset: 'mnist', finetuneEpochs: 2 });
  assert.equal(speed.id, 'compress.mnist.svd_speedup_at_0.2pp');
  assert.equal(speed.value, 4.5); // t64: mean of 4 and 5 (t32 is faster but costs 0.5 pp)
  assert.ok(Math.abs(speed.sd! - Math.SQRT1_2) < 1e-12);
  assert.equal(speed.n_seeds, 2);
  assert.match(speed.description, /t = 64\/64/);
  assert.equal(vs.id, 'compress.mnist.predict_vs_svd_at_10pct');
  assert.ok(Math.abs(vs.value! - 1.4) < 1e-12, `${vs.value}`); // (2 − 1 + 3 − 1.2) / 2
  assert.equal(vs.n_seeds, 2);
  const none = compressClaims([row(1, 'svd', 't8', 8, 0.9, 10)], { preset: 'full', dataset: 'mnist', finetuneEpochs: 2 });
  assert.equal(none.length, 1);
  assert.equal(none[0].value, null);
  assert.deepEqual(tenPercentRanks([[784, 500], [500, 500]]), [31, 25]);
});

test('reproduceCompress on a tiny synthetic MLP: trains the net, compresses every point by both methods, resumes, merges its claims keeping the others', async () => {
  const root = mkdtempSync(join(tmpdir(), 'pp-repro-compress-'));
  try {
    const exp = defineExperiment({
      name: 'compress-repro-tiny', why: 'test',
      dataset: { name: 'synthetic', limit: { train: 200, test: 100 } },
      model: { kind: 'mlp', hidden: [16, 12], layers: [null, null] },
      optimizer: { lr: 3e-3 }, batchSize: 20, epochs: 2,
    });
    const preset: CompressPreset = { name: 'full', seeds: [1], ranks: [2, 4], finetuneEpochs: 1, finetuneLr: 1e-3, finetuneTrain: 'above', repeats: 1, trainEpochs: 2, makesClaims: true };
    const results = join(root, 'results');
    const other = { id: 'other.claim', description: 'kept', value: 1, sd: null, n_seeds: 1, unit: 'x', dataset: 'd', command: 'c' };
    await import('node:fs').then((fs) => fs.mkdirSync(results));
    writeFileSync(join(results, 'claims.json'), JSON.stringify([other]));
    const out = join(root, 'out');
    const lines: string[] = [];
    const r = await reproduceCompress({ preset, outDir: out, resultsDir: results, sweepDir: join(root, 'nowhere'), experiment: exp, log: (l) => lines.push(l) });
    assert.ok(existsSync(join(out, 'nets', 'seed-1', 'final.json')));
    assert.deepEqual(r.rows.map((x) => `${x.method}-${x.point}-${x.ranks.join('/')}`), ['svd-t2-2/2', 'predict-t2-2/2', 'svd-t4-4/4', 'predict-t4-4/4', 'svd-10pct-1/1', 'predict-10pct-1/1']);
    for (let i = 0; i < r.rows.length; i += 2) {
      const [s, p] = [r.rows[i], r.rows[i + 1]];
      assert.deepEqual({ m: p.multiplyAdds, n: p.parameters, f: p.fraction }, { m: s.multiplyAdds, n: s.parameters, f: s.fraction }, 'equal stored parameters and multiply-adds');
      assert.equal(p.error.before, s.error.before);
    }
    // 64 → 16 and 16 → 12 at t = 4: 4·(80 + 28) stored kernel weights of 64·16 + 16·12
    assert.ok(Math.abs(r.rows[2].fraction - (4 * 108) / (1024 + 192)) < 1e-12);
    assert.equal(r.rows[2].multiplyAdds.after, 4 * 108 + 12 * 4);
    for (const f of ['summary.md', 'summary.json', 'claims.json', 'speedup-vs-cost.svg']) assert.ok(existsSync(join(out, f)), f);
    assert.match(readFileSync(join(out, 'summary.md'), 'utf8'), /\| svd \| t4 \| 4\/4 \|/);
    const merged = JSON.parse(readFileSync(join(results, 'claims.json'), 'utf8')) as { id: string }[];
    assert.deepEqual(merged.map((c) => c.id), ['other.claim', 'compress.mnist.svd_speedup_at_0.2pp', 'compress.mnist.predict_vs_svd_at_10pct']);
    // a second call reuses every report: same rows, nothing recompressed
    lines.length = 0;
    const again = await reproduceCompress({ preset, outDir: out, resultsDir: results, sweepDir: join(root, 'nowhere'), experiment: exp, log: (l) => lines.push(l) });
    assert.deepEqual(again.rows, r.rows);
    assert.ok(!lines.some((l) => / seed 1 (svd|predict) /.test(l)), lines.join('\n'));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
