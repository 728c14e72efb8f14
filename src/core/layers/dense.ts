/**
 * A dense layer that trains through one fused kernel: act(x·W + b) as TF.js's `_FusedMatMul` forward,
 * with a gradient registered for that kernel, so that a training step records one op per layer.
 *
 * Why: while gradients are recorded, TF.js's Dense (tf.fused.matMul) falls back to three ops for a
 * non-linear activation (matMul, add, relu) and, for a linear one, wraps the fused kernel in a custom
 * gradient with reshapes; with the tape's clones that is 9–10 kernel calls forward and 6–7 backward per
 * layer. This layer makes 4 forward (the kernel and the clones of x, W and y the gradient needs) and 3–4
 * backward (activation gradient, ∂W, ∂x where needed, ∂b). The gradient of the activation comes from
 * y: ReLU′ = step(y) (y > 0 exactly where x·W + b > 0), sigmoid′ = y·(1 − y), each through TF.js's
 * registered Relu / Sigmoid gradient (parampred's fused one on the native backend).
 *
 * `Dense` is TF.js's Dense with that call: same arguments, weights, config and class name, so models
 * save and load as TF.js's Dense. Inputs of rank ≠ 2 or other activations take TF.js's own call.
 */
import * as tf from '@tensorflow/tfjs';
import { ParampredError } from '../errors.js';

export type FusedActivation = 'linear' | 'relu' | 'sigmoid';

const FUSED: readonly string[] = ['linear', 'relu', 'sigmoid'];

/** True for the activations (TF.js names) that `fusedDense` runs inside its kernel. */
export function isFusedActivation(name: string): name is FusedActivation {
  return FUSED.includes(name);
}

const FUSED_MATMUL = '_FusedMatMul';

/** ∂L/∂z from ∂L/∂y for y = act(z), from the output y, by TF.js's registered activation gradients. */
function activationGrad(dy: tf.Tensor, y: tf.Tensor, activation: FusedActivation): tf.Tensor {
  if (activation === 'linear') return dy;
  const kernel = activation === 'relu' ? tf.Relu : tf.Sigmoid;
  const g = tf.getGradient(kernel).gradFunc(dy, [y], {}) as Record<string, () => tf.Tensor>;
  return g.x();
}

/*
 * The gradient of `_FusedMatMul` for rank-2 operands, a bias of shape [n] and the fused activations,
 * registered when this module loads. TF.js registers none (its fused ops run the kernel inside a
 * custom gradient, with the tape off), so this applies only where the kernel itself is recorded:
 * `fusedDense`.
 */
tf.registerGradient({
  kernelName: FUSED_MATMUL,
  inputsToSave: ['a', 'b'],
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [a, b, y] = saved;
    const { transposeA, transposeB, activation } = attrs as unknown as { transposeA: boolean; transposeB: boolean; activation: string };
    if (a.rank !== 2 || b.rank !== 2 || !isFusedActivation(activation)) {
      throw new ParampredError('fusedDense gradient', `expected rank-2 operands and a linear, relu or sigmoid activation, got ranks ${a.rank}, ${b.rank} and ${JSON.stringify(activation)}`);
    }
    const dz = activationGrad(dy as tf.Tensor, y, activation);
    return {
      a: () => (transposeA ? tf.matMul(b, dz, transposeB, true) : tf.matMul(dz, b, false, !transposeB)),
      b: () => (transposeB ? tf.matMul(dz, a, true, transposeA) : tf.matMul(a, dz, !transposeA, false)),
      bias: () => tf.sum(dz, 0),
    };
  },
});

/**
 * act(x·W + b) for x [m, k], W [k, n], b [n] or null, as one `_FusedMatMul` kernel that gradients go
 * through (the gradient registered above).
 */
export function fusedDense(x: tf.Tensor2D, kernel: tf.Tensor2D, bias: tf.Tensor1D | null, activation: FusedActivation): tf.Tensor2D {
  const inputs: tf.NamedTensorMap = { a: x, b: kernel };
  if (bias) inputs.bias = bias;
  return tf.engine().runKernel(FUSED_MATMUL, inputs, { transposeA: false, transposeB: false, activation }) as tf.Tensor2D;
}

/** The parts of TF.js's Dense this layer reads (declared protected or private by TF.js). */
interface DenseInternals {
  activation: { getClassName(): string };
  kernel: { read(): tf.Tensor };
  bias: { read(): tf.Tensor } | null;
  invokeCallHook(inputs: tf.Tensor | tf.Tensor[], kwargs: object): void;
}

type DenseArgs = Parameters<typeof tf.layers.dense>[0];
type LayerCtor = new (args: DenseArgs) => tf.layers.Layer;

/** TF.js's Dense class, from the serialization registry (tf.layers does not export the class). */
const TfDense = tf.serialization.SerializationMap.getMap().classNameMap.Dense[0] as unknown as LayerCtor;

/** TF.js's Dense, trained through one fused kernel per step (module comment). */
export class Dense extends TfDense {
  /** TF.js's own name: models save as, and load back into, TF.js's Dense. */
  static className = 'Dense';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: tf.serialization.ConfigDict): tf.Tensor | tf.Tensor[] {
    const self = this as unknown as DenseInternals;
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    const activation = self.activation.getClassName();
    const bias = self.bias?.read();
    if ((Array.isArray(inputs) && inputs.length !== 1) || input.rank !== 2 || input.dtype !== 'float32' || !isFusedActivation(activation) || (bias && bias.rank !== 1)) {
      return super.call(inputs, kwargs);
    }
    return tf.tidy(() => {
      self.invokeCallHook(inputs, kwargs);
      return fusedDense(input as tf.Tensor2D, self.kernel.read() as tf.Tensor2D, (bias ?? null) as tf.Tensor1D | null, activation);
    });
  }
}

/** A parampred Dense layer (tf.layers.dense's arguments). */
export function dense(args: DenseArgs): Dense {
  return new Dense(args);
}
