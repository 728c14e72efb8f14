/**
 * Counted cost of built layers for one example: parameters (every weight, biases included) and
 * multiply-adds of the kernel products, from the kernel's shape and the layer's output shape. Dense:
 * (output positions)·n·k for a kernel n × k; Conv2D: H_out·W_out·kh·kw·C·F; DepthwiseConv2D (kernel
 * kh × kw × C × D): H_out·W_out·kh·kw·C·D; GroupedConv2D: H_out·W_out·Σ_g kh·kw·C_g·F_g over its group
 * kernels. Bias additions and activations are not multiply-adds; neither are channel gathers, nor
 * other layers (pooling, flatten, activation): 0.
 */
import type * as tf from '@tensorflow/tfjs';

/** What a layer costs per example. */
export interface Cost {
  parameters: number;
  multiplyAdds: number;
}

/** The layer classes whose kernel products are counted (file doc). */
const KERNEL_LAYERS: readonly string[] = ['Dense', 'Conv2D', 'DepthwiseConv2D', 'GroupedConv2D'];

const prod = (s: readonly (number | null)[]) => s.reduce<number>((p, q) => p * (q ?? 1), 1);

/** The counted cost of the built `layer` on one example of shape `inputShape` (no batch axis). */
export function layerCost(layer: tf.layers.Layer, inputShape: readonly number[]): Cost {
  const parameters = layer.countParams();
  const cls = layer.getClassName();
  if (!KERNEL_LAYERS.includes(cls)) return { parameters, multiplyAdds: 0 };
  const weights = layer.getWeights();
  const kernels = cls === 'Dense' ? [weights[0]] : weights.filter((w) => w.rank === 4); // conv kernels; biases are rank 1
  const out = layer.computeOutputShape([null, ...inputShape]) as (number | null)[];
  const positions = prod(out.slice(1, -1)); // Dense: leading axes of a rank > 2 input; convs: H_out·W_out
  return { parameters, multiplyAdds: positions * kernels.reduce((s, k) => s + prod(k.shape), 0) };
}

/** The summed counted cost of a chain of layers applied one after another to one example of shape `inputShape`. */
export function chainCost(layers: readonly tf.layers.Layer[], inputShape: readonly number[]): Cost {
  let shape = [...inputShape];
  const total: Cost = { parameters: 0, multiplyAdds: 0 };
  for (const l of layers) {
    const c = layerCost(l, shape);
    total.parameters += c.parameters;
    total.multiplyAdds += c.multiplyAdds;
    shape = (l.computeOutputShape([null, ...shape]) as number[]).slice(1);
  }
  return total;
}
