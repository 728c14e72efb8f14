/**
 * Fine-tuning a compressed model on its run's training split (Denton et al. 2014 §3 "fine-tune the remaining
 * layers"; docs/method.md §3). train 'above' (default, Denton's choice): the approximated layers' chains and
 * every layer below them stay frozen, the layers after the last approximated one are trained; 'all': every
 * layer, the chains included. Adam with a constant small lr, the run's batch size, one seeded permutation
 * per epoch (rng(seed).fork(`finetune${e}`)), the loss from logits (a softmax output is unwrapped while
 * training and restored after). The training step is the runner's (train_step.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { ParampredError } from '../../core/errors.js';
import { rng } from '../../core/rng.js';
import type { RunDataset } from '../run/data.js';
import { gatherBatch, softmaxToLogits, trainStep } from '../run/train_step.js';

export type FinetuneTrain = 'above' | 'all';
export const finetuneTrainChoices: readonly FinetuneTrain[] = ['above', 'all'];

export interface FinetuneOptions {
  epochs: number;
  /** Adam's learning rate (default 1e-4). */
  lr?: number;
  /** Which layers train (file doc; default 'above'). */
  train?: FinetuneTrain;
  batchSize: number;
  seed: number;
}

/** What a fine-tuning did. */
export interface FinetuneResult {
  epochs: number;
  lr: number;
  train: FinetuneTrain;
  batchSize: number;
  seed: number;
  /** The layers whose weights were trained. */
  trainedLayers: string[];
  /** Mean training loss per epoch. */
  trainLoss: number[];
  seconds: number;
}

type WithActivation = { activation?: unknown };

/** Fine-tunes `model` in place; `approximated` names the layers of the replacement chains (file doc). */
export function finetune(model: tf.LayersModel, data: RunDataset, approximated: readonly string[], o: FinetuneOptions, fn = 'finetune'): FinetuneResult {
  const lr = o.lr ?? 1e-4;
  const train = o.train ?? 'above';
  if (!(Number.isInteger(o.epochs) && o.epochs >= 1)) throw new ParampredError(fn, `expected fine-tuning epochs a positive integer, got ${o.epochs}`);
  if (!(lr > 0 && Number.isFinite(lr))) throw new ParampredError(fn, `expected a fine-tuning learning rate > 0, got ${lr}`);
  if (!finetuneTrainChoices.includes(train)) throw new ParampredError(fn, `expected fine-tuning train to be one of ${finetuneTrainChoices.map((c) => `"${c}"`).join(', ')}, got ${JSON.stringify(train)}`);
  const names = model.layers.map((l) => l.name);
  const last = Math.max(...approximated.map((n) => names.indexOf(n)));
  const trained = model.layers.filter((l, i) => l.trainableWeights.length > 0 && (train === 'all' || i > last));
  if (trained.length === 0) throw new ParampredError(fn, `expected a layer with weights above the approximated ones (${approximated.join(', ')}) to fine-tune, got none: use train 'all'`);
  const saved = model.layers.map((l) => l.trainable);
  model.layers.forEach((l) => (l.trainable = trained.includes(l)));
  const out = model.layers[model.layers.length - 1] as unknown as WithActivation;
  const activation = out.activation;
  const probs = !softmaxToLogits(model);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const optimizer = tf.train.adam(lr);
  const d = data.inputShape.reduce((p, q) => p * q, 1);
  const inputShape = (model.inputs[0].shape as number[]).slice(1);
  const stepOpts = { probs, weightDecay: 0, constrained: [], modelInputShape: inputShape.length === 1 ? null : inputShape };
  const t0 = performance.now();
  const trainLoss: number[] = [];
  try {
    for (let e = 0; e < o.epochs; e++) {
      const perm = rng(o.seed).fork(`finetune${e}`).permutation(data.train.n);
      let sum = 0;
      for (let from = 0; from < data.train.n; from += o.batchSize) {
        const to = Math.min(data.train.n, from + o.batchSize);
        const batch = gatherBatch(data.train, d, data.classes, perm, from, to);
        const r = trainStep(model, optimizer, vars, batch, stepOpts);
        tf.dispose([batch.x, batch.y, batch.labels]);
        if (!Number.isFinite(r.loss)) throw new ParampredError(fn, `expected a finite loss while fine-tuning, got ${r.loss} at epoch ${e + 1}; lower the learning rate (${lr})`);
        sum += r.loss * (to - from);
      }
      trainLoss.push(sum / data.train.n);
    }
  } finally {
    optimizer.dispose();
    out.activation = activation;
    model.layers.forEach((l, i) => (l.trainable = saved[i]));
  }
  return { epochs: o.epochs, lr, train, batchSize: o.batchSize, seed: o.seed, trainedLayers: trained.map((l) => l.name), trainLoss, seconds: (performance.now() - t0) / 1000 };
}
