/**
 * Statistics over seeds, shared by every multi-seed summary (`parampred run`, runSweep, reproductions):
 * mean ± sample sd of the test error over the seeds that finished, and the common summary row.
 * Pure functions: no files, no TF.js (Node: jstat is loaded through createRequire).
 */
import { createRequire } from 'node:module';
import { predictedLayers, type Experiment } from '../../core/experiments/index.js';

// jstat ships no types (and there is no @types/jstat): the one function used here, typed; loaded on the first
// interval, not at start-up (every command imports this module, few print intervals)
type StudentT = { inv(p: number, dof: number): number };
let studentT: StudentT | null = null;
const loadStudentT = (): StudentT => (studentT ??= (createRequire(import.meta.url)('jstat') as { jStat: { studentt: StudentT } }).jStat.studentt);

/** Mean and sample standard deviation (n − 1; 0 for a single value). */
export function meanSd(xs: readonly number[]): { mean: number; sd: number } {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean, sd };
}

/**
 * The two-sided 95 % Student-t confidence interval of a mean from the sample sd of its n values:
 * mean ± t(0.975, n − 1)·sd/√n (for a paired difference over seeds, the interval of the mean difference).
 * Null below two values or without an sd. The quantile is jStat's.
 */
export function tInterval95(mean: number, sd: number | null, n: number): [number, number] | null {
  if (sd === null || !Number.isFinite(sd) || !Number.isInteger(n) || n < 2) return null;
  const half = (loadStudentT().inv(0.975, n - 1) * sd) / Math.sqrt(n);
  return [mean - half, mean + half];
}

/** A 95 % interval as text, e.g. "95 % CI −2.14 to +0.94" (signed, so that a difference's reads at a glance). */
export function intervalText(ci: readonly [number, number], digits = 2): string {
  const f = (x: number) => `${x > 0 ? '+' : x < 0 ? '−' : ''}${Math.abs(x).toFixed(digits)}`;
  return `95 % CI ${f(ci[0])} to ${f(ci[1])}`;
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

