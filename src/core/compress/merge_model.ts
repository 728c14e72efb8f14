/**
 * mergeModel: a predicted network for inference. Every PredictedDense / PredictedConv2D becomes the plain
 * layer with W = U·V formed once (convert.ts's `merge`: TF.js Dense / Conv2D, same activation and bias),
 * so the network evaluates exactly as fast as a dense one; other layers are copied. The result is a new
 * model of the same class (Sequential or functional) with the same layer names, independent of `model`.
 */
import * as tf from '@tensorflow/tfjs';
import { check } from '../errors.js';
import { merge } from '../convert.js';
import { PredictedLayer } from '../layers/predicted_layer.js';
import type { PredictedDense } from '../layers/predicted_dense.js';
import type { PredictedConv2D } from '../layers/predicted_conv2d.js';

/** A layer entry of a model's config: class name and config (plus name / inbound nodes in functional models). */
export interface LayerEntry {
  className: string;
  config: tf.serialization.ConfigDict;
  [key: string]: unknown;
}

/** The input keys a layer's config carries when it is a model's first layer. */
const INPUT_KEYS = ['batchInputShape', 'batch_input_shape', 'dtype'] as const;

/**
 * A new model of `model`'s class from its config with the layers named in `replace` swapped for the given
 * built layers (their config and weights; name and input keys kept), every other layer's weights copied.
 */
export function replaceLayers(model: tf.LayersModel, replace: Map<string, tf.layers.Layer>): tf.LayersModel {
  const config = model.getConfig() as unknown as { layers: LayerEntry[] };
  const layers = config.layers.map((entry) => {
    const name = entry.config.name as string;
    const by = replace.get(name);
    if (!by) return entry;
    const kept = Object.fromEntries(INPUT_KEYS.filter((k) => entry.config[k] !== undefined).map((k) => [k, entry.config[k]]));
    return { ...entry, className: by.getClassName(), config: { ...by.getConfig(), ...kept, name } };
  });
  const cls = (model instanceof tf.Sequential ? tf.Sequential : tf.LayersModel) as unknown as typeof tf.LayersModel;
  const out = cls.fromConfig(cls, { ...config, layers } as unknown as tf.serialization.ConfigDict) as tf.LayersModel;
  for (const l of out.layers) {
    const weights = (replace.get(l.name) ?? model.getLayer(l.name)).getWeights();
    if (weights.length > 0) l.setWeights(weights);
  }
  return out;
}

/** `model` with every predicted layer merged into a plain Dense / Conv2D (W = U·V); see the file doc. */
export function mergeModel(model: tf.LayersModel): tf.LayersModel {
  check(model instanceof tf.LayersModel, 'mergeModel', 'a tf.LayersModel', (model as unknown as { constructor?: { name?: string } })?.constructor?.name ?? model);
  const merged = new Map<string, tf.layers.Layer>();
  for (const l of model.layers) if (l instanceof PredictedLayer) merged.set(l.name, merge(l as unknown as PredictedDense | PredictedConv2D));
  try {
    return replaceLayers(model, merged);
  } finally {
    for (const l of merged.values()) tf.dispose(l.weights.map((w) => w.read()));
  }
}
