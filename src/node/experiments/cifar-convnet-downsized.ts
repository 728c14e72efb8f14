/**
 * cifar-convnet-downsized: the reviewers' central control (docs/method.md §2) for the convnet: the same
 * architecture as cifar-convnet-full, every layer narrower by one common factor, so that it learns as many
 * parameters (weights, biases and softmax) as cifar-convnet-se at the same fraction. Its widths are a
 * function of that fraction (cifarDownsizedWidths); cifarDownsizedOverrides(f) gives the `--set` lines
 * that move the widths together with a grid's fraction f. At f = 0.5: se learns 417,846 parameters and
 * widths 34-45-45-359 learn 417,636 (−0.05 %); at 0.25 / 0.75 / 0.9: 24-32-32-249, 42-55-55-438, 46-61-61-472.
 */
import { defineExperiment } from '../../core/experiments/index.js';
import { cifarDataset } from './cifar-convnet-full.js';

const BASE = { convs: [[48, 8], [64, 8], [64, 5]] as const, dense: 500, channels: 3, grid: 16, classes: 10 };

/** Learned parameters (weights + biases + softmax) of cifar-convnet-se with every layer at fraction f (n_α = round(f·n_v)). */
export function cifarSeLearned(f: number): number {
  let cIn = BASE.channels;
  let n = 0;
  for (const [c, k] of BASE.convs) {
    n += Math.max(1, Math.round(f * k * k)) * cIn * c + c;
    cIn = c;
  }
  n += Math.max(1, Math.round(f * BASE.grid * cIn)) * BASE.dense + BASE.dense;
  return n + BASE.dense * BASE.classes + BASE.classes;
}

/** Learned parameters of the dense convnet with conv filters `filters` and `units` dense units (same padding, 3 pools: 4×4 grid). */
export function convnetLearned(filters: readonly number[], units: number): number {
  let cIn = BASE.channels;
  let n = 0;
  BASE.convs.forEach(([, k], i) => {
    n += k * k * cIn * filters[i] + filters[i];
    cIn = filters[i];
  });
  return n + BASE.grid * cIn * units + units + units * BASE.classes + BASE.classes;
}

/**
 * Widths of the downsized net for fraction f: conv filters round(s·[48, 64, 64]) and the dense units
 * solved from the parameter count (they enter it linearly), taking the common factor s for which the
 * dense width is closest to s·500, so the net keeps the full net's proportions and matches
 * cifarSeLearned(f) to within one dense unit's parameters.
 */
export function cifarDownsizedWidths(f: number): { filters: number[]; units: number; learned: number; target: number } {
  const target = cifarSeLearned(f);
  let best: { filters: number[]; units: number; learned: number; target: number; score: number } | null = null;
  for (let s = 0.02; s <= 1.0000001; s += 0.0005) {
    const filters = BASE.convs.map(([c]) => Math.max(1, Math.round(s * c)));
    const perUnit = BASE.grid * filters[2] + 1 + BASE.classes;
    const units = Math.max(1, Math.round((target - convnetLearned(filters, 0)) / perUnit));
    const score = Math.abs(units - s * BASE.dense);
    if (!best || score < best.score) best = { filters, units, learned: convnetLearned(filters, units), target, score };
  }
  const { score: _score, ...w } = best!;
  return w;
}

/** The `--set` overrides that make cifar-convnet-downsized match cifar-convnet-se at fraction f. */
export function cifarDownsizedOverrides(f: number): string[] {
  const w = cifarDownsizedWidths(f);
  return [`model.spec.convLayers=${JSON.stringify(BASE.convs.map(([, k], i) => [w.filters[i], k]))}`, `model.spec.denseUnits=${w.units}`];
}

const FRACTION = 0.5; // the fraction of cifar-convnet-se's default it matches
const widths = cifarDownsizedWidths(FRACTION);

export default defineExperiment({
  name: 'cifar-convnet-downsized',
  why: 'Is predicting half of the convnet\'s weights better than learning a narrower convnet with as many parameters?',
  dataset: cifarDataset, // as the baseline (cifar-convnet-full: the JPEG-75 copy, 45k/5k, per-channel standardisation, crop + flip)
  model: {
    kind: 'convnet', // the paper's convnet, narrower
    spec: {
      // widths from cifarDownsizedWidths(0.5): learned parameters = cifar-convnet-se's at fraction 0.5
      convLayers: BASE.convs.map(([, k], i): [number, number] => [widths.filters[i], k]),
      convs: [null, null, null], // dense: that is the point
      pools: [2, 2, 2], // as the baseline
      padding: 'same', // as the baseline
      denseUnits: widths.units, // as the conv widths
      dense: null, // dense: that is the point
    },
  },
  dictionarySample: 500, // as the baseline
  optimizer: {
    name: 'adam', // as the baseline
    lr: 1e-3, // as the baseline
    schedule: 'cosine', // as the baseline
  },
  batchSize: 100, // as the baseline
  epochs: 20, // as the baseline; a smaller net plateaus no later
  earlyStopping: { patience: 20, metric: 'valid-error' }, // as the baseline
});
