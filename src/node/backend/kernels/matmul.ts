/**
 * BatchMatMul on oneDNN: single products (and stacked rows times one matrix) on the matmul primitive,
 * other batches on sgemm; any transposes, any batch broadcasting; non-float32 goes to the cpu kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { NativeBackend } from '../native_backend.js';
import { cpuKernel } from './cpu.js';
import { bf16Active } from '../precision.js';

type Args = { inputs: tf.NamedTensorInfoMap; backend: NativeBackend; attrs?: tf.NamedAttrMap };
const cpuBatchMatMul = cpuKernel(tf.BatchMatMul);
const prod = (s: number[]): number => s.reduce((x, y) => x * y, 1);
const PRELU = 6; // conv_util.ts ACTIVATION.prelu: applied after the product, never as a post-op
/**
 * In bf16 precision, products with a shorter inner dimension stay fp32: oneDNN's AMX kernels take k in
 * steps of 32 bf16 values, and 128×10·(500×10)ᵀ (k = 10) ran 1.4× slower in bf16 than in fp32.
 */
export const BF16_MIN_K = 32;

/** Element offsets of each output batch's matrix in an operand with batch dims `dims` broadcast to `outer`. */
function batchOffsets(dims: number[], outer: number[], matSize: number): Int32Array {
  const batch = prod(outer);
  const offs = new Int32Array(batch);
  const n = dims.length;
  if (prod(dims) === batch) {
    for (let i = 0; i < batch; i++) offs[i] = i * matSize;
    return offs;
  }
  if (prod(dims) === 1) return offs;
  const pad = outer.length - n;
  const strides = new Array<number>(n);
  for (let d = n - 1, s = matSize; d >= 0; d--) {
    strides[d] = dims[d] === 1 ? 0 : s;
    s *= dims[d];
  }
  for (let i = 0; i < batch; i++) {
    let rem = i, off = 0;
    for (let d = outer.length - 1; d >= 0; d--) {
      const idx = rem % outer[d];
      rem = Math.floor(rem / outer[d]);
      if (d >= pad) off += idx * strides[d - pad];
    }
    offs[i] = off;
  }
  return offs;
}

/** Bias and activation applied to a product's rows (codes of conv_util.ts ACTIVATION). */
export interface Epilogue { bias: Float32Array | null; act: number; alpha: number; prelu: Float32Array | null }

/**
 * [...outer, m, n] = act(op(a)·op(b) + bias) natively (epilogue optional); null when not float32 or
 * empty (callers delegate). In bf16 precision (precision.ts) single and stacked-row products with
 * k ≥ BF16_MIN_K take bf16 copies of a and b (cached per array, BufferPool.bf16); batches stay fp32. The epilogue runs inside the matmul primitive where oneDNN has it as a
 * post-op, else as a second pass (biasAct).
 */
export function nativeMatMul(
  be: NativeBackend, a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean, transposeB: boolean, epi?: Epilogue,
): tf.TensorInfo | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const ra = a.shape.length, rb = b.shape.length;
  const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
  const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  if (k !== kb || m * n * k === 0) return null; // the cpu kernel raises TF.js's own error / handles empties
  const dimsA = a.shape.slice(0, -2), dimsB = b.shape.slice(0, -2);
  const outer = tf.broadcast_util.assertAndGetBroadcastShape(dimsA, dimsB);
  const batch = prod(outer);
  const av = be.f32(a), bv = be.f32(b);
  const lda = transposeA ? m : k, ldb = transposeB ? k : n;
  const bias = epi?.bias ?? null, act = epi?.act ?? 0, alpha = epi?.alpha ?? 0;
  const inPrimitive = act !== PRELU;
  const bf16 = inPrimitive && k >= BF16_MIN_K && bf16Active();
  return be.makeOutputFromPool([...outer, m, n], (out) => {
    let done = false;
    if (batch === 1) {
      done = bf16 && be.addon.matmulBf16(transposeA, transposeB, m, n, k, be.bf16(av, 0), be.bf16(bv, 1), out, bias, act, alpha);
      done ||= inPrimitive && be.addon.matmul(transposeA, transposeB, m, n, k, av, bv, out, bias, act, alpha);
      if (!done) be.addon.sgemm(transposeA, transposeB, m, n, k, 1, av, lda, bv, ldb, 0, out, n);
    } else if (prod(dimsB) === 1 && !transposeA && prod(dimsA) === batch) {
      // Stacked rows of A times one B: a single (batch·m)×k product.
      done = bf16 && be.addon.matmulBf16(false, transposeB, batch * m, n, k, be.bf16(av, 0), be.bf16(bv, 1), out, bias, act, alpha);
      done ||= inPrimitive && be.addon.matmul(false, transposeB, batch * m, n, k, av, bv, out, bias, act, alpha);
      if (!done) be.addon.sgemm(false, transposeB, batch * m, n, k, 1, av, k, bv, ldb, 0, out, n);
    } else {
      be.addon.sgemmBatched(transposeA, transposeB, m, n, k, av, batchOffsets(dimsA, outer, m * k), bv, batchOffsets(dimsB, outer, k * n), out);
    }
    if (!done && epi && (bias || act !== 0)) be.addon.biasAct(out, out.length / n, n, bias, act, alpha, epi.prelu);
  });
}

function batchMatMul(args: Args): tf.TensorInfo {
  const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
  return nativeMatMul(args.backend, a, b, transposeA, transposeB) ?? cpuBatchMatMul(args);
}

export const matmulKernels: tf.KernelConfig[] = [
  { kernelName: tf.BatchMatMul, backendName: 'native', kernelFunc: batchMatMul as unknown as tf.KernelFunc },
];
