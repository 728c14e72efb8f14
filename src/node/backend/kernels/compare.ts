/**
 * Comparison kernels on float32 inputs with TF.js broadcasting: Equal, NotEqual, Less, LessEqual,
 * Greater, GreaterEqual → bool (Uint8Array values). Other dtypes go to the cpu kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { NativeBackend } from '../native_backend.js';
import type { KernelArgs } from './broadcast.js';
import { nativeBroadcast } from './binary.js';
import { cpuKernel } from './cpu.js';

/** Opcodes of native/src/eltwise.cc (enum BinOp, comparisons). */
export const COMPARE_OPS = {
  [tf.Equal]: 7, [tf.NotEqual]: 8, [tf.Less]: 9, [tf.LessEqual]: 10, [tf.Greater]: 11, [tf.GreaterEqual]: 12,
} as const;

function compareKernel(name: keyof typeof COMPARE_OPS): tf.KernelConfig {
  const cpu = cpuKernel(name);
  const op = COMPARE_OPS[name];
  const kernelFunc = (args: KernelArgs<NativeBackend>): tf.TensorInfo => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const bc = nativeBroadcast(a, b);
    if (!bc) return cpu(args as never);
    const be = args.backend;
    const out = new Uint8Array(tf.util.sizeFromShape(bc.shape));
    be.addon.binary(op, be.f32(a), be.f32(b), out, bc.geo);
    return be.makeTensorInfo(bc.shape, 'bool', out);
  };
  return { kernelName: name, backendName: 'native', kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}

export const compareKernels: tf.KernelConfig[] = (Object.keys(COMPARE_OPS) as (keyof typeof COMPARE_OPS)[]).map(compareKernel);
