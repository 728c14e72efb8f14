/**
 * Cast of int32/bool to float32 into a real Float32Array (the cpu kernel keeps the integer array,
 * ENGINE.md); every other cast goes to the cpu kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { NativeBackend } from '../native_backend.js';
import type { KernelArgs } from './broadcast.js';
import { cpuKernel } from './cpu.js';

const cpuCast = cpuKernel(tf.Cast);

function cast(args: KernelArgs<NativeBackend>): tf.TensorInfo {
  const { x } = args.inputs as { x: tf.TensorInfo };
  const { dtype } = args.attrs as unknown as tf.CastAttrs;
  const be = args.backend;
  const xv = be.data.get(x.dataId).values;
  if (dtype !== 'float32' || !(xv instanceof Int32Array || xv instanceof Uint8Array) || (x.dtype !== 'int32' && x.dtype !== 'bool')) {
    return cpuCast(args as never);
  }
  return be.makeOutputFromPool(x.shape, (out) => be.addon.castToFloat(xv, out));
}

export const castKernels: tf.KernelConfig[] = [
  { kernelName: tf.Cast, backendName: 'native', kernelFunc: cast as unknown as tf.KernelFunc },
];
