/** Element-wise activations of the predicted layers, by the same names as tf.layers. */
import * as tf from '@tensorflow/tfjs';
import { unknownName } from '../errors.js';

const table = {
  linear: (x: tf.Tensor) => x,
  relu: (x: tf.Tensor) => tf.relu(x),
  sigmoid: (x: tf.Tensor) => tf.sigmoid(x),
  tanh: (x: tf.Tensor) => tf.tanh(x),
  elu: (x: tf.Tensor) => tf.elu(x),
  softplus: (x: tf.Tensor) => tf.softplus(x),
  softmax: (x: tf.Tensor) => tf.softmax(x),
} as const satisfies Record<string, (x: tf.Tensor) => tf.Tensor>;

export type ActivationName = keyof typeof table;
export const activationNames = Object.keys(table) as ActivationName[];

/** The activation function named `name`, or an error listing the known ones. */
export function activationFn(name: string, fn: string): (x: tf.Tensor) => tf.Tensor {
  if (!Object.hasOwn(table, name)) throw unknownName(fn, 'activation', name, activationNames);
  return table[name as ActivationName];
}
