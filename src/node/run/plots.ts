/**
 * Plots as SVG: a Vega-Lite spec, compiled to Vega, rendered headless (View with renderer 'none')
 * with view.toSVG(). Learning curves for every run; error vs dynamic fraction for sweeps.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Experiment } from '../../core/experiments/index.js';
import type { EpochMetrics } from './metrics.js';

/** Renders a Vega-Lite spec to an SVG string. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Loss and error (%) per epoch, train and validation, side by side. */
export function learningCurvesSpec(title: string, metrics: readonly EpochMetrics[]): TopLevelSpec {
  const rows: { epoch: number; split: string; metric: string; value: number }[] = [];
  for (const m of metrics) {
    rows.push({ epoch: m.epoch + 1, split: 'train', metric: 'loss', value: m.trainLoss });
    rows.push({ epoch: m.epoch + 1, split: 'train', metric: 'error %', value: m.trainError });
    if (m.validLoss !== null) rows.push({ epoch: m.epoch + 1, split: 'valid', metric: 'loss', value: m.validLoss });
    if (m.validError !== null) rows.push({ epoch: m.epoch + 1, split: 'valid', metric: 'error %', value: m.validError });
  }
  const chart = (metric: string) => ({
    title: metric,
    transform: [{ filter: { field: 'metric', equal: metric } }],
    mark: { type: 'line' as const, point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative' as const, title: 'epoch' },
      y: { field: 'value', type: 'quantitative' as const, title: metric, scale: { zero: false } },
      color: { field: 'split', type: 'nominal' as const },
    },
    width: 260,
    height: 180,
  });
  return { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', title, data: { values: rows }, hconcat: [chart('loss'), chart('error %')] } as TopLevelSpec;
}

/** One point of an error-vs-fraction plot (mean ± sd over seeds). */
export interface FractionPoint {
  series: string;
  fraction: number;
  mean: number;
  sd: number;
  n: number;
}

/** Test error (%) vs the fraction of dynamic parameters, one line per series, ±1 sd bars. */
export function errorVsFractionSpec(title: string, points: readonly FractionPoint[], fractionLabel = 'fraction of dynamic parameters (paper convention)', errorLabel = 'test error %'): TopLevelSpec {
  const values = points.map((p) => ({ ...p, lo: p.mean - p.sd, hi: p.mean + p.sd }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    data: { values },
    width: 420,
    height: 280,
    encoding: {
      x: { field: 'fraction', type: 'quantitative', title: fractionLabel },
      // labels in full (vega-lite cuts them at 160 px: 'pca-basis (full ne…')
      color: { field: 'series', type: 'nominal', title: 'method', legend: { labelLimit: 400 } },
    },
    layer: [
      { mark: { type: 'line', point: true }, encoding: { y: { field: 'mean', type: 'quantitative', title: errorLabel, scale: { zero: false } } } },
      { mark: { type: 'errorbar' }, encoding: { y: { field: 'lo', type: 'quantitative', title: errorLabel }, y2: { field: 'hi' } } },
    ],
  } as TopLevelSpec;
}

/** Writes `<run>/plots/learning-curves.svg`. */
export async function writeRunPlots(runDir: string, exp: Experiment, metrics: readonly EpochMetrics[]): Promise<string[]> {
  const dir = join(runDir, 'plots');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'learning-curves.svg');
  writeFileSync(path, await renderSvg(learningCurvesSpec(`${exp.name}: learning curves`, metrics)));
  return [path];
}
