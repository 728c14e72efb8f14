/**
 * Fused training on the native backend. TF.js runs an optimizer step as a chain of element-wise ops
 * per variable (SGD: mul then add; momentum: four; Adam: twelve over the weights and both moments)
 * and the ReLU gradient as step, cast and mul; each op is a pass over memory plus the engine's
 * bookkeeping. PyTorch does each in one kernel. While the native backend is active, the
 * applyGradients of `tf.train.sgd`, `tf.train.momentum` and `tf.train.adam` and the Relu and Sigmoid
 * gradients run parampred's one-pass kernels instead (kernels/fused_train.ts). They compute TF.js's
 * own float32 operations in TF.js's order, so training is bit for bit what the unfused ops give
 * (fused_training.test.ts); optimizer state (getWeights, setWeights, serialization) is untouched.
 * Other backends and optimizers, and variables that are not float32, take TF.js's own code.
 * PARAMPRED_FUSED=0 (or setFusedTraining(false)) turns it off.
 */
import * as tf from '@tensorflow/tfjs';
import { ADAM_UPDATE, MOMENTUM_UPDATE, RELU_GRAD, SGD_UPDATE, SIGMOID_GRAD } from './kernels/fused_train.js';

let enabled = process.env.PARAMPRED_FUSED !== '0';
let installed = false;

/** Turns fused training on or off (default on; PARAMPRED_FUSED=0 starts it off). */
export function setFusedTraining(on: boolean): void {
  enabled = on;
}

/** True when fused training is on (it acts only while the native backend is active). */
export function fusedTrainingEnabled(): boolean {
  return enabled;
}

const active = (): boolean => enabled && tf.getBackend() === 'native';

type Grads = tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[];

/** The (name, gradient) pairs of applyGradients' argument, in its order. */
function entries(grads: Grads): [string, tf.Tensor | null | undefined][] {
  return Array.isArray(grads) ? grads.map((g) => [g.name, g.tensor]) : Object.keys(grads).map((k) => [k, grads[k]]);
}

/** Every variable and gradient float32 and of the same shape: the fused kernels apply. */
function fusable(grads: Grads): boolean {
  const vars = tf.engine().registeredVariables;
  return entries(grads).every(([name, g]) => {
    const v = vars[name];
    return g == null || (v !== undefined && v.dtype === 'float32' && g.dtype === 'float32' && tf.util.arraysEqual(v.shape, g.shape));
  });
}

interface SgdInternals { c: tf.Scalar; incrementIterations(): void }
interface Accumulator { originalName: string; variable: tf.Variable }
interface MomentumInternals extends SgdInternals { m: tf.Scalar; useNesterov: boolean; accumulations: Accumulator[] }
interface AdamInternals {
  learningRate: number; beta1: number; beta2: number; epsilon: number;
  accBeta1: tf.Variable; accBeta2: tf.Variable;
  accumulatedFirstMoment: Accumulator[]; accumulatedSecondMoment: Accumulator[];
  incrementIterations(): void;
}

/** SGDOptimizer.applyGradients: value ← value − lr·gradient in one kernel per variable. */
function sgdApply(this: SgdInternals, grads: Grads): void {
  const vars = tf.engine().registeredVariables;
  tf.tidy(() => {
    for (const [name, gradient] of entries(grads)) {
      if (gradient != null) vars[name].assign(tf.engine().runKernel(SGD_UPDATE, { value: vars[name], gradient, c: this.c }) as tf.Tensor);
    }
  });
  this.incrementIterations();
}

/** MomentumOptimizer.applyGradients with the same accumulators (names, order), one kernel per variable. */
function momentumApply(this: MomentumInternals, grads: Grads): void {
  const vars = tf.engine().registeredVariables;
  tf.tidy(() => {
    entries(grads).forEach(([name, gradient], i) => {
      const value = vars[name];
      this.accumulations[i] ??= { originalName: `${name}/momentum`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
      if (gradient == null) return;
      const accumulation = this.accumulations[i].variable;
      // this.m, not this.momentum: TF.js's own update reads the scalar (setMomentum leaves it as it was).
      const inputs = { value, accumulation, gradient, c: this.c, m: this.m };
      const [nw, na] = tf.engine().runKernel(MOMENTUM_UPDATE, inputs, { useNesterov: this.useNesterov }) as tf.Tensor[];
      accumulation.assign(na);
      value.assign(nw);
    });
  });
  this.incrementIterations();
}

/** AdamOptimizer.applyGradients with the same state variables, names and order, one kernel per variable. */
function adamApply(this: AdamInternals, grads: Grads): void {
  const vars = tf.engine().registeredVariables;
  const attrs = { beta1: this.beta1, beta2: this.beta2, learningRate: this.learningRate, epsilon: this.epsilon };
  tf.tidy(() => {
    entries(grads).forEach(([name, gradient], i) => {
      const value = vars[name];
      this.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
      this.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
      if (gradient == null) return;
      const m = this.accumulatedFirstMoment[i].variable, v = this.accumulatedSecondMoment[i].variable;
      const inputs = { value, m, v, gradient, accBeta1: this.accBeta1, accBeta2: this.accBeta2 };
      const [nw, nm, nv] = tf.engine().runKernel(ADAM_UPDATE, inputs, attrs) as tf.Tensor[];
      m.assign(nm);
      v.assign(nv);
      value.assign(nw);
    });
    this.accBeta1.assign(tf.mul(this.accBeta1, this.beta1));
    this.accBeta2.assign(tf.mul(this.accBeta2, this.beta2));
  });
  this.incrementIterations();
}

/** Replaces `proto.applyGradients` by `fused` while fused training is active and applies. */
function patchApply(proto: { applyGradients(g: Grads): void }, fused: (g: Grads) => void): void {
  const original = proto.applyGradients;
  proto.applyGradients = function (this: unknown, grads: Grads): void {
    if (active() && fusable(grads)) fused.call(this, grads);
    else original.call(this, grads);
  };
}

const isF32 = (...ts: tf.Tensor[]): boolean => ts.every((t) => t.dtype === 'float32');

/** Routes `kernelName`'s gradient to a fused kernel `fusedName` {dy, [savedName]: saved[0]} when active. */
function patchGradient(kernelName: string, fusedName: string, savedName: string): void {
  const original = tf.getGradient(kernelName);
  tf.registerGradient({
    ...original,
    gradFunc: (dy, saved, attrs) => {
      const d = dy as tf.Tensor, s = saved[0];
      if (!active() || !isF32(d, s) || !tf.util.arraysEqual(d.shape, s.shape)) return original.gradFunc(dy, saved, attrs);
      return { x: () => tf.engine().runKernel(fusedName, { dy: d, [savedName]: s }) as tf.Tensor };
    },
  });
}

/** Gradients of the fused gradient kernels themselves (for gradients of gradients). */
function registerSecondOrder(): void {
  tf.registerGradient({
    kernelName: RELU_GRAD, inputsToSave: ['dy', 'x'],
    gradFunc: (g, [, x]) => ({
      dy: () => tf.mul(g as tf.Tensor, tf.cast(tf.step(x), 'float32')),
      x: () => tf.zerosLike(x),
    }),
  });
  tf.registerGradient({
    kernelName: SIGMOID_GRAD, inputsToSave: ['dy', 'y'],
    gradFunc: (g, [dy, y]) => ({
      dy: () => tf.mul(g as tf.Tensor, tf.mul(y, tf.sub(1, y))),
      y: () => tf.mul(g as tf.Tensor, tf.mul(dy, tf.sub(1, tf.mul(2, y)))),
    }),
  });
}

/** Installs the fused paths (once); they act only while the native backend is active. */
export function installFusedTraining(): void {
  if (installed) return;
  installed = true;
  // MomentumOptimizer extends SGDOptimizer but has its own applyGradients: each class is patched alone.
  patchApply(tf.SGDOptimizer.prototype, sgdApply as unknown as (g: Grads) => void);
  patchApply(tf.MomentumOptimizer.prototype, momentumApply as unknown as (g: Grads) => void);
  patchApply(tf.AdamOptimizer.prototype, adamApply as unknown as (g: Grads) => void);
  patchGradient(tf.Relu, RELU_GRAD, 'x');
  patchGradient(tf.Sigmoid, SIGMOID_GRAD, 'y');
  registerSecondOrder();
}
