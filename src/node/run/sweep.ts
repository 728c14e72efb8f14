/**
 * runSweep: many experiments (e.g. fractions × columns × methods) × seeds, each point through the
 * multi-seed loop (seeds.ts) in its own resumable folder, summarised as SeedRows {point, method,
 * fraction, columns, mean, sd, n, …} (test error %, sd over seeds) in summary.json ({seeds, rows}, the
 * format every multi-seed command writes) and summary.csv, and plotted as test error vs the fraction of
 * dynamic parameters.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Experiment } from '../../core/experiments/index.js';
import { loadExperimentData, type RunDataset } from './data.js';
import { errorVsFractionSpec, renderSvg } from './plots.js';
import type { ProgressMode } from './progress.js';
import { runSeeds, seedRow, writeSummaryJson } from './seeds.js';
import { methodName, type SeedRow } from './seed_stats.js';

export { methodName, meanSd } from './seed_stats.js';

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

/** A sweep's row: the common multi-seed row. */
export type SweepRow = SeedRow;

/** A file-system-safe label of a point. */
function pointLabel(i: number, exp: Experiment): string {
  const l = exp.model.kind === 'mlp' ? exp.model.layers.find((x) => x !== null) : null;
  return `${String(i).padStart(3, '0')}-${exp.name}-${methodName(exp)}${l ? `-f${l.fraction.toFixed(4)}-c${l.columns}` : ''}`;
}

/** Runs every point × seed (datasets loaded once each) and writes the summary and the plot. */
export async function runSweep(points: readonly Experiment[], opts: SweepOptions): Promise<SweepRow[]> {
  mkdirSync(opts.outDir, { recursive: true });
  const cache = new Map<string, RunDataset>();
  const rows: SweepRow[] = [];
  for (const [i, exp] of points.entries()) {
    const key = JSON.stringify(exp.dataset);
    if (!cache.has(key)) cache.set(key, await loadExperimentData(exp, opts.dataDir));
    const label = pointLabel(i, exp);
    const outcomes = await runSeeds(exp, { seeds: opts.seeds ?? exp.seeds, outDir: join(opts.outDir, label), resume: opts.resume, data: cache.get(key), progress: opts.progress });
    rows.push(seedRow(label, exp, outcomes));
  }
  writeSummaryJson(opts.outDir, { seeds: opts.seeds ?? null }, rows);
  const csv = ['point,method,fraction,columns,mean,sd,n', ...rows.map((r) => [r.point, r.method, r.fraction, r.columns ?? '', r.mean ?? '', r.sd ?? '', r.n].join(','))];
  writeFileSync(join(opts.outDir, 'summary.csv'), csv.join('\n') + '\n');
  const series = rows.filter((r) => r.mean !== null).map((r) => ({ series: r.columns === null ? r.method : `${r.method}, ${r.columns} col`, fraction: r.fraction, mean: r.mean as number, sd: r.sd ?? 0, n: r.n }));
  writeFileSync(join(opts.outDir, 'error-vs-fraction.svg'), await renderSvg(errorVsFractionSpec(opts.title ?? 'test error vs fraction of dynamic parameters', series)));
  return rows;
}
