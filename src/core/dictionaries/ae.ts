/**
 * `ae`: U = the encoder weights W (n_v × n_α) of a tied-weight autoencoder with n_α hidden units trained
 * on the layer's inputs (docs/method.md §1): x̂ = act(x·W + b)·Wᵀ + c, MSE, Adam. W starts Glorot-normal,
 * N(0, 2/(n_v + n_α)), from this dictionary's seeded stream; shuffles use a fork of it.
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { ParampredError } from '../errors.js';
import { trainTiedAutoencoder } from '../train/autoencoder.js';
import { defineDictionary } from './types.js';

export default defineDictionary({
  name: 'ae',
  summary: 'U = W of a tied autoencoder x̂ = act(xW+b)Wᵀ+c with n_α hidden units trained on the data (MSE)',
  needs: { data: true, coords: false },
  trainable: false,
  options: z.object({
    epochs: z.number().int().nonnegative().default(10),
    batchSize: z.number().int().positive().default(100),
    learningRate: z.number().positive().default(1e-3),
    activation: z.enum(['sigmoid', 'relu']).default('sigmoid'),
  }).strict(),
  build({ nIn, alpha, data, rng }, o) {
    if (!data) throw new ParampredError('ae', 'expected a data sample, got none');
    const m = alpha.length;
    const init = tf.tensor2d(rng.fork('init').normals(nIn * m, Math.sqrt(2 / (nIn + m))), [nIn, m]);
    const w = tf.variable(init, true);
    init.dispose();
    try {
      const r = trainTiedAutoencoder({ data, weights: () => w, variables: [w], rng: rng.fork('shuffle'), ...o });
      r.encoderBias.dispose();
      r.decoderBias.dispose();
      return { nIn, nAlpha: m, u: Float32Array.from(w.dataSync()) };
    } finally {
      w.dispose();
    }
  },
});
