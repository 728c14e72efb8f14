/**
 * Element-wise binary kernels with TF.js broadcasting, float32 only: Add, Sub, Multiply, RealDiv,
 * Maximum, Minimum, SquaredDifference. Other dtypes, empty outputs and broadcasts that stay above 4
 * dims after merging go to the cpu kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { NativeBackend } from '../native_backend.js';
import { broadcastGeometry, type KernelArgs } from './broadcast.js';
import { cpuKernel } from './cpu.js';

/** Opcodes of native/src/eltwise.cc (enum BinOp). */
export const BINARY_OPS = {
  [tf.Add]: 0, [tf.Sub]: 1, [tf.Multiply]: 2, [tf.RealDiv]: 3, [tf.Maximum]: 4, [tf.Minimum]: 5, [tf.SquaredDifference]: 6,
} as const;

const geo = new Int32Array(12);

/** The output shape and geometry (in `geo`) of a native binary op, or null to delegate. */
export function nativeBroadcast(a: tf.TensorInfo, b: tf.TensorInfo): { shape: number[]; geo: Int32Array } | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const shape = sameShape(a.shape, b.shape) ? a.shape : tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
  if (tf.util.sizeFromShape(shape) === 0 || !broadcastGeometry(a.shape, b.shape, shape, geo)) return null;
  return { shape, geo };
}

function sameShape(x: number[], y: number[]): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

function binaryKernel(name: keyof typeof BINARY_OPS): tf.KernelConfig {
  const cpu = cpuKernel(name);
  const op = BINARY_OPS[name];
  const kernelFunc = (args: KernelArgs<NativeBackend>): tf.TensorInfo => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const bc = nativeBroadcast(a, b);
    if (!bc) return cpu(args as never);
    const be = args.backend;
    const av = be.f32(a), bv = be.f32(b);
    return be.makeOutputFromPool(bc.shape, (out) => be.addon.binary(op, av, bv, out, bc.geo));
  };
  return { kernelName: name, backendName: 'native', kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}

export const binaryKernels: tf.KernelConfig[] = (Object.keys(BINARY_OPS) as (keyof typeof BINARY_OPS)[]).map(binaryKernel);
