/**
 * parampred's own training kernels on the native backend (native/src/fused_train.cc): TF.js SGD's and
 * Adam's parameter updates and the ReLU and sigmoid gradients, one pass each. fused_training.ts routes
 * tf.train.sgd / tf.train.adam and the Relu / Sigmoid gradients to them; every input must be float32
 * and of the parameter's (activation's) size.
 */
import * as tf from '@tensorflow/tfjs';
import type { NativeBackend } from '../native_backend.js';
import type { KernelArgs } from './broadcast.js';

/** Kernel names (registered for the native backend only). */
export const SGD_UPDATE = 'ParampredSgdUpdate';
export const ADAM_UPDATE = 'ParampredAdamUpdate';
export const RELU_GRAD = 'ParampredReluGrad';
export const SIGMOID_GRAD = 'ParampredSigmoidGrad';

type Info = tf.TensorInfo;

/** The values of input `name`, which must be float32 with `size` elements. */
function f32Of(kernel: string, be: NativeBackend, size: number, name: string, t: Info): Float32Array {
  if (t.dtype !== 'float32' || tf.util.sizeFromShape(t.shape) !== size) {
    throw new Error(`${kernel}: expected input '${name}' float32 with ${size} elements, got ${t.dtype} [${t.shape.join(',')}]`);
  }
  return be.f32(t);
}

/**
 * value' = c·gradient + value, c = −learning rate (a scalar tensor). In place when nothing else holds
 * value's data (the usual case from the second step on): one pass that writes back what it read, a
 * third less memory traffic than writing a new array.
 */
function sgdUpdate(args: KernelArgs<NativeBackend>): Info {
  const { value, gradient, c } = args.inputs as Record<string, Info>;
  const be = args.backend;
  const size = tf.util.sizeFromShape(value.shape);
  const vv = f32Of(SGD_UPDATE, be, size, 'value', value), gv = f32Of(SGD_UPDATE, be, size, 'gradient', gradient);
  const cv = be.f32(c)[0];
  if (be.exclusive(value)) {
    be.addon.sgdUpdate(vv, gv, vv, cv);
    return be.sameData(value);
  }
  return be.makeOutputFromPool(value.shape, (out) => be.addon.sgdUpdate(vv, gv, out, cv));
}

/**
 * [value', m', v'] of one Adam step; attrs beta1, beta2, learningRate, epsilon; accBeta1/2 = beta^t.
 * Each of value, m, v is updated in place when nothing else holds its data.
 */
function adamUpdate(args: KernelArgs<NativeBackend>): Info[] {
  const { value, m, v, gradient, accBeta1, accBeta2 } = args.inputs as Record<string, Info>;
  const { beta1, beta2, learningRate, epsilon } = args.attrs as Record<string, number>;
  const be = args.backend;
  const size = tf.util.sizeFromShape(value.shape);
  const ins = [value, m, v];
  const vals = (['value', 'm', 'v'] as const).map((name, k) => f32Of(ADAM_UPDATE, be, size, name, ins[k]));
  const g = f32Of(ADAM_UPDATE, be, size, 'gradient', gradient);
  // TF.js's scalars: beta1 and 1 − beta1 etc. rounded from doubles; 1 − beta^t computed in float32.
  const s = Float32Array.of(beta1, 1 - beta1, beta2, 1 - beta2, 0, 0, -learningRate, epsilon);
  s[4] = Math.fround(1 - be.f32(accBeta1)[0]);
  s[5] = Math.fround(1 - be.f32(accBeta2)[0]);
  const inPlace = ins.map((t) => be.exclusive(t));
  const outs = ins.map((t, k) => (inPlace[k] ? vals[k] : be.pool.acquire(size)));
  be.addon.adamUpdate(vals[0], vals[1], vals[2], g, outs[0], outs[1], outs[2], s);
  return ins.map((t, k) => (inPlace[k] ? be.sameData(t) : be.makeTensorInfo(value.shape, 'float32', outs[k])));
}

/** dy·step(x). */
function reluGrad(args: KernelArgs<NativeBackend>): Info {
  const { dy, x } = args.inputs as Record<string, Info>;
  const be = args.backend;
  const size = tf.util.sizeFromShape(x.shape);
  const dv = f32Of(RELU_GRAD, be, size, 'dy', dy), xv = f32Of(RELU_GRAD, be, size, 'x', x);
  return be.makeOutputFromPool(x.shape, (out) => be.addon.reluGrad(dv, xv, out));
}

/** dy·y·(1 − y). */
function sigmoidGrad(args: KernelArgs<NativeBackend>): Info {
  const { dy, y } = args.inputs as Record<string, Info>;
  const be = args.backend;
  const size = tf.util.sizeFromShape(y.shape);
  const dv = f32Of(SIGMOID_GRAD, be, size, 'dy', dy), yv = f32Of(SIGMOID_GRAD, be, size, 'y', y);
  return be.makeOutputFromPool(y.shape, (out) => be.addon.sigmoidGrad(dv, yv, out));
}

const kernel = (kernelName: string, f: (a: KernelArgs<NativeBackend>) => Info | Info[]): tf.KernelConfig =>
  ({ kernelName, backendName: 'native', kernelFunc: f as unknown as tf.KernelFunc });

export const fusedTrainKernels: tf.KernelConfig[] = [
  kernel(SGD_UPDATE, sgdUpdate), kernel(ADAM_UPDATE, adamUpdate), kernel(RELU_GRAD, reluGrad), kernel(SIGMOID_GRAD, sigmoidGrad),
];
