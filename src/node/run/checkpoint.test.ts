import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, renameSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkpointPaths, loadCheckpoint, saveCheckpoint, type Checkpoint } from './checkpoint.js';

function ckpt(epoch: number): Checkpoint {
  const w = Float32Array.from({ length: 50 }, (_, i) => epoch * 100 + i + 0.25);
  return {
    state: { epoch, step: epoch * 10, metrics: Array.from({ length: epoch }, (_, i) => ({ epoch: i })), extra: { best: null } },
    arrays: {
      model: [{ name: 'w', shape: [5, 10], dtype: 'float32', data: w }],
      optimizer: [{ name: 'iter', shape: [], dtype: 'int32', data: Int32Array.of(epoch * 10) }],
    },
  };
}

const fresh = () => mkdtempSync(join(tmpdir(), 'pp-ckpt-'));

test('save then load round-trips state and arrays exactly', () => {
  const dir = fresh();
  saveCheckpoint(dir, ckpt(1));
  saveCheckpoint(dir, ckpt(2));
  const c = loadCheckpoint(dir)!;
  assert.equal(c.state.epoch, 2);
  assert.deepEqual(c.arrays.model[0].data, ckpt(2).arrays.model[0].data);
  assert.deepEqual(c.arrays.optimizer[0].data, Int32Array.of(20));
  assert.ok(!existsSync(checkpointPaths(dir).prev) && !existsSync(checkpointPaths(dir).tmp), 'no leftovers after a complete save');
  rmSync(dir, { recursive: true });
});

test('a crash at any stage of writing leaves a loadable checkpoint (the previous or the new one)', () => {
  for (const stage of ['model', 'optimizer', 'state', 'moved-previous', 'renamed']) {
    const dir = fresh();
    saveCheckpoint(dir, ckpt(1));
    assert.throws(() => saveCheckpoint(dir, ckpt(2), (s) => {
      if (s === stage) throw new Error(`crash at ${s}`);
    }), new RegExp(`crash at ${stage}`));
    const c = loadCheckpoint(dir)!;
    const expected = stage === 'renamed' ? 2 : 1; // after the rename the new one is complete
    assert.equal(c.state.epoch, expected, `crash at ${stage}`);
    assert.deepEqual(c.arrays.model[0].data, ckpt(expected).arrays.model[0].data, `crash at ${stage}`);
    // and the next save after the crash works and wins
    saveCheckpoint(dir, ckpt(3));
    assert.equal(loadCheckpoint(dir)!.state.epoch, 3);
    rmSync(dir, { recursive: true });
  }
});

test('a truncated current checkpoint falls back to the previous one; none at all gives null', () => {
  const dir = fresh();
  assert.equal(loadCheckpoint(dir), null);
  saveCheckpoint(dir, ckpt(1));
  const p = checkpointPaths(dir);
  // simulate a crash that left prev in place and a damaged current (e.g. disk full mid-copy)
  assert.throws(() => saveCheckpoint(dir, ckpt(2), (s) => {
    if (s === 'renamed') throw new Error('stop before removing prev');
  }), /stop before removing prev/);
  assert.ok(existsSync(p.prev));
  truncateSync(join(p.current, 'model.bin'), 10);
  assert.equal(loadCheckpoint(dir)!.state.epoch, 1);
  // with no usable checkpoint at all the error names the problem
  renameSync(p.prev, join(dir, 'gone'));
  assert.throws(() => loadCheckpoint(dir), /loadCheckpoint: expected a loadable checkpoint in .*expected 200 bytes in .*model\.bin, got 10/);
  rmSync(dir, { recursive: true });
});
