/**
 * `parampred bench layers`: median training-step time (Adam, lr 1e-3, parampred's softmax cross-entropy on
 * logits, as the trainer computes it) of
 * - the MNIST MLP 784-500-500-10 (batch 128): dense vs the first two layers predicted at dynamic
 *   fractions 0.05, 0.10, 0.25, 0.5 with 10 columns (rand dictionaries; the dictionary does not change
 *   the cost), in 'auto' order and forced 'complete' / 'pool';
 * - the CIFAR-10 convnet (batch 64): dense vs the three convs predicted at 0.25 and 0.5 (one column,
 *   se; the dense-500 layer left dense), in 'auto' order.
 * All models of a table are built and warmed up first, then timed in alternating rounds. On the active
 * backend after importing the Node entry (native when the addon is built, else cpu).
 */
import { cpus } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import '../index.js';
import { buildMlp } from '../../core/models/mlp.js';
import { softmaxCrossEntropy } from '../../core/train/losses.js';
import { softmaxToLogits } from '../run/train_step.js';
import { buildConvnet } from '../../core/models/convnet.js';
import { PredictedDense } from '../../core/layers/predicted_dense.js';
import { PredictedConv2D } from '../../core/layers/predicted_conv2d.js';
import type { EvalOrder } from '../../core/layers/eval_order.js';
import { median, stepTimes, warmUp } from './timing.js';

export interface BenchLayersOptions {
  json?: boolean;
  /** Timed steps per measurement (default 20). */
  steps?: number;
  /** Skip the convnet. */
  noConv?: boolean;
}

export interface BenchLayersResult {
  mlp: { dense_ms: number; predicted_ms: Record<string, number>; predicted_complete_ms: Record<string, number>; predicted_pool_ms: Record<string, number>; orders: Record<string, string[]>; batch: number };
  conv: { dense_ms: number; predicted_ms: Record<string, number>; orders: Record<string, string[]>; batch: number } | null;
  optimizer: string;
  backend: string;
  steps: number;
  warmup: number;
  threads: number;
  notes: string[];
}

const log = (msg: string) => process.stderr.write(`bench layers: ${msg}\n`);

/** A model ready to be timed: one Adam step on a fixed random batch, warmed up. */
export interface Prepared { step: () => void; orders: () => string[]; dispose: () => void }

export function prepare(model: tf.Sequential, inShape: number[], batch: number, warmup: number): Prepared {
  const x = tf.randomNormal([batch, ...inShape], 0, 1, 'float32', 7);
  const y = tf.tidy(() => tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32', 8), 10).asType('float32'));
  const opt = tf.train.adam(1e-3);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  // as the trainer does (run/train_step.ts): the softmax layer emits logits, parampred's fused loss
  softmaxToLogits(model);
  const step = () => {
    const loss = opt.minimize(() => softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor), true, vars);
    loss?.dataSync();
    loss?.dispose();
  };
  warmUp(step, warmup);
  const orders = () => model.layers.filter((l) => l instanceof PredictedDense || l instanceof PredictedConv2D).map((l) => `${l.name}:${(l as PredictedDense | PredictedConv2D).lastOrder}`);
  return { step, orders, dispose: () => { opt.dispose(); tf.dispose([x, y]); model.dispose(); } };
}

/**
 * Median step ms of each case, timed in alternating rounds (5, one untimed step each) so that all
 * cases see the same drift of the machine's speed; disposes the cases.
 */
export function interleaved(cases: Record<string, Prepared>, steps: number): Record<string, { ms: number; orders: string[] }> {
  const rounds = Math.min(5, steps), per = Math.ceil(steps / rounds);
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    for (const [k, c] of Object.entries(cases)) {
      c.step();
      times[k].push(...stepTimes(c.step, per));
    }
  }
  const out = Object.fromEntries(Object.entries(cases).map(([k, c]) => [k, { ms: median(times[k]), orders: c.orders() }]));
  for (const c of Object.values(cases)) c.dispose();
  return out;
}

/** Runs the benchmark and prints a table (or one JSON object with `json`). */
export async function benchLayers(opts: BenchLayersOptions = {}): Promise<BenchLayersResult> {
  await tf.ready();
  const steps = opts.steps ?? 20;
  const warmup = 5;
  const fractions = ['0.05', '0.1', '0.25', '0.5'];
  const mlpBatch = 128, convBatch = 64;
  const mlpPred = (f: number, evalOrder: EvalOrder) => buildMlp({ layers: [0, 1].map(() => ({ fraction: f, columns: 10, dictionary: { method: 'rand' }, evalOrder })), seed: 1 });
  log(`backend ${tf.getBackend()}, ${steps} timed steps per model in 5 alternating rounds, after 2 s of warm-up (at least ${warmup} steps)`);
  const mlpCases: Record<string, Prepared> = { dense: prepare(buildMlp({ seed: 1 }), [784], mlpBatch, warmup) };
  for (const f of fractions) {
    for (const order of ['auto', 'complete', 'pool'] as const) mlpCases[`${order} ${f}`] = prepare(mlpPred(Number(f), order), [784], mlpBatch, warmup);
  }
  log('mlp: 13 models warmed up; timing');
  const m = interleaved(mlpCases, steps);
  const mlp: BenchLayersResult['mlp'] = { dense_ms: m.dense.ms, predicted_ms: {}, predicted_complete_ms: {}, predicted_pool_ms: {}, orders: {}, batch: mlpBatch };
  for (const f of fractions) {
    mlp.predicted_ms[f] = m[`auto ${f}`].ms;
    mlp.orders[f] = m[`auto ${f}`].orders;
    mlp.predicted_complete_ms[f] = m[`complete ${f}`].ms;
    mlp.predicted_pool_ms[f] = m[`pool ${f}`].ms;
    log(`mlp ${f}: auto ${mlp.predicted_ms[f].toFixed(2)} ms (${mlp.orders[f].join(', ')}), complete ${mlp.predicted_complete_ms[f].toFixed(2)}, pool ${mlp.predicted_pool_ms[f].toFixed(2)} (dense ${m.dense.ms.toFixed(2)})`);
  }
  const dense = m.dense.ms;
  let conv: BenchLayersResult['conv'] = null;
  if (!opts.noConv) {
    const cSteps = Math.max(5, Math.min(steps, 20));
    const convCases: Record<string, Prepared> = { dense: prepare(buildConvnet({ seed: 1 }), [32, 32, 3], convBatch, 3) };
    for (const f of ['0.25', '0.5']) convCases[f] = prepare(buildConvnet({ seed: 1, convs: [0, 1, 2].map(() => ({ fraction: Number(f) })) }), [32, 32, 3], convBatch, 3);
    const c = interleaved(convCases, cSteps);
    conv = { dense_ms: c.dense.ms, predicted_ms: {}, orders: {}, batch: convBatch };
    for (const f of ['0.25', '0.5']) {
      conv.predicted_ms[f] = c[f].ms;
      conv.orders[f] = c[f].orders;
      log(`conv ${f}: ${c[f].ms.toFixed(1)} ms (${c[f].orders.join(', ')}), dense ${c.dense.ms.toFixed(1)}`);
    }
  }
  const result: BenchLayersResult = {
    mlp, conv, optimizer: 'adam(1e-3)', backend: tf.getBackend(), steps, warmup, threads: cpus().length,
    notes: [
      'median wall time of one training step (forward, softmax cross-entropy, backward, Adam update), loss read back each step',
      'predicted MLP: first two layers PredictedDense, 10 columns, rand dictionaries; softmax dense',
      'predicted convnet: the three convs PredictedConv2D (se, 1 column); pooling: one 2x2 max-pool after conv1, valid padding',
    ],
  };
  if (opts.json) process.stdout.write(JSON.stringify(result) + '\n');
  else {
    console.log(`backend ${result.backend}, Adam, median of ${steps} steps`);
    console.log(`MLP 784-500-500-10, batch ${mlpBatch}: dense ${dense.toFixed(2)} ms`);
    for (const f of fractions) console.log(`  predicted ${f}: ${mlp.predicted_ms[f].toFixed(2)} ms (x${(mlp.predicted_ms[f] / dense).toFixed(2)} of dense; complete ${mlp.predicted_complete_ms[f].toFixed(2)}, pool ${mlp.predicted_pool_ms[f].toFixed(2)}) [${mlp.orders[f].join(', ')}]`);
    if (conv) {
      console.log(`CIFAR convnet, batch ${convBatch}: dense ${conv.dense_ms.toFixed(1)} ms`);
      for (const f of Object.keys(conv.predicted_ms)) console.log(`  predicted convs ${f}: ${conv.predicted_ms[f].toFixed(1)} ms [${conv.orders[f].join(', ')}]`);
    }
  }
  return result;
}
