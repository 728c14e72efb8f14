/**
 * The experiment schema (zod): every hyperparameter of a training run, with its default and the reason
 * for it. Experiment files (src/node/experiments/*.ts) override a few of these literals, each with its
 * own reason, nanoGPT-style. Defaults follow docs/method.md §2's measured advice, not the 2013 code.
 */
import { z } from 'zod';
import { dictionaryNameSchema } from '../dictionaries/index.js';

const posInt = z.number().int().positive();
const nonNegInt = z.number().int().nonnegative();

/** A dictionary choice: a registered method name plus that method's options (checked by checkExperiment). */
export const dictionaryChoice = z.looseObject({ method: dictionaryNameSchema });

/** One predicted layer W = U·V (docs/method.md §1). */
export const predictedLayer = z.strictObject({
  /** n_α / n_v: the fraction of each column's input units sampled as α. */
  fraction: z.number().gt(0).lte(1),
  /** J: output blocks, each with its own α and U (10 columns in the paper's MLP). */
  columns: posInt.default(1),
  dictionary: dictionaryChoice,
  /** α sampler {method, ...options}; null = uniform without replacement (docs/method.md §1). */
  sampler: z.looseObject({ method: z.string().min(1) }).nullable().default(null),
  /** Feature completion v(UV), pooling (vU)V, or 'auto': whichever costs fewer multiply-adds per step. */
  evalOrder: z.enum(['auto', 'complete', 'pool']).default('auto'),
});

export const mlpModel = z.strictObject({
  kind: z.literal('mlp'),
  /** Hidden layer widths (the paper: 784-500-500-10). */
  hidden: z.array(posInt).min(1).default([500, 500]),
  /** ReLU trains the 5 %-predicted MLP stably with Adam (docs/method.md §2); the paper also used sigmoid. */
  activation: z.enum(['relu', 'sigmoid']).default('relu'),
  /** Per hidden layer: null = dense, or a predicted layer. The softmax layer is never predicted. */
  layers: z.array(predictedLayer.nullable()).default([null, null]),
  /**
   * Before training (and before pretraining), rescale each predicted column's V on the dictionary sample
   * so its pre-activations have the output scale of a dense layer with Glorot or He weights
   * (calibrateColumns, docs/method.md §2); 'none' keeps V's initialisation (W = U·V with Glorot entry variance).
   */
  calibrate: z.enum(['none', 'glorot', 'he']).default('none'),
});

/**
 * A predicted conv layer: as the MLP's, plus the space its dictionary spans: 'positions' (the paper's: the
 * kh·kw filter positions, tied across input channels) or 'patch' (the whole kh·kw·c_in patch, across
 * channels: the reviewers' data kernels across channels, with emp/pca built from the layer's input patches).
 */
const convPredictedLayer = predictedLayer.extend({ over: z.enum(['positions', 'patch']).optional() }); // absent = 'positions' (no default: configs of earlier runs stay equal, so they resume)
/** The convnet's dense layer splits its 500 units into 5 columns by default (buildConvnet). */
const convDensePredictedLayer = predictedLayer.extend({ columns: posInt.default(5) });

/**
 * The paper's CIFAR-10 convnet (src/core/models/convnet.ts, buildConvnet): every field of its spec but
 * inputShape, classes and seed, which come from the dataset and the run.
 */
export const convnetSpecSchema = z.strictObject({
  /** [filters, kernel size] of each conv: the paper's 48@8×8, 64@8×8, 64@5×5 (§4.2). */
  convLayers: z.array(z.tuple([posInt, posInt])).min(1).default([[48, 8], [64, 8], [64, 5]]),
  /** Per conv: null = a plain conv2d, or a PredictedConv2D (SE over the filter grid by default). */
  convs: z.array(convPredictedLayer.nullable()).default([null, null, null]),
  /** Max-pool size after each conv, 1 = none: one 2×2 pool after the first (the paper gives none). */
  pools: z.array(posInt).default([2, 1, 1]),
  /** 'valid' as in the paper; 'same' keeps a grid on which the dense layer's SE has room to act. */
  padding: z.enum(['valid', 'same']).default('valid'),
  /** Units of the fully connected layer before the softmax (the paper: 500). */
  denseUnits: posInt.default(500),
  /** The fully connected layer: null = plain, or a PredictedDense over the last conv output's grid. */
  dense: convDensePredictedLayer.nullable().default(null),
});

export const convnetModel = z.strictObject({
  kind: z.literal('convnet'),
  spec: convnetSpecSchema.prefault({}),
});

export const modelSchema = z.discriminatedUnion('kind', [mlpModel, convnetModel]);

export const datasetSchema = z.strictObject({
  /** A registered dataset name (src/node/data) or 'synthetic' (src/node/run/synthetic.ts). */
  name: z.string().min(1),
  /** Use only the first N examples of each split; null = all. For smoke tests and quick looks. */
  limit: z.strictObject({ train: posInt.nullable().default(null), test: posInt.nullable().default(null) }).prefault({}),
  /** Training examples held out for validation and early stopping (the paper: 50k/10k on MNIST); 0 = none. */
  validation: nonNegInt.default(0),
  /** 'per-channel': standardise each colour channel with the training split's mean and std (all splits); 'none' keeps the loader's x/255. */
  normalize: z.enum(['none', 'per-channel']).default('none'),
  /**
   * Training batches only (images): shift by up to `crop` px with zero fill (= zero-pad by crop, random
   * crop back) and a horizontal flip with probability ½, drawn from rng(seed).fork('augment').fork(epoch)
   * (src/core/train/augment.ts); null = none, leaving every earlier experiment unchanged.
   */
  augment: z.strictObject({ crop: nonNegInt.default(4), flip: z.boolean().default(true) }).nullable().default(null),
});

export const optimizerSchema = z.strictObject({
  /** Adam 1e-3 trains both the full and the 5 %-predicted MLP; SGD 0.1/0.9 diverges on the latter (docs/method.md §2). */
  name: z.enum(['adam', 'sgd']).default('adam'),
  lr: z.number().positive().default(1e-3),
  /** SGD momentum (0 = plain SGD); ignored by Adam. The 2013 code ramped 0.5 → 0.7. */
  momentum: z.number().min(0).lt(1).default(0.9),
  /** Adam's moment decays: the Adam paper's defaults. */
  beta1: z.number().min(0).lt(1).default(0.9),
  beta2: z.number().min(0).lt(1).default(0.999),
  /** Cosine decay to 0 over all steps was the stable choice measured in docs/method.md §2. */
  schedule: z.enum(['cosine', 'step', 'none']).default('cosine'),
  /** For schedule 'step': multiply the rate by stepGamma every stepEvery epochs. */
  stepEvery: posInt.default(10),
  stepGamma: z.number().gt(0).lte(1).default(0.1),
  /** L2 penalty (wd/2)·Σ‖W‖² on kernels (not biases); the 2013 code used 5e-5 with SGD, 0 suits Adam. */
  weightDecay: z.number().min(0).default(0),
  /** Clip each trainable kernel column's L2 norm after every step (2013 code: 1.9365); null = off. */
  maxColumnNorm: z.number().positive().nullable().default(null),
});

export const pretrainingSchema = z.strictObject({
  /** Epochs of tied-autoencoder pretraining for each hidden layer, bottom up (2013 code: 50 per layer). */
  epochs: posInt,
  lr: z.number().positive().default(1e-3),
  batchSize: posInt.default(100),
});

export const earlyStoppingSchema = z.strictObject({
  /** Stop after this many epochs without improvement of `metric`, and keep the best epoch's weights. */
  patience: posInt.default(5),
  metric: z.enum(['valid-error', 'valid-loss']).default('valid-error'),
});

export const compressStepSchema = z.strictObject({
  /** The trained layers to approximate (Denton et al. 2014; docs/method.md §3): a layer name, a method of the compress registry (svd, separable, monochromatic, bicluster, predict) and its options, checked when the step runs. */
  layers: z.array(z.strictObject({ layer: z.string().min(1), method: z.string().min(1), options: z.record(z.string(), z.unknown()).default({}) })).min(1),
  /** Epochs of fine-tuning after approximating (0 = none): Denton et al. fine-tune the layers above. */
  finetuneEpochs: nonNegInt.default(1),
  finetuneLr: z.number().positive().default(1e-4),
  /** 'above': the layers above the highest approximated one train (Denton et al.); 'all': every layer. */
  finetuneTrain: z.enum(['above', 'all']).default('above'),
});

/**
 * Growing α during training (a reviewer's question: start with few learned parameters, then learn more):
 * after epoch `afterEpoch` (counted from 1) every predicted layer's fraction n_α/n_v becomes `fraction`.
 * The new layers' V is fit by least squares to the trained W = U·V (src/core/train/grow.ts), so the net
 * computes nearly the same function across the change; the optimizer's state starts afresh and the
 * learning-rate schedule continues.
 */
export const growSchema = z.strictObject({
  stages: z.array(z.strictObject({ afterEpoch: posInt, fraction: z.number().gt(0).lte(1) })).min(1),
});

export const experimentSchema = z.strictObject({
  /** Registry name, kebab-case (file name = registered name). */
  name: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'kebab-case name'),
  /** One line: the question this experiment answers. */
  why: z.string().min(1),
  dataset: datasetSchema,
  model: modelSchema,
  /** Training examples used to build data-driven dictionaries (emp, emp2, pca, ae, kmeans) layer by layer. */
  dictionarySample: posInt.default(5000),
  /** Layer-wise AE pretraining before fine-tuning (docs/method.md §1 'ae'); null = none. */
  pretraining: pretrainingSchema.nullable().default(null),
  optimizer: optimizerSchema.prefault({}),
  /** Batch 100: the paper's and the measured-stable choice (docs/method.md §2). */
  batchSize: posInt.default(100),
  /** ~20 epochs of Adam + cosine reach the plateau for both full and 5 % MLPs (docs/method.md §2). */
  epochs: posInt.default(20),
  /** Base seed; seed i of a multi-seed run is seed + i. */
  seed: nonNegInt.default(1),
  /** Seeds per point for error bars (a reviewer asked for them); the CLI's --seeds overrides. */
  seeds: posInt.default(1),
  earlyStopping: earlyStoppingSchema.nullable().default(null),
  /** A compression step after training (`compressed/` in the run folder: the approximated model and its report); null = none. */
  compress: compressStepSchema.nullable().default(null),
  /** Growing α (growSchema); absent = the fractions stay fixed (no default: configs of earlier runs stay equal, so they resume). */
  grow: growSchema.optional(),
});

/** What an experiment file writes (defaults may be left out). */
export type ExperimentInput = z.input<typeof experimentSchema>;
/** A validated experiment with every default filled in: the resolved config saved beside each result. */
export type Experiment = z.output<typeof experimentSchema>;
export type PredictedLayerSpec = z.output<typeof predictedLayer>;
export type MlpModelSpec = z.output<typeof mlpModel>;
export type ConvnetModelSpec = z.output<typeof convnetModel>;
export type OptimizerSpec = z.output<typeof optimizerSchema>;
export type CompressStepSpec = z.output<typeof compressStepSchema>;
export type GrowSpec = z.output<typeof growSchema>;
