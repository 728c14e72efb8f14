/**
 * Layer-wise autoencoder pretraining (docs/method.md §1 "ae"; poster: "Pre-train layerwise as an
 * autoencoder"): layer k is trained as a tied autoencoder x̂ = act(x·W + b)·Wᵀ + c on its inputs,
 * where W is its composite kernel U·V (only V and b trainable; U stays fixed) or a plain dense kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { check } from '../errors.js';
import { rng } from '../rng.js';
import { PredictedDense } from '../layers/predicted_dense.js';
import { trainTiedAutoencoder } from './autoencoder.js';
import type { AutoencoderActivation } from './autoencoder.js';

export interface PretrainOptions {
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  /** Hidden activation of the autoencoder; default: the layer's own if sigmoid/relu, else sigmoid. */
  activation?: AutoencoderActivation;
  seed?: number;
  onEpoch?: (epoch: number, loss: number) => void;
}

export interface PretrainResult {
  layer: string;
  losses: number[];
  finalLoss: number;
}

/** Trains one dense or PredictedDense layer as a tied autoencoder on its inputs `x` (rows × n_v), in place. */
export function pretrainLayer(layer: tf.layers.Layer, x: tf.Tensor2D, o: PretrainOptions = {}): PretrainResult {
  const fn = 'pretrainLayer';
  let weights: () => tf.Tensor2D;
  let variables: tf.Variable[];
  let bias: tf.Variable | undefined;
  let own: string;
  if (layer instanceof PredictedDense) {
    const w = layer.weightsByRole;
    variables = [w.V.read() as tf.Variable];
    if (layer.trainableU) variables.push(w.U.read() as tf.Variable);
    bias = w.bias ? (w.bias.read() as tf.Variable) : undefined;
    weights = () => layer.composite();
    own = layer.activation;
  } else {
    check(layer.getClassName() === 'Dense' && layer.built, fn, 'a built PredictedDense or Dense layer', layer.getClassName());
    const kernel = layer.trainableWeights.find((v) => /\/kernel(_\d+)?$/.test(v.name));
    check(kernel !== undefined, fn, 'a dense layer with a kernel', layer.name);
    const k = kernel.read() as tf.Variable;
    variables = [k];
    bias = layer.trainableWeights.find((v) => /\/bias(_\d+)?$/.test(v.name))?.read() as tf.Variable | undefined;
    weights = () => k as unknown as tf.Tensor2D;
    own = String(layer.getConfig().activation);
  }
  const activation = o.activation ?? (own === 'relu' ? 'relu' : 'sigmoid');
  const r = trainTiedAutoencoder({
    data: x, weights, variables, encoderBias: bias, activation,
    epochs: o.epochs, batchSize: o.batchSize, learningRate: o.learningRate,
    rng: rng(o.seed ?? 0).fork('pretrain').fork(layer.name), onEpoch: o.onEpoch,
  });
  if (!bias) r.encoderBias.dispose();
  r.decoderBias.dispose();
  return { layer: layer.name, losses: r.losses, finalLoss: r.finalLoss };
}
