/**
 * Conversions between dense and predicted layers (docs/method.md §1): `fromDense` / `fromConv2D` fit V to a
 * given kernel W for the layer's fixed U by ridge least squares, V_j = (U_jᵀU_j + λI)⁻¹U_jᵀW_j
 * (normal equations, Cholesky via ml-matrix); `merge` materialises W = UV into a plain tf.layers layer.
 */
import * as tf from '@tensorflow/tfjs';
import { dense } from './layers/dense.js';
import { ParampredError, check } from './errors.js';
import { mat, solveSpd, type Mat } from './linalg.js';
import type { DataMatrix } from './dictionaries/types.js';
import { PredictedDense } from './layers/predicted_dense.js';
import type { PredictedDenseArgs } from './layers/predicted_dense.js';
import { PredictedConv2D } from './layers/predicted_conv2d.js';
import type { PredictedConv2DArgs } from './layers/predicted_conv2d.js';

export interface ConvertOptions {
  /** Ridge λ relative to mean diag(U_jᵀU_j) (default 1e-6). */
  lambda?: number;
  /** Input sample for data-driven dictionaries. */
  data?: DataMatrix;
}

/**
 * Least-squares V for W (rows × cols, row-major float32) given U_j blocks of `u` (rows × J·a):
 * column block j of W (cols/J wide) is fit by U_j. Returns V as J × a × (cols/J).
 * With `sigma` (rows × rows, symmetric: the second moment E[xxᵀ] of the inputs W is applied to) the fit
 * minimises the error of the outputs instead of the kernel's, E‖xᵀ(U_jV_j − W_j)‖²:
 * V_j = (U_jᵀΣU_j + λI)⁻¹U_jᵀΣW_j (products through tf, the solve in float64).
 */
export function fitV(u: Float32Array, w: Float32Array, rows: number, cols: number, nAlpha: number, columns: number, lambda: number, sigma?: Float32Array): Float32Array {
  const J = columns, a = nAlpha, m = cols / J;
  const v = new Float32Array(J * a * m);
  if (sigma) {
    check(sigma.length === rows * rows, 'fitV', `sigma of ${rows}×${rows}`, sigma.length);
    for (let j = 0; j < J; j++) {
      const [utu, utw] = tf.tidy(() => {
        const uj = tf.tensor2d(u, [rows, J * a]).slice([0, j * a], [rows, a]);
        const wj = tf.tensor2d(w, [rows, cols]).slice([0, j * m], [rows, m]);
        const su = tf.matMul(tf.tensor2d(sigma, [rows, rows]), uj);
        return [tf.matMul(su, uj, true, false).dataSync() as Float32Array, tf.matMul(su, wj, true, false).dataSync() as Float32Array];
      });
      const A = mat(a, a, Float64Array.from(utu));
      for (let p = 0; p < a; p++) for (let q = 0; q < p; q++) A.data[p * a + q] = A.data[q * a + p] = (A.data[p * a + q] + A.data[q * a + p]) / 2;
      v.set(ridgeSolve(A, mat(a, m, Float64Array.from(utw)), lambda), j * a * m);
    }
    return v;
  }
  for (let j = 0; j < J; j++) {
    const utu = mat(a, a), utw = mat(a, m);
    for (let i = 0; i < rows; i++) {
      for (let p = 0; p < a; p++) {
        const up = u[i * J * a + j * a + p];
        if (up === 0) continue;
        for (let q = 0; q < a; q++) utu.data[p * a + q] += up * u[i * J * a + j * a + q];
        for (let k = 0; k < m; k++) utw.data[p * m + k] += up * w[i * cols + j * m + k];
      }
    }
    v.set(ridgeSolve(utu, utw, lambda), j * a * m);
  }
  return v;
}

/** X = (A + λ·mean(diag A)·I)⁻¹B for a symmetric A (a × a, changed in place); X as float32. */
function ridgeSolve(A: Mat, B: Mat, lambda: number): Float32Array {
  const a = A.rows;
  let diag = 0;
  for (let p = 0; p < a; p++) diag += A.data[p * a + p] / a;
  for (let p = 0; p < a; p++) A.data[p * a + p] += lambda * (diag > 0 ? diag : 1);
  return Float32Array.from(solveSpd(A, B).data);
}

type DenseSource = tf.layers.Layer | tf.Tensor2D;
type DenseOpts = Omit<PredictedDenseArgs, 'units' | 'inputShape' | 'batchInputShape'> & ConvertOptions;

/** A built PredictedDense whose V best reproduces a dense layer's (or matrix's) W; bias and activation carried over. */
export function fromDense(source: DenseSource, opts: DenseOpts): PredictedDense {
  const fn = 'fromDense';
  let w: tf.Tensor2D, bias: tf.Tensor | null = null, activation = opts.activation;
  if (source instanceof tf.Tensor) {
    check(source.rank === 2, fn, 'a kernel W of rank 2 (n_v × n_h)', source);
    w = source;
  } else {
    check(source.getClassName() === 'Dense' && source.built, fn, 'a built tf.layers.dense layer or a 2-D kernel', source.getClassName());
    const ws = source.getWeights();
    w = ws[0] as tf.Tensor2D;
    bias = ws[1] ?? null;
    activation ??= source.getConfig().activation as PredictedDenseArgs['activation'];
  }
  const [nIn, units] = w.shape;
  const { lambda = 1e-6, data, ...layerOpts } = opts;
  const layer = new PredictedDense({ ...layerOpts, units, activation, useBias: opts.useBias ?? bias !== null });
  layer.apply(tf.input({ shape: [nIn] }));
  if (layer.dataDriven) {
    if (!data) throw new ParampredError(fn, `expected opts.data for data-driven dictionary '${layer.dictionary.method}', got none`);
    layer.setDictionaryFromData(data);
  }
  fitLayerV(layer, w, bias, lambda);
  return layer;
}

type ConvSource = tf.layers.Layer | tf.Tensor4D;
type ConvOpts = Omit<PredictedConv2DArgs, 'filters' | 'kernelSize' | 'inputShape' | 'batchInputShape'> & ConvertOptions;

/** A built PredictedConv2D whose V best reproduces a conv layer's (or filter tensor's) W (kh, kw, c_in, c_out). */
export function fromConv2D(source: ConvSource, opts: ConvOpts): PredictedConv2D {
  const fn = 'fromConv2D';
  let w: tf.Tensor4D, bias: tf.Tensor | null = null;
  let extra: Partial<PredictedConv2DArgs> = {};
  if (source instanceof tf.Tensor) {
    check(source.rank === 4, fn, 'filters of rank 4 (kh, kw, c_in, c_out)', source);
    w = source;
  } else {
    check(source.getClassName() === 'Conv2D' && source.built, fn, 'a built tf.layers.conv2d layer or a 4-D filter tensor', source.getClassName());
    const ws = source.getWeights();
    w = ws[0] as tf.Tensor4D;
    bias = ws[1] ?? null;
    const c = source.getConfig();
    check(c.dataFormat === 'channelsLast', fn, "dataFormat 'channelsLast'", c.dataFormat);
    extra = { strides: c.strides as [number, number], padding: c.padding as 'valid' | 'same', dilationRate: c.dilationRate as [number, number], activation: c.activation as PredictedConv2DArgs['activation'] };
  }
  const [kh, kw, cIn, cOut] = w.shape;
  const { lambda = 1e-6, data, ...layerOpts } = opts;
  const layer = new PredictedConv2D({ ...extra, ...layerOpts, filters: cOut, kernelSize: [kh, kw], useBias: opts.useBias ?? bias !== null });
  layer.apply(tf.input({ shape: [null, null, cIn] as unknown as number[] }));
  if (layer.dataDriven) {
    if (!data) throw new ParampredError(fn, `expected opts.data for data-driven dictionary '${layer.dictionary.method}', got none`);
    layer.setDictionaryFromData(data);
  }
  fitLayerV(layer, w, bias, lambda);
  return layer;
}

/**
 * Sets a built predicted layer's V (and bias) so that U·V best reproduces the kernel `w` by ridge least
 * squares for the layer's own U (which must be ready): a dense kernel (n_in × units) for a PredictedDense,
 * filters (kh, kw, c_in, c_out) for a PredictedConv2D. `bias` null = zeros. Used by fromDense / fromConv2D
 * and by growing α (train/grow.ts). `sigma`: the fit of the outputs on inputs with this second moment
 * (fitV), n_in × n_in for a PredictedDense, (kh·kw·c_in)² for a conv over 'patch', (kh·kw)² for a conv over
 * 'positions' (one channel's window: its channels share U, so they share one Σ, averaged over channels).
 */
export function fitLayerV(layer: PredictedDense | PredictedConv2D, w: tf.Tensor, bias: tf.Tensor | null, lambda = 1e-6, sigma?: Float32Array): void {
  const fn = 'fitLayerV';
  check(layer.built, fn, 'a built layer', 'an unbuilt one');
  const { U, V, bias: b } = layer.weightsByRole;
  if (layer instanceof PredictedDense) {
    check(w.rank === 2 && w.shape[0] === layer.nIn && w.shape[1] === layer.units, fn, `a kernel of shape [${layer.nIn}, ${layer.units}]`, w);
    const units = layer.units;
    const v = fitV(U.read().dataSync() as Float32Array, w.dataSync() as Float32Array, layer.nIn, units, layer.nAlpha, layer.columns, lambda, sigma);
    tf.tidy(() => {
      V.write(tf.tensor3d(v, V.shape as [number, number, number]));
      if (b) b.write(bias ? bias.clone() : tf.zeros([units]));
    });
    return;
  }
  const [kh, kw] = layer.kernelSize;
  const cIn = layer.cIn, cOut = layer.filters;
  check(w.rank === 4 && w.shape[0] === kh && w.shape[1] === kw && w.shape[2] === cIn && w.shape[3] === cOut, fn, `filters of shape [${kh}, ${kw}, ${cIn}, ${cOut}]`, w);
  const J = layer.columns, a = layer.nAlpha, m = cOut / J, P = kh * kw;
  if (layer.over === 'patch') {
    // W is (kh·kw·c_in) × c_out in HWI-major order, U's row order: fit as a dense kernel, V [a, c_out]
    const vj = fitV(U.read().dataSync() as Float32Array, w.dataSync() as Float32Array, P * cIn, cOut, a, J, lambda, sigma);
    const v = new Float32Array(a * cOut);
    for (let j = 0; j < J; j++) for (let q = 0; q < a; q++) for (let k = 0; k < m; k++) v[q * cOut + j * m + k] = vj[(j * a + q) * m + k];
    tf.tidy(() => {
      V.write(tf.tensor2d(v, [a, cOut]));
      if (b) b.write(bias ? bias.clone() : tf.zeros([cOut]));
    });
    return;
  }
  // Reorder W (P, c_in, c_out) into column blocks (P, J·c_in·m) so fitV sees W_j = W[:, :, o ∈ j] contiguous.
  const wv = w.dataSync();
  const wj = new Float32Array(P * cIn * cOut);
  for (let p = 0; p < P; p++) for (let c = 0; c < cIn; c++) for (let o = 0; o < cOut; o++) {
    const j = Math.floor(o / m);
    wj[p * cIn * cOut + j * cIn * m + c * m + (o - j * m)] = wv[(p * cIn + c) * cOut + o];
  }
  const vj = fitV(U.read().dataSync() as Float32Array, wj, P, cIn * cOut, a, J, lambda, sigma);
  const v = new Float32Array(a * cIn * cOut);
  for (let j = 0; j < J; j++) for (let q = 0; q < a; q++) for (let c = 0; c < cIn; c++) for (let k = 0; k < m; k++) {
    v[(q * cIn + c) * cOut + j * m + k] = vj[(j * a + q) * cIn * m + c * m + k];
  }
  tf.tidy(() => {
    V.write(tf.tensor3d(v, [a, cIn, cOut]));
    if (b) b.write(bias ? bias.clone() : tf.zeros([cOut]));
  });
}

/** A built plain layer with W = UV materialised: a Dense (TF.js's, trained fused: layers/dense.ts) for PredictedDense, tf.layers.conv2d for PredictedConv2D. */
export function merge(layer: PredictedDense | PredictedConv2D): tf.layers.Layer {
  const fn = 'merge';
  check(layer instanceof PredictedDense || layer instanceof PredictedConv2D, fn, 'a PredictedDense or PredictedConv2D layer', (layer as tf.layers.Layer)?.getClassName?.());
  check(layer.built, fn, 'a built layer', 'an unbuilt one');
  const { bias } = layer.weightsByRole;
  const w = layer.composite();
  const weights = bias ? [w, bias.read().clone()] : [w];
  let out: tf.layers.Layer;
  if (layer instanceof PredictedDense) {
    out = dense({ units: layer.units, activation: layer.activation, useBias: layer.useBias });
    out.apply(tf.input({ shape: [layer.nIn] }));
  } else {
    out = tf.layers.conv2d({ filters: layer.filters, kernelSize: layer.kernelSize, strides: layer.strides, padding: layer.padding, dilationRate: layer.dilationRate, activation: layer.activation, useBias: layer.useBias });
    out.apply(tf.input({ shape: [null, null, layer.cIn] as unknown as number[] }));
  }
  out.setWeights(weights);
  tf.dispose(weights);
  return out;
}
