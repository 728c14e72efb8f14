/**
 * mergeModel: a predicted network for inference. Every PredictedDense / PredictedConv2D becomes the plain
 * layer with W = U·V formed once (convert.ts's `merge`: TF.js Dense / Conv2D, same activation and bias),
 * so the network evaluates exactly as fast as a dense one; other layers are copied. The result is a new
 * model of the same class (Sequential or functional) with the same layer names, independent of `model`.
 */
import * as tf from '@tensorflow/tfjs';
import { check } from '../errors.js';
import { merge } from '../convert.js';
import { rewriteLayers } from './rewrite.js';
import { PredictedLayer } from '../layers/predicted_layer.js';
import type { PredictedDense } from '../layers/predicted_dense.js';
import type { PredictedConv2D } from '../layers/predicted_conv2d.js';

/** `model` with every predicted layer merged into a plain Dense / Conv2D (W = U·V); see the file doc. */
export function mergeModel(model: tf.LayersModel): tf.LayersModel {
  check(model instanceof tf.LayersModel, 'mergeModel', 'a tf.LayersModel', (model as unknown as { constructor?: { name?: string } })?.constructor?.name ?? model);
  const merged = new Map<string, tf.layers.Layer[]>();
  for (const l of model.layers) if (l instanceof PredictedLayer) merged.set(l.name, [merge(l as unknown as PredictedDense | PredictedConv2D)]);
  try {
    return rewriteLayers(model, merged, 'mergeModel');
  } finally {
    for (const [l] of merged.values()) tf.dispose(l.weights.map((w) => w.read()));
  }
}
