import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyOverrides } from '../../core/experiments/index.js';
import { getExperiment } from '../experiments/index.js';
import { runSeeds, seedDir } from './seeds.js';
import { intervalText, seedStats, tInterval95 } from './seed_stats.js';
import { syntheticDataset } from './synthetic.js';

test('seedStats: mean and sample sd of the finished seeds in seed order; diverged ones counted apart', () => {
  const s = seedStats([{ seed: 3, testError: 4 }, { seed: 1, testError: 2 }, { seed: 2, testError: null }, { seed: 4, testError: 6 }]);
  assert.deepEqual(s, { mean: 4, sd: 2, n: 3, diverged: 1, errors: [2, 4, 6], seeds: [1, 3, 4] });
  assert.deepEqual(seedStats([{ seed: 1, testError: null }]), { mean: null, sd: null, n: 0, diverged: 1, errors: [], seeds: [] });
  // one finished seed: a mean but no spread (sd null, shown as —), not an sd of 0
  assert.deepEqual(seedStats([{ seed: 2, testError: 5 }, { seed: 1, testError: null }]), { mean: 5, sd: null, n: 1, diverged: 1, errors: [5], seeds: [2] });
});

test('tInterval95: mean ± t(0.975, n − 1)·sd/√n with the t-table\'s quantiles; none below two values', () => {
  // two-sided 95 % quantiles of Student's t from a printed table (df 1, 2, 4, 9, 29), not from the library used
  const table: [number, number][] = [[1, 12.706], [2, 4.303], [4, 2.776], [9, 2.262], [29, 2.045]];
  for (const [df, t] of table) {
    const n = df + 1;
    const ci = tInterval95(-0.6, 1.03, n)!;
    const half = (t * 1.03) / Math.sqrt(n);
    assert.ok(Math.abs(ci[0] - (-0.6 - half)) < 1e-3 && Math.abs(ci[1] - (-0.6 + half)) < 1e-3, `df ${df}: ${ci}`);
  }
  // a large n approaches the normal quantile 1.960
  const big = tInterval95(0, 1, 1e6)!;
  assert.ok(Math.abs(big[1] * Math.sqrt(1e6) - 1.96) < 1e-3);
  assert.equal(tInterval95(1, null, 1), null);
  assert.equal(tInterval95(1, 0.5, 1), null);
  assert.equal(tInterval95(1, NaN, 3), null);
  assert.equal(intervalText([-2.144, 0.9449]), '95 % CI −2.14 to +0.94');
});

test('runSeeds: diverged seeds are recorded (diverged.json) and stay diverged on resume; throw by default', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pp-seeds-'));
  try {
    const exp = applyOverrides(getExperiment('smoke'), ['epochs=1', 'optimizer.name=sgd', 'optimizer.lr=1e9', 'dataset.validation=0']);
    const data = syntheticDataset({ train: 60, test: 20 });
    const seen: number[] = [];
    const o = { seeds: 2, outDir: dir, data, progress: 'none' as const, figures: () => false, onDiverged: 'record' as const };
    const r = await runSeeds(exp, { ...o, onSeed: (x) => void seen.push(x.seed) });
    assert.deepEqual(seen, [1, 2]);
    for (const x of r) {
      assert.equal(x.final, null);
      assert.equal(x.trained, true);
      assert.match(x.diverged!.message, /expected a finite loss/);
      assert.equal(x.dir, seedDir(dir, x.seed));
      assert.equal(JSON.parse(readFileSync(join(x.dir, 'diverged.json'), 'utf8')).message, x.diverged!.message);
      assert.ok(!existsSync(join(x.dir, 'final.json')));
    }
    const again = await runSeeds(exp, { ...o, resume: true });
    assert.deepEqual(again.map((x) => [x.trained, x.diverged?.message]), r.map((x) => [false, x.diverged!.message]));
    await assert.rejects(runSeeds(exp, { seeds: 1, outDir: join(dir, 'other'), data, progress: 'none', figures: () => false }), /expected a finite loss/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
