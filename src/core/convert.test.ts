import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { fromConv2D, fromDense, merge } from './convert.js';
import { assertClose, randt } from './layers/test_util.js';

before(async () => {
  await tf.setBackend('cpu');
});

describe('convert', () => {
  it('dense → predicted → dense recovers W and the bias when n_α = n_v', () => {
    const d = tf.layers.dense({ units: 6, activation: 'relu' });
    d.apply(tf.input({ shape: [5] }));
    d.setWeights([randt([5, 6], 1), randt([6], 2)]);
    const p = fromDense(d, { columns: 2, nAlpha: 5, dictionary: { method: 'rand' }, lambda: 1e-9 });
    assert.equal(p.activation, 'relu');
    const back = merge(p);
    assert.equal(back.getClassName(), 'Dense');
    const [w0, b0] = d.getWeights(), [w1, b1] = back.getWeights();
    assertClose(w1.dataSync(), w0.dataSync(), 'W', 1e-3, 1e-4);
    assert.deepEqual(b1.dataSync(), b0.dataSync());
    const x = randt([4, 5], 3);
    assertClose((p.apply(x) as tf.Tensor).dataSync(), (d.apply(x) as tf.Tensor).dataSync(), 'outputs', 1e-3, 1e-4);
  });

  it('with n_α < n_v the fit is least squares: U_jᵀ(W_j − U_jV_j) ≈ 0', () => {
    const w = randt([8, 4], 5) as tf.Tensor2D;
    const p = fromDense(w, { columns: 2, nAlpha: 3, dictionary: { method: 'rand' }, lambda: 1e-9 });
    const wv = w.dataSync(), wp = p.composite().dataSync(), u = p.weightsByRole.U.read().dataSync();
    for (let j = 0; j < 2; j++) for (let q = 0; q < 3; q++) for (let k = 0; k < 2; k++) {
      let s = 0;
      for (let i = 0; i < 8; i++) s += u[i * 6 + j * 3 + q] * (wv[i * 4 + j * 2 + k] - wp[i * 4 + j * 2 + k]);
      assert.ok(Math.abs(s) < 1e-4, `normal equation (${j}, ${q}, ${k}): ${s}`);
    }
  });

  it('conv2d → predicted → conv2d recovers the filters when n_α = kh·kw', () => {
    const c = tf.layers.conv2d({ filters: 4, kernelSize: [3, 2], padding: 'same', strides: 2 });
    c.apply(tf.input({ shape: [8, 8, 3] }));
    c.setWeights([randt([3, 2, 3, 4], 6), randt([4], 7)]);
    const p = fromConv2D(c, { columns: 2, nAlpha: 6, dictionary: { method: 'rand' }, lambda: 1e-9 });
    assert.deepEqual([p.strides, p.padding], [[2, 2], 'same']);
    const back = merge(p);
    assertClose(back.getWeights()[0].dataSync(), c.getWeights()[0].dataSync(), 'W', 1e-3, 1e-4);
    const x = randt([2, 8, 8, 3], 8);
    assertClose((back.apply(x) as tf.Tensor).dataSync(), (c.apply(x) as tf.Tensor).dataSync(), 'outputs', 1e-3, 1e-3);
  });

  it('rejects a non-dense source and a data-driven dictionary without data', () => {
    const c = tf.layers.conv2d({ filters: 2, kernelSize: 2 });
    c.apply(tf.input({ shape: [4, 4, 1] }));
    assert.throws(() => fromDense(c, { nAlpha: 2, dictionary: { method: 'rand' } }), /fromDense: expected a built tf.layers.dense layer or a 2-D kernel, got "Conv2D"/);
    assert.throws(() => fromDense(randt([6, 2], 1) as tf.Tensor2D, { nAlpha: 2, dictionary: { method: 'emp' } }), /fromDense: expected opts.data for data-driven dictionary 'emp', got none/);
  });
});
