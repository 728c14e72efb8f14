/**
 * _FusedMatMul: act(op(a)·op(b) + bias) natively, the epilogue as oneDNN post-ops of the product where
 * it can be (all TF.js activations but prelu), else a second native pass. Bias or PReLU weights that
 * are not per-column or scalar go to the cpu kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { NativeBackend } from '../native_backend.js';
import { cpuKernel } from './cpu.js';
import { fusedArgs } from './conv_util.js';
import { nativeMatMul } from './matmul.js';

type Args = { inputs: tf.NamedTensorInfoMap; backend: NativeBackend; attrs?: tf.NamedAttrMap };
type Inputs = { a: tf.TensorInfo; b: tf.TensorInfo; bias?: tf.TensorInfo; preluActivationWeights?: tf.TensorInfo };
const cpuFusedMatMul = cpuKernel(tf._FusedMatMul);

function fusedMatMul(args: Args): tf.TensorInfo {
  const { a, b, bias, preluActivationWeights } = args.inputs as unknown as Inputs;
  const { transposeA, transposeB, activation, leakyreluAlpha } = args.attrs as unknown as tf._FusedMatMulAttrs;
  const be = args.backend;
  const n = transposeB ? b.shape[b.shape.length - 2] : b.shape[b.shape.length - 1];
  const f = fusedArgs(be, n, bias, preluActivationWeights, activation, leakyreluAlpha);
  const y = f && nativeMatMul(be, a, b, transposeA, transposeB, f);
  if (!y) return cpuFusedMatMul(args);
  return y;
}

export const fusedMatmulKernels: tf.KernelConfig[] = [
  { kernelName: tf._FusedMatMul, backendName: 'native', kernelFunc: fusedMatMul as unknown as tf.KernelFunc },
];
