/**
 * A tied-weight autoencoder trainer (docs/method.md §1, layer-wise pretraining): x̂ = act(x·W + b)·Wᵀ + c,
 * loss = mean over rows and units of (x̂ − x)². W (n_v × n_h) comes from a function of trainable variables,
 * so a predicted layer can pass W = U·V with only V trainable; the `ae` dictionary passes a plain W.
 */
import * as tf from '@tensorflow/tfjs';
import { ParampredError, check } from '../errors.js';
import type { Rng } from '../rng.js';
import type { DataMatrix } from '../dictionaries/types.js';

export type AutoencoderActivation = 'sigmoid' | 'relu';

export interface TiedAutoencoderOptions {
  /** Training rows, rows × n_v. */
  data: DataMatrix | tf.Tensor2D;
  /** The encoder weight W (n_v × n_h) computed from `variables` (called inside the gradient tape). */
  weights: () => tf.Tensor;
  /** The variables W depends on that training updates (e.g. [W] or [V]). */
  variables: tf.Variable[];
  /** Encoder bias b (n_h); zeros, created here, when absent. Always trained. */
  encoderBias?: tf.Variable;
  /** Decoder bias c (n_v); zeros, created here, when absent. Always trained. */
  decoderBias?: tf.Variable;
  /** Hidden activation; default 'sigmoid' (the original code's). */
  activation?: AutoencoderActivation;
  /** Optimizer; default Adam(learningRate), created and disposed here. */
  optimizer?: tf.Optimizer;
  /** Adam's learning rate when no optimizer is given; default 1e-3. */
  learningRate?: number;
  /** Passes over the data; default 10. */
  epochs?: number;
  /** Rows per step; default 100. */
  batchSize?: number;
  /** Seeded stream for the per-epoch shuffles. */
  rng: Rng;
  /** Called after each epoch with its mean training loss. */
  onEpoch?: (epoch: number, loss: number) => void;
}

export interface TiedAutoencoderResult {
  /** Reconstruction loss on all rows after training. */
  finalLoss: number;
  /** Mean training loss of each epoch (over its steps, weighted by batch size). */
  losses: number[];
  encoderBias: tf.Variable;
  decoderBias: tf.Variable;
}

/** x̂ = act(x·W + b)·Wᵀ + c for a batch x (rows × n_v). */
export function tiedReconstruct(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor, c: tf.Tensor, activation: AutoencoderActivation = 'sigmoid'): tf.Tensor2D {
  return tf.tidy(() => {
    const pre = tf.add(tf.matMul(x, w), b);
    const h = activation === 'sigmoid' ? tf.sigmoid(pre) : tf.relu(pre);
    return tf.add(tf.matMul(h, w, false, true), c) as tf.Tensor2D;
  });
}

/** Trains the tied autoencoder in place (variables updated) and returns its losses. */
export function trainTiedAutoencoder(o: TiedAutoencoderOptions): TiedAutoencoderResult {
  const fn = 'trainTiedAutoencoder';
  const epochs = o.epochs ?? 10;
  const batchSize = o.batchSize ?? 100;
  const activation = o.activation ?? 'sigmoid';
  check(Number.isInteger(epochs) && epochs >= 0, fn, 'epochs a non-negative integer', epochs);
  check(Number.isInteger(batchSize) && batchSize > 0, fn, 'batchSize a positive integer', batchSize);
  check(activation === 'sigmoid' || activation === 'relu', fn, "activation 'sigmoid' or 'relu'", activation);
  const ownX = !(o.data instanceof tf.Tensor);
  const x: tf.Tensor2D = o.data instanceof tf.Tensor ? o.data : tf.tensor2d(o.data.values, [o.data.rows, o.data.cols]);
  try {
    check(x.rank === 2, fn, 'data of rank 2', x);
    const wShape = tf.tidy(() => o.weights().shape);
    if (wShape.length !== 2 || wShape[0] !== x.shape[1]) {
      throw new ParampredError(fn, `expected weights() of shape [${x.shape[1]}, n_h] to match the data's ${x.shape[1]} columns, got [${wShape.join(', ')}]`);
    }
    const nH = wShape[1];
    const b = o.encoderBias ?? zerosVariable(nH);
    const c = o.decoderBias ?? zerosVariable(x.shape[1]);
    check(b.size === nH, fn, `encoderBias of ${nH} units`, b);
    check(c.size === x.shape[1], fn, `decoderBias of ${x.shape[1]} units`, c);
    const optimizer = o.optimizer ?? tf.train.adam(o.learningRate ?? 1e-3);
    const varList = [...o.variables, b, c];
    const lossOf = (xb: tf.Tensor2D): tf.Scalar => tf.losses.meanSquaredError(xb, tiedReconstruct(xb, o.weights() as tf.Tensor2D, b, c, activation)) as tf.Scalar;
    const rows = x.shape[0];
    const losses: number[] = [];
    for (let e = 0; e < epochs; e++) {
      const perm = o.rng.permutation(rows);
      let sum = 0;
      for (let s = 0; s < rows; s += batchSize) {
        const idx = perm.subarray(s, Math.min(rows, s + batchSize));
        const l = tf.tidy(() => {
          const xb = tf.gather(x, tf.tensor1d(idx, 'int32')) as tf.Tensor2D;
          return optimizer.minimize(() => lossOf(xb), true, varList)!;
        });
        sum += l.dataSync()[0] * idx.length;
        l.dispose();
      }
      losses.push(sum / rows);
      o.onEpoch?.(e, sum / rows);
    }
    let total = 0;
    for (let s = 0; s < rows; s += batchSize) {
      const n = Math.min(rows, s + batchSize) - s;
      total += tf.tidy(() => lossOf(x.slice([s, 0], [n, -1])).dataSync()[0]) * n;
    }
    if (!o.optimizer) optimizer.dispose();
    return { finalLoss: total / rows, losses, encoderBias: b, decoderBias: c };
  } finally {
    if (ownX) x.dispose();
  }
}

/** A trainable zero vector of length n (the initial tensor is released once the variable holds its data). */
function zerosVariable(n: number): tf.Variable {
  const z = tf.zeros([n]);
  const v = tf.variable(z, true);
  z.dispose();
  return v;
}
