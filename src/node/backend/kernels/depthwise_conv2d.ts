/**
 * DepthwiseConv2dNative and its input/filter gradients on oneDNN grouped convolutions (groups = in
 * channels C, filter [KH, KW, C, M], output channel c·M + m as in TF.js). Non-float32 goes to the cpu kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { NativeBackend } from '../native_backend.js';
import { cpuKernel } from './cpu.js';
import { convForward } from './conv_util.js';
import { backpropFilter } from './conv2d_backprop_filter.js';
import { backpropInput } from './conv2d_backprop_input.js';

type Args = { inputs: tf.NamedTensorInfoMap; backend: NativeBackend; attrs?: tf.NamedAttrMap };
type Shape4 = [number, number, number, number];
const cpuForward = cpuKernel(tf.DepthwiseConv2dNative);
const cpuInput = cpuKernel(tf.DepthwiseConv2dNativeBackpropInput);
const cpuFilter = cpuKernel(tf.DepthwiseConv2dNativeBackpropFilter);

function depthwiseConv2dNative(args: Args): tf.TensorInfo {
  const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
  const { strides, pad, dilations, dimRoundingMode } = args.attrs as unknown as tf.DepthwiseConv2dNativeAttrs;
  const info = tf.backend_util.computeConv2DInfo(x.shape as Shape4, filter.shape as Shape4, strides, dilations ?? [1, 1], pad, dimRoundingMode, true);
  return convForward(args.backend, x, filter, info, true) ?? cpuForward(args);
}

function depthwiseBackpropInput(args: Args): tf.TensorInfo {
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const { strides, dilations, pad, dimRoundingMode, inputShape } = args.attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  const info = tf.backend_util.computeConv2DInfo(inputShape as Shape4, filter.shape as Shape4, strides, dilations, pad, dimRoundingMode, true);
  return backpropInput(args.backend, dy, filter, info, true) ?? cpuInput(args);
}

function depthwiseBackpropFilter(args: Args): tf.TensorInfo {
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, dilations, pad, dimRoundingMode, filterShape } = args.attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  const info = tf.backend_util.computeConv2DInfo(x.shape as Shape4, filterShape as Shape4, strides, dilations, pad, dimRoundingMode, true);
  return backpropFilter(args.backend, x, dy, filterShape, info, true) ?? cpuFilter(args);
}

export const depthwiseConv2dKernels: tf.KernelConfig[] = [
  { kernelName: tf.DepthwiseConv2dNative, backendName: 'native', kernelFunc: depthwiseConv2dNative as unknown as tf.KernelFunc },
  { kernelName: tf.DepthwiseConv2dNativeBackpropInput, backendName: 'native', kernelFunc: depthwiseBackpropInput as unknown as tf.KernelFunc },
  { kernelName: tf.DepthwiseConv2dNativeBackpropFilter, backendName: 'native', kernelFunc: depthwiseBackpropFilter as unknown as tf.KernelFunc },
];
