/**
 * The points of the MNIST reproduction: each a registered experiment with overrides (no duplicated configs):
 * - 'full'      : mnist-mlp-full;
 * - a paper method at (fraction α/n_v, columns): mnist-mlp-se-emp with model.layers from
 *   paperMlpLayers(method, fraction, columns) (se in layer 1 uses ℓ = 'auto', so the kernel width
 *   shrinks as α grows, as a reviewer asked);
 * - 'downsized' : mnist-mlp-downsized with both hidden widths h chosen so the dense net learns as many
 *   parameters (weights + biases, softmax included) as the predicted se-emp net at that fraction.
 * A point whose experiment equals an earlier one's is an alias (the MLP's 'se' is se then emp, the same
 * net as 'se-emp': layer 2 has no topology, see paperMlpLayers): its runs are not repeated.
 */
import { isDeepStrictEqual } from 'node:util';
import { applyOverrides } from '../../core/experiments/index.js';
import { paperMlpLayers, type PaperMlpMethod, type PredictedLayerSpec } from '../../core/models/mlp.js';
import { getExperiment } from '../experiments/index.js';
import type { ReproducePreset } from './presets.js';
import type { DataShape, ReproPoint } from './reproduction.js';

export type { ReproPoint, DataShape } from './reproduction.js';

const nAlpha = (nIn: number, f: number) => Math.max(1, Math.round(f * nIn));

/**
 * The rank of each hidden layer of the `lowrank` net at fraction f: r = round(n_α·n_h / (n_v + n_h)), so
 * that its learned U (n_v × r) and V (r × n_h) hold as many weights as the predicted layer's V (n_α·n_h):
 * lowrank sits on the same x-axis (learned weights) as the predicted nets.
 */
export function lowrankRanks(shape: DataShape, hidden: readonly number[], f: number): number[] {
  let nIn = shape.inputSize;
  return hidden.map((h) => {
    const r = Math.max(1, Math.round((nAlpha(nIn, f) * h) / (nIn + h)));
    nIn = h;
    return r;
  });
}

/** Learned parameters (V, biases, softmax) of an MLP whose hidden layers are all predicted at fraction f (U fixed). */
export function predictedLearned(shape: DataShape, hidden: readonly number[], f: number): number {
  let nIn = shape.inputSize;
  let n = 0;
  for (const h of hidden) {
    n += nAlpha(nIn, f) * h + h;
    nIn = h;
  }
  return n + nIn * shape.classes + shape.classes;
}

/** Learned parameters of a dense MLP with `layers` hidden layers of width h. */
export function denseLearned(shape: DataShape, layers: number, h: number): number {
  return shape.inputSize * h + h + (layers - 1) * (h * h + h) + h * shape.classes + shape.classes;
}

/** The width h of a dense net with `layers` equal hidden layers whose learned count is nearest `target`. */
export function matchedWidth(shape: DataShape, layers: number, target: number): number {
  let best = 1;
  for (let h = 1; denseLearned(shape, layers, h - 1) <= target; h++) {
    if (Math.abs(denseLearned(shape, layers, h) - target) < Math.abs(denseLearned(shape, layers, best) - target)) best = h;
  }
  return best;
}

/** Σ n_α·n_h / Σ n_v·n_h of the predicted net at fraction f (paper convention, docs/method.md §1). */
export function paperFraction(shape: DataShape, hidden: readonly number[], f: number): number {
  let nIn = shape.inputSize;
  let dyn = 0;
  let all = 0;
  for (const h of hidden) {
    dyn += nAlpha(nIn, f) * h;
    all += nIn * h;
    nIn = h;
  }
  return dyn / all;
}

export const fractionTag = (f: number) => `f${f.toFixed(4)}`;

/**
 * Overrides every point shares: training length, data split, dictionary sample. The seed count is not
 * one of them: the sweep passes it to the seed loop, so that a run's config does not change with it
 * (a sweep extended to more seeds, or summarised with --finished-only, reads the finished runs back).
 */
function common(preset: ReproducePreset): string[] {
  return [
    `epochs=${preset.epochs}`,
    `dataset.validation=${preset.validation}`,
    `dataset.limit=${JSON.stringify({ train: preset.trainLimit, test: preset.testLimit })}`,
    `dictionarySample=${preset.dictionarySample}`,
  ];
}

function pretraining(preset: ReproducePreset, method: string): string {
  const p = preset.pretrainingEpochs === null || method === 'lowrank' ? null : { epochs: preset.pretrainingEpochs };
  return `pretraining=${JSON.stringify(p)}`;
}

/** The hidden layers of a predicted point: paperMlpLayers, lowrank's matched ranks, layer 1's ℓ. */
function predictedLayers(shape: DataShape, hidden: readonly number[], method: PaperMlpMethod, f: number, columns: number, lengthScale: number | 'auto' | undefined): PredictedLayerSpec[] {
  if (method === 'lowrank') {
    // one column (a learned U needs no blocks), rank r_k given as the fraction r_k / n_v (n_α = r_k)
    const ranks = lowrankRanks(shape, hidden, f);
    return ranks.map((r, k) => ({ fraction: r / (k === 0 ? shape.inputSize : hidden[k - 1]), columns: 1, dictionary: { method: 'lowrank' }, evalOrder: 'auto' }));
  }
  const two = paperMlpLayers(method, f, columns); // [layer 1, deeper layers]
  return hidden.map((_, k) => {
    const l = two[Math.min(k, 1)];
    return k === 0 && lengthScale !== undefined && l.dictionary?.method === 'se' ? { ...l, dictionary: { method: 'se', lengthScale } } : l;
  });
}

/** Every point of `preset` for data of `shape`, in training order (baseline, predicted, downsized). */
export function buildPoints(preset: ReproducePreset, shape: DataShape, datasetName = 'mnist'): ReproPoint[] {
  const base = [...common(preset), `dataset.name=${JSON.stringify(datasetName)}`];
  const full = getExperiment('mnist-mlp-full', 'buildPoints');
  const hidden = preset.hidden ?? (full.model.kind === 'mlp' ? full.model.hidden : [500, 500]);
  const withHidden = `model.hidden=${JSON.stringify(hidden)}`;
  const points: ReproPoint[] = [];
  points.push({ id: 'full', method: 'full', nominalFraction: null, columns: null, experiment: applyOverrides(full, [...base, withHidden, `model.layers=${JSON.stringify(hidden.map(() => null))}`, pretraining(preset, 'full')], 'buildPoints') });
  const seEmp = getExperiment('mnist-mlp-se-emp', 'buildPoints');
  for (const block of preset.grid) {
    for (const method of block.methods) {
      for (const columns of block.columns) {
        for (const f of block.fractions) {
          for (const lengthScale of block.lengthScales ?? [undefined]) {
            const id = `${method}-${fractionTag(f)}-c${columns}${lengthScale === undefined ? '' : `-l${lengthScale}`}`;
            if (points.some((p) => p.id === id)) continue;
            const layers = predictedLayers(shape, hidden, method, f, columns, lengthScale);
            const exp = applyOverrides(seEmp, [...base, withHidden, `model.layers=${JSON.stringify(layers)}`, `model.calibrate=${JSON.stringify(preset.calibrate)}`, pretraining(preset, method)], 'buildPoints');
            const same = points.find((p) => !p.aliasOf && isDeepStrictEqual(p.experiment, exp));
            points.push({ id, method, nominalFraction: f, columns, ...(lengthScale === undefined ? {} : { lengthScale }), experiment: exp, ...(same ? { aliasOf: same.id } : {}) });
          }
        }
      }
    }
  }
  const down = getExperiment('mnist-mlp-downsized', 'buildPoints');
  for (const f of preset.downsizedFractions) {
    const h = matchedWidth(shape, hidden.length, predictedLearned(shape, hidden, f));
    const exp = applyOverrides(down, [...base, `model.hidden=${JSON.stringify(hidden.map(() => h))}`, `model.layers=${JSON.stringify(hidden.map(() => null))}`, pretraining(preset, 'downsized')], 'buildPoints');
    points.push({ id: `downsized-${fractionTag(f)}`, method: 'downsized', nominalFraction: f, columns: preset.downsizedColumns, experiment: exp });
  }
  return points;
}

/** A point's counts from its spec (for runs that diverged before a model could be counted). */
export function expectedCounts(p: ReproPoint, shape: DataShape): { paper: number; whole: number; learned: number } {
  const hidden = p.experiment.model.kind === 'mlp' ? p.experiment.model.hidden : [];
  const dense = hidden.length ? denseLearnedWidths(shape, hidden) : NaN;
  const predicted = p.method !== 'full' && p.method !== 'downsized' && p.nominalFraction !== null;
  if (!predicted) return { paper: 1, whole: 1, learned: dense };
  const learned = predictedLearned(shape, hidden, p.nominalFraction!);
  if (p.method === 'lowrank') {
    // U (n_v × r) and V (r × n_h) learned: both count as dynamic in the paper convention too
    let nIn = shape.inputSize;
    let dyn = 0;
    let all = 0;
    let lr = learned - hidden.reduce((s, h, k) => s + nAlpha(k === 0 ? shape.inputSize : hidden[k - 1], p.nominalFraction!) * h, 0);
    lowrankRanks(shape, hidden, p.nominalFraction!).forEach((r, k) => {
      dyn += r * (nIn + hidden[k]);
      all += nIn * hidden[k];
      lr += r * (nIn + hidden[k]);
      nIn = hidden[k];
    });
    return { paper: dyn / all, whole: lr / dense, learned: lr };
  }
  return { paper: paperFraction(shape, hidden, p.nominalFraction!), whole: learned / dense, learned };
}

function denseLearnedWidths(shape: DataShape, hidden: readonly number[]): number {
  let nIn = shape.inputSize;
  let n = 0;
  for (const h of hidden) {
    n += nIn * h + h;
    nIn = h;
  }
  return n + nIn * shape.classes + shape.classes;
}
