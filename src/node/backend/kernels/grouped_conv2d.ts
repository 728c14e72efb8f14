/**
 * GROUPED_CONV2D_KERNEL (the GroupedConv2D layer's one-call forward, src/core/compress/grouped_conv2d.ts)
 * on oneDNN: native/src/grouped_conv.cc gathers each group's channels, runs one convolution per group (or
 * one grouped convolution when the groups are equal) with the bias and activation inside, and places the
 * groups' outputs (outputOrder applied) in one pass. float32 only; oneDNN always has a (reference) f32
 * implementation, so a decline is an error rather than a silent fallback.
 */
import * as tf from '@tensorflow/tfjs';
import type { NativeBackend } from '../native_backend.js';
import { ParampredError } from '../../../core/errors.js';
import { GROUPED_CONV2D_KERNEL, type GroupedConv2DAttrs } from '../../../core/compress/grouped_conv2d.js';
import { ACTIVATION, convParams } from './conv_util.js';

const FN = GROUPED_CONV2D_KERNEL;
type Args = { inputs: tf.NamedTensorInfoMap; backend: NativeBackend; attrs?: tf.NamedAttrMap };
type Shape4 = [number, number, number, number];

function groupedConv2D(args: Args): tf.TensorInfo {
  const a = args.attrs as unknown as GroupedConv2DAttrs;
  const be = args.backend;
  const G = a.groupFilters.length;
  const ins = args.inputs as unknown as tf.TensorInfo[];
  const x = ins[0], ws = ins.slice(1, 1 + G), bias = ins[1 + G] as tf.TensorInfo | undefined;
  const [kh, kw] = ws[0].shape;
  const joined = a.groupFilters.reduce((s, v) => s + v, 0);
  const F = a.outputOrder.length > 0 ? a.outputOrder.length : joined;
  const info = tf.backend_util.computeConv2DInfo(x.shape as Shape4, [kh, kw, x.shape[3], F], a.strides, [1, 1], a.pad, undefined, false, 'channelsLast');
  const p = convParams(info, false);
  const act = ACTIVATION[a.activation];
  if (!p || act === undefined || act === ACTIVATION.prelu || act === ACTIVATION.leakyrelu || x.dtype !== 'float32') {
    throw new ParampredError(FN, `expected a non-empty float32 NHWC input and activation linear, relu, relu6, elu or sigmoid, got ${x.dtype} ${JSON.stringify(x.shape)} ${a.activation}`);
  }
  // conv.cc's N, IH, IW, IC, OH, OW, OC, KH, KW, SH, SW, DH, DW, PT, PL, PB, PR, G → grouped_conv.cc's N, IH, IW, C, OH, OW, KH, KW, SH, SW, PT, PL, PB, PR
  const gp = Int32Array.of(p[0], p[1], p[2], p[3], p[4], p[5], p[7], p[8], p[9], p[10], p[13], p[14], p[15], p[16]);
  let b: Float32Array | null = null;
  if (bias) {
    const bv = be.f32(bias);
    if (a.outputOrder.length === 0) b = bv;
    else {
      b = new Float32Array(joined);
      a.outputOrder.forEach((j, f) => { b![j] = bv[f]; });
    }
  }
  const wv = ws.map((w) => be.f32(w));
  const chan = Int32Array.from(a.channels), gc = Int32Array.from(a.groupChannels), gf = Int32Array.from(a.groupFilters);
  const order = a.outputOrder.length > 0 ? Int32Array.from(a.outputOrder) : null;
  const xv = be.f32(x);
  const out = be.tryOutputFromPool(info.outShape, (y) => be.addon.groupedConvForward(xv, wv, b, y, gp, chan, gc, gf, order, act, 0));
  if (!out) throw new ParampredError(FN, `expected oneDNN to implement this grouped convolution, got none for input ${JSON.stringify(x.shape)}, groups ${JSON.stringify(a.groupChannels)} → ${JSON.stringify(a.groupFilters)}`);
  return out;
}

export const groupedConv2dKernels: tf.KernelConfig[] = [
  { kernelName: GROUPED_CONV2D_KERNEL, backendName: 'native', kernelFunc: groupedConv2D as unknown as tf.KernelFunc },
];
