/**
 * A run's parameter counts in both conventions, as recorded in final.json: a thin view of
 * countParameters (src/core/count.ts, docs/method.md §1 "Counting"), which names and defines the conventions.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Experiment } from '../../core/experiments/index.js';
import { countParameters } from '../../core/count.js';

export interface ParameterCounts {
  paper: { convention: 'paper'; description: string; dynamic: number; dense: number; fraction: number };
  wholeNetwork: { convention: 'whole-network'; description: string; trainable: number; dense: number; fraction: number };
}

/** Both counts for `model` (the experiment argument is kept for callers; counts come from the model). */
export function parameterCounts(model: tf.LayersModel, _exp?: Experiment): ParameterCounts {
  const c = countParameters(model);
  return {
    paper: { convention: 'paper', description: c.paper.description, dynamic: c.paper.dynamic, dense: c.paper.total, fraction: c.paper.fraction },
    wholeNetwork: { convention: 'whole-network', description: c.wholeNetwork.description, trainable: c.wholeNetwork.trainable, dense: c.wholeNetwork.denseEquivalent, fraction: c.wholeNetwork.fraction },
  };
}
