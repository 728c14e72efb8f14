/**
 * The reproduction's figures (SVG through the runner's Vega-Lite plotting): test error vs the dynamic
 * fraction (paper convention, log axis) per method at the sweep's column count, with the full baseline
 * as a flat line and the downsized dense net at the fraction it is matched to; and the columns effect
 * (se-emp with 1/5/10 columns). Error bars: ±1 sd over seeds.
 */
import type { TopLevelSpec } from 'vega-lite';
import { errorVsFractionSpec, renderSvg, type FractionPoint } from '../run/plots.js';
import type { SummaryRow } from './summary.js';

function logX(spec: TopLevelSpec): TopLevelSpec {
  const s = spec as unknown as { encoding: { x: Record<string, unknown> } };
  s.encoding.x.scale = { type: 'log' };
  return spec;
}

/** The baseline as a flat series across [lo, hi]. */
function baselineSeries(rows: readonly SummaryRow[], lo: number, hi: number): FractionPoint[] {
  const b = rows.find((r) => r.method === 'full' && r.mean !== null);
  if (!b) return [];
  return [lo, hi].map((fraction) => ({ series: 'full (all dynamic)', fraction, mean: b.mean!, sd: b.sd ?? 0, n: b.n }));
}

/** Points of the method plot: every predicted method at `columns`, the baseline, the downsized net. */
export function methodPoints(rows: readonly SummaryRow[], columns: number): FractionPoint[] {
  const pts: FractionPoint[] = [];
  for (const r of rows) {
    if (r.mean === null || r.aliasOf) continue;
    if (r.method === 'downsized' && r.matchedFraction !== null) pts.push({ series: 'downsized dense (same # learned)', fraction: r.matchedFraction, mean: r.mean, sd: r.sd ?? 0, n: r.n });
    else if (r.method !== 'full' && r.method !== 'downsized' && r.columns === columns) pts.push({ series: r.method, fraction: r.fraction, mean: r.mean, sd: r.sd ?? 0, n: r.n });
  }
  const xs = pts.map((p) => p.fraction);
  return xs.length ? [...pts, ...baselineSeries(rows, Math.min(...xs), 1)] : pts;
}

/** Points of the columns plot: se-emp (or `method`) at every column count, and the baseline. */
export function columnsPoints(rows: readonly SummaryRow[], method = 'se-emp'): FractionPoint[] {
  const pts = rows.filter((r) => r.method === method && r.mean !== null && !r.aliasOf).map((r) => ({ series: `${method}, ${r.columns} column${r.columns === 1 ? '' : 's'}`, fraction: r.fraction, mean: r.mean!, sd: r.sd ?? 0, n: r.n }));
  const xs = pts.map((p) => p.fraction);
  return xs.length ? [...pts, ...baselineSeries(rows, Math.min(...xs), 1)] : pts;
}

/** Points of the ℓ plot: se-emp's test error vs layer 1's SE length scale (px), one series per α/n_v. */
export function lengthScalePoints(rows: readonly SummaryRow[]): FractionPoint[] {
  return rows
    .filter((r) => typeof r.lengthScale === 'number' && r.mean !== null && r.nominalFraction !== null)
    .map((r) => ({ series: `α/n_v = ${r.nominalFraction} (${(100 * r.fraction).toFixed(1)} % dynamic)`, fraction: r.lengthScale as number, mean: r.mean!, sd: r.sd ?? 0, n: r.n }));
}

/** One net's validation error per epoch over its seeds, and the cumulative training seconds (the convergence control). */
export interface ConvergenceCurve {
  label: string;
  /** Per seed, per epoch: validation error % and the epoch's training seconds. */
  runs: { validError: number | null; seconds: number }[][];
}

/** Mean ± sd over seeds of the validation error at each epoch, placed at the epoch or at the mean cumulative seconds. */
export function convergencePoints(curves: readonly ConvergenceCurve[], x: 'epoch' | 'seconds'): FractionPoint[] {
  const pts: FractionPoint[] = [];
  for (const c of curves) {
    const epochs = Math.min(...c.runs.map((r) => r.length));
    const cum = c.runs.map((r) => r.reduce<number[]>((acc, m) => [...acc, (acc[acc.length - 1] ?? 0) + m.seconds], []));
    for (let e = 0; e < epochs; e++) {
      const errs = c.runs.map((r) => r[e].validError).filter((v): v is number => v !== null);
      if (!errs.length) continue;
      const mean = errs.reduce((a, b) => a + b, 0) / errs.length;
      const sd = errs.length > 1 ? Math.sqrt(errs.reduce((a, b) => a + (b - mean) ** 2, 0) / (errs.length - 1)) : 0;
      const at = x === 'epoch' ? e + 1 : cum.reduce((a, r) => a + r[e], 0) / cum.length;
      pts.push({ series: c.label, fraction: at, mean, sd, n: errs.length });
    }
  }
  return pts;
}

/** What the figures are labelled with; defaults are the MNIST MLP's. */
export interface FigureOptions {
  dataset: string;
  preset: string;
  /** Column count of the method plot. */
  columns: number;
  convergence?: readonly ConvergenceCurve[];
  /** The net's name in titles (default 'MLP'). */
  model?: string;
  /** The fraction axis's label. */
  xLabel?: string;
  /** The method whose column counts make columns.svg (default 'se-emp'); null = no columns figure. */
  columnsMethod?: string | null;
}

/** The figures as SVG strings, keyed by file name (the ℓ and convergence figures only where their runs exist). */
export async function reproduceFigures(rows: readonly SummaryRow[], o: FigureOptions): Promise<Record<string, string>> {
  const label = o.xLabel ?? 'dynamic fraction of the two hidden layers (paper convention, log scale)';
  const net = `${o.dataset} ${o.model ?? 'MLP'} (${o.preset})`;
  const columnsMethod = o.columnsMethod === undefined ? 'se-emp' : o.columnsMethod;
  const out: Record<string, string> = {
    'error-vs-fraction.svg': await renderSvg(logX(errorVsFractionSpec(`${net}: test error vs dynamic fraction, ${o.columns} columns`, methodPoints(rows, o.columns), label))),
  };
  if (columnsMethod !== null) out['columns.svg'] = await renderSvg(logX(errorVsFractionSpec(`${net}: the number of columns (${columnsMethod})`, columnsPoints(rows, columnsMethod), label)));
  const ls = lengthScalePoints(rows);
  if (ls.length) out['length-scale.svg'] = await renderSvg(errorVsFractionSpec(`${net}: SE length scale of layer 1 (se-emp, 10 columns)`, ls, 'SE length scale ℓ (pixels)'));
  if (o.convergence?.length) {
    out['convergence-epochs.svg'] = await renderSvg(errorVsFractionSpec(`${net}: validation error per epoch (mean ± sd over seeds)`, convergencePoints(o.convergence, 'epoch'), 'epoch', 'validation error %'));
    out['convergence-seconds.svg'] = await renderSvg(errorVsFractionSpec(`${net}: validation error vs training seconds (2 cores, sequential runs)`, convergencePoints(o.convergence, 'seconds'), 'cumulative training seconds (mean over seeds)', 'validation error %'));
  }
  return out;
}
