/** Conv2DBackpropInput (dx of Conv2D) on oneDNN backward-data; NCHW, non-float32 and a dy whose shape is not the forward's output go to the cpu kernel. */
import * as tf from '@tensorflow/tfjs';
import type { NativeBackend } from '../native_backend.js';
import { cpuKernel } from './cpu.js';
import { convParams, hasShape, inPrecision } from './conv_util.js';

type Args = { inputs: tf.NamedTensorInfoMap; backend: NativeBackend; attrs?: tf.NamedAttrMap };
const cpuConv2DBackpropInput = cpuKernel(tf.Conv2DBackpropInput);

/** dx [N, H, W, IC] from dy and filter; shared with the depthwise kernel (depthwise = true). */
export function backpropInput(
  be: NativeBackend, dy: tf.TensorInfo, filter: tf.TensorInfo, info: tf.backend_util.Conv2DInfo, depthwise: boolean,
): tf.TensorInfo | null {
  if (dy.dtype !== 'float32' || filter.dtype !== 'float32' || !hasShape(dy, info.outShape)) return null;
  const p = convParams(info, depthwise);
  if (!p) return null;
  const dyv = be.f32(dy), wv = be.f32(filter);
  return be.tryOutputFromPool(info.inShape, (dx) => inPrecision((bf16) => be.addon.convBackwardData(dyv, wv, dx, p, bf16), !depthwise, 'backwardData', p));
}

function conv2DBackpropInput(args: Args): tf.TensorInfo {
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const { inputShape, strides, pad, dataFormat, dimRoundingMode } = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
  if (dataFormat === 'NCHW') return cpuConv2DBackpropInput(args);
  const info = tf.backend_util.computeConv2DInfo(
    inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode, false, 'channelsLast',
  );
  return backpropInput(args.backend, dy, filter, info, false) ?? cpuConv2DBackpropInput(args);
}

export const conv2dBackpropInputKernels: tf.KernelConfig[] = [
  { kernelName: tf.Conv2DBackpropInput, backendName: 'native', kernelFunc: conv2DBackpropInput as unknown as tf.KernelFunc },
];
