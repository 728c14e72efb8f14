/** BatchMatMul on oneDNN sgemm: any transposes, batch broadcasting; non-float32 goes to the cpu kernel. */
import * as tf from '@tensorflow/tfjs';
import type { NativeBackend } from '../native_backend.js';
import { cpuKernel } from './cpu.js';

const cpuBatchMatMul = cpuKernel(tf.BatchMatMul);

function batchMatMul(args: { inputs: tf.NamedTensorInfoMap; backend: NativeBackend; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return cpuBatchMatMul(args);
  const be = args.backend;
  const ra = a.shape.length, rb = b.shape.length;
  const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
  const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  if (k !== kb) return cpuBatchMatMul(args); // let the cpu kernel raise TF.js's own error
  const outer = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const batch = outer.reduce((x, y) => x * y, 1);
  const batchA = a.shape.slice(0, -2).reduce((x, y) => x * y, 1);
  const batchB = b.shape.slice(0, -2).reduce((x, y) => x * y, 1);
  // Broadcasting other than "same batch" or "one side has batch 1" goes to the cpu kernel.
  if (!(batchA === batch || batchA === 1) || !(batchB === batch || batchB === 1)) return cpuBatchMatMul(args);
  const av = be.f32(a), bv = be.f32(b);
  const lda = transposeA ? m : k, ldb = transposeB ? k : n;
  return be.makeOutputFromPool([...outer, m, n], (out) => {
    for (let i = 0; i < batch; i++) {
      const aOff = batchA === 1 ? 0 : i * m * k;
      const bOff = batchB === 1 ? 0 : i * k * n;
      be.addon.sgemm(
        transposeA, transposeB, m, n, k, 1,
        av.subarray(aOff, aOff + m * k), lda, bv.subarray(bOff, bOff + k * n), ldb, 0,
        out.subarray(i * m * n, (i + 1) * m * n), n,
      );
    }
  });
}

export const matmulKernels: tf.KernelConfig[] = [
  { kernelName: tf.BatchMatMul, backendName: 'native', kernelFunc: batchMatMul as unknown as tf.KernelFunc },
];
