/**
 * Building an experiment's model. A ModelFactory returns a compiled-free tf.LayersModel whose input is
 * the flattened example (n × d) or the image (n × h × w × c; say so with `inputShape`).
 */
import * as tf from '@tensorflow/tfjs';
import { dense } from '../../core/layers/dense.js';
import type { Experiment } from '../../core/experiments/index.js';
import { ParampredError } from '../../core/errors.js';
import type { RunDataset } from './data.js';
import { buildMlp } from '../../core/models/mlp.js';
import { buildConvnet, type ConvnetSpec } from '../../core/models/convnet.js';
import { prepareDataDictionaries } from '../../core/models/prepare.js';
import { calibrateScale } from '../../core/layers/calibrate.js';

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
    model.add(dense({ units, activation: (exp.model as { activation: 'relu' | 'sigmoid' }).activation, inputShape: i === 0 ? [d] : undefined, kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 1000 + i }) }));
  });
  model.add(dense({ units: data.classes, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 1000 + 999 }) }));
  return { model, inputShape: null };
}

/** The first `n` training examples as a tensor of the model's input shape (for data-driven dictionaries). */
export function trainSample(data: RunDataset, n: number, shape: number[] | null): tf.Tensor {
  const d = data.inputShape.reduce((p, q) => p * q, 1);
  const rows = Math.min(n, data.train.n);
  const x = data.train.x.subarray(0, rows * d);
  return shape ? tf.tensor(x, [rows, ...shape]) : tf.tensor2d(x, [rows, d]);
}

/**
 * The default factory: buildMlp / buildConvnet (src/core/models) seeded with the run seed; then, unless a
 * checkpoint will overwrite the weights, data-driven dictionaries built layer by layer on the first
 * `dictionarySample` training examples (after optional tied-AE pretraining), the MLP's per-column
 * output-scale calibration of V (model.calibrate, before pretraining), and for the convnet the
 * per-layer output-scale calibration of V (docs/method.md §2).
 */
export const defaultModelFactory: ModelFactory = async (exp, data, ctx) => {
  const d = data.inputShape.reduce((p, q) => p * q, 1);
  let built: BuiltModel;
  if (exp.model.kind === 'mlp') {
    const geometry = data.inputShape.length === 3 ? { height: data.inputShape[0], width: data.inputShape[1], channels: data.inputShape[2] } : null;
    const model = buildMlp({
      inputSize: d,
      hidden: exp.model.hidden,
      classes: data.classes,
      activation: exp.model.activation,
      layers: exp.model.layers.map((l) => (l === null ? null : { fraction: l.fraction, columns: l.columns, dictionary: l.dictionary, sampler: l.sampler ?? undefined, evalOrder: l.evalOrder })),
      inputGeometry: geometry,
      seed: ctx.seed,
    });
    built = { model, inputShape: null };
  } else {
    const shape = data.inputShape;
    if (shape.length !== 3) throw new ParampredError('runExperiment', `expected an image dataset [h, w, c] for a convnet, got input shape [${shape.join(', ')}]`);
    const model = buildConvnet({ ...(exp.model.spec as ConvnetSpec), inputShape: [shape[0], shape[1], shape[2]], classes: data.classes, seed: ctx.seed });
    built = { model, inputShape: shape };
  }
  if (ctx.willLoadWeights) return built;
  const dataDriven = built.model.layers.some((l) => (l as { dataDriven?: boolean }).dataDriven === true);
  const calibrate = exp.model.kind === 'mlp' && exp.model.calibrate !== 'none' ? exp.model.calibrate : false;
  if (dataDriven || exp.pretraining || calibrate || exp.model.kind === 'convnet') {
    const sample = trainSample(data, exp.dictionarySample, built.inputShape);
    const p = exp.pretraining;
    if (dataDriven || p || calibrate) prepareDataDictionaries(built.model, sample, { calibrate, pretrain: p ? { epochs: p.epochs, batchSize: p.batchSize, learningRate: p.lr, seed: ctx.seed } : false });
    if (exp.model.kind === 'convnet') calibrateScale(built.model, sample, { seed: ctx.seed });
    sample.dispose();
  }
  return built;
};
