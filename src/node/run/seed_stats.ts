/**
 * Statistics over seeds, shared by every multi-seed summary (`parampred run`, runSweep, reproductions):
 * mean ± sample sd of the test error over the seeds that finished, and the common summary row.
 * Pure functions: no files, no TF.js.
 */
import { predictedLayers, type Experiment } from '../../core/experiments/index.js';

/** Mean and sample standard deviation (n − 1; 0 for a single value). */
export function meanSd(xs: readonly number[]): { mean: number; sd: number } {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean, sd };
}

/** Test error % over seeds: mean and sample sd of those that finished (mean null if none did; sd null unless two or more did). */
export interface SeedStats {
  mean: number | null;
  sd: number | null;
  /** Seeds that finished. */
  n: number;
  /** Seeds that diverged. */
  diverged: number;
  /** Test errors of the finished seeds, in seed order, and their seeds. */
  errors: number[];
  seeds: number[];
}

/** The statistics of a point's seeds (any order; a null test error = diverged). */
export function seedStats(runs: readonly { seed: number; testError: number | null }[]): SeedStats {
  const ok = runs.filter((r) => r.testError !== null).sort((a, b) => a.seed - b.seed);
  const errors = ok.map((r) => r.testError as number);
  const stats = errors.length ? meanSd(errors) : { mean: null, sd: null };
  // one seed has no spread to report: its sd is unknown (shown as —), not 0
  return { mean: stats.mean, sd: errors.length > 1 ? stats.sd : null, n: errors.length, diverged: runs.length - ok.length, errors, seeds: ok.map((r) => r.seed) };
}

/** One summary row: a point (an experiment), its method, dynamic fraction and columns, and its seed statistics. */
export interface SeedRow extends SeedStats {
  point: string;
  method: string;
  /** Fraction of dynamic parameters, paper convention (measured on the built model). */
  fraction: number;
  /** Columns of the first predicted layer (null for dense nets). */
  columns: number | null;
}

/** The method name of an experiment: its layers' dictionary methods joined by '-' (se-emp), or 'dense'. */
export function methodName(exp: Experiment): string {
  if (exp.model.kind !== 'mlp') return exp.model.kind;
  const ms = exp.model.layers.map((l) => l?.dictionary.method ?? 'dense');
  const uniq = ms.filter((m, i) => i === 0 || m !== ms[i - 1]);
  return ms.every((m) => m === 'dense') ? 'dense' : uniq.join('-');
}

/** Columns of the experiment's first predicted layer (null when none is predicted). */
export function firstColumns(exp: Experiment): number | null {
  return predictedLayers(exp)[0]?.[1].columns ?? null;
}

