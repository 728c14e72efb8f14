/**
 * What the conv approximations (separable, monochromatic, bicluster; docs/method.md §3) read from a
 * trained Conv2D: its kernel W (kh × kw × C × F, TF.js HWIO: W[y, x, c, f] at ((y·kw + x)·C + c)·F + f, as
 * float64), bias, activation, strides and padding, the output grid H′ × W′, and the checks they share
 * (channels-last, dilation 1).
 */
import type * as tf from '@tensorflow/tfjs';
import { ParampredError } from '../errors.js';

/** A Conv2D's kernel, geometry and output grid for one example of a given input shape. */
export interface ConvGeometry {
  kh: number;
  kw: number;
  /** Input channels C and filters F. */
  c: number;
  f: number;
  /** W in HWIO order (file doc), float64. */
  w: Float64Array;
  bias: tf.Tensor | undefined;
  activation: string;
  strides: [number, number];
  padding: 'valid' | 'same';
  /** Output grid H′ × W′ and the input grid H × W. */
  outH: number;
  outW: number;
  inH: number;
  inW: number;
}

const pair = (v: unknown): [number, number] => (Array.isArray(v) ? [v[0], v[1] ?? v[0]] : [v as number, v as number]);

/** The kernel and geometry of `layer` (a built Conv2D) on inputs of shape `inputShape`; errors name `method`. */
export function convGeometry(layer: tf.layers.Layer, inputShape: readonly number[], method: string, fn: string): ConvGeometry {
  const config = layer.getConfig();
  if ((config.dataFormat ?? 'channelsLast') !== 'channelsLast') throw new ParampredError(fn, `expected a channelsLast Conv2D for method '${method}', got dataFormat ${String(config.dataFormat)} in layer '${layer.name}'`);
  const dilation = pair(config.dilationRate ?? 1);
  if (dilation[0] !== 1 || dilation[1] !== 1) throw new ParampredError(fn, `expected dilationRate 1 for method '${method}', got [${dilation.join(', ')}] in layer '${layer.name}'`);
  const padding = config.padding as string;
  if (padding !== 'valid' && padding !== 'same') throw new ParampredError(fn, `expected padding 'valid' or 'same' for method '${method}', got '${padding}' in layer '${layer.name}'`);
  const [kernel, bias] = layer.getWeights();
  const [kh, kw, c, f] = kernel.shape;
  const out = layer.computeOutputShape([null, ...inputShape]) as number[];
  return {
    kh, kw, c, f, bias, padding,
    w: Float64Array.from(kernel.dataSync()),
    activation: (config.activation as string | undefined) ?? 'linear',
    strides: pair(config.strides ?? 1),
    outH: out[1], outW: out[2], inH: inputShape[0], inW: inputShape[1],
  };
}

/** ‖W − Ŵ‖_F and its ratio to ‖W‖_F (0 for a zero kernel), in float64. */
export function kernelError(w: Float64Array, approx: Float64Array): { frobenius: number; relative: number } {
  let e = 0, n = 0;
  for (let i = 0; i < w.length; i++) {
    e += (w[i] - approx[i]) ** 2;
    n += w[i] * w[i];
  }
  return { frobenius: Math.sqrt(e), relative: n > 0 ? Math.sqrt(e / n) : 0 };
}
