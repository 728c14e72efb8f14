/**
 * Building an experiment's model. A ModelFactory returns a compiled-free tf.LayersModel whose input is
 * the flattened example (n × d) or the image (n × h × w × c; say so with `inputShape`); the default
 * factory calls src/core/models (buildMlp / buildConvnet, with data-driven dictionaries prepared on a
 * training sample).
 */
import * as tf from '@tensorflow/tfjs';
import type { Experiment } from '../../core/experiments/index.js';
import { ParampredError } from '../../core/errors.js';
import type { RunDataset } from './data.js';

export interface BuiltModel {
  model: tf.LayersModel;
  /** The model's input shape without the batch axis; null = flattened examples (n × d). */
  inputShape: number[] | null;
}

export interface FactoryContext {
  seed: number;
  /** True when a checkpoint's weights will overwrite everything: skip costly data preparation. */
  willLoadWeights: boolean;
}

export type ModelFactory = (exp: Experiment, data: RunDataset, ctx: FactoryContext) => Promise<BuiltModel>;

/** A plain dense MLP (tf.sequential, Glorot-uniform from `seed`) for an mlp experiment with no predicted layers. */
export function denseMlp(exp: Experiment, data: RunDataset, seed: number): BuiltModel {
  if (exp.model.kind !== 'mlp') throw new ParampredError('denseMlp', `expected an mlp model, got ${exp.model.kind}`);
  const d = data.inputShape.reduce((p, q) => p * q, 1);
  const model = tf.sequential();
  exp.model.hidden.forEach((units, i) => {
    model.add(tf.layers.dense({ units, activation: (exp.model as { activation: 'relu' | 'sigmoid' }).activation, inputShape: i === 0 ? [d] : undefined, kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 1000 + i }) }));
  });
  model.add(tf.layers.dense({ units: data.classes, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 1000 + 999 }) }));
  return { model, inputShape: null };
}

/** The default factory: src/core/models when present; a plain dense MLP for all-dense mlp experiments otherwise. */
export const defaultModelFactory: ModelFactory = async (exp, data, ctx) => {
  if (exp.model.kind === 'mlp' && exp.model.layers.every((l) => l === null)) return denseMlp(exp, data, ctx.seed);
  throw new ParampredError('runExperiment', `expected src/core/models to build a ${exp.model.kind} with predicted layers, but it is not wired in yet`);
};
