/**
 * Softmax cross-entropy from logits as one op: the mean over rows of −Σ_c y_c·log softmax(x)_c, the
 * value of `tf.losses.softmaxCrossEntropy(labels, logits)` with its defaults (no weights, no label
 * smoothing; SUM_BY_NONZERO_WEIGHTS without weights divides by the number of rows).
 *
 * Why: TF.js builds that loss from ≈ 40 kernel calls per training step (logSumExp, the per-row cost,
 * the weighted reduction, their gradients); PyTorch's F.cross_entropy is one fused op. A backend that
 * registers the kernels SOFTMAX_XENT and SOFTMAX_XENT_GRAD (parampred's native backend does) runs the
 * loss as one kernel forward and one backward; on any other backend the op is the same formula in
 * TF.js ops. Either way the gradients are the derivatives of the value, for labels too: −log softmax(x)
 * / rows. (tf.losses.softmaxCrossEntropy returns y − softmax(x) as the labels' gradient, which is not
 * its derivative.) Gradients of gradients work through the kernels (their gradients are registered);
 * through TF.js ops they do not (TF.js has no gradient for the max inside logSumExp's gradient, and
 * tf.losses.softmaxCrossEntropy has none either).
 */
import * as tf from '@tensorflow/tfjs';
import { check } from '../errors.js';

/** Kernel {logits, labels} → the mean loss, a float32 scalar. */
export const SOFTMAX_XENT = 'ParampredSoftmaxCrossEntropy';
/** Kernel {dy, logits, labels} → (dy / rows)·(softmax(logits) − labels): the gradient for logits. */
export const SOFTMAX_XENT_GRAD = 'ParampredSoftmaxCrossEntropyGrad';

const hasKernel = (name: string): boolean => tf.getKernel(name, tf.getBackend()) !== undefined;

/** Number of rows: every element but those of the last (class) axis. */
const rowsOf = (t: tf.Tensor): number => t.size / t.shape[t.rank - 1];

/** log softmax(x) over the last axis, as TF.js's own loss computes it: x − logSumExp(x). */
const logSoftmax = (x: tf.Tensor): tf.Tensor => tf.sub(x, tf.logSumExp(x, x.rank - 1, true));

/** The loss in TF.js ops: mean over rows of −Σ y·log softmax(x). */
function composite(labels: tf.Tensor, logits: tf.Tensor): tf.Scalar {
  return tf.div(tf.neg(tf.sum(tf.mul(labels, logSoftmax(logits)))), rowsOf(logits)) as tf.Scalar;
}

/** (dy / rows)·(softmax(logits) − labels) in TF.js ops. */
function compositeGrad(dy: tf.Tensor, logits: tf.Tensor, labels: tf.Tensor): tf.Tensor {
  return tf.mul(tf.div(dy, rowsOf(logits)), tf.sub(tf.softmax(logits), labels));
}

// The gradients of both kernels, backend-independent, registered when this module loads.
tf.registerGradient({
  kernelName: SOFTMAX_XENT,
  inputsToSave: ['logits', 'labels'],
  gradFunc: (dy, [logits, labels]) => ({
    logits: () => (hasKernel(SOFTMAX_XENT_GRAD)
      ? tf.engine().runKernel(SOFTMAX_XENT_GRAD, { dy: dy as tf.Tensor, logits, labels }) as tf.Tensor
      : compositeGrad(dy as tf.Tensor, logits, labels)),
    labels: () => tf.mul(tf.div(dy as tf.Tensor, -rowsOf(logits)), logSoftmax(logits)),
  }),
});
// g ↦ the vector-Jacobian products of (dy, x, y) ↦ (dy / rows)·(s − y), s = softmax(x) row-wise.
tf.registerGradient({
  kernelName: SOFTMAX_XENT_GRAD,
  inputsToSave: ['dy', 'logits', 'labels'],
  gradFunc: (g, [dy, logits, labels]) => {
    const gt = g as tf.Tensor, rows = rowsOf(logits), last = logits.rank - 1;
    return {
      dy: () => tf.div(tf.sum(tf.mul(gt, tf.sub(tf.softmax(logits), labels))), rows),
      logits: () => {
        const s = tf.softmax(logits), u = tf.mul(gt, tf.div(dy, rows));
        return tf.mul(s, tf.sub(u, tf.sum(tf.mul(u, s), last, true)));
      },
      labels: () => tf.mul(gt, tf.div(dy, -rows)),
    };
  },
});

/**
 * Mean softmax cross-entropy of `logits` against `labels` (one-hot or any distribution over the last
 * axis), both of one shape, rank ≥ 1: a float32 scalar. One fused kernel each way where the active
 * backend has them, else TF.js ops.
 */
export function softmaxCrossEntropy(labels: tf.Tensor, logits: tf.Tensor): tf.Scalar {
  const fn = 'softmaxCrossEntropy';
  check(logits.rank >= 1 && logits.size > 0, fn, 'logits of rank ≥ 1 with at least one element', logits);
  check(tf.util.arraysEqual(labels.shape, logits.shape), fn, `labels of the logits' shape [${logits.shape.join(', ')}]`, labels);
  return tf.tidy(() => {
    const y = labels.dtype === 'float32' ? labels : tf.cast(labels, 'float32');
    const x = logits.dtype === 'float32' ? logits : tf.cast(logits, 'float32');
    return hasKernel(SOFTMAX_XENT) ? tf.engine().runKernel(SOFTMAX_XENT, { logits: x, labels: y }) as tf.Scalar : composite(y, x);
  });
}
