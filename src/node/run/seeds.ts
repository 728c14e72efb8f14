/**
 * The multi-seed loop and its summary, shared by `parampred run`, runSweep and the reproductions: one
 * experiment with seeds seed, seed+1, …, each in its own resumable run directory <outDir>/seed-<s>;
 * per point the summary row (seed_stats.ts); summary.json written as {…header, rows} by every caller.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Experiment } from '../../core/experiments/index.js';
import type { RunDataset } from './data.js';
import type { ProgressMode } from './progress.js';
import { DivergedError, runExperiment } from './runner.js';
import { RunBusyError, liveHolder, type LockHolder } from './run_lock.js';
import { readDiverged, runPath, writeRunJson, type DivergedMarker, type FinalResult } from './run_dir.js';
import { methodName, firstColumns, seedStats, type SeedRow } from './seed_stats.js';

/** The run directory of `seed` under a point's folder. */
export function seedDir(outDir: string, seed: number): string {
  return join(outDir, `seed-${seed}`);
}

/** One seed of the loop: finished (final) or diverged (marker). */
export interface SeedOutcome {
  seed: number;
  dir: string;
  /** final.json; null when the run diverged. */
  final: FinalResult | null;
  diverged: DivergedMarker | null;
  /** Whether this call trained (or continued) the run; false when it was read back. */
  trained: boolean;
  /** Wall seconds this call spent on the seed. */
  seconds: number;
}

export interface SeedLoopOptions {
  /** Number of seeds: exp.seed … exp.seed + seeds − 1. */
  seeds: number;
  /** The point's folder; seed s runs in <outDir>/seed-<s>. */
  outDir: string;
  resume?: boolean;
  /** Preloaded data (loaded once per point otherwise by each run). */
  data?: RunDataset;
  dataDir?: string;
  progress?: ProgressMode;
  /** Plots and pictures for the i-th seed (default: every seed). */
  figures?: (index: number) => boolean;
  /**
   * A DivergedError: 'throw' it (default), or 'record' it in the run's diverged.json and go on; with
   * `resume` a recorded run stays diverged (it is not retried).
   */
  onDiverged?: 'throw' | 'record';
  /** Only read back seeds that finished or diverged before; train none (summaries of a sweep still running). */
  finishedOnly?: boolean;
  /**
   * A seed whose run directory another live process holds (run_lock.ts): 'throw' its RunBusyError
   * (default), or 'skip' it (no outcome; `onBusy` is told) — the workers of `reproduce --jobs`.
   */
  busy?: 'throw' | 'skip';
  /** A seed skipped because `holder` trains it (busy 'skip'). */
  onBusy?: (seed: number, dir: string, holder: LockHolder) => void;
  /** Before each seed; `done` = its final.json exists (it will only be read back). */
  onStart?: (seed: number, dir: string, done: boolean) => void;
  /** After each seed. */
  onSeed?: (o: SeedOutcome) => void | Promise<void>;
}

/** Runs (or reads back) every seed of `exp`; see the file doc. */
export async function runSeeds(exp: Experiment, o: SeedLoopOptions): Promise<SeedOutcome[]> {
  const out: SeedOutcome[] = [];
  for (let i = 0; i < o.seeds; i++) {
    const seed = exp.seed + i;
    const dir = seedDir(o.outDir, seed);
    const t = performance.now();
    const recorded = o.resume && o.onDiverged === 'record' ? readDiverged(dir) : null;
    let r: SeedOutcome;
    if (recorded) {
      r = { seed, dir, final: null, diverged: recorded, trained: false, seconds: 0 };
    } else {
      const done = existsSync(runPath(dir, 'final'));
      if (o.finishedOnly && !done) continue;
      const holder = o.busy === 'skip' && !done ? liveHolder(dir) : null;
      if (holder) {
        o.onBusy?.(seed, dir, holder);
        continue;
      }
      o.onStart?.(seed, dir, done);
      try {
        const run = await runExperiment(exp, { seed, outDir: dir, resume: o.resume, data: o.data, dataDir: o.dataDir, progress: o.progress, figures: o.figures?.(i) ?? true });
        r = { seed, dir, final: run.final, diverged: null, trained: !done, seconds: (performance.now() - t) / 1000 };
      } catch (e) {
        if (e instanceof RunBusyError && o.busy === 'skip') {
          o.onBusy?.(seed, dir, e.holder); // taken between the look and the lock
          continue;
        }
        if (!(e instanceof DivergedError) || o.onDiverged !== 'record') throw e;
        const seconds = (performance.now() - t) / 1000;
        const marker: DivergedMarker = { seed, message: e.message, epoch: e.epoch, step: e.step, seconds };
        writeRunJson(dir, 'diverged', marker);
        r = { seed, dir, final: null, diverged: marker, trained: true, seconds };
      }
    }
    out.push(r);
    await o.onSeed?.(r);
  }
  return out;
}

/** The summary row of a point from its seeds' outcomes. */
export function seedRow(point: string, exp: Experiment, outcomes: readonly SeedOutcome[]): SeedRow {
  const fraction = outcomes.find((x) => x.final)?.final?.parameters.paper.fraction ?? NaN;
  return { point, method: methodName(exp), fraction, columns: firstColumns(exp), ...seedStats(outcomes.map((x) => ({ seed: x.seed, testError: x.final?.testError ?? null }))) };
}

/** Writes <dir>/summary.json as {...header, rows}: the one summary format of every multi-seed command. */
export function writeSummaryJson(dir: string, header: Record<string, unknown>, rows: readonly SeedRow[]): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'summary.json'), JSON.stringify({ ...header, rows }, null, 2) + '\n');
}
