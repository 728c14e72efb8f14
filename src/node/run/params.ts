/**
 * Parameter counts of a trained model in both conventions (METHOD.md §1 "Counting"):
 * - paper: Σ n_α·n_h / Σ n_v·n_h over the hidden (non-softmax) weight layers, biases excluded;
 * - whole-network: trainable parameters (biases and softmax included) / those of the same network with
 *   every layer dense.
 * Layers are recognised by their weights: a predicted layer has U (n_v × J·n_α) and V (J × n_α × n_h/J),
 * a dense layer a rank-2 kernel.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Experiment } from '../../core/experiments/index.js';

export interface ParameterCounts {
  paper: { dynamic: number; dense: number; fraction: number };
  wholeNetwork: { trainable: number; dense: number; fraction: number };
}

const prod = (s: readonly (number | null)[]) => s.reduce<number>((p, q) => p * (q ?? 1), 1);

/** Both counts for `model` (the experiment is recorded for the convention's scope only). */
export function parameterCounts(model: tf.LayersModel, _exp?: Experiment): ParameterCounts {
  const weightLayers = model.layers.filter((l) => l.weights.length > 0);
  let paperDyn = 0;
  let paperDense = 0;
  let trainable = 0;
  let dense = 0;
  weightLayers.forEach((layer, i) => {
    const isLast = i === weightLayers.length - 1;
    const byName = (n: string) => layer.weights.find((w) => w.originalName.split('/').pop() === n || w.name.split('/').pop()?.replace(/_\d+$/, '') === n);
    const u = byName('U');
    const v = byName('V');
    const bias = byName('bias');
    const biasN = bias ? prod(bias.shape) : 0;
    trainable += layer.trainableWeights.reduce((s, w) => s + prod(w.shape), 0);
    if (u && v) {
      const nIn = u.shape[0] ?? 0;
      const units = prod(v.shape) / (v.shape[1] ?? 1);
      dense += nIn * units + biasN;
      paperDyn += prod(v.shape) + (u.trainable ? prod(u.shape) : 0);
      paperDense += nIn * units;
      return;
    }
    const kernel = layer.weights.find((w) => w.shape.length >= 2);
    const k = kernel ? prod(kernel.shape) : 0;
    dense += layer.weights.filter((w) => w.trainable).reduce((s, w) => s + prod(w.shape), 0);
    if (!isLast && kernel) {
      paperDyn += k;
      paperDense += k;
    }
  });
  return {
    paper: { dynamic: paperDyn, dense: paperDense, fraction: paperDense ? paperDyn / paperDense : 1 },
    wholeNetwork: { trainable, dense, fraction: dense ? trainable / dense : 1 },
  };
}
