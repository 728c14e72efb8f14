/**
 * parampred's own training kernels on the native backend (native/src/fused_train.cc): TF.js SGD's,
 * momentum's and Adam's parameter updates and the ReLU and sigmoid gradients, one pass each.
 * fused_training.ts routes tf.train.sgd / momentum / adam and the Relu / Sigmoid gradients to them;
 * every input must be float32 and of the parameter's (activation's) size; updates run in place when
 * they may (see updateState).
 */
import * as tf from '@tensorflow/tfjs';
import type { NativeBackend } from '../native_backend.js';
import type { KernelArgs } from './broadcast.js';

/** Kernel names (registered for the native backend only). */
export const SGD_UPDATE = 'ParampredSgdUpdate';
export const MOMENTUM_UPDATE = 'ParampredMomentumUpdate';
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
 * Runs an optimizer update of the state tensors `state` (the parameter first) with `grad`: `run`
 * gets the state's values and an output array for each, which is the state's own array when nothing
 * else holds that tensor's data (the usual case from the second step on: a pass that writes back what
 * it read, a third less memory traffic than writing a new array), else a pooled one. Returns the
 * new state as kernel outputs.
 */
function updateState(kernel: string, be: NativeBackend, state: Record<string, Info>, grad: Info, run: (vals: Float32Array[], g: Float32Array, outs: Float32Array[], out16: Uint16Array | undefined) => void): Info[] {
  const ins = Object.values(state);
  const size = tf.util.sizeFromShape(ins[0].shape);
  const vals = Object.entries(state).map(([name, t]) => f32Of(kernel, be, size, name, t));
  const g = f32Of(kernel, be, size, 'gradient', grad);
  const inPlace = ins.map((t) => be.exclusive(t));
  const outs = ins.map((t, k) => (inPlace[k] ? vals[k] : be.pool.acquire(size)));
  // bf16 precision: a parameter that a bf16 product read since its last update (it has a cached bf16
  // copy) gets the copy of its new values written in the update's own pass, instead of being
  // converted again by the next product (pool.ts); parameters no bf16 product reads get none.
  const half = inPlace[0] ? be.pool.takeBf16(vals[0]) ?? undefined : undefined;
  run(vals, g, outs, half);
  const result = ins.map((t, k) => (inPlace[k] ? be.sameData(t) : be.makeTensorInfo(t.shape, 'float32', outs[k])));
  if (half) be.pool.putBf16(vals[0], half);
  return result;
}

/** value' = c·gradient + value, c = −learning rate (a scalar tensor). */
function sgdUpdate(args: KernelArgs<NativeBackend>): Info {
  const { value, gradient, c } = args.inputs as Record<string, Info>;
  const be = args.backend;
  const cv = be.f32(c)[0];
  return updateState(SGD_UPDATE, be, { value }, gradient, ([v], g, [o], h) => be.addon.sgdUpdate(v, g, o, cv, h))[0];
}

/** [value', accumulation'] of TF.js momentum: c = −learning rate, m = momentum (scalar tensors); attr useNesterov. */
function momentumUpdate(args: KernelArgs<NativeBackend>): Info[] {
  const { value, accumulation, gradient, c, m } = args.inputs as Record<string, Info>;
  const be = args.backend;
  const cv = be.f32(c)[0], mv = be.f32(m)[0], nesterov = Boolean(args.attrs?.useNesterov);
  return updateState(MOMENTUM_UPDATE, be, { value, accumulation }, gradient, ([v, a], g, [ov, oa], h) => be.addon.momentumUpdate(v, a, g, ov, oa, cv, mv, nesterov, h));
}

/** [value', m', v'] of one Adam step; attrs beta1, beta2, learningRate, epsilon; accBeta1/2 = beta^t. */
function adamUpdate(args: KernelArgs<NativeBackend>): Info[] {
  const { value, m, v, gradient, accBeta1, accBeta2 } = args.inputs as Record<string, Info>;
  const { beta1, beta2, learningRate, epsilon } = args.attrs as Record<string, number>;
  const be = args.backend;
  // TF.js's scalars: beta1 and 1 − beta1 etc. rounded from doubles; 1 − beta^t computed in float32.
  const s = Float32Array.of(beta1, 1 - beta1, beta2, 1 - beta2, 0, 0, -learningRate, epsilon);
  s[4] = Math.fround(1 - be.f32(accBeta1)[0]);
  s[5] = Math.fround(1 - be.f32(accBeta2)[0]);
  return updateState(ADAM_UPDATE, be, { value, m, v }, gradient, ([w, mm, vv], g, [ow, om, ov], h) => be.addon.adamUpdate(w, mm, vv, g, ow, om, ov, s, h));
}

/** An activation gradient kernel {dy, [saved]} → f(dy, saved): ReluGrad (saved x: dy·step(x)), SigmoidGrad (saved y: dy·y·(1 − y)). */
function activationGrad(kernel: string, saved: string, run: (be: NativeBackend, dy: Float32Array, s: Float32Array, out: Float32Array) => void) {
  return (args: KernelArgs<NativeBackend>): Info => {
    const { dy, [saved]: s } = args.inputs as Record<string, Info>;
    const be = args.backend;
    const size = tf.util.sizeFromShape(s.shape);
    const dv = f32Of(kernel, be, size, 'dy', dy), sv = f32Of(kernel, be, size, saved, s);
    return be.makeOutputFromPool(s.shape, (out) => run(be, dv, sv, out));
  };
}
const reluGrad = activationGrad(RELU_GRAD, 'x', (be, dy, x, out) => be.addon.reluGrad(dy, x, out));
const sigmoidGrad = activationGrad(SIGMOID_GRAD, 'y', (be, dy, y, out) => be.addon.sigmoidGrad(dy, y, out));

const kernel = (kernelName: string, f: (a: KernelArgs<NativeBackend>) => Info | Info[]): tf.KernelConfig =>
  ({ kernelName, backendName: 'native', kernelFunc: f as unknown as tf.KernelFunc });

export const fusedTrainKernels: tf.KernelConfig[] = [
  kernel(SGD_UPDATE, sgdUpdate), kernel(MOMENTUM_UPDATE, momentumUpdate), kernel(ADAM_UPDATE, adamUpdate), kernel(RELU_GRAD, reluGrad), kernel(SIGMOID_GRAD, sigmoidGrad),
];
