/**
 * Data calibration of predicted layers (docs/method.md §2, CIFAR note): layer by layer, rescale V so that
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

/** The dense layer a predicted layer's output scale is matched to: i.i.d. weights of variance 2/(n_v+n_h) (Glorot) or 2/n_v (He). */
export type CalibrationReference = 'glorot' | 'he';
export const calibrationReferences = ['glorot', 'he'] as const;

/** The weight variance of the reference dense layer with fan-in `nIn` and fan-out `nOut`. */
export function referenceVariance(reference: CalibrationReference, nIn: number, nOut: number): number {
  return reference === 'he' ? 2 / nIn : 2 / (nIn + nOut);
}

/**
 * Rescales each column's V_j of a PredictedDense (docs/method.md §2, "initialisation") so that on the
 * sample x (rows × n_v) the mean square of the column's pre-activations x·U_jV_j equals σ²·E‖x‖², which
 * is the same moment of a dense layer whose weights are i.i.d. with variance σ² (the reference). V's
 * initialisation gives W = U·V a dense layer's entry variance, but smooth or data-fitted atoms add up
 * correlated inputs coherently, so without this the pre-activations start several times too large.
 * Returns the factor of each column (1 where the column's output is 0 on the sample).
 */
export function calibrateColumns(layer: PredictedDense, x: tf.Tensor2D, reference: CalibrationReference): number[] {
  const fn = 'calibrateColumns';
  check(layer.built && x.rank === 2 && x.shape[1] === layer.nIn && x.shape[0] >= 1, fn, `a built PredictedDense and a sample of rows × ${layer.nIn}`, x.shape);
  const J = layer.columns;
  const factors = tf.tidy(() => {
    const target = referenceVariance(reference, layer.nIn, layer.units) * tf.mean(tf.sum(tf.square(x), 1)).dataSync()[0];
    const pre = tf.reshape(layer.linear(x, 'complete'), [x.shape[0], J, layer.units / J]);
    const ms = tf.mean(tf.square(pre), [0, 2]).dataSync();
    return Array.from(ms, (m) => (m > 0 && target > 0 ? Math.sqrt(target / m) : 1));
  });
  const v = layer.weightsByRole.V;
  tf.tidy(() => {
    v.write(tf.mul(v.read(), tf.tensor3d(factors, [J, 1, 1])));
  });
  return factors;
}

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
