/**
 * Element-wise unary kernels, float32 only (other dtypes go to the cpu kernel): Relu, Step(alpha),
 * Neg, Exp, Log, Sqrt, Square, Rsqrt, Abs, Sigmoid, Tanh, Reciprocal, Elu, LeakyRelu(alpha), Relu6,
 * Softplus.
 */
import * as tf from '@tensorflow/tfjs';
import type { NativeBackend } from '../native_backend.js';
import type { KernelArgs } from './broadcast.js';
import { cpuKernel } from './cpu.js';

/** Opcodes of native/src/eltwise.cc (enum UnOp). */
export const UNARY_OPS = {
  [tf.Relu]: 0, [tf.Step]: 1, [tf.Neg]: 2, [tf.Exp]: 3, [tf.Log]: 4, [tf.Sqrt]: 5, [tf.Square]: 6, [tf.Rsqrt]: 7,
  [tf.Abs]: 8, [tf.Sigmoid]: 9, [tf.Tanh]: 10, [tf.Reciprocal]: 11, [tf.Elu]: 12, [tf.LeakyRelu]: 13, [tf.Relu6]: 14,
  [tf.Softplus]: 15,
} as const;

function unaryKernel(name: keyof typeof UNARY_OPS): tf.KernelConfig {
  const cpu = cpuKernel(name);
  const op = UNARY_OPS[name];
  const kernelFunc = (args: KernelArgs<NativeBackend>): tf.TensorInfo => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype !== 'float32' || tf.util.sizeFromShape(x.shape) === 0) return cpu(args as never);
    const be = args.backend;
    const xv = be.f32(x);
    const alpha = (args.attrs?.alpha as number | undefined) ?? 0;
    return be.makeOutputFromPool(x.shape, (out) => be.addon.unary(op, xv, out, alpha));
  };
  return { kernelName: name, backendName: 'native', kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}

export const unaryKernels: tf.KernelConfig[] = (Object.keys(UNARY_OPS) as (keyof typeof UNARY_OPS)[]).map(unaryKernel);
