import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { registerNativeBackend } from './register.js';

test('native BatchMatMul matches cpu on random inputs (rel tol 1e-4)', async () => {
  assert.ok(registerNativeBackend(), 'native addon must be built (npm run build:native)');
  for (const [shA, shB, tA, tB] of [
    [[5, 7], [7, 3], false, false], [[7, 5], [7, 3], true, false], [[5, 7], [3, 7], false, true],
    [[2, 5, 7], [2, 7, 3], false, false], [[1, 5, 7], [4, 7, 3], false, false], [[4, 7, 5], [3, 7], true, true],
  ] as [number[], number[], boolean, boolean][]) {
    await tf.setBackend('cpu');
    const a = tf.randomNormal(shA, 0, 1, 'float32', 1), b = tf.randomNormal(shB, 0, 1, 'float32', 2);
    const av = a.arraySync(), bv = b.arraySync();
    const ref = tf.matMul(a, b, tA, tB).dataSync();
    await tf.setBackend('native');
    const got = tf.matMul(tf.tensor(av as number[]), tf.tensor(bv as number[]), tA, tB).dataSync();
    assert.equal(got.length, ref.length);
    for (let i = 0; i < ref.length; i++) assert.ok(Math.abs(got[i] - ref[i]) <= 1e-4 * (1 + Math.abs(ref[i])), `${shA} ${shB} ${tA} ${tB} @${i}: ${got[i]} vs ${ref[i]}`);
  }
});

test('a user kernel registered for native, and makeTensorFromDataId, may return a dataId the backend never held (disposal does not recurse), as on cpu', async () => {
  assert.ok(registerNativeBackend(), 'native addon must be built (npm run build:native)');
  for (const backend of ['cpu', 'native']) {
    await tf.setBackend(backend);
    const before = tf.memory().numTensors;
    tf.registerKernel({ kernelName: 'ParampredForeignId', backendName: backend, kernelFunc: () => ({ dtype: 'float32', shape: [3, 3], dataId: {} }) });
    try {
      const shapes = tf.tidy(() => {
        const r = tf.engine().runKernel('ParampredForeignId', { x: tf.zeros([2, 2]) }, {}) as tf.Tensor;
        const t = tf.engine().makeTensorFromDataId({}, [3], 'float32');
        return [r.shape, t.shape];
      });
      assert.deepEqual(shapes, [[3, 3], [3]], backend);
    } finally {
      tf.unregisterKernel('ParampredForeignId', backend);
    }
    assert.equal(tf.memory().numTensors, before, `${backend}: every tensor disposed`);
  }
});
