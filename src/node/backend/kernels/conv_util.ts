/**
 * Shared by the native convolution and pooling kernels: TF.js geometry (Conv2DInfo from
 * backend_util.computeConv2DInfo / computePool2DInfo) → the Int32Array parameters of conv.cc and
 * pool2d.cc, activation codes, and per-channel bias/PReLU vectors. Each returns null for a case the
 * native code does not take, and the kernel then calls the cpu kernel.
 */
import type * as tf from '@tensorflow/tfjs';
import type { NativeBackend } from '../native_backend.js';
import { bf16Active } from '../precision.js';
import { bf16ConvPolicy, convTuner, type ConvPass } from '../conv_tune.js';

/** Activation codes of native/src/activation.h. */
export const ACTIVATION: Readonly<Record<string, number>> = { linear: 0, relu: 1, relu6: 2, elu: 3, sigmoid: 4, leakyrelu: 5, prelu: 6 };

/** Bottom/right padding that makes oneDNN's ⌊(in + lo + hi − effK)/s⌋ + 1 equal TF.js's output size. */
function highPad(inSize: number, effK: number, stride: number, outSize: number, lo: number, hi: number): number {
  if (Math.floor((inSize + lo + hi - effK) / stride) + 1 === outSize) return hi;
  return (outSize - 1) * stride + effK - inSize - lo;
}

function pads(c: tf.backend_util.Conv2DInfo): [number, number, number, number] | null {
  const { top, left } = c.padInfo;
  const bottom = highPad(c.inHeight, c.effectiveFilterHeight, c.strideHeight, c.outHeight, top, c.padInfo.bottom);
  const right = highPad(c.inWidth, c.effectiveFilterWidth, c.strideWidth, c.outWidth, left, c.padInfo.right);
  return Math.min(top, left, bottom, right) < 0 ? null : [top, left, bottom, right];
}

function nonEmpty(c: tf.backend_util.Conv2DInfo): boolean {
  return Math.min(c.batchSize, c.inHeight, c.inWidth, c.inChannels, c.outHeight, c.outWidth, c.outChannels) > 0;
}

/**
 * conv.cc parameters N, IH, IW, IC, OH, OW, OC, KH, KW, SH, SW, DH, DW, PT, PL, PB, PR, G for an NHWC
 * convolution; groups = 1 (filter HWIO) or inChannels (depthwise filter [KH, KW, C, M]).
 */
export function convParams(c: tf.backend_util.Conv2DInfo, depthwise: boolean): Int32Array | null {
  if (c.dataFormat !== 'channelsLast' || !nonEmpty(c)) return null;
  const p = pads(c);
  if (!p) return null;
  const groups = depthwise && c.inChannels > 1 ? c.inChannels : 1;
  return Int32Array.of(
    c.batchSize, c.inHeight, c.inWidth, c.inChannels, c.outHeight, c.outWidth, c.outChannels,
    c.filterHeight, c.filterWidth, c.strideHeight, c.strideWidth, c.dilationHeight, c.dilationWidth, ...p, groups,
  );
}

/**
 * True when some pooling window holds no input element, only padding (explicit pads ≥ the window, or
 * 'ceil' rounding): TF.js's cpu kernels give −Infinity (max) and NaN (avg) there; oneDNN's max gives
 * −FLT_MAX, its average declines.
 */
function emptyWindow(c: tf.backend_util.Conv2DInfo): boolean {
  const { top, left } = c.padInfo;
  return top >= c.filterHeight || left >= c.filterWidth
    || (c.outHeight - 1) * c.strideHeight - top >= c.inHeight || (c.outWidth - 1) * c.strideWidth - left >= c.inWidth;
}

/**
 * pool2d.cc parameters N, IH, IW, C, OH, OW, KH, KW, SH, SW, PT, PL, PB, PR (no dilation); null when a
 * window is all padding.
 */
export function poolParams(c: tf.backend_util.Conv2DInfo): Int32Array | null {
  if (c.dataFormat !== 'channelsLast' || !nonEmpty(c) || c.dilationHeight !== 1 || c.dilationWidth !== 1 || emptyWindow(c)) return null;
  const p = pads(c);
  if (!p) return null;
  return Int32Array.of(
    c.batchSize, c.inHeight, c.inWidth, c.inChannels, c.outHeight, c.outWidth,
    c.filterHeight, c.filterWidth, c.strideHeight, c.strideWidth, ...p,
  );
}

/**
 * A float32 tensor as one value per channel (n channels, the last axis): its values when it has n
 * elements on the last axis and size-1 axes before; n copies of a single value when `expand`, else
 * the one value. null when it broadcasts some other way.
 */
export function channelVector(be: NativeBackend, t: tf.TensorInfo, n: number, expand: boolean): Float32Array | null {
  if (t.dtype !== 'float32') return null;
  const size = t.shape.reduce((a, b) => a * b, 1);
  const v = be.f32(t);
  if (size === 1) return expand ? new Float32Array(n).fill(v[0]) : v;
  if (size === n && t.shape[t.shape.length - 1] === n) return v;
  return null;
}

/** Inputs of a fused kernel as native arguments, or null when the native code cannot apply them. */
export function fusedArgs(
  be: NativeBackend, n: number, bias: tf.TensorInfo | undefined, prelu: tf.TensorInfo | undefined,
  activation: string | undefined, leakyreluAlpha: number | undefined,
): { bias: Float32Array | null; act: number; alpha: number; prelu: Float32Array | null } | null {
  const act = ACTIVATION[activation ?? 'linear'];
  if (act === undefined) return null;
  const b = bias ? channelVector(be, bias, n, true) : null;
  if (bias && !b) return null;
  const pw = act === ACTIVATION.prelu && prelu ? channelVector(be, prelu, n, false) : null;
  if (act === ACTIVATION.prelu && !pw) return null;
  return { bias: b, act, alpha: leakyreluAlpha ?? 0.2, prelu: pw };
}

/**
 * TF.js's MaxPool and AvgPool (cpu, webgl, wasm) define a 1×1 window whose output shape equals the
 * input's as the identity, whatever the strides and padding; the native kernels leave that case to the cpu kernel.
 */
export function poolIsIdentity(c: tf.backend_util.Conv2DInfo): boolean {
  return c.filterHeight === 1 && c.filterWidth === 1 && sameShape(c.inShape, c.outShape);
}

/**
 * True when a tensor's shape is exactly `shape`. The backprop kernels check dy (and x) against the
 * geometry computed from the attributes: TF.js ops do not (conv2dTranspose accepts a dy of any
 * height/width), and the cpu kernels then index dy by its own strides; the native code would read
 * the buffer as if it had the computed shape — wrong values, or reads past its end.
 */
export function hasShape(t: tf.TensorInfo, shape: readonly number[]): boolean {
  return sameShape(t.shape, shape);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Runs a native convolution forward; null when it declines (the caller delegates). */
export function convForward(
  be: NativeBackend, x: tf.TensorInfo, filter: tf.TensorInfo, c: tf.backend_util.Conv2DInfo, depthwise: boolean,
  fused: { bias: Float32Array | null; act: number; alpha: number; prelu: Float32Array | null } = { bias: null, act: 0, alpha: 0, prelu: null },
): tf.TensorInfo | null {
  if (x.dtype !== 'float32' || filter.dtype !== 'float32') return null;
  const p = convParams(c, depthwise);
  if (!p) return null;
  const xv = be.f32(x), wv = be.f32(filter);
  return be.tryOutputFromPool(c.outShape, (y) => inPrecision((bf16) => be.addon.convForward(xv, wv, fused.bias, y, p, fused.act, fused.alpha, fused.prelu, bf16), !depthwise, 'forward', p));
}

/**
 * Runs a native convolution entry (`run(bf16)`, false when oneDNN declines the case) in the current
 * precision (precision.ts); a case oneDNN has no bf16 implementation for runs again in fp32 before the
 * kernel would delegate to cpu. In bf16, the pass's policy (conv_tune.ts) decides: 'auto' runs each
 * pass of each geometry `p` in whichever precision timed faster on its first calls. Depthwise
 * convolutions (`bf16Ok` false) stay fp32: memory-bound, little for bf16 to gain.
 */
export function inPrecision(run: (bf16: boolean) => boolean, bf16Ok: boolean, pass: ConvPass, p: Int32Array): boolean {
  if (!bf16Ok || !bf16Active()) return run(false);
  const policy = bf16ConvPolicy();
  if (policy === 'all' || (policy === 'forward' && pass === 'forward')) return run(true) || run(false);
  if (policy === 'forward') return run(false);
  return convTuner.run(pass, p, run);
}
