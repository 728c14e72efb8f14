/** Conv2DBackpropFilter (filter gradient of Conv2D) on oneDNN backward-weights; NCHW, non-float32 and a dy whose shape is not the forward's output go to the cpu kernel. */
import * as tf from '@tensorflow/tfjs';
import type { NativeBackend } from '../native_backend.js';
import { cpuKernel } from './cpu.js';
import { convParams, hasShape, inPrecision } from './conv_util.js';

type Args = { inputs: tf.NamedTensorInfoMap; backend: NativeBackend; attrs?: tf.NamedAttrMap };
const cpuConv2DBackpropFilter = cpuKernel(tf.Conv2DBackpropFilter);

/** dw in the TF.js filter layout from x and dy; shared with the depthwise kernel (depthwise = true). */
export function backpropFilter(
  be: NativeBackend, x: tf.TensorInfo, dy: tf.TensorInfo, filterShape: number[], info: tf.backend_util.Conv2DInfo, depthwise: boolean,
): tf.TensorInfo | null {
  if (x.dtype !== 'float32' || dy.dtype !== 'float32' || !hasShape(x, info.inShape) || !hasShape(dy, info.outShape)) return null;
  const p = convParams(info, depthwise);
  if (!p) return null;
  const xv = be.f32(x), dyv = be.f32(dy);
  return be.tryOutputFromPool(filterShape, (dw) => inPrecision((bf16) => be.addon.convBackwardWeights(xv, dyv, dw, p, bf16), !depthwise, 'backwardWeights', p));
}

function conv2DBackpropFilter(args: Args): tf.TensorInfo {
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { filterShape, strides, pad, dataFormat, dimRoundingMode } = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  if (dataFormat === 'NCHW') return cpuConv2DBackpropFilter(args);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast',
  );
  return backpropFilter(args.backend, x, dy, filterShape, info, false) ?? cpuConv2DBackpropFilter(args);
}

export const conv2dBackpropFilterKernels: tf.KernelConfig[] = [
  { kernelName: tf.Conv2DBackpropFilter, backendName: 'native', kernelFunc: conv2DBackpropFilter as unknown as tf.KernelFunc },
];
