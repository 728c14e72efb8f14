/**
 * The paper's MNIST MLP (Denil et al. 2013 §4.1; docs/method.md §2): 784-500-500-10, sigmoid or ReLU hidden
 * units, softmax output (never predicted). Each hidden layer is dense (null) or a PredictedDense with
 * its own fraction, columns, dictionary and evaluation order; layer 1 gets the input image geometry
 * (for se), deeper layers none (their dictionaries are data-driven or random).
 */
import * as tf from '@tensorflow/tfjs';
import { dense } from '../layers/dense.js';
import { check } from '../errors.js';
import { rng } from '../rng.js';
import { PredictedDense } from '../layers/predicted_dense.js';
import type { InputGeometry } from '../layers/predicted_dense.js';
import type { DictionarySpecLike } from '../layers/columns.js';
import type { SamplerSpecLike } from '../layers/alpha.js';
import type { EvalOrder } from '../layers/eval_order.js';

/** How one hidden layer is predicted. */
export interface PredictedLayerSpec {
  fraction?: number;
  nAlpha?: number;
  columns?: number;
  dictionary?: DictionarySpecLike;
  sampler?: SamplerSpecLike;
  evalOrder?: EvalOrder;
}

export interface MlpSpec {
  inputSize?: number;
  hidden?: number[];
  classes?: number;
  activation?: 'relu' | 'sigmoid';
  /** One entry per hidden layer: null = dense, else how it is predicted (default all dense). */
  layers?: (PredictedLayerSpec | null)[];
  /** Geometry of the input (default 28×28×1, MNIST); null for none. */
  inputGeometry?: InputGeometry | null;
  seed?: number;
}

/** A layer's own integer seed derived from the model seed and a name. */
export function layerSeed(seed: number, name: string): number {
  return Math.floor(rng(seed).fork(name).uniform() * 2 ** 31);
}

/** tf.Sequential 784-500-500-10 (defaults) with the requested hidden layers predicted. */
export function buildMlp(spec: MlpSpec = {}): tf.Sequential {
  const fn = 'buildMlp';
  const inputSize = spec.inputSize ?? 784;
  const hidden = spec.hidden ?? [500, 500];
  const classes = spec.classes ?? 10;
  const activation = spec.activation ?? 'relu';
  const seed = spec.seed ?? 0;
  const layers = spec.layers ?? hidden.map(() => null);
  check(layers.length === hidden.length, fn, `layers with one entry per hidden layer (${hidden.length})`, layers.length);
  check(activation === 'relu' || activation === 'sigmoid', fn, "activation 'relu' or 'sigmoid'", activation);
  const geometry = spec.inputGeometry === undefined ? (inputSize === 784 ? { height: 28, width: 28, channels: 1 } : null) : spec.inputGeometry;
  const model = tf.sequential();
  hidden.forEach((units, k) => {
    const p = layers[k];
    const inputShape = k === 0 ? [inputSize] : undefined;
    const s = layerSeed(seed, `hidden${k}`);
    if (p === null) {
      model.add(dense({ inputShape, units, activation, kernelInitializer: tf.initializers.glorotUniform({ seed: s }), name: `dense${k + 1}` }));
    } else {
      model.add(new PredictedDense({
        inputShape, units, activation, seed: s, name: `predicted${k + 1}`,
        fraction: p.nAlpha === undefined ? (p.fraction ?? 0.1) : undefined, nAlpha: p.nAlpha,
        columns: p.columns ?? 1, dictionary: p.dictionary ?? { method: 'se' }, sampler: p.sampler, evalOrder: p.evalOrder,
        inputGeometry: k === 0 ? geometry : null,
      }));
    }
  });
  model.add(dense({ units: classes, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: layerSeed(seed, 'softmax') }), name: 'softmax' }));
  return model;
}

/**
 * The paper's method names for the two hidden layers (docs/method.md §2): se, se-emp, se-emp2, rand, randcon,
 * lowrank; and pca (the reviewers' control: principal directions of each layer's inputs in both layers).
 */
export const paperMlpMethods = ['se', 'se-emp', 'se-emp2', 'rand', 'randcon', 'lowrank', 'pca'] as const;
export type PaperMlpMethod = (typeof paperMlpMethods)[number];

/**
 * Per-hidden-layer specs for a paper method at one fraction and column count. se-emp / se-emp2: se in
 * layer 1, emp / emp2 in layer 2. Layer 2 has no topology, so plain 'se' also uses emp there (the same
 * as se-emp); rand, randcon, lowrank and pca use their method in both layers.
 */
export function paperMlpLayers(method: PaperMlpMethod, fraction: number, columns: number, evalOrder: EvalOrder = 'auto'): PredictedLayerSpec[] {
  const dict: [DictionarySpecLike, DictionarySpecLike] =
    method === 'se-emp' ? [{ method: 'se' }, { method: 'emp' }]
      : method === 'se-emp2' ? [{ method: 'se' }, { method: 'emp2' }]
        : [{ method }, { method: method === 'se' ? 'emp' : method }];
  return dict.map((dictionary) => ({ fraction, columns, dictionary, evalOrder }));
}
