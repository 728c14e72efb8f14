/** Graph helpers for layers: whether backprop has to reach a layer's input. */
import type * as tf from '@tensorflow/tfjs';

type AnyLayer = tf.layers.Layer;

/**
 * True when some layer upstream of `layer` (through its inbound nodes) has trainable weights, so the
 * gradient with respect to `layer`'s input is needed; false for a first layer fed by data. A layer
 * not connected to a graph (called directly) answers true, the conservative choice.
 */
export function inputGradNeeded(layer: AnyLayer): boolean {
  const nodes = layer.inboundNodes;
  if (!nodes || nodes.length === 0) return true;
  const seen = new Set<AnyLayer>();
  const stack: AnyLayer[] = [];
  for (const n of nodes) stack.push(...n.inboundLayers);
  while (stack.length > 0) {
    const l = stack.pop() as AnyLayer;
    if (seen.has(l)) continue;
    seen.add(l);
    if (l.trainable && l.trainableWeights.length > 0) return true;
    for (const n of l.inboundNodes ?? []) stack.push(...n.inboundLayers);
  }
  return false;
}
