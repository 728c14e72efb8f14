/**
 * FusedConv2D and FusedDepthwiseConv2D on oneDNN: y = act(conv(x, w) + bias), bias and activation as
 * oneDNN post-ops (PReLU as an epilogue). Bias/PReLU weights that are not per-channel or scalar,
 * NCHW and non-float32 go to the cpu kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { NativeBackend } from '../native_backend.js';
import { cpuKernel } from './cpu.js';
import { convForward, fusedArgs } from './conv_util.js';

type Args = { inputs: tf.NamedTensorInfoMap; backend: NativeBackend; attrs?: tf.NamedAttrMap };
type Inputs = { x: tf.TensorInfo; filter: tf.TensorInfo; bias?: tf.TensorInfo; preluActivationWeights?: tf.TensorInfo };

function fused(depthwise: boolean): (args: Args) => tf.TensorInfo {
  const cpu = cpuKernel(depthwise ? tf.FusedDepthwiseConv2D : tf.FusedConv2D);
  return (args) => {
    const { x, filter, bias, preluActivationWeights } = args.inputs as unknown as Inputs;
    const { strides, pad, dataFormat, dilations, dimRoundingMode, activation, leakyreluAlpha } = args.attrs as unknown as tf.FusedConv2DAttrs;
    if (dataFormat === 'NCHW') return cpu(args);
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number], filter.shape as [number, number, number, number],
      strides, dilations ?? [1, 1], pad, dimRoundingMode, depthwise, 'channelsLast',
    );
    const f = fusedArgs(args.backend, info.outChannels, bias, preluActivationWeights, activation, leakyreluAlpha);
    return (f && convForward(args.backend, x, filter, info, depthwise, f)) ?? cpu(args);
  };
}

export const fusedConv2dKernels: tf.KernelConfig[] = [
  { kernelName: tf.FusedConv2D, backendName: 'native', kernelFunc: fused(false) as unknown as tf.KernelFunc },
  { kernelName: tf.FusedDepthwiseConv2D, backendName: 'native', kernelFunc: fused(true) as unknown as tf.KernelFunc },
];
