/**
 * Training RICA: Adam on minibatches of whitened patches, minimising ricaLoss of the model's W (plain W
 * or predicted U·V; only the model's variable is updated). Le et al. used full-batch L-BFGS; Adam on
 * minibatches reaches a comparable objective on this scale in far less memory.
 */
import * as tf from '@tensorflow/tfjs';
import { check } from '../errors.js';
import { rng } from '../rng.js';
import { ricaLoss, type RicaObjectiveOptions } from './objective.js';
import { ricaWeights, type RicaModel } from './model.js';

export interface RicaTrainOptions extends RicaObjectiveOptions {
  /** Optimiser steps (default 2000). */
  steps?: number;
  batchSize?: number;
  /** Adam learning rate (default 0.01), cosine-decayed to 0 over the steps. */
  lr?: number;
  seed?: number;
  /** Called every `every` steps with the minibatch loss. */
  onLoss?: (step: number, loss: number) => void;
  every?: number;
}

/** Trains `m` in place on patches x (n × d, whitened); returns the mean minibatch loss of the last 5 % of steps. */
export function trainRica(m: RicaModel, x: Float32Array, o: RicaTrainOptions = {}): number {
  const d = m.patch * m.patch * m.channels;
  const n = x.length / d;
  const steps = o.steps ?? 2000, bs = Math.min(o.batchSize ?? 500, n), lr0 = o.lr ?? 0.01, every = o.every ?? 100;
  check(Number.isInteger(n) && n >= 1 && steps >= 1 && bs >= 1, 'trainRica', `patches of d = ${d} values, positive steps and batch size`, { values: x.length, steps, bs });
  const opt = tf.train.adam(lr0);
  const r = rng(o.seed ?? 0).fork('rica-batches');
  let perm = r.permutation(n), at = 0, tail = 0, tailN = 0;
  const buf = new Float32Array(bs * d);
  for (let s = 0; s < steps; s++) {
    if (at + bs > n) [perm, at] = [r.permutation(n), 0];
    for (let i = 0; i < bs; i++) buf.set(x.subarray(perm[at + i] * d, (perm[at + i] + 1) * d), i * d);
    at += bs;
    (opt as unknown as { learningRate: number }).learningRate = (lr0 * (1 + Math.cos((Math.PI * s) / steps))) / 2;
    const xb = tf.tensor2d(buf, [bs, d]);
    const loss = opt.minimize(() => ricaLoss(ricaWeights(m), xb, o), true, [m.variable])!;
    const v = loss.dataSync()[0];
    tf.dispose([xb, loss]);
    if (s >= steps * 0.95) [tail, tailN] = [tail + v, tailN + 1];
    if (o.onLoss && (s % every === 0 || s === steps - 1)) o.onLoss(s, v);
  }
  opt.dispose();
  return tail / Math.max(1, tailN);
}
