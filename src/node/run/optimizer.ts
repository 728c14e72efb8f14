/**
 * The training optimizer from an experiment's optimizer spec: TF.js Adam or SGD (with momentum), a
 * learning-rate schedule, and a state that restores exactly. TF.js's Adam.setWeights recomputes its
 * bias-correction scalars as β^(t+1) with pow, which differs in the last bits from the running
 * product it keeps while training; we save and restore those two scalars too, so that a resumed run
 * is bit-identical to an uninterrupted one.
 */
import * as tf from '@tensorflow/tfjs';
import type { OptimizerSpec } from '../../core/experiments/index.js';
import type { NamedArray } from './arrays.js';

/** Learning rate at `step` of `totalSteps` (epoch = the step's epoch): cosine to 0, step decay, or constant. */
export function learningRate(spec: OptimizerSpec, step: number, totalSteps: number, epoch: number): number {
  switch (spec.schedule) {
    case 'cosine':
      return spec.lr * 0.5 * (1 + Math.cos((Math.PI * step) / Math.max(1, totalSteps)));
    case 'step':
      return spec.lr * spec.stepGamma ** Math.floor(epoch / spec.stepEvery);
    case 'none':
      return spec.lr;
  }
}

type AdamPrivate = { learningRate: number; accBeta1: tf.Variable; accBeta2: tf.Variable };

export interface TrainOptimizer {
  readonly optimizer: tf.Optimizer;
  setLearningRate(lr: number): void;
  /** The optimizer's state as arrays (getWeights(), plus Adam's β-power scalars). */
  getState(): Promise<NamedArray[]>;
  setState(arrays: NamedArray[]): Promise<void>;
  dispose(): void;
}

/** Builds the optimizer for `spec`. */
export function makeOptimizer(spec: OptimizerSpec): TrainOptimizer {
  const adam = spec.name === 'adam';
  const optimizer: tf.Optimizer = adam
    ? tf.train.adam(spec.lr, spec.beta1, spec.beta2)
    : spec.momentum > 0
      ? tf.train.momentum(spec.lr, spec.momentum)
      : tf.train.sgd(spec.lr);
  let current = spec.lr;
  return {
    optimizer,
    setLearningRate(lr: number) {
      if (lr === current) return;
      current = lr;
      if (adam) (optimizer as unknown as AdamPrivate).learningRate = lr;
      else (optimizer as tf.SGDOptimizer).setLearningRate(lr);
    },
    async getState() {
      const weights = await optimizer.getWeights();
      const out: NamedArray[] = weights.map((w) => ({
        name: w.name,
        shape: w.tensor.shape,
        dtype: w.tensor.dtype === 'int32' ? 'int32' : 'float32',
        data: w.tensor.dtype === 'int32' ? Int32Array.from(w.tensor.dataSync()) : Float32Array.from(w.tensor.dataSync()),
      }));
      if (adam) {
        const p = optimizer as unknown as AdamPrivate;
        out.push({ name: '#accBeta1', shape: [], dtype: 'float32', data: Float32Array.from(p.accBeta1.dataSync()) });
        out.push({ name: '#accBeta2', shape: [], dtype: 'float32', data: Float32Array.from(p.accBeta2.dataSync()) });
      }
      // the iteration scalar is created fresh by saveIterations(); the moments are the optimizer's own
      dispose(weights[0]?.tensor);
      return out;
    },
    async setState(arrays: NamedArray[]) {
      const own = arrays.filter((a) => !a.name.startsWith('#'));
      const tensors = own.map((a) => ({ name: a.name, tensor: tf.tensor(a.data, a.shape, a.dtype) }));
      await optimizer.setWeights(tensors); // copies each into a new variable
      for (const t of tensors) t.tensor.dispose();
      if (adam) {
        const p = optimizer as unknown as AdamPrivate;
        const b1 = arrays.find((a) => a.name === '#accBeta1');
        const b2 = arrays.find((a) => a.name === '#accBeta2');
        if (b1 && b2) {
          tf.tidy(() => {
            p.accBeta1.assign(tf.scalar(b1.data[0]));
            p.accBeta2.assign(tf.scalar(b2.data[0]));
          });
        }
      }
    },
    dispose() {
      optimizer.dispose();
    },
  };
}

function dispose(t: tf.Tensor | undefined): void {
  if (t && !t.isDisposed) t.dispose();
}
