/**
 * The native addon's whole surface (native/src/*.cc). Every array argument is a view that JS owns;
 * outputs are written in place. Load with `loadAddon()`; null when it is not built.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageRoot } from '../package_root.js';

export interface NativeAddon {
  setNumThreads(n: number): void;
  getNumThreads(): number;
  /** Element count from which element-wise loops use all threads (n > 0 sets it); returns the previous value. */
  setParMin(n: number): number;
  version(): { dnnl: string; cpuRuntime: string };
  /** C = alpha·op(A)·op(B) + beta·C, row-major (oneDNN dnnl_sgemm). */
  sgemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    a: Float32Array, lda: number, b: Float32Array, ldb: number, beta: number, c: Float32Array, ldc: number,
  ): void;
  /**
   * C (m×n, contiguous) = act(op(A)·op(B) + bias) on oneDNN's matmul primitive, bias of n values,
   * act codes of conv_util.ts ACTIVATION but prelu; false: not supported (matmul.cc).
   */
  matmul(
    transA: boolean, transB: boolean, m: number, n: number, k: number,
    a: Float32Array, b: Float32Array, c: Float32Array, bias: Float32Array | null, act: number, alpha: number,
  ): boolean;
  /** As matmul with a and b in bf16 (float32 accumulation and output); false: not supported (matmul.cc). */
  matmulBf16(
    transA: boolean, transB: boolean, m: number, n: number, k: number,
    a: Uint16Array, b: Uint16Array, c: Float32Array, bias: Float32Array | null, act: number, alpha: number,
  ): boolean;
  /** oneDNN's implementation string for that plain product in fp32 or bf16, '' if none (matmul.cc). */
  matmulImpl(transA: boolean, transB: boolean, m: number, n: number, k: number, bf16: boolean): string;
  /** dst = bf16(src), round to nearest even, subnormals to ±0 (vcvtneps2bf16), dst.length elements (bf16.cc). */
  toBf16(src: Float32Array, dst: Uint16Array): void;
  /** CPUID bf16 flags, oneDNN's effective ISA and its bf16 matmul implementation (bf16.cc). */
  bf16Info(): { avx512bf16: boolean; amxbf16: boolean; isa: string; matmulImpl: string };
  /** out = op(a, b) over a collapsed 4-d broadcast; geo = [d0..d3, strides of a, strides of b] (eltwise.cc). */
  binary(op: number, a: Float32Array, b: Float32Array, out: Float32Array | Uint8Array, geo: Int32Array): void;
  /** out[i] = op(x[i]); alpha for Step/LeakyRelu (eltwise.cc). */
  unary(op: number, x: Float32Array, out: Float32Array, alpha: number): void;
  /** out = Σ xs (same lengths) (eltwise.cc). */
  addN(xs: Float32Array[], out: Float32Array): void;
  /**
   * out = c·grad + value: TF.js SGD's update, one pass (fused_train.cc). out16 (this and the other
   * updates): also write bf16(new value) there, in the same pass (bf16 precision's weight copy).
   */
  sgdUpdate(value: Float32Array, grad: Float32Array, out: Float32Array, c: number, out16?: Uint16Array): void;
  /** TF.js momentum's update of value and accumulation in one pass, c = −lr, m = momentum (fused_train.cc). */
  momentumUpdate(
    value: Float32Array, acc: Float32Array, grad: Float32Array, outValue: Float32Array, outAcc: Float32Array,
    c: number, m: number, nesterov: boolean, out16?: Uint16Array,
  ): void;
  /**
   * TF.js Adam's update of value, m and v in one pass; s = [beta1, 1−beta1, beta2, 1−beta2, 1−beta1^t,
   * 1−beta2^t, −lr, epsilon] (fused_train.cc).
   */
  adamUpdate(
    value: Float32Array, m: Float32Array, v: Float32Array, grad: Float32Array,
    outValue: Float32Array, outM: Float32Array, outV: Float32Array, s: Float32Array, out16?: Uint16Array,
  ): void;
  /** out = dy·step(x): the ReLU gradient (fused_train.cc). */
  reluGrad(dy: Float32Array, x: Float32Array, out: Float32Array): void;
  /** out = dy·y·(1 − y): the sigmoid gradient from its output y (fused_train.cc). */
  sigmoidGrad(dy: Float32Array, y: Float32Array, out: Float32Array): void;
  /** x [outer, r, inner] reduced over r into out [outer, inner] (reduce.cc). */
  reduce(op: number, x: Float32Array, out: Float32Array, outer: number, r: number, inner: number): void;
  /** Row-wise softmax of x [rows, n] (reduce.cc). */
  softmax(x: Float32Array, out: Float32Array, rows: number, n: number): void;
  /** Mean softmax cross-entropy over rows of logits x and labels y, both [rows, n] (reduce.cc). */
  softmaxXent(x: Float32Array, y: Float32Array, rows: number, n: number): number;
  /** out = scale·(softmax(x) − y) row-wise, x, y, out [rows, n]: its gradient (reduce.cc). */
  softmaxXentGrad(x: Float32Array, y: Float32Array, out: Float32Array, rows: number, n: number, scale: number): void;
  /** out [outer, nIdx, slice] = x [outer, dim, slice] at indices; returns the first bad index position or −1 (misc.cc). */
  gather(
    x: Float32Array | Int32Array | Uint8Array, indices: Int32Array, out: Float32Array | Int32Array | Uint8Array,
    outer: number, dim: number, nIdx: number, slice: number, elemBytes: number,
  ): number;
  /** out[i] = float(x[i]) for int32 or bool values (misc.cc). */
  castToFloat(x: Int32Array | Uint8Array, out: Float32Array): void;
  /** out (shape[perm[k]] over k) = x (shape) transposed by perm; rank ≤ 8 (transpose.cc). */
  transpose(x: Float32Array, out: Float32Array, shape: Int32Array, perm: Int32Array): void;
  /** For each batch i: C[i] (m×n, contiguous) = op(A at aOffsets[i])·op(B at bOffsets[i]), row-major. */
  sgemmBatched(
    transA: boolean, transB: boolean, m: number, n: number, k: number,
    a: Float32Array, aOffsets: Int32Array, b: Float32Array, bOffsets: Int32Array, c: Float32Array,
  ): void;
  /** Y[r, c] = act(Y[r, c] + bias[c]) in place; act codes in kernels/conv_util.ts (ACTIVATION). */
  biasAct(y: Float32Array, rows: number, cols: number, bias: Float32Array | null, act: number, alpha: number, prelu: Float32Array | null): void;
  /**
   * y = act(conv(x, w) + bias), NHWC; p from kernels/conv_util.ts convParams; false: not supported. bf16
   * (also for the two backward entries): inputs rounded to bf16 inside oneDNN, f32 accumulation and output.
   */
  convForward(x: Float32Array, w: Float32Array, bias: Float32Array | null, y: Float32Array, p: Int32Array, act: number, alpha: number, prelu: Float32Array | null, bf16?: boolean): boolean;
  /** dx of a convolution given dy and the filter; false: not supported. */
  convBackwardData(dy: Float32Array, w: Float32Array, dx: Float32Array, p: Int32Array, bf16?: boolean): boolean;
  /** Filter gradient of a convolution given x and dy (TF.js filter layout); false: not supported. */
  convBackwardWeights(x: Float32Array, dy: Float32Array, dw: Float32Array, p: Int32Array, bf16?: boolean): boolean;
  /**
   * The GroupedConv2D forward in one call (grouped_conv.cc): group g reads channels chan[Σ_{<g} C_g …] and
   * convolves them with ws[g] (HWIO) into F_g channels; y channel f = concatenated channel outIndex[f]
   * (null: all in order); bias (Σ F_g, concatenation order) and act inside; p = N, IH, IW, C, OH, OW, KH,
   * KW, SH, SW, PT, PL, PB, PR; false: not supported.
   */
  groupedConvForward(
    x: Float32Array, ws: Float32Array[], bias: Float32Array | null, y: Float32Array, p: Int32Array,
    chan: Int32Array, groupC: Int32Array, groupF: Int32Array, outIndex: Int32Array | null, act: number, alpha: number,
  ): boolean;
  /** Max (alg 0) or average pooling (1: in-bounds count, 2: whole window), NHWC; false: not supported. */
  pool2dForward(x: Float32Array, y: Float32Array, p: Int32Array, alg: number): boolean;
  /** dx of max pooling: dy routed to each window's first maximum of x; false: not supported. */
  maxPool2dBackward(x: Float32Array, dy: Float32Array, dx: Float32Array, p: Int32Array): boolean;
  /** dx of average pooling (alg as pool2dForward); false: not supported. */
  avgPool2dBackward(dy: Float32Array, dx: Float32Array, p: Int32Array, alg: number): boolean;
  // Float64 LAPACK/BLAS, opened at run time (lapack.cc; wrapped by src/node/backend/linalg.ts).
  /** The LAPACK library that opened (null: none, `error` says why). */
  lapackInfo(): { lib: string | null; error: string };
  /** A·X = B: a (n×n) ← its Cholesky factor, b (n×m row-major) ← X; 0, or j+1 when pivot j ≤ tol (b untouched). */
  choleskySolve(a: Float64Array, b: Float64Array, n: number, m: number, tol: number): number;
  /** Symmetric a (n×n) ← eigenvectors as rows, w ← eigenvalues ascending (dsyevd); LAPACK info. */
  symEig(a: Float64Array, n: number, w: Float64Array): number;
  /** Thin SVD of row-major a (rows×cols, destroyed): s (k), u (rows×k), v (cols×k) row-major (dgesdd); LAPACK info. */
  svd(a: Float64Array, rows: number, cols: number, s: Float64Array, u: Float64Array, v: Float64Array): number;
  /** c (cols×cols) += yᵀ·y on c's lower triangle, y rows×cols row-major (dsyrk). */
  gramAccumulate(y: Float64Array, rows: number, cols: number, c: Float64Array): void;
}

/** The command that builds the addon from a user's project (or this repository): the `parampred build-native` CLI. */
export const BUILD_COMMAND = 'npx parampred build-native';

/** Debian/Ubuntu packages the build needs (oneDNN, a compiler, make, node-gyp's python). */
export const BUILD_PACKAGES = 'libdnnl-dev g++ make python3';

let loaded: NativeAddon | null | undefined;
let loadError: string | undefined;

/** The addon, or null when native/build/Release/parampred_native.node is missing or fails to load. */
export function loadAddon(): NativeAddon | null {
  if (loaded !== undefined) return loaded;
  const path = join(packageRoot(), 'native', 'build', 'Release', 'parampred_native.node');
  if (!existsSync(path)) {
    // The install step (scripts/build-native.mjs --optional) leaves why it did not build.
    const reasonFile = join(packageRoot(), 'native', 'build', 'install-error.txt');
    loadError = existsSync(reasonFile) ? `not built: ${readFileSync(reasonFile, 'utf8').trim()}` : `not built (no ${path})`;
    loaded = null;
    return loaded;
  }
  try {
    loaded = createRequire(import.meta.url)(path) as NativeAddon;
  } catch (e) {
    loadError = `${path} failed to load: ${(e as Error).message.split('\n')[0]}`;
    loaded = null;
  }
  return loaded;
}

/** Why the addon did not load (undefined if it did or was not tried). */
export function addonLoadError(): string | undefined {
  return loadError;
}

/** The one-line warning when the addon is unavailable: why, what to install, the command that builds it. */
export function fallbackMessage(): string {
  return `parampred: native backend unavailable (${addonLoadError() ?? 'not loaded'}); using TF.js's slower 'cpu' backend. To build it, install oneDNN and a compiler (Debian/Ubuntu: apt-get install -y ${BUILD_PACKAGES}), then run: ${BUILD_COMMAND}`;
}
