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

/** Both figures as SVG strings, keyed by file name. */
export async function reproduceFigures(rows: readonly SummaryRow[], o: { dataset: string; preset: string; columns: number }): Promise<Record<string, string>> {
  const label = 'dynamic fraction of the two hidden layers (paper convention, log scale)';
  return {
    'error-vs-fraction.svg': await renderSvg(logX(errorVsFractionSpec(`${o.dataset} MLP (${o.preset}): test error vs dynamic fraction, ${o.columns} columns`, methodPoints(rows, o.columns), label))),
    'columns.svg': await renderSvg(logX(errorVsFractionSpec(`${o.dataset} MLP (${o.preset}): the number of columns (se-emp)`, columnsPoints(rows), label))),
  };
}
