/**
 * _FusedMatMul: act(op(a)·op(b) + bias) with sgemm and a native bias/activation epilogue (all TF.js
 * activations). Bias or PReLU weights that are not per-column or scalar go to the cpu kernel.
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
  const y = f && nativeMatMul(be, a, b, transposeA, transposeB);
  if (!f || !y) return cpuFusedMatMul(args);
  if (f.bias || f.act !== 0) {
    const yv = be.data.get(y.dataId).values as Float32Array;
    be.addon.biasAct(yv, yv.length / n, n, f.bias, f.act, f.alpha, f.prelu);
  }
  return y;
}

export const fusedMatmulKernels: tf.KernelConfig[] = [
  { kernelName: tf._FusedMatMul, backendName: 'native', kernelFunc: fusedMatMul as unknown as tf.KernelFunc },
];
