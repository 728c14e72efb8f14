import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { dense } from '../../../core/layers/dense.js';
import { assertSameOnBoth, randn } from './test_util.js';

test('parampred Dense on native = on cpu: outputs and gradients for relu, linear, sigmoid (rel tol 1e-4)', async () => {
  const x = randn([32, 20], 1), k = randn([20, 16], 2), b = randn([16], 3), w = randn([32, 16], 4);
  for (const activation of ['relu', 'linear', 'sigmoid'] as const) {
    await assertSameOnBoth(`Dense ${activation}`, () => {
      const layer = dense({ units: 16, activation, inputShape: [20] });
      layer.build([null, 20]);
      layer.setWeights([tf.tensor(k, [20, 16]), tf.tensor(b, [16])]);
      const vars = layer.trainableWeights.map((v) => (v as unknown as { val: tf.Variable }).val);
      const X = tf.tensor(x, [32, 20]), W = tf.tensor(w, [32, 16]);
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(X) as tf.Tensor, W)) as tf.Scalar, vars);
      const gx = tf.grad((z: tf.Tensor) => tf.sum(tf.mul(layer.apply(z) as tf.Tensor, W)))(X);
      const out = [value, gx, ...Object.values(grads), layer.apply(X) as tf.Tensor];
      for (const v of vars) v.dispose();
      return out;
    }, 1e-4);
  }
});
