/**
 * The runner's view of a dataset (the shape src/node/data's loadDataset returns), and loading it for an
 * experiment: 'synthetic' comes from synthetic.ts, every other name from the dataset registry.
 */
import type { Experiment } from '../../core/experiments/index.js';
import { syntheticDataset } from './synthetic.js';

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
    return syntheticDataset({ train: limit.train ?? undefined, test: limit.test ?? undefined, validation });
  }
  const data = await import('../data/index.js'); // lazily: synthetic runs need no dataset code
  const lim = { train: limit.train ?? undefined, test: limit.test ?? undefined };
  return data.loadDataset(name, { dataDir: data.resolveDataDir(dataDir), limit: lim, validation });
}
