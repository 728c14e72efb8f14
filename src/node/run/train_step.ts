/**
 * One optimizer step and batched evaluation. The loss is the mean cross-entropy of the softmax output
 * (on logits when the last layer has no softmax), plus (wd/2)·Σ‖K‖² over trainable kernels (rank ≥ 2).
 */
import * as tf from '@tensorflow/tfjs';
import { softmaxCrossEntropy } from '../../core/train/losses.js';
import { PredictedLayer } from '../../core/layers/predicted_layer.js';
import { MaxColumnNorm, applyConstraints, kernelColumnAxes, setWeightConstraint } from '../../core/layers/max_column_norm.js';
import type { Split } from './data.js';

/** Whether the model's last layer applies softmax (then the output is probabilities, not logits). */
export function outputsProbabilities(model: tf.LayersModel): boolean {
  const last = model.layers[model.layers.length - 1];
  const act = (last?.getConfig() as { activation?: unknown }).activation;
  return act === 'softmax';
}

/**
 * Makes a softmax output layer emit logits (its activation set to linear), so that the loss is computed
 * stably from logits: tf.metrics.categoricalCrossentropy clips probabilities to [ε, 1−ε], which hides a
 * diverged network behind a finite loss of ≈ −log ε. Argmax (accuracy) is unchanged. Returns whether the
 * output is now logits; false leaves a softmax that could not be unwrapped (loss on clipped probabilities).
 */
export function softmaxToLogits(model: tf.LayersModel): boolean {
  if (!outputsProbabilities(model)) return true;
  const last = model.layers[model.layers.length - 1] as unknown as { activation?: { getClassName(): string } };
  if (!last.activation || last.activation.getClassName() !== 'softmax') return false;
  // the Activation layer's own linear activation object (tf.layers exports no other handle to it)
  last.activation = (tf.layers.activation({ activation: 'linear' }) as unknown as { activation: { getClassName(): string } }).activation;
  return last.activation.getClassName() === 'linear';
}

/** Mean cross-entropy of outputs `out` (probabilities or logits; logits through parampred's fused op) against one-hot `y`. */
export function crossEntropy(out: tf.Tensor, y: tf.Tensor, probs: boolean): tf.Scalar {
  if (probs) return tf.metrics.categoricalCrossentropy(y, out).mean() as tf.Scalar;
  return softmaxCrossEntropy(y, out);
}

/** Copies rows `idx[from..to)` of `split` into a batch: x (b × d) and y one-hot (b × classes). */
export function gatherBatch(split: Split, d: number, classes: number, idx: Int32Array, from: number, to: number): { x: tf.Tensor2D; y: tf.Tensor2D; labels: tf.Tensor1D } {
  const b = to - from;
  const xs = new Float32Array(b * d);
  const ys = new Float32Array(b * classes);
  const ls = new Int32Array(b);
  for (let i = 0; i < b; i++) {
    const r = idx[from + i];
    xs.set(split.x.subarray(r * d, (r + 1) * d), i * d);
    ys[i * classes + split.y[r]] = 1;
    ls[i] = split.y[r];
  }
  return { x: tf.tensor2d(xs, [b, d]), y: tf.tensor2d(ys, [b, classes]), labels: tf.tensor1d(ls, 'int32') };
}

function reshapeInput(x: tf.Tensor2D, inputShape: number[] | null): tf.Tensor {
  return inputShape ? x.reshape([x.shape[0], ...inputShape]) : x;
}

export interface StepResult {
  loss: number;
  correct: number;
}

/** One step: forward, loss, backward, optimizer update, then the constraints of `o.constrained` (constrainColumns). */
export function trainStep(
  model: tf.LayersModel, optimizer: tf.Optimizer, vars: tf.Variable[], batch: { x: tf.Tensor2D; y: tf.Tensor2D; labels: tf.Tensor1D },
  o: { probs: boolean; weightDecay: number; constrained: readonly tf.LayerVariable[]; modelInputShape: number[] | null },
): StepResult {
  let ce: tf.Scalar | undefined;
  let correct: tf.Scalar | undefined;
  const total = optimizer.minimize(() => {
    const out = model.apply(reshapeInput(batch.x, o.modelInputShape), { training: true }) as tf.Tensor;
    const c = crossEntropy(out, batch.y, o.probs);
    ce = tf.keep(c);
    correct = tf.keep(tf.equal(tf.argMax(out, 1), batch.labels).sum());
    if (o.weightDecay <= 0) return c;
    const penalty = tf.addN(vars.filter((v) => v.rank >= 2).map((v) => tf.square(v).sum())) as tf.Scalar;
    return c.add(penalty.mul(o.weightDecay / 2)) as tf.Scalar;
  }, true, vars);
  if (total !== ce) total?.dispose(); // without weight decay the cost is ce itself
  if (o.constrained.length) applyConstraints(o.constrained);
  const loss = ce!.dataSync()[0];
  const nCorrect = correct!.dataSync()[0];
  ce!.dispose();
  correct!.dispose();
  return { loss, correct: nCorrect };
}

/**
 * Attaches the max-column-norm constraint (MaxColumnNorm) to every trainable kernel of `model`: a
 * predicted layer's V over the layer's own column axes (PredictedLayer.setMaxColumnNorm), any other
 * kernel (rank ≥ 2) over every axis but the last (the output unit). Null attaches nothing. Returns the
 * trainable weights that carry a constraint (trainStep applies them after every step).
 */
export function constrainColumns(model: tf.LayersModel, max: number | null): tf.LayerVariable[] {
  if (max !== null) {
    for (const layer of model.layers) {
      if (layer instanceof PredictedLayer) layer.setMaxColumnNorm(max);
      else for (const w of layer.trainableWeights) if (w.shape.length >= 2) setWeightConstraint(w, new MaxColumnNorm({ maxValue: max, axes: kernelColumnAxes(w.shape.length) }));
    }
  }
  return model.trainableWeights.filter((w) => w.constraint);
}

/** Mean loss and error (%) of `model` on `split`, in batches of `batchSize`. */
export function evaluate(model: tf.LayersModel, split: Split, d: number, classes: number, o: { probs: boolean; modelInputShape: number[] | null; batchSize?: number }): { loss: number; error: number } {
  const bs = o.batchSize ?? 1000;
  let lossSum = 0;
  let correct = 0;
  const idx = Int32Array.from({ length: split.n }, (_, i) => i);
  for (let from = 0; from < split.n; from += bs) {
    const to = Math.min(split.n, from + bs);
    const b = gatherBatch(split, d, classes, idx, from, to);
    const [l, c] = tf.tidy(() => {
      const out = model.apply(reshapeInput(b.x, o.modelInputShape), { training: false }) as tf.Tensor;
      return [crossEntropy(out, b.y, o.probs).mul(to - from), tf.equal(tf.argMax(out, 1), b.labels).sum()];
    });
    lossSum += l.dataSync()[0];
    correct += c.dataSync()[0];
    tf.dispose([l, c, b.x, b.y, b.labels]);
  }
  return { loss: lossSum / split.n, error: (100 * (split.n - correct)) / split.n };
}
