/** The dataset registry: one file per dataset, one line here. loadDataset(name, opts) → Dataset. */
import { ParampredError, unknownName } from '../../core/errors.js';
import { resolveDataDir } from './data_dir.js';
import { cifar10 } from './cifar10.js';
import { letter } from './letter.js';
import { madelon } from './madelon.js';
import { mnist } from './mnist.js';
import { stl10 } from './stl10.js';
import type { Dataset, DatasetSpec, LoadOptions } from './types.js';

const registry = {
  mnist,
  cifar10,
  stl10,
  letter,
  madelon,
} satisfies Record<string, DatasetSpec>;

export type DatasetName = keyof typeof registry;

/** Names of every registered dataset. */
export const datasetNames = Object.keys(registry) as DatasetName[];

/** The registry entry (files, checksums, sources, shapes) of `name`. */
export function datasetInfo(name: string, fn = 'datasetInfo'): DatasetSpec {
  if (!Object.hasOwn(registry, name)) throw unknownName(fn, 'dataset', name, datasetNames);
  return registry[name as DatasetName];
}

function count(v: unknown, what: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new ParampredError('loadDataset', `expected ${what} to be an integer ≥ 0, got ${JSON.stringify(v)}`);
  return v;
}

/**
 * Loads a dataset from the data directory (opts.dataDir ?? $PARAMPRED_DATA ?? ./data). Images: x/255 in
 * NHWC; tabular: standardised with the statistics of the returned train split. validation = the last N
 * rows of the full train set; limit.train caps the rows before it, limit.test the first test rows.
 */
export async function loadDataset(name: string, opts: LoadOptions = {}): Promise<Dataset> {
  const spec = datasetInfo(name, 'loadDataset');
  return spec.load({
    dataDir: resolveDataDir(opts.dataDir),
    limitTrain: count(opts.limit?.train, 'limit.train'),
    limitTest: count(opts.limit?.test, 'limit.test'),
    validation: count(opts.validation, 'validation') ?? 0,
    verify: opts.verify ?? true,
  });
}
