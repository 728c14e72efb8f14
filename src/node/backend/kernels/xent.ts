/**
 * The fused softmax cross-entropy of core/train/losses.ts on the native backend (reduce.cc): the mean
 * loss over rows in one pass, and its gradient for the logits in another. Inputs are float32 (the op
 * casts) and of one shape (the op checks).
 */
import * as tf from '@tensorflow/tfjs';
import { SOFTMAX_XENT, SOFTMAX_XENT_GRAD } from '../../../core/train/losses.js';
import type { NativeBackend } from '../native_backend.js';
import type { KernelArgs } from './broadcast.js';

type Info = tf.TensorInfo;

function shapeOf(logits: Info): { rows: number; n: number } {
  const n = logits.shape[logits.shape.length - 1];
  return { rows: tf.util.sizeFromShape(logits.shape) / n, n };
}

function softmaxXent(args: KernelArgs<NativeBackend>): Info {
  const { logits, labels } = args.inputs as Record<string, Info>;
  const be = args.backend;
  const { rows, n } = shapeOf(logits);
  const loss = be.addon.softmaxXent(be.f32(logits), be.f32(labels), rows, n);
  return be.makeOutputFromPool([], (out) => { out[0] = loss; });
}

function softmaxXentGrad(args: KernelArgs<NativeBackend>): Info {
  const { dy, logits, labels } = args.inputs as Record<string, Info>;
  const be = args.backend;
  const { rows, n } = shapeOf(logits);
  // TF.js's order: the scalar dy / rows in float32, then scale·(exp(x − lse) − y) per element.
  const scale = Math.fround(be.f32(dy)[0] / rows);
  const xv = be.f32(logits), yv = be.f32(labels);
  return be.makeOutputFromPool(logits.shape, (out) => be.addon.softmaxXentGrad(xv, yv, out, rows, n, scale));
}

export const xentKernels: tf.KernelConfig[] = [
  { kernelName: SOFTMAX_XENT, backendName: 'native', kernelFunc: softmaxXent as unknown as tf.KernelFunc },
  { kernelName: SOFTMAX_XENT_GRAD, backendName: 'native', kernelFunc: softmaxXentGrad as unknown as tf.KernelFunc },
];
