/**
 * Rewriting a trained model's layers through its config: each named layer is replaced by a chain of
 * built layers (one layer: a swap; several: a sub-network). The last layer of a chain takes the original
 * name, so every consumer (and a functional model's outputs) still finds it; the earlier ones keep their
 * own names, and the first takes the original's inputs (and its batchInputShape in a Sequential).
 * Weights come from the chains and, for every other layer, from `model`; the result is a new model of
 * `model`'s class (Sequential or functional) that shares no weights with it.
 */
import * as tf from '@tensorflow/tfjs';
import { ParampredError } from '../errors.js';

/** A layer entry of a model's config: class name and config (plus name / inbound nodes in functional models). */
interface LayerEntry {
  className: string;
  config: tf.serialization.ConfigDict;
  name?: string;
  inboundNodes?: unknown[];
}

/** The input keys a layer's config carries when it is a Sequential's first layer. */
const INPUT_KEYS = ['batchInputShape', 'dtype'] as const;

/** A new model with the layers named in `chains` replaced by those chains (file doc). */
export function rewriteLayers(model: tf.LayersModel, chains: Map<string, tf.layers.Layer[]>, fn = 'rewriteLayers'): tf.LayersModel {
  const config = model.getConfig() as unknown as { layers: LayerEntry[] };
  const source = new Map<string, tf.layers.Layer>();
  const layers: LayerEntry[] = [];
  for (const entry of config.layers) {
    const name = entry.config.name as string;
    const chain = chains.get(name);
    if (!chain) {
      layers.push(entry);
      source.set(name, model.getLayer(name));
      continue;
    }
    if (chain.length === 0) throw new ParampredError(fn, `expected at least one layer to replace '${name}', got none`);
    if (entry.inboundNodes && entry.inboundNodes.length > 1) throw new ParampredError(fn, `expected layer '${name}' to be applied once, got ${entry.inboundNodes.length} times (a shared layer)`);
    const kept = Object.fromEntries(INPUT_KEYS.filter((k) => entry.config[k] !== undefined).map((k) => [k, entry.config[k]]));
    let prev: string | null = null;
    chain.forEach((l, i) => {
      const last = i === chain.length - 1;
      const own = last ? name : l.name;
      if (!last && (source.has(own) || model.layers.some((m) => m.name === own))) throw new ParampredError(fn, `expected a new layer name in the chain replacing '${name}', got '${own}' (already in the model)`);
      const cfg = { ...l.getConfig(), ...(i === 0 ? kept : {}), name: own };
      const e: LayerEntry = { className: l.getClassName(), config: cfg };
      if (entry.inboundNodes) Object.assign(e, { name: own, inboundNodes: prev === null ? entry.inboundNodes : [[[prev, 0, 0, {}]]] });
      layers.push(e);
      source.set(own, l);
      prev = own;
    });
  }
  const cls = (model instanceof tf.Sequential ? tf.Sequential : tf.LayersModel) as unknown as typeof tf.LayersModel;
  const out = cls.fromConfig(cls, { ...config, layers } as unknown as tf.serialization.ConfigDict) as tf.LayersModel;
  for (const l of out.layers) {
    const weights = source.get(l.name)!.getWeights();
    if (weights.length > 0) l.setWeights(weights);
  }
  return out;
}
