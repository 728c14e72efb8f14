/**
 * The RICA objective (Le, Karpenko, Ngiam & Ng 2011; docs/method.md §2): for features W (d × k, one
 * column per feature) and whitened patches X (n × d),
 *   J(W) = (1/n)·[ λ·Σ_{i,k} g((XŴ)_{ik}) + ‖X·Ŵ·Ŵᵀ − X‖²_F ],   g(u) = √(ε + u²) (a smooth L1),
 * with Ŵ = W with each column scaled to unit norm when `normalize` (as Le et al.'s code does: it keeps the
 * sparsity term from shrinking W to 0 and the reconstruction term from choosing the scale) or Ŵ = W.
 */
import * as tf from '@tensorflow/tfjs';

export interface RicaObjectiveOptions {
  /** Weight of the sparsity penalty (default 0.1). */
  lambda?: number;
  /** ε of g(u) = √(ε + u²) (default 0.01). */
  epsilon?: number;
  /** Scale each feature (column of W) to unit norm first (default true). */
  normalize?: boolean;
}

/** The columns of W (d × k) scaled to unit L2 norm (a tiny floor keeps a zero column finite). */
export function unitColumns(w: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.div(w, tf.sqrt(tf.add(tf.sum(tf.square(w), 0, true), 1e-12))));
}

/** J(W) of the file doc on the batch X (n × d). */
export function ricaLoss(w: tf.Tensor2D, x: tf.Tensor2D, o: RicaObjectiveOptions = {}): tf.Scalar {
  const lambda = o.lambda ?? 0.1, eps = o.epsilon ?? 0.01;
  return tf.tidy(() => {
    const wn = (o.normalize ?? true) ? unitColumns(w) : w;
    const h = tf.matMul(x, wn); // n × k
    const sparsity = tf.sum(tf.sqrt(tf.add(tf.square(h), eps)));
    const r = tf.sub(tf.matMul(h, wn, false, true), x); // n × d
    return tf.div(tf.add(tf.mul(sparsity, lambda), tf.sum(tf.square(r))), x.shape[0]) as tf.Scalar;
  });
}
