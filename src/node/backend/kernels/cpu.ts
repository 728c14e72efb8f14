/** The cpu backend's kernel for a name, to delegate cases a native kernel does not handle. */
import * as tf from '@tensorflow/tfjs';

export function cpuKernel(name: string): (args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }) => tf.TensorInfo {
  const k = tf.getKernel(name, 'cpu');
  if (!k) throw new Error(`cpuKernel: expected the cpu backend to register ${name}, found none`);
  return k.kernelFunc as never;
}
