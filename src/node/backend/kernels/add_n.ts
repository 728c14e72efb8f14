/** AddN of float32 tensors (same shape, as TF.js requires): out = Σ inputs in one pass; other dtypes go to the cpu kernel. */
import * as tf from '@tensorflow/tfjs';
import type { NativeBackend } from '../native_backend.js';
import type { KernelArgs } from './broadcast.js';
import { cpuKernel } from './cpu.js';

const cpuAddN = cpuKernel(tf.AddN);

function addN(args: KernelArgs<NativeBackend>): tf.TensorInfo {
  const xs = args.inputs as unknown as tf.TensorInfo[];
  if (xs.length === 0 || xs.some((t) => t.dtype !== 'float32') || tf.util.sizeFromShape(xs[0].shape) === 0) return cpuAddN(args as never);
  const be = args.backend;
  const vals = xs.map((t) => be.f32(t));
  return be.makeOutputFromPool(xs[0].shape, (out) => be.addon.addN(vals, out));
}

export const addNKernels: tf.KernelConfig[] = [
  { kernelName: tf.AddN, backendName: 'native', kernelFunc: addN as unknown as tf.KernelFunc },
];
