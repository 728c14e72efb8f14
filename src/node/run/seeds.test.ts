import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyOverrides } from '../../core/experiments/index.js';
import { getExperiment } from '../experiments/index.js';
import { runSeeds, seedDir } from './seeds.js';
import { seedStats } from './seed_stats.js';
import { syntheticDataset } from './synthetic.js';

test('seedStats: mean and sample sd of the finished seeds in seed order; diverged ones counted apart', () => {
  const s = seedStats([{ seed: 3, testError: 4 }, { seed: 1, testError: 2 }, { seed: 2, testError: null }, { seed: 4, testError: 6 }]);
  assert.deepEqual(s, { mean: 4, sd: 2, n: 3, diverged: 1, errors: [2, 4, 6], seeds: [1, 3, 4] });
  assert.deepEqual(seedStats([{ seed: 1, testError: null }]), { mean: null, sd: null, n: 0, diverged: 1, errors: [], seeds: [] });
  // one finished seed: a mean but no spread (sd null, shown as —), not an sd of 0
  assert.deepEqual(seedStats([{ seed: 2, testError: 5 }, { seed: 1, testError: null }]), { mean: 5, sd: null, n: 1, diverged: 1, errors: [5], seeds: [2] });
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
