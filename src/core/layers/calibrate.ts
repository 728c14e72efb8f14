/**
 * Data calibration of predicted layers (METHOD.md §2, CIFAR note): layer by layer, rescale V so that
 * the predicted layer's pre-activation std on a sample equals that of a dense layer of the same shape
 * with glorot-uniform weights, then feed the sample on with the rescaled layer.
 */
import * as tf from '@tensorflow/tfjs';
import { check } from '../errors.js';
import { rng } from '../rng.js';
import { PredictedDense } from './predicted_dense.js';
import { PredictedConv2D } from './predicted_conv2d.js';

export interface CalibrationStep {
  layer: string;
  /** The factor V was multiplied by: std(dense reference) / std(predicted). */
  factor: number;
}

function glorot(shape: number[], fanIn: number, fanOut: number, seed: number, name: string): tf.Tensor {
  const lim = Math.sqrt(6 / (fanIn + fanOut));
  const r = rng(seed).fork('calibrate').fork(name);
  const n = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = (2 * r.uniform() - 1) * lim;
  return tf.tensor(v, shape);
}

const std = (t: tf.Tensor) => tf.tidy(() => Math.sqrt(tf.moments(t).variance.dataSync()[0]));

/**
 * Rescales V of every predicted layer of a sequential chain of layers (model.layers in order) on
 * `sample` (a batch of model inputs). Returns the factors, one per predicted layer.
 */
export function calibrateScale(model: tf.LayersModel, sample: tf.Tensor, opts: { seed?: number } = {}): CalibrationStep[] {
  const fn = 'calibrateScale';
  check(sample.rank >= 2 && sample.shape[0] > 1, fn, 'a sample batch of at least 2 rows', sample);
  const seed = opts.seed ?? 0;
  const steps: CalibrationStep[] = [];
  let x = sample.clone();
  for (const layer of model.layers) {
    if (layer.getClassName() === 'InputLayer') continue;
    if (layer instanceof PredictedDense || layer instanceof PredictedConv2D) {
      const factor = tf.tidy(() => {
        let pred: tf.Tensor, ref: tf.Tensor;
        if (layer instanceof PredictedDense) {
          const x2 = tf.reshape(x, [-1, layer.nIn]) as tf.Tensor2D;
          pred = layer.linear(x2, 'complete');
          ref = tf.matMul(x2, glorot([layer.nIn, layer.units], layer.nIn, layer.units, seed, layer.name) as tf.Tensor2D);
        } else {
          const [kh, kw] = layer.kernelSize;
          pred = layer.linear(x as tf.Tensor4D, 'complete');
          const w = glorot([kh, kw, layer.cIn, layer.filters], kh * kw * layer.cIn, kh * kw * layer.filters, seed, layer.name);
          ref = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, layer.strides, layer.padding, 'NHWC', layer.dilationRate);
        }
        const sp = std(pred);
        return sp > 0 ? std(ref) / sp : 1;
      });
      const v = layer.weightsByRole.V;
      tf.tidy(() => {
        v.write(tf.mul(v.read(), factor));
      });
      steps.push({ layer: layer.name, factor });
    }
    const next = tf.tidy(() => layer.apply(x) as tf.Tensor);
    x.dispose();
    x = next;
  }
  x.dispose();
  return steps;
}
