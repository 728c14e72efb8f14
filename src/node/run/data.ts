/**
 * The runner's view of a dataset (the shape src/node/data's loadDataset returns), and loading it for an
 * experiment: 'synthetic' comes from synthetic.ts, every other name from the dataset registry.
 */
import type { Experiment } from '../../core/experiments/index.js';
import { syntheticDataset } from './synthetic.js';
import { channelStats, standardizeChannels } from '../../core/train/standardize.js';

/** One split: x is n × prod(inputShape) row-major, y the class indices. */
export interface Split {
  x: Float32Array;
  y: Int32Array;
  n: number;
}

export interface RunDataset {
  name: string;
  label: string;
  inputShape: number[];
  classes: number;
  train: Split;
  test: Split;
  valid?: Split;
  /** What differs from the official data (from the dataset registry). */
  notes?: string[];
}


/** Loads the dataset an experiment names, with its limits and validation split applied. */
export async function loadExperimentData(exp: Experiment, dataDir?: string): Promise<RunDataset> {
  const { name, limit, validation } = exp.dataset;
  if (name === 'synthetic') {
    const synth = syntheticDataset({ train: limit.train ?? undefined, test: limit.test ?? undefined, validation });
    return exp.dataset.normalize === 'per-channel' ? standardizeDataset(synth) : synth;
  }
  const data = await import('../data/index.js'); // lazily: synthetic runs need no dataset code
  const lim = { train: limit.train ?? undefined, test: limit.test ?? undefined };
  const loaded: RunDataset = await data.loadDataset(name, { dataDir: data.resolveDataDir(dataDir), limit: lim, validation });
  return exp.dataset.normalize === 'per-channel' ? standardizeDataset(loaded) : loaded;
}

/** Every split standardised per channel (last axis of inputShape) with the training split's mean and std. */
export function standardizeDataset(data: RunDataset): RunDataset {
  const c = data.inputShape[data.inputShape.length - 1];
  const { mean, std } = channelStats(data.train.x, c);
  const apply = (s: Split): Split => ({ ...s, x: standardizeChannels(s.x, mean, std) });
  const stats = Array.from(mean, (m, k) => `${m.toFixed(4)}/${std[k].toFixed(4)}`).join(', ');
  return {
    ...data,
    train: apply(data.train),
    test: apply(data.test),
    ...(data.valid ? { valid: apply(data.valid) } : {}),
    notes: [...(data.notes ?? []), `standardised per channel with the training split's mean/std: ${stats}`],
  };
}
