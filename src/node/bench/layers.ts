/**
 * `parampred bench layers`: median training-step time (Adam, lr 1e-3, softmax cross-entropy) of
 * - the MNIST MLP 784-500-500-10 (batch 128): dense vs the first two layers predicted at dynamic
 *   fractions 0.05, 0.10, 0.25, 0.5 with 10 columns (rand dictionaries; the dictionary does not change
 *   the cost), in 'auto' order and forced 'complete' / 'pool';
 * - the CIFAR-10 convnet (batch 64): dense vs the three convs predicted at 0.25 and 0.5 (one column,
 *   se; the dense-500 layer left dense), in 'auto' order.
 * On the active backend after importing the Node entry (native when the addon is built, else cpu).
 */
import { cpus } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import '../index.js';
import { buildMlp } from '../../core/models/mlp.js';
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

/** Median ms of one Adam step of `model` on a fixed random batch; returns the orders its predicted layers ran in. */
function stepMs(model: tf.Sequential, inShape: number[], batch: number, steps: number, warmup: number): { ms: number; orders: string[] } {
  const x = tf.randomNormal([batch, ...inShape], 0, 1, 'float32', 7);
  const y = tf.tidy(() => tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32', 8), 10).asType('float32'));
  const opt = tf.train.adam(1e-3);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const step = () => {
    const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true, vars);
    loss?.dataSync();
    loss?.dispose();
  };
  warmUp(step, warmup);
  const ms = median(stepTimes(step, steps));
  const orders = model.layers.filter((l) => l instanceof PredictedDense || l instanceof PredictedConv2D).map((l) => `${l.name}:${(l as PredictedDense | PredictedConv2D).lastOrder}`);
  opt.dispose();
  tf.dispose([x, y]);
  model.dispose();
  return { ms, orders };
}

/** Runs the benchmark and prints a table (or one JSON object with `json`). */
export async function benchLayers(opts: BenchLayersOptions = {}): Promise<BenchLayersResult> {
  await tf.ready();
  const steps = opts.steps ?? 20;
  const warmup = 5;
  const fractions = ['0.05', '0.1', '0.25', '0.5'];
  const mlpBatch = 128, convBatch = 64;
  const mlpPred = (f: number, evalOrder: EvalOrder) => buildMlp({ layers: [0, 1].map(() => ({ fraction: f, columns: 10, dictionary: { method: 'rand' }, evalOrder })), seed: 1 });
  log(`backend ${tf.getBackend()}, ${steps} timed steps after 2 s of warm-up (at least ${warmup} steps)`);
  const dense = stepMs(buildMlp({ seed: 1 }), [784], mlpBatch, steps, warmup).ms;
  log(`mlp dense ${dense.toFixed(2)} ms`);
  const mlp: BenchLayersResult['mlp'] = { dense_ms: dense, predicted_ms: {}, predicted_complete_ms: {}, predicted_pool_ms: {}, orders: {}, batch: mlpBatch };
  for (const f of fractions) {
    const auto = stepMs(mlpPred(Number(f), 'auto'), [784], mlpBatch, steps, warmup);
    mlp.predicted_ms[f] = auto.ms;
    mlp.orders[f] = auto.orders;
    mlp.predicted_complete_ms[f] = stepMs(mlpPred(Number(f), 'complete'), [784], mlpBatch, steps, warmup).ms;
    mlp.predicted_pool_ms[f] = stepMs(mlpPred(Number(f), 'pool'), [784], mlpBatch, steps, warmup).ms;
    log(`mlp ${f}: auto ${auto.ms.toFixed(2)} ms (${auto.orders.join(', ')}), complete ${mlp.predicted_complete_ms[f].toFixed(2)}, pool ${mlp.predicted_pool_ms[f].toFixed(2)}`);
  }
  let conv: BenchLayersResult['conv'] = null;
  if (!opts.noConv) {
    const cSteps = Math.max(5, Math.min(steps, 20));
    const cd = stepMs(buildConvnet({ seed: 1 }), [32, 32, 3], convBatch, cSteps, 3).ms;
    log(`conv dense ${cd.toFixed(1)} ms`);
    conv = { dense_ms: cd, predicted_ms: {}, orders: {}, batch: convBatch };
    for (const f of ['0.25', '0.5']) {
      const r = stepMs(buildConvnet({ seed: 1, convs: [0, 1, 2].map(() => ({ fraction: Number(f) })) }), [32, 32, 3], convBatch, cSteps, 3);
      conv.predicted_ms[f] = r.ms;
      conv.orders[f] = r.orders;
      log(`conv ${f}: ${r.ms.toFixed(1)} ms (${r.orders.join(', ')})`);
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
