/** Conv2D on oneDNN (NHWC, filter HWIO, strides, dilations, padding valid/same/explicit); NCHW and non-float32 go to the cpu kernel. */
import * as tf from '@tensorflow/tfjs';
import type { NativeBackend } from '../native_backend.js';
import { cpuKernel } from './cpu.js';
import { convForward } from './conv_util.js';

type Args = { inputs: tf.NamedTensorInfoMap; backend: NativeBackend; attrs?: tf.NamedAttrMap };
const cpuConv2D = cpuKernel(tf.Conv2D);

function conv2D(args: Args): tf.TensorInfo {
  const { x, filter } = args.inputs as unknown as tf.Conv2DInputs & { x: tf.TensorInfo; filter: tf.TensorInfo };
  const { strides, pad, dataFormat, dilations, dimRoundingMode } = args.attrs as unknown as tf.Conv2DAttrs;
  if (dataFormat === 'NCHW') return cpuConv2D(args);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filter.shape as [number, number, number, number],
    strides, dilations, pad, dimRoundingMode, false, 'channelsLast',
  );
  return convForward(args.backend, x, filter, info, false) ?? cpuConv2D(args);
}

export const conv2dKernels: tf.KernelConfig[] = [
  { kernelName: tf.Conv2D, backendName: 'native', kernelFunc: conv2D as unknown as tf.KernelFunc },
];
