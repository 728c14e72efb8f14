import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyOverrides } from '../../core/experiments/index.js';
import { getExperiment } from '../experiments/index.js';
import { LOCK_FILE, RunBusyError, liveHolder, lockRunDir } from './run_lock.js';
import { runExperiment } from './runner.js';
import { runSeeds, seedDir } from './seeds.js';
import { syntheticDataset } from './synthetic.js';

/** The pid of a process that has exited (spawned and waited for here). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

const lockOf = (pid: number, host = hostname(), since = '2026-01-01T00:00:00.000Z') => JSON.stringify({ pid, host, since });

test('lockRunDir: one holder at a time; released on release(); stale locks (a gone pid, an old unreadable file) taken over, live ones and other hosts\' not', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pp-lock-'));
  const path = join(dir, LOCK_FILE);
  try {
    const release = lockRunDir(dir, 'f');
    assert.equal((JSON.parse(readFileSync(path, 'utf8')) as { pid: number }).pid, process.pid);
    assert.throws(() => lockRunDir(dir, 'f'), (e: unknown) => e instanceof RunBusyError && e.holder.pid === process.pid && /f: expected no other process training .* got pid \d+ on .* \(wait for it, stop it, or delete .*lock\.json if that process is gone\)/.test(e.message));
    assert.equal(liveHolder(dir)?.pid, process.pid);
    release();
    release(); // idempotent
    assert.ok(!existsSync(path));
    assert.equal(liveHolder(dir), null);
    // a live process of this host (the test runner's parent) holds it: busy
    writeFileSync(path, lockOf(process.ppid));
    assert.throws(() => lockRunDir(dir, 'f'), (e: unknown) => e instanceof RunBusyError && e.holder.pid === process.ppid);
    // a gone pid: taken over
    const dead = deadPid();
    writeFileSync(path, lockOf(dead));
    assert.equal(liveHolder(dir), null);
    lockRunDir(dir, 'f')();
    // another host's lock: never taken over (its pid means nothing here)
    writeFileSync(path, lockOf(dead, `${hostname()}-elsewhere`));
    assert.throws(() => lockRunDir(dir, 'f'), RunBusyError);
    // an unreadable lock is being written now (busy) until it has been so for 10 s (stale)
    writeFileSync(path, '');
    assert.throws(() => lockRunDir(dir, 'f'), RunBusyError);
    const old = new Date(Date.now() - 60_000);
    utimesSync(path, old, old);
    lockRunDir(dir, 'f')();
    assert.ok(!existsSync(path));
    // a takeover in progress elsewhere (its guard directory exists): busy, the stale lock left alone
    writeFileSync(path, lockOf(dead));
    const guard = `${path}.takeover`;
    spawnSync('mkdir', [guard]);
    assert.throws(() => lockRunDir(dir, 'f'), RunBusyError);
    assert.equal(readFileSync(path, 'utf8'), lockOf(dead));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('runExperiment holds its run directory while it trains: a second trainer of it gets RunBusyError; runSeeds with busy "skip" passes over a held seed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pp-lock-run-'));
  try {
    const exp = applyOverrides(getExperiment('smoke'), ['epochs=2', 'dataset.validation=0']);
    const data = syntheticDataset({ train: 60, test: 20 });
    const o = { outDir: join(dir, 'a'), data, progress: 'none' as const, figures: false };
    const [first, second] = await Promise.allSettled([runExperiment(exp, o), runExperiment(exp, o)]);
    assert.equal(first.status, 'fulfilled');
    assert.equal(second.status, 'rejected');
    assert.ok((second as PromiseRejectedResult).reason instanceof RunBusyError);
    assert.ok(!existsSync(join(dir, 'a', LOCK_FILE)), 'released after training');
    // a finished run is read back without the lock, even while someone holds it
    writeFileSync(join(dir, 'a', LOCK_FILE), lockOf(process.ppid));
    assert.equal((await runExperiment(exp, { ...o, resume: true })).final.testError, (first as PromiseFulfilledResult<Awaited<ReturnType<typeof runExperiment>>>).value.final.testError);
    // the multi-seed loop: seed 2 held by a live process is skipped with busy 'skip', thrown by default
    const pts = join(dir, 'point');
    mkdirSync(seedDir(pts, 2), { recursive: true });
    writeFileSync(join(seedDir(pts, 2), LOCK_FILE), lockOf(process.ppid));
    const skipped: number[] = [];
    const loop = { seeds: 3, outDir: pts, data, progress: 'none' as const, figures: () => false };
    const outcomes = await runSeeds(exp, { ...loop, busy: 'skip', onBusy: (seed, _d, h) => void skipped.push(seed, h.pid) });
    assert.deepEqual(outcomes.map((x) => x.seed), [1, 3]);
    assert.deepEqual(skipped, [2, process.ppid]);
    assert.ok(!existsSync(join(seedDir(pts, 2), 'config.json')), 'the held seed untouched');
    await assert.rejects(runSeeds(exp, { ...loop, resume: true }), RunBusyError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
