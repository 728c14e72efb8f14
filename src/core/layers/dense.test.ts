import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Dense, dense } from './dense.js'; // importing registers the _FusedMatMul gradient
import { rng } from '../rng.js';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number, label: string) => {
  assert.equal(a.length, b.length, `${label}: length`);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol * (1 + Math.abs(b[i])), `${label} @${i}: ${a[i]} vs ${b[i]}`);
};

/** Output and gradients (input, kernel, bias) of a layer on x under a weighted-sum loss. */
function outAndGrads(layer: tf.layers.Layer, x: tf.Tensor, w: tf.Tensor): Float32Array[] {
  return tf.tidy(() => {
    const f = () => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, w)) as tf.Scalar;
    const { grads } = tf.variableGrads(f, layer.trainableWeights.map((v) => (v as unknown as { val: tf.Variable }).val));
    const gx = tf.grad((z: tf.Tensor) => tf.sum(tf.mul(layer.apply(z) as tf.Tensor, w)))(x);
    return [layer.apply(x) as tf.Tensor, gx, ...Object.values(grads)].map((t) => t.dataSync() as Float32Array);
  });
}

test('Dense = tf.layers.dense: outputs and gradients (x, W, b) for relu, linear, sigmoid, softmax and tanh, with and without bias', async () => {
  await tf.setBackend('cpu');
  const r = rng(1);
  const x = tf.tensor2d(r.normals(9 * 6), [9, 6]);
  for (const activation of ['relu', 'linear', 'sigmoid', 'softmax', 'tanh'] as const) {
    for (const useBias of [true, false]) {
      const ours = dense({ units: 4, activation, useBias, inputShape: [6] }), theirs = tf.layers.dense({ units: 4, activation, useBias, inputShape: [6] });
      ours.build([null, 6]);
      theirs.build([null, 6]);
      // a bias away from 0 so that ReLU's kinks are exercised on both sides
      theirs.setWeights(ours.getWeights().map((v, k) => (k === 1 ? tf.add(v, tf.tensor1d(r.normals(4))) : v)));
      ours.setWeights(theirs.getWeights());
      const w = tf.tensor2d(r.normals(9 * 4), [9, 4]);
      const a = outAndGrads(ours, x, w), b = outAndGrads(theirs, x, w);
      a.forEach((v, k) => close(v, b[k], 1e-5, `${activation} bias=${useBias} output ${k}`));
    }
  }
});

test('Dense records one _FusedMatMul per layer (no Add, no Relu) while training, and TF.js\'s ops for rank-3 input', async () => {
  await tf.setBackend('cpu');
  const layer = dense({ units: 3, activation: 'relu', inputShape: [5] });
  const x = tf.randomNormal([4, 5], 0, 1, 'float32', 2);
  layer.build([null, 5]);
  const vars = layer.trainableWeights.map((v) => (v as unknown as { val: tf.Variable }).val);
  const names = async (input: tf.Tensor) => (await tf.profile(() => tf.variableGrads(() => tf.sum(layer.apply(input) as tf.Tensor) as tf.Scalar, vars))).kernels.map((k) => k.name);
  const k2 = await names(x);
  assert.equal(k2.filter((n) => n === '_FusedMatMul').length, 1);
  assert.ok(!k2.includes('Add') && !k2.includes('Relu'), k2.join(' '));
  const k3 = await names(tf.randomNormal([2, 4, 5], 0, 1, 'float32', 3));
  assert.ok(!k3.includes('_FusedMatMul'), k3.join(' '));
});

test('fusedDense gradient through the transposed forms of _FusedMatMul = TF.js matMul + add + activation', async () => {
  await tf.setBackend('cpu');
  const r = rng(4);
  for (const transposeA of [false, true]) {
    for (const transposeB of [false, true]) {
      for (const activation of ['relu', 'linear', 'sigmoid']) {
        const a = tf.tensor2d(r.normals(15), transposeA ? [5, 3] : [3, 5]), b = tf.tensor2d(r.normals(20), transposeB ? [4, 5] : [5, 4]);
        const bias = tf.tensor1d(r.normals(4)), w = tf.tensor2d(r.normals(12), [3, 4]);
        const viaKernel = (p: tf.Tensor, q: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(tf.engine().runKernel('_FusedMatMul', { a: p, b: q, bias: c }, { transposeA, transposeB, activation }) as tf.Tensor, w));
        const plain = (p: tf.Tensor, q: tf.Tensor, c: tf.Tensor) => {
          const z = tf.add(tf.matMul(p, q, transposeA, transposeB), c);
          return tf.sum(tf.mul(activation === 'relu' ? tf.relu(z) : activation === 'sigmoid' ? tf.sigmoid(z) : z, w));
        };
        const g1 = tf.grads(viaKernel)([a, b, bias]), g2 = tf.grads(plain)([a, b, bias]);
        g1.forEach((g, k) => close(g.dataSync(), g2[k].dataSync(), 1e-5, `tA=${transposeA} tB=${transposeB} ${activation} grad ${k}`));
      }
    }
  }
});

test('a model of Dense layers saves as TF.js Dense and loads back into it with the same predictions', async () => {
  await tf.setBackend('cpu');
  const m = tf.sequential();
  m.add(new Dense({ units: 7, activation: 'relu', inputShape: [3] }));
  m.add(dense({ units: 2 }));
  const json = m.toJSON(null, false) as { config: { layers: { class_name: string }[] } };
  assert.deepEqual(json.config.layers.map((l) => l.class_name), ['Dense', 'Dense']);
  const back = await tf.models.modelFromJSON({ modelTopology: json as unknown as tf.io.ModelJSON['modelTopology'] });
  back.setWeights(m.getWeights());
  const x = tf.randomNormal([5, 3], 0, 1, 'float32', 9);
  close((back.predict(x) as tf.Tensor).dataSync(), (m.predict(x) as tf.Tensor).dataSync(), 1e-6, 'predictions');
  assert.ok(!(back.layers[0] instanceof Dense));
});
