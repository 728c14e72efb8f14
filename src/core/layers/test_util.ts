/** Test helpers for the layer tests (not shipped; plain throws, so that the core lint rule holds): closeness checks and seeded inputs. */
import * as tf from '@tensorflow/tfjs';
import { rng } from '../rng.js';

/** A seeded N(0, 1) tensor. */
export function randt(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(rng(seed).normals(shape.reduce((a, b) => a * b, 1)), shape);
}

/** Asserts |a − b| ≤ atol + rtol·|b| elementwise. */
export function assertClose(a: ArrayLike<number>, b: ArrayLike<number>, label: string, rtol = 1e-4, atol = 1e-5): void {
  if (a.length !== b.length) throw new Error(`${label}: length ${a.length} vs ${b.length}`);
  for (let i = 0; i < a.length; i++) {
    if (!(Math.abs(a[i] - b[i]) <= atol + rtol * Math.abs(b[i]))) throw new Error(`${label} @${i}: ${a[i]} vs ${b[i]}`);
  }
}

/** The values of a layer's weight called `suffix` (e.g. 'U', 'V'). */
export function weightValues(layer: tf.layers.Layer, suffix: string): Float32Array {
  const w = layer.weights.find((x) => new RegExp(`/${suffix}(_\\d+)?$`).test(x.name));
  if (!w) throw new Error(`no weight ${suffix} in ${layer.name}`);
  return w.read().dataSync() as Float32Array;
}
