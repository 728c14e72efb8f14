import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { registerNativeBackend } from './register.js';
import { fusedTrainingEnabled, setFusedTraining } from './fused_training.js';
import { ADAM_UPDATE, MOMENTUM_UPDATE, RELU_GRAD, SGD_UPDATE, SIGMOID_GRAD } from './kernels/fused_train.js';
import type { NativeBackend } from './native_backend.js';
import { rng } from '../../core/rng.js';

// The reference is TF.js's own optimizer and gradient code (setFusedTraining(false)) on the same
// backend: the fused kernels claim the same float32 operations in the same order, so weights must
// agree bit for bit, not within a tolerance.

async function native(): Promise<NativeBackend> {
  assert.ok(registerNativeBackend(), 'native addon must be built (npm run build:native)');
  await tf.setBackend('native');
  return tf.backend() as NativeBackend;
}

function model(activation: 'relu' | 'sigmoid'): tf.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.dense({ inputShape: [30], units: 70, activation, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }));
  m.add(tf.layers.dense({ units: 40, activation, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }));
  m.add(tf.layers.dense({ units: 10, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }));
  return m;
}

function batch(): { x: tf.Tensor; y: tf.Tensor } {
  const r = rng(5);
  const x = tf.tensor(r.fork('x').normals(16 * 30), [16, 30]);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: 16 }, (_, i) => (i * 7) % 10), 'int32'), 10).asType('float32');
  return { x, y };
}

/** Trains a fresh model for `steps` steps; returns its weights, the optimizer's weights and the kernels that ran. */
async function train(fused: boolean, opt: () => tf.Optimizer, activation: 'relu' | 'sigmoid', steps = 5) {
  setFusedTraining(fused);
  try {
    const m = model(activation), o = opt(), { x, y } = batch();
    const kernels = new Set<string>();
    for (let s = 0; s < steps; s++) {
      const p = await tf.profile(() => {
        o.minimize(() => tf.losses.softmaxCrossEntropy(y, m.apply(x, { training: true }) as tf.Tensor) as tf.Scalar);
      });
      p.kernelNames.forEach((k) => kernels.add(k));
    }
    const weights = m.getWeights().map((w) => w.dataSync().slice());
    const optWeights = await Promise.all((await o.getWeights()).map(async (w) => ({ name: w.name.replace(/^.*\//, ''), values: (await w.tensor.data()).slice() })));
    m.dispose();
    o.dispose();
    tf.dispose([x, y]);
    return { weights, optWeights, kernels };
  } finally {
    setFusedTraining(true);
  }
}

const OPTIMIZERS = {
  sgd: () => tf.train.sgd(0.1),
  momentum: () => tf.train.momentum(0.05, 0.9),
  nesterov: () => tf.train.momentum(0.05, 0.7, true),
  adam: () => tf.train.adam(0.01),
};
type OptName = keyof typeof OPTIMIZERS;
const UPDATE: Record<OptName, string> = { sgd: SGD_UPDATE, momentum: MOMENTUM_UPDATE, nesterov: MOMENTUM_UPDATE, adam: ADAM_UPDATE };

for (const [name, opt] of Object.entries(OPTIMIZERS) as [OptName, () => tf.Optimizer][]) {
  for (const activation of ['relu', 'sigmoid'] as const) {
    test(`${name} with ${activation}: the fused kernels run and give TF.js's weights bit for bit`, async () => {
      await native();
      const plain = await train(false, opt, activation), fused = await train(true, opt, activation);
      const grad = activation === 'relu' ? RELU_GRAD : SIGMOID_GRAD;
      assert.ok(fused.kernels.has(UPDATE[name]) && fused.kernels.has(grad), `fused kernels ran: ${[...fused.kernels].join(',')}`);
      assert.ok(!plain.kernels.has(UPDATE[name]) && !plain.kernels.has(grad), 'off means TF.js ops only');
      assert.equal(fused.weights.length, plain.weights.length);
      fused.weights.forEach((w, i) => assert.deepEqual(w, plain.weights[i], `weight ${i}`));
      // The optimizer's state (momentum accumulators; Adam's m, v) has TF.js's values, order and names.
      assert.deepEqual(fused.optWeights, plain.optWeights);
    });
  }
}

test('applyGradients in array form and with a missing gradient: fused equals TF.js', async () => {
  await native();
  const run = (fused: boolean, make: () => tf.Optimizer) => {
    setFusedTraining(fused);
    try {
      const a = tf.variable(tf.tensor1d([0.5, -1, 2, 4])), b = tf.variable(tf.tensor2d([[1, 2], [3, -4]]));
      const o = make();
      for (let s = 0; s < 3; s++) {
        tf.tidy(() => {
          const ga = tf.mul(a, s + 1), gb = tf.sub(b, 0.25);
          // b's gradient is missing (null) in the first step; array form names each variable.
          o.applyGradients([{ name: a.name, tensor: ga }, { name: b.name, tensor: s === 0 ? (null as unknown as tf.Tensor) : gb }]);
        });
      }
      const out = [a.dataSync().slice(), b.dataSync().slice()];
      o.dispose();
      tf.dispose([a, b]);
      return out;
    } finally {
      setFusedTraining(true);
    }
  };
  for (const make of Object.values(OPTIMIZERS)) assert.deepEqual(run(true, make), run(false, make));
});

test('an in-place update never changes what a clone or dataSync() holds', async () => {
  await native();
  const m = model('relu'), o = tf.train.sgd(0.5), { x, y } = batch();
  const step = () => o.minimize(() => tf.losses.softmaxCrossEntropy(y, m.apply(x, { training: true }) as tf.Tensor) as tf.Scalar);
  step();
  step(); // the weights now sit in pooled arrays that fused SGD updates in place
  const kernel = m.getWeights()[0];
  const clone = tf.clone(kernel);
  const before = clone.dataSync().slice();
  step();
  assert.deepEqual(clone.dataSync(), before, 'a clone keeps the values of its time');
  const seen = kernel.dataSync();
  const seenCopy = seen.slice();
  step();
  step();
  assert.deepEqual(seen, seenCopy, 'an array dataSync() returned is never written again');
  assert.notDeepEqual(kernel.dataSync(), seenCopy, 'training went on');
  clone.dispose();
  m.dispose();
  o.dispose();
  tf.dispose([x, y]);
});

test('fused Adam keeps tf.memory().numTensors and the pool size constant over 60 steps', async () => {
  const be = await native();
  const m = model('relu'), o = tf.train.adam(0.01), { x, y } = batch();
  let ref: unknown;
  for (let s = 0; s < 60; s++) {
    const loss = o.minimize(() => tf.losses.softmaxCrossEntropy(y, m.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true);
    loss?.dispose();
    const now = { numTensors: tf.memory().numTensors, pool: be.pool.stats() };
    if (s === 5) ref = now;
    if (ref) assert.deepEqual(now, ref, `step ${s}`);
  }
  m.dispose();
  o.dispose();
  tf.dispose([x, y]);
});

/** Element-wise identity including NaN and the sign of zero. */
function assertSame(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < actual.length; i++) assert.ok(Object.is(actual[i], expected[i]), `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
}

function bothWays(f: () => tf.Tensor): [Float32Array, Float32Array] {
  const run = (on: boolean) => {
    setFusedTraining(on);
    try {
      return tf.tidy(() => f().dataSync().slice() as Float32Array);
    } finally {
      setFusedTraining(true);
    }
  };
  return [run(true), run(false)];
}

test('Relu and Sigmoid gradients, first and second order, match TF.js on zeros, NaN and infinities', async () => {
  await native();
  const xs = [-2, -0, 0, 1e-30, -1e-30, 3, NaN, Infinity, -Infinity, 0.5, -0.5, 7];
  const dys = [1, -1, Infinity, NaN, -3, 0.25, 2, -Infinity, 0, -0, 1e30, -2];
  // Sizes below and above the threading threshold of the element-wise loops.
  for (const n of [xs.length, 70001]) {
    const xv = Float32Array.from({ length: n }, (_, i) => xs[i % xs.length] * (1 + (i % 5) / 7));
    const dv = Float32Array.from({ length: n }, (_, i) => dys[(i * 5) % dys.length]);
    const x = tf.tensor1d(xv), dy = tf.tensor1d(dv);
    for (const [name, act] of [['relu', tf.relu], ['sigmoid', tf.sigmoid]] as const) {
      const first = () => tf.grad((z: tf.Tensor) => act(z).mul(dy).sum())(x);
      const second = () => tf.grad((z: tf.Tensor) => tf.grad((u: tf.Tensor) => act(u).mul(u).sum())(z).mul(dy).sum())(x);
      const [f1, p1] = bothWays(first);
      assertSame(f1, p1, `${name} gradient (n=${n})`);
      const [f2, p2] = bothWays(second);
      assertSame(f2, p2, `${name} second-order gradient (n=${n})`);
    }
    tf.dispose([x, dy]);
  }
});

test('on the cpu backend the optimizers and gradients are TF.js\'s own', async () => {
  await native();
  await tf.setBackend('cpu');
  try {
    assert.ok(fusedTrainingEnabled());
    const w = tf.variable(tf.tensor1d([1, -2, 3]));
    const o = tf.train.adam(0.1);
    const p = await tf.profile(() => { o.minimize(() => tf.relu(w).sum() as tf.Scalar); });
    assert.ok(!p.kernelNames.some((k) => k.startsWith('Parampred')), p.kernelNames.join(','));
    o.dispose();
    w.dispose();
  } finally {
    await tf.setBackend('native');
  }
});

test('the fused kernels name the input that is not float32 or not of the parameter\'s size', async () => {
  await native();
  const v = tf.zeros([3]), g = tf.zeros([4]), c = tf.scalar(-0.1);
  assert.throws(() => tf.engine().runKernel(SGD_UPDATE, { value: v, gradient: g, c }), /ParampredSgdUpdate: expected input 'gradient' float32 with 3 elements, got float32 \[4\]/);
  const i = tf.zeros([3], 'int32');
  assert.throws(() => tf.engine().runKernel(RELU_GRAD, { dy: v, x: i }), /ParampredReluGrad: expected input 'x' float32 with 3 elements, got int32 \[3\]/);
  tf.dispose([v, g, c, i]);
});
