/** The registry of named experiments: one file each, one line here. The union of names comes from here. */
import { unknownName } from '../../core/errors.js';
import type { Experiment } from '../../core/experiments/index.js';
import smoke from './smoke.js';
import mnistMlpFull from './mnist-mlp-full.js';
import mnistMlpSeEmp from './mnist-mlp-se-emp.js';
import mnistMlpDownsized from './mnist-mlp-downsized.js';
import cifarConvnetFull from './cifar-convnet-full.js';
import cifarConvnetSe from './cifar-convnet-se.js';
import cifarConvnetDownsized from './cifar-convnet-downsized.js';
import letterMlp from './letter-mlp.js';
import madelonMlp from './madelon-mlp.js';

export const experiments = {
  smoke,
  'mnist-mlp-full': mnistMlpFull,
  'mnist-mlp-se-emp': mnistMlpSeEmp,
  'mnist-mlp-downsized': mnistMlpDownsized,
  'cifar-convnet-full': cifarConvnetFull,
  'cifar-convnet-se': cifarConvnetSe,
  'cifar-convnet-downsized': cifarConvnetDownsized,
  'letter-mlp': letterMlp,
  'madelon-mlp': madelonMlp,
} as const satisfies Record<string, Experiment>;

export type ExperimentName = keyof typeof experiments;
export const experimentNames = Object.keys(experiments) as ExperimentName[];

/** The experiment registered under `name`, or a ParampredError listing the known ones. */
export function getExperiment(name: string, fn = 'getExperiment'): Experiment {
  if (!Object.hasOwn(experiments, name)) throw unknownName(fn, 'experiment', name, experimentNames);
  return experiments[name as ExperimentName];
}
