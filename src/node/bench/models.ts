/**
 * The benchmark's models and training step. `parampred` (the default) builds them the way parampred's
 * own models and trainer do: tf.layers models of parampred's Dense (TF.js's Dense trained through one
 * fused kernel, core/layers/dense.ts), parampred's fused softmax cross-entropy (core/train/losses.ts)
 * and `optimizer.minimize`. `tfjs` builds the same computation from stock tf.layers.dense and
 * tf.losses.softmaxCrossEntropy, as a plain TF.js user would. PyTorch twins in pytorch_peer.py.
 */
import * as tf from '@tensorflow/tfjs';
import { dense } from '../../core/layers/dense.js';
import { softmaxCrossEntropy } from '../../core/train/losses.js';

/** Whose dense layers and loss a model uses. */
export type Flavour = 'parampred' | 'tfjs';

const denseOf = (flavour: Flavour) => (flavour === 'parampred' ? dense : tf.layers.dense);

/** 784-500-500-10 ReLU MLP. */
export function mlp(flavour: Flavour = 'parampred'): tf.Sequential {
  const d = denseOf(flavour);
  const m = tf.sequential();
  m.add(d({ inputShape: [784], units: 500, activation: 'relu' }));
  m.add(d({ units: 500, activation: 'relu' }));
  m.add(d({ units: 10 }));
  return m;
}

/** conv 48@8×8 (32×32×3 input) → 2×2 max-pool → conv 64@8×8 → conv 64@5×5 → dense 500 → dense 10; ReLU, valid padding. */
export function convnet(flavour: Flavour = 'parampred'): tf.Sequential {
  const d = denseOf(flavour);
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [32, 32, 3], filters: 48, kernelSize: 8, activation: 'relu' }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.conv2d({ filters: 64, kernelSize: 8, activation: 'relu' }));
  m.add(tf.layers.conv2d({ filters: 64, kernelSize: 5, activation: 'relu' }));
  m.add(tf.layers.flatten());
  m.add(d({ units: 500, activation: 'relu' }));
  m.add(d({ units: 10 }));
  return m;
}

/** Random inputs of shape [batch, ...inShape] and one-hot labels over 10 classes, preloaded. */
export function randomBatch(batch: number, inShape: number[], seed: number): { x: tf.Tensor; y: tf.Tensor } {
  return tf.tidy(() => {
    const x = tf.randomNormal([batch, ...inShape], 0, 1, 'float32', seed);
    const y = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32', seed + 1), 10).asType('float32');
    return { x, y };
  });
}

/** One training step: forward, softmax cross-entropy (parampred's or TF.js's), backward and the optimizer's update. */
export function trainingStep(model: tf.LayersModel, opt: tf.Optimizer, x: tf.Tensor, y: tf.Tensor, flavour: Flavour = 'parampred'): () => void {
  const loss = flavour === 'parampred' ? softmaxCrossEntropy : (labels: tf.Tensor, logits: tf.Tensor) => tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
  return () => {
    opt.minimize(() => loss(y, model.apply(x, { training: true }) as tf.Tensor));
  };
}
