/**
 * AvgPool and AvgPoolGrad (NHWC) on oneDNN pooling. As in TF.js's cpu kernels, the forward averages
 * over the in-bounds part of each window and the gradient divides by the whole window (KH·KW).
 * Non-float32, TF.js's 1×1 identity case, windows of padding only and a dy not of the output's shape
 * go to the cpu kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { NativeBackend } from '../native_backend.js';
import { cpuKernel } from './cpu.js';
import { hasShape, poolIsIdentity, poolParams } from './conv_util.js';

type Args = { inputs: tf.NamedTensorInfoMap; backend: NativeBackend; attrs?: tf.NamedAttrMap };
type Shape4 = [number, number, number, number];
const cpuAvgPool = cpuKernel(tf.AvgPool);
const cpuAvgPoolGrad = cpuKernel(tf.AvgPoolGrad);

function avgPool(args: Args): tf.TensorInfo {
  const { x } = args.inputs as { x: tf.TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as tf.AvgPoolAttrs;
  const info = tf.backend_util.computePool2DInfo(x.shape as Shape4, filterSize, strides, 1, pad, dimRoundingMode);
  const p = x.dtype === 'float32' && !poolIsIdentity(info) ? poolParams(info) : null;
  const be = args.backend;
  const xv = p && be.f32(x);
  return (p && xv && be.tryOutputFromPool(info.outShape, (y) => be.addon.pool2dForward(xv, y, p, 1))) ?? cpuAvgPool(args);
}

function avgPoolGrad(args: Args): tf.TensorInfo {
  const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const { filterSize, strides, pad } = args.attrs as unknown as tf.AvgPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(input.shape as Shape4, filterSize, strides, 1, pad);
  // As for MaxPoolGrad: without dimRoundingMode, a 'ceil'-rounded forward's dy is larger than this output.
  const p = dy.dtype === 'float32' && hasShape(dy, info.outShape) ? poolParams(info) : null;
  const be = args.backend;
  const dyv = p && be.f32(dy);
  return (p && dyv && be.tryOutputFromPool(input.shape, (dx) => be.addon.avgPool2dBackward(dyv, dx, p, 2))) ?? cpuAvgPoolGrad(args);
}

export const avgPoolKernels: tf.KernelConfig[] = [
  { kernelName: tf.AvgPool, backendName: 'native', kernelFunc: avgPool as unknown as tf.KernelFunc },
  { kernelName: tf.AvgPoolGrad, backendName: 'native', kernelFunc: avgPoolGrad as unknown as tf.KernelFunc },
];
