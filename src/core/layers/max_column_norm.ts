/**
 * MaxColumnNorm: a TF.js constraint that rescales each column of a weight to L2 norm ≤ maxValue,
 * w ← w · (max/‖w_col‖ where ‖w_col‖ > max·(1 + 1e-6), else 1), the norm taken over `axes` (the axes
 * that hold one output unit's weights). The small tolerance makes the projection idempotent bit for
 * bit, so re-applying it when saved weights are written back (LayerVariable.write) changes nothing.
 * Which axes form a column is the layer's rule: all but the last for a kernel, PredictedLayer.vColumnAxes
 * for a predicted layer's V.
 */
import * as tf from '@tensorflow/tfjs';
import { check } from '../errors.js';

export interface MaxColumnNormArgs {
  maxValue: number;
  /** The axes the norm runs over (default [0]). */
  axes?: number[];
}

/** TF.js's Constraint type (the class itself is not exported by @tensorflow/tfjs). */
export type Constraint = ReturnType<typeof tf.constraints.maxNorm>;

/** Rescales each column to L2 norm ≤ maxValue (see the file doc); structurally a TF.js Constraint. */
export class MaxColumnNorm extends tf.serialization.Serializable implements Constraint {
  static className = 'MaxColumnNorm';
  readonly maxValue: number;
  readonly axes: number[];

  constructor(args: MaxColumnNormArgs) {
    super();
    check(Number.isFinite(args.maxValue) && args.maxValue > 0, 'MaxColumnNorm', 'maxValue a positive number', args.maxValue);
    this.maxValue = args.maxValue;
    this.axes = [...(args.axes ?? [0])];
  }

  apply(w: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const norms = tf.sqrt(tf.sum(tf.square(w), this.axes, true));
      const scale = tf.where(tf.greater(norms, this.maxValue * (1 + 1e-6)), tf.div(this.maxValue, norms), tf.onesLike(norms));
      return tf.mul(w, scale);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { maxValue: this.maxValue, axes: [...this.axes] };
  }
}
tf.serialization.registerClass(MaxColumnNorm);

/** Axes of every dimension but the last (the output unit's weights of a kernel). */
export function kernelColumnAxes(rank: number): number[] {
  return [...Array(rank - 1).keys()];
}

/**
 * Attaches (or with null removes) `constraint` to a layer weight after it was built: TF.js applies it
 * whenever the weight is written (setWeights, LayerVariable.write); training loops apply it after each
 * step (applyConstraints).
 */
export function setWeightConstraint(w: tf.LayerVariable, constraint: Constraint | null): void {
  (w as unknown as { constraint: Constraint | null }).constraint = constraint;
}

/** Applies each weight's constraint to its current value (after an optimizer step). */
export function applyConstraints(weights: readonly tf.LayerVariable[]): void {
  tf.tidy(() => {
    for (const w of weights) {
      if (!w.constraint) continue;
      const v = w.read() as tf.Variable;
      v.assign(w.constraint.apply(v));
    }
  });
}
