/**
 * The paper's CIFAR-10 convnet (Denil et al. 2013 §4.2; docs/method.md §2): conv 48@8×8 → 2×2 max-pool →
 * conv 64@8×8 → conv 64@5×5 → dense 500 → softmax 10, ReLU, valid padding. Each conv is optionally a
 * PredictedConv2D (one column, SE over the filter grid); the dense 500 is optionally a PredictedDense
 * (5 columns, SE over the last conv output's (row, col) grid, channel-independent: groups = channels).
 *
 * Pooling (not given in the paper): one 2×2/2 max-pool after the first conv (`pools` = [2, 1, 1]).
 * With valid padding that leaves 32→25→12→5→1, so the dense layer sees a 1×1×64 grid; pass
 * padding 'same' and e.g. pools [2, 2, 1] for an 8×8×64 grid where its SE kernel has room to act.
 */
import * as tf from '@tensorflow/tfjs';
import { dense } from '../layers/dense.js';
import { check } from '../errors.js';
import { PredictedConv2D } from '../layers/predicted_conv2d.js';
import { PredictedDense } from '../layers/predicted_dense.js';
import { layerSeed } from './mlp.js';
import type { PredictedLayerSpec } from './mlp.js';

export interface ConvnetSpec {
  inputShape?: [number, number, number];
  classes?: number;
  /** Filters and kernel size of each conv (default [[48, 8], [64, 8], [64, 5]]). */
  convLayers?: [number, number][];
  /** One entry per conv: null = dense conv2d, else how it is predicted (default all plain); `over` as PredictedConv2D's. */
  convs?: ((PredictedLayerSpec & { over?: 'positions' | 'patch' }) | null)[];
  denseUnits?: number;
  /** The dense layer: null = plain (default), else predicted (columns default 5, dictionary se). */
  dense?: PredictedLayerSpec | null;
  /** Max-pool size after each conv, 1 = none (default [2, 1, 1]). */
  pools?: number[];
  padding?: 'valid' | 'same';
  seed?: number;
}

/** tf.Sequential of the paper's CIFAR-10 convnet with the requested layers predicted. */
export function buildConvnet(spec: ConvnetSpec = {}): tf.Sequential {
  const fn = 'buildConvnet';
  const inputShape = spec.inputShape ?? [32, 32, 3];
  const convLayers = spec.convLayers ?? [[48, 8], [64, 8], [64, 5]];
  const convs = spec.convs ?? convLayers.map(() => null);
  const pools = spec.pools ?? [2, 1, 1];
  const padding = spec.padding ?? 'valid';
  const seed = spec.seed ?? 0;
  check(convs.length === convLayers.length, fn, `convs with one entry per conv layer (${convLayers.length})`, convs.length);
  check(pools.length === convLayers.length && pools.every((p) => Number.isInteger(p) && p >= 1), fn, `pools: ${convLayers.length} positive integers`, pools);
  const model = tf.sequential();
  convLayers.forEach(([filters, k], i) => {
    const p = convs[i];
    const common = { filters, kernelSize: k, padding, activation: 'relu' as const, inputShape: i === 0 ? inputShape : undefined };
    const s = layerSeed(seed, `conv${i}`);
    if (p === null) {
      model.add(tf.layers.conv2d({ ...common, kernelInitializer: tf.initializers.glorotUniform({ seed: s }), name: `conv${i + 1}` }));
    } else {
      model.add(new PredictedConv2D({
        ...common, seed: s, name: `predicted_conv${i + 1}`,
        fraction: p.nAlpha === undefined ? (p.fraction ?? 0.25) : undefined, nAlpha: p.nAlpha,
        columns: p.columns ?? 1, dictionary: p.dictionary ?? { method: 'se' }, sampler: p.sampler, evalOrder: p.evalOrder, over: p.over,
      }));
    }
    if (pools[i] > 1) model.add(tf.layers.maxPooling2d({ poolSize: pools[i], strides: pools[i], name: `pool${i + 1}` }));
  });
  const [, h, w, c] = model.outputShape as number[];
  check(h >= 1 && w >= 1, fn, 'a conv stack whose output is at least 1×1', model.outputShape);
  model.add(tf.layers.flatten({ name: 'flatten' }));
  const units = spec.denseUnits ?? 500;
  const d = spec.dense ?? null;
  if (d === null) {
    model.add(dense({ units, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: layerSeed(seed, 'dense') }), name: 'dense' }));
  } else {
    model.add(new PredictedDense({
      units, activation: 'relu', seed: layerSeed(seed, 'dense'), name: 'predicted_dense',
      fraction: d.nAlpha === undefined ? (d.fraction ?? 0.25) : undefined, nAlpha: d.nAlpha,
      columns: d.columns ?? 5, dictionary: d.dictionary ?? { method: 'se' }, sampler: d.sampler, evalOrder: d.evalOrder,
      inputGeometry: { height: h, width: w, channels: c },
    }));
  }
  model.add(dense({ units: spec.classes ?? 10, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: layerSeed(seed, 'softmax') }), name: 'softmax' }));
  return model;
}
