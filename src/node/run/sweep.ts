/**
 * runSweep: many experiments (e.g. fractions × columns × methods) × seeds, each in its own resumable run
 * directory, summarised as rows {method, fraction, columns, mean, sd, n} (test error %, sd over seeds)
 * in summary.json / summary.csv, and plotted as test error vs the fraction of dynamic parameters.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Experiment } from '../../core/experiments/index.js';
import { loadExperimentData, type RunDataset } from './data.js';
import { errorVsFractionSpec, renderSvg } from './plots.js';
import type { ProgressMode } from './progress.js';
import { runExperiment, type FinalResult } from './runner.js';

export interface SweepOptions {
  /** Seeds per point (seed, seed+1, …; default each experiment's `seeds`). */
  seeds?: number;
  outDir: string;
  resume?: boolean;
  dataDir?: string;
  progress?: ProgressMode;
  /** Plot title. */
  title?: string;
}

export interface SweepRow {
  point: string;
  method: string;
  /** Fraction of dynamic parameters, paper convention (measured on the built model). */
  fraction: number;
  /** Columns of the first predicted layer (null for dense). */
  columns: number | null;
  /** Test error %: mean and sample sd over n seeds. */
  mean: number;
  sd: number;
  n: number;
  errors: number[];
}

/** The method name of an experiment: its layers' dictionary methods joined by '-' (se-emp), or 'dense'. */
export function methodName(exp: Experiment): string {
  if (exp.model.kind !== 'mlp') return exp.model.kind;
  const ms = exp.model.layers.map((l) => l?.dictionary.method ?? 'dense');
  const uniq = ms.filter((m, i) => i === 0 || m !== ms[i - 1]);
  return ms.every((m) => m === 'dense') ? 'dense' : uniq.join('-');
}

/** A file-system-safe label of a point. */
function pointLabel(i: number, exp: Experiment): string {
  const l = exp.model.kind === 'mlp' ? exp.model.layers.find((x) => x !== null) : null;
  return `${String(i).padStart(3, '0')}-${exp.name}-${methodName(exp)}${l ? `-f${l.fraction.toFixed(4)}-c${l.columns}` : ''}`;
}

/** Mean and sample sd (0 for one value). */
export function meanSd(xs: readonly number[]): { mean: number; sd: number } {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean, sd };
}

/** Runs every point × seed (datasets loaded once each) and writes the summary and the plot. */
export async function runSweep(points: readonly Experiment[], opts: SweepOptions): Promise<SweepRow[]> {
  mkdirSync(opts.outDir, { recursive: true });
  const cache = new Map<string, RunDataset>();
  const rows: SweepRow[] = [];
  for (const [i, exp] of points.entries()) {
    const key = JSON.stringify(exp.dataset);
    if (!cache.has(key)) cache.set(key, await loadExperimentData(exp, opts.dataDir));
    const data = cache.get(key)!;
    const label = pointLabel(i, exp);
    const finals: FinalResult[] = [];
    const n = opts.seeds ?? exp.seeds;
    for (let s = 0; s < n; s++) {
      const seed = exp.seed + s;
      const r = await runExperiment(exp, { seed, outDir: join(opts.outDir, label, `seed-${seed}`), resume: opts.resume, data, progress: opts.progress });
      finals.push(r.final);
    }
    const errors = finals.map((f) => f.testError);
    const l = exp.model.kind === 'mlp' ? exp.model.layers.find((x) => x !== null) : null;
    rows.push({ point: label, method: methodName(exp), fraction: finals[0].parameters.paper.fraction, columns: l ? l.columns : null, ...meanSd(errors), n: errors.length, errors });
  }
  writeFileSync(join(opts.outDir, 'summary.json'), JSON.stringify(rows, null, 2) + '\n');
  const csv = ['point,method,fraction,columns,mean,sd,n', ...rows.map((r) => [r.point, r.method, r.fraction, r.columns ?? '', r.mean, r.sd, r.n].join(','))];
  writeFileSync(join(opts.outDir, 'summary.csv'), csv.join('\n') + '\n');
  const series = rows.map((r) => ({ series: r.columns === null ? r.method : `${r.method}, ${r.columns} col`, fraction: r.fraction, mean: r.mean, sd: r.sd, n: r.n }));
  writeFileSync(join(opts.outDir, 'error-vs-fraction.svg'), await renderSvg(errorVsFractionSpec(opts.title ?? 'test error vs fraction of dynamic parameters', series)));
  return rows;
}
