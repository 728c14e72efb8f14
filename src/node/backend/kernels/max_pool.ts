/**
 * MaxPool (NHWC) on oneDNN pooling; MaxPoolGrad by parampred's own one-pass kernel, which routes dy
 * as the cpu kernel does (native/src/pool2d.cc). Non-float32, TF.js's 1×1 identity case (forward),
 * windows of padding only and a dy not of the output's shape go to the cpu kernel, and so do forward
 * windows with no value above −Infinity (all NaN/−Inf: oneDNN's forward would differ; the native code
 * declines).
 */
import * as tf from '@tensorflow/tfjs';
import type { NativeBackend } from '../native_backend.js';
import { cpuKernel } from './cpu.js';
import { hasShape, poolIsIdentity, poolParams } from './conv_util.js';

type Args = { inputs: tf.NamedTensorInfoMap; backend: NativeBackend; attrs?: tf.NamedAttrMap };
type Shape4 = [number, number, number, number];
const cpuMaxPool = cpuKernel(tf.MaxPool);
const cpuMaxPoolGrad = cpuKernel(tf.MaxPoolGrad);

function maxPool(args: Args): tf.TensorInfo {
  const { x } = args.inputs as { x: tf.TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as tf.MaxPoolAttrs;
  const info = tf.backend_util.computePool2DInfo(x.shape as Shape4, filterSize, strides, 1, pad, dimRoundingMode);
  const p = x.dtype === 'float32' && !poolIsIdentity(info) ? poolParams(info) : null;
  const be = args.backend;
  const xv = p && be.f32(x);
  return (p && xv && be.tryOutputFromPool(info.outShape, (y) => be.addon.pool2dForward(xv, y, p, 0))) ?? cpuMaxPool(args);
}

function maxPoolGrad(args: Args): tf.TensorInfo {
  const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as tf.MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(input.shape as Shape4, filterSize, strides, 1, pad, dimRoundingMode);
  // TF.js's MaxPool gradient passes no dimRoundingMode: after 'ceil' rounding dy is larger than the
  // output computed here, and the cpu kernel indexes it by its own shape.
  const p = input.dtype === 'float32' && dy.dtype === 'float32' && hasShape(dy, info.outShape) ? poolParams(info) : null;
  const be = args.backend;
  if (!p) return cpuMaxPoolGrad(args);
  const xv = be.f32(input), dyv = be.f32(dy);
  return be.tryOutputFromPool(input.shape, (dx) => be.addon.maxPool2dBackward(xv, dyv, dx, p)) ?? cpuMaxPoolGrad(args);
}

export const maxPoolKernels: tf.KernelConfig[] = [
  { kernelName: tf.MaxPool, backendName: 'native', kernelFunc: maxPool as unknown as tf.KernelFunc },
  { kernelName: tf.MaxPoolGrad, backendName: 'native', kernelFunc: maxPoolGrad as unknown as tf.KernelFunc },
];
