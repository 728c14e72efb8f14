/**
 * The benchmark's models and training step, built the way a TF.js user would: tf.layers models, a
 * softmax cross-entropy loss and `optimizer.minimize`. PyTorch twins in pytorch_peer.py.
 */
import * as tf from '@tensorflow/tfjs';

/** 784-500-500-10 ReLU MLP. */
export function mlp(): tf.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.dense({ inputShape: [784], units: 500, activation: 'relu' }));
  m.add(tf.layers.dense({ units: 500, activation: 'relu' }));
  m.add(tf.layers.dense({ units: 10 }));
  return m;
}

/** conv 48@8×8 (32×32×3 input) → 2×2 max-pool → conv 64@8×8 → conv 64@5×5 → dense 500 → dense 10; ReLU, valid padding. */
export function convnet(): tf.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [32, 32, 3], filters: 48, kernelSize: 8, activation: 'relu' }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.conv2d({ filters: 64, kernelSize: 8, activation: 'relu' }));
  m.add(tf.layers.conv2d({ filters: 64, kernelSize: 5, activation: 'relu' }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 500, activation: 'relu' }));
  m.add(tf.layers.dense({ units: 10 }));
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

/** One training step: forward, softmax cross-entropy, backward and the optimizer's update. */
export function trainingStep(model: tf.LayersModel, opt: tf.Optimizer, x: tf.Tensor, y: tf.Tensor): () => void {
  return () => {
    opt.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar);
  };
}
