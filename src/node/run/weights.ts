/** A model's weights (trainable and fixed: U and α included) as named arrays, and back. */
import * as tf from '@tensorflow/tfjs';
import { ParampredError } from '../../core/errors.js';
import type { NamedArray } from './arrays.js';

/** Every weight of `model`, in model.weights order. */
export function modelArrays(model: tf.LayersModel): NamedArray[] {
  return model.weights.map((w) => {
    const v = w.read();
    const int = v.dtype === 'int32';
    return { name: w.originalName ?? w.name, shape: v.shape, dtype: int ? 'int32' : 'float32', data: int ? Int32Array.from(v.dataSync()) : Float32Array.from(v.dataSync()) };
  });
}

/** Sets every weight of `model` from `arrays` (same order and shapes, names may differ in their numeric suffixes). */
export function setModelArrays(model: tf.LayersModel, arrays: readonly NamedArray[], fn = 'setModelArrays'): void {
  const ws = model.weights;
  if (ws.length !== arrays.length) throw new ParampredError(fn, `expected ${ws.length} weight arrays for this model, got ${arrays.length}`);
  ws.forEach((w, i) => {
    const a = arrays[i];
    if (w.shape.join(',') !== a.shape.join(',')) {
      throw new ParampredError(fn, `expected weight ${i} (${w.name}) of shape [${w.shape.join(', ')}], got ${a.name} of shape [${a.shape.join(', ')}]`);
    }
  });
  const tensors = arrays.map((a) => tf.tensor(a.data, a.shape, a.dtype));
  model.setWeights(tensors);
  tf.dispose(tensors);
}
