/**
 * Transpose, float32 of rank ≤ 6 (other dtypes and ranks go to the cpu kernel):
 * out.shape[k] = x.shape[perm[k]], out[j] = x[i] with i[perm[k]] = j[k] (native/src/transpose.cc).
 */
import * as tf from '@tensorflow/tfjs';
import type { NativeBackend } from '../native_backend.js';
import type { KernelArgs } from './broadcast.js';
import { cpuKernel } from './cpu.js';

const MAX_RANK = 6;

const cpu = cpuKernel(tf.Transpose);

function transpose(args: KernelArgs<NativeBackend>): tf.TensorInfo {
  const { x } = args.inputs as { x: tf.TensorInfo };
  const perm = args.attrs?.perm as number[] | undefined;
  const rank = x.shape.length;
  if (
    x.dtype !== 'float32' || rank > MAX_RANK || !perm || perm.length !== rank ||
    perm.some((p) => !Number.isInteger(p) || p < 0 || p >= rank) || tf.util.sizeFromShape(x.shape) === 0
  ) return cpu(args as never);
  const be = args.backend;
  const xv = be.f32(x);
  const shape = perm.map((p) => x.shape[p]);
  return be.makeOutputFromPool(shape, (out) => be.addon.transpose(xv, out, Int32Array.from(x.shape), Int32Array.from(perm)));
}

export const transposeKernels: tf.KernelConfig[] = [
  { kernelName: tf.Transpose, backendName: 'native', kernelFunc: transpose as unknown as tf.KernelFunc },
];
