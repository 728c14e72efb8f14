/**
 * Atomic checkpoints: everything is written to `<run>/checkpoint.tmp/` and fsynced, then the previous
 * `checkpoint/` is renamed to `checkpoint.prev/`, the new one renamed into place, and the old one
 * removed. A crash at any point leaves a complete checkpoint: `checkpoint/`, or else
 * `checkpoint.prev/`. `state.json` is written last, so a folder without it is never trusted.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ParampredError } from '../../core/errors.js';
import { fsyncDir, readArrays, writeArrays, writeFileSynced, type NamedArray } from './arrays.js';

/** What a checkpoint holds besides the arrays (JSON). */
export interface CheckpointState {
  /** Epochs completed. */
  epoch: number;
  /** Optimizer steps taken. */
  step: number;
  /** The metrics.jsonl rows so far (rewritten on resume, so that the file matches the checkpoint). */
  metrics: unknown[];
  /** Anything else the runner needs to continue exactly (early stopping, optimizer scalars). */
  extra: Record<string, unknown>;
}

export interface Checkpoint {
  state: CheckpointState;
  /** Array groups by name, e.g. model, optimizer, best. */
  arrays: Record<string, NamedArray[]>;
}

/** Test hook: called after each file of the new checkpoint is written (throw to simulate a crash). */
export type WriteHook = (stage: string) => void;

export function checkpointPaths(runDir: string) {
  return { current: join(runDir, 'checkpoint'), prev: join(runDir, 'checkpoint.prev'), tmp: join(runDir, 'checkpoint.tmp') };
}

/** Writes `ckpt` atomically into `<runDir>/checkpoint`, keeping the previous one until the new one is complete. */
export function saveCheckpoint(runDir: string, ckpt: Checkpoint, hook?: WriteHook): void {
  const p = checkpointPaths(runDir);
  rmSync(p.tmp, { recursive: true, force: true });
  mkdirSync(p.tmp, { recursive: true });
  for (const [group, arrays] of Object.entries(ckpt.arrays)) {
    writeArrays(p.tmp, group, arrays);
    hook?.(group);
  }
  writeFileSynced(join(p.tmp, 'state.json'), JSON.stringify({ ...ckpt.state, groups: Object.keys(ckpt.arrays) }));
  hook?.('state');
  fsyncDir(p.tmp);
  if (existsSync(p.current)) {
    rmSync(p.prev, { recursive: true, force: true });
    renameSync(p.current, p.prev);
    hook?.('moved-previous');
  }
  renameSync(p.tmp, p.current);
  fsyncDir(runDir);
  hook?.('renamed');
  rmSync(p.prev, { recursive: true, force: true });
}

function loadFrom(dir: string, fn: string): Checkpoint {
  const raw = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as CheckpointState & { groups: string[] };
  const { groups, ...state } = raw;
  const arrays: Record<string, NamedArray[]> = {};
  for (const g of groups) arrays[g] = readArrays(dir, g, fn);
  return { state, arrays };
}

/** The newest complete checkpoint in `runDir`, or null when there is none. */
export function loadCheckpoint(runDir: string, fn = 'loadCheckpoint'): Checkpoint | null {
  const p = checkpointPaths(runDir);
  const errors: string[] = [];
  for (const dir of [p.current, p.prev]) {
    if (!existsSync(join(dir, 'state.json'))) continue;
    try {
      return loadFrom(dir, fn);
    } catch (e) {
      errors.push(`${dir}: ${(e as Error).message}`);
    }
  }
  if (errors.length) throw new ParampredError(fn, `expected a loadable checkpoint in ${runDir}, got ${errors.join('; ')}`);
  return null;
}
