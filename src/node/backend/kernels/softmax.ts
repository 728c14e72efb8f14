/** Softmax along the last axis, float32: out = exp(x − max) / Σ exp(x − max); other cases go to the cpu kernel. */
import * as tf from '@tensorflow/tfjs';
import type { NativeBackend } from '../native_backend.js';
import type { KernelArgs } from './broadcast.js';
import { cpuKernel } from './cpu.js';

const cpuSoftmax = cpuKernel(tf.Softmax);

function softmax(args: KernelArgs<NativeBackend>): tf.TensorInfo {
  const { logits } = args.inputs as { logits: tf.TensorInfo };
  const { dim } = args.attrs as unknown as tf.SoftmaxAttrs;
  const rank = logits.shape.length;
  const size = tf.util.sizeFromShape(logits.shape);
  if (logits.dtype !== 'float32' || rank === 0 || size === 0 || (dim !== -1 && dim !== rank - 1)) return cpuSoftmax(args as never);
  const be = args.backend;
  const n = logits.shape[rank - 1];
  const xv = be.f32(logits);
  return be.makeOutputFromPool(logits.shape, (out) => be.addon.softmax(xv, out, size / n, n));
}

export const softmaxKernels: tf.KernelConfig[] = [
  { kernelName: tf.Softmax, backendName: 'native', kernelFunc: softmax as unknown as tf.KernelFunc },
];
