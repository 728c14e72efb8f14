/**
 * Parameter counts of a model with predicted layers, in two named conventions (docs/method.md §1 "Counting"):
 * - "paper": Σ dynamic / Σ n_v·n_h over the predicted layers (softmax output and biases excluded, as in
 *   the original report script; dynamic = n_α·n_h per predicted layer, plus U for lowrank). A network
 *   without predicted layers reports the same ratio over its non-output weight layers (= 1).
 * - "whole-network": all trainable parameters (biases and softmax included) over those of the same
 *   network with every predicted layer replaced by a dense one.
 */
import type * as tf from '@tensorflow/tfjs';
import { PredictedDense } from './layers/predicted_dense.js';
import { PredictedConv2D } from './layers/predicted_conv2d.js';

export type LayerKind = 'dense' | 'conv2d' | 'predicted-dense' | 'predicted-conv2d' | 'other';

export interface LayerCount {
  name: string;
  kind: LayerKind;
  /** Learned weight parameters (V; plus U for lowrank; the kernel for dense layers), biases excluded. */
  dynamic: number;
  /** The dense-equivalent kernel size n_v·n_h (kh·kw·c_in·c_out for convs); 0 for other layers. */
  total: number;
  /** Fixed (non-trainable) dictionary entries: U unless it is trained. */
  fixed: number;
  bias: number;
  /** Trainable parameters of the layer as it is (dynamic + bias, or all trainable weights of other layers). */
  trainable: number;
  /** Whether this is the output layer (the last layer with a kernel), excluded by the paper convention. */
  output: boolean;
}

export interface ParameterCount {
  layers: LayerCount[];
  paper: { convention: 'paper'; description: string; dynamic: number; total: number; fraction: number };
  wholeNetwork: { convention: 'whole-network'; description: string; trainable: number; denseEquivalent: number; fraction: number };
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

function countLayer(l: tf.layers.Layer): LayerCount {
  const trainable = l.trainableWeights.reduce((s, w) => s + size(w.shape as number[]), 0);
  const base = { name: l.name, trainable, output: false };
  if (l instanceof PredictedDense || l instanceof PredictedConv2D) {
    const { U, V, bias } = l.weightsByRole;
    const u = size(U.shape as number[]);
    const total = l instanceof PredictedDense ? l.nIn * l.units : l.positions * l.cIn * l.filters;
    return { ...base, kind: l instanceof PredictedDense ? 'predicted-dense' : 'predicted-conv2d', dynamic: size(V.shape as number[]) + (l.trainableU ? u : 0), total, fixed: l.trainableU ? 0 : u, bias: bias ? size(bias.shape as number[]) : 0 };
  }
  const cls = l.getClassName();
  if (cls === 'Dense' || cls === 'Conv2D') {
    const kernel = l.weights.find((w) => /\/kernel(_\d+)?$/.test(w.name));
    const b = l.weights.find((w) => /\/bias(_\d+)?$/.test(w.name));
    const k = kernel ? size(kernel.shape as number[]) : 0;
    return { ...base, kind: cls === 'Dense' ? 'dense' : 'conv2d', dynamic: k, total: k, fixed: 0, bias: b ? size(b.shape as number[]) : 0 };
  }
  return { ...base, kind: 'other', dynamic: 0, total: 0, fixed: 0, bias: 0 };
}

/** Per-layer counts and the "paper" and "whole-network" fractions of a built model. */
export function countParameters(model: tf.LayersModel): ParameterCount {
  const layers = model.layers.map(countLayer);
  const withKernel = layers.filter((c) => c.total > 0);
  if (withKernel.length > 0) withKernel[withKernel.length - 1].output = true;
  const hidden = withKernel.filter((c) => !c.output);
  const predicted = hidden.filter((c) => c.kind.startsWith('predicted'));
  const over = predicted.length > 0 ? predicted : hidden;
  const pDyn = over.reduce((s, c) => s + c.dynamic, 0);
  const pTot = over.reduce((s, c) => s + c.total, 0);
  const trainable = layers.reduce((s, c) => s + c.trainable, 0);
  const denseEquivalent = layers.reduce((s, c) => s + (c.kind.startsWith('predicted') ? c.total + c.bias : c.trainable), 0);
  return {
    layers,
    paper: {
      convention: 'paper',
      description: 'Σ n_α·n_h / Σ n_v·n_h over the predicted layers (softmax layer and biases excluded; original report script)',
      dynamic: pDyn, total: pTot, fraction: pTot > 0 ? pDyn / pTot : 1,
    },
    wholeNetwork: {
      convention: 'whole-network',
      description: 'all trainable parameters (biases and softmax included) / the same network with dense layers in place of predicted ones',
      trainable, denseEquivalent, fraction: denseEquivalent > 0 ? trainable / denseEquivalent : 1,
    },
  };
}
