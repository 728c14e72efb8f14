import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { PredictedConv2D } from './predicted_conv2d.js';
import { assertClose, randt, weightValues } from './test_util.js';

before(async () => {
  await tf.setBackend('cpu');
});

type Args = ConstructorParameters<typeof PredictedConv2D>[0];
function layer(extra: Partial<Args> = {}, inShape = [7, 6, 3]) {
  const l = new PredictedConv2D({ filters: 4, kernelSize: [3, 2], nAlpha: 3, seed: 5, ...extra });
  l.apply(tf.input({ shape: inShape }));
  return l;
}

/** Direct convolution by loops (valid padding, stride 1): y[b,i,j,o] = Σ x[b,i+r,j+s,c]·w[r,s,c,o]. */
function convLoops(x: Float32Array, xs: number[], w: Float32Array, ws: number[]): Float32Array {
  const [B, H, W, C] = xs, [kh, kw, , O] = ws;
  const oh = H - kh + 1, ow = W - kw + 1;
  const y = new Float32Array(B * oh * ow * O);
  for (let b = 0; b < B; b++) for (let i = 0; i < oh; i++) for (let j = 0; j < ow; j++) for (let o = 0; o < O; o++) {
    let s = 0;
    for (let r = 0; r < kh; r++) for (let q = 0; q < kw; q++) for (let c = 0; c < C; c++) {
      s += x[((b * H + i + r) * W + j + q) * C + c] * w[((r * kw + q) * C + c) * O + o];
    }
    y[((b * oh + i) * ow + j) * O + o] = s;
  }
  return y;
}

describe('PredictedConv2D', () => {
  it('filters equal U_s·V per input channel, column by column (loops), and the layer convolves with them', () => {
    for (const columns of [1, 2]) {
      const l = layer({ columns, dictionary: { method: 'rand' }, useBias: false });
      const u = weightValues(l, 'U'), v = weightValues(l, 'V');
      const [P, a, C, O, J] = [6, 3, 3, 4, columns];
      const ref = new Float32Array(P * C * O);
      for (let p = 0; p < P; p++) for (let c = 0; c < C; c++) for (let o = 0; o < O; o++) {
        const j = Math.floor(o / (O / J));
        let s = 0;
        for (let q = 0; q < a; q++) s += u[p * J * a + j * a + q] * v[(q * C + c) * O + o];
        ref[(p * C + c) * O + o] = s;
      }
      assertClose(l.composite().dataSync(), ref, `W J=${columns}`);
      const x = randt([2, 7, 6, 3], 9);
      for (const order of ['complete', 'pool'] as const) {
        l.evalOrder = order;
        assertClose((l.apply(x) as tf.Tensor).dataSync(), convLoops(x.dataSync() as Float32Array, [2, 7, 6, 3], ref, [3, 2, 3, 4]), `y ${order} J=${columns}`, 1e-4, 1e-4);
      }
    }
  });

  it('complete and pool orders agree in output and gradients (strides, same padding, dilation, columns)', () => {
    // TF.js has no conv2d gradient for dilation > 1, so the dilated case compares outputs only.
    const cases: Partial<Args>[] = [{}, { strides: 2, padding: 'same' }, { columns: 2, padding: 'same' }];
    const ld = layer({ dilationRate: 2 }, [9, 8, 3]);
    const xd = randt([2, 9, 8, 3], 3);
    const yd = (['complete', 'pool'] as const).map((o) => {
      ld.evalOrder = o;
      return (ld.apply(xd) as tf.Tensor).dataSync();
    });
    assertClose(yd[1], yd[0], 'y dilated');
    for (const c of cases) {
      const l = layer({ ...c, activation: 'tanh' }, [9, 8, 3]);
      const x = randt([2, 9, 8, 3], 3);
      const run = (order: 'complete' | 'pool') => {
        l.evalOrder = order;
        const f = (xx: tf.Tensor) => tf.sum(tf.square(l.apply(xx) as tf.Tensor));
        const { grads } = tf.variableGrads(() => f(x) as tf.Scalar, l.trainableWeights.map((w) => w.read() as tf.Variable));
        return { y: (l.apply(x) as tf.Tensor).dataSync(), gx: tf.grad(f)(x).dataSync(), gv: Object.values(grads).map((g) => g.dataSync()) };
      };
      const cc = run('complete'), p = run('pool');
      const label = JSON.stringify(c);
      assertClose(p.y, cc.y, `y ${label}`);
      assertClose(p.gx, cc.gx, `dx ${label}`, 1e-4, 1e-4);
      p.gv.forEach((g, i) => assertClose(g, cc.gv[i], `dV/db ${label} #${i}`, 1e-4, 1e-4));
    }
  });

  it('default se dictionary: U_s rows at α are ≈ identity (kernel ridge over the filter grid)', () => {
    const l = layer({ kernelSize: 5, nAlpha: 6, dictionary: { method: 'se', lambda: 1e-6 } });
    const u = weightValues(l, 'U');
    const [alpha] = l.alphaIndices();
    for (let q = 0; q < 6; q++) for (let k = 0; k < 6; k++) assert.ok(Math.abs(u[alpha[q] * 6 + k] - (q === k ? 1 : 0)) < 1e-3, `U[α${q}, ${k}]`);
  });

  it('saves and loads U, V, α, bias bit-exactly', async () => {
    const m = tf.sequential();
    m.add(new PredictedConv2D({ inputShape: [8, 8, 2], filters: 4, kernelSize: 3, fraction: 0.5, columns: 2, strides: 1, padding: 'same', seed: 3, activation: 'relu' }));
    let saved: tf.io.ModelArtifacts | undefined;
    await m.save(tf.io.withSaveHandler(async (a) => {
      saved = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const m2 = await tf.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
    const [a, b] = [m.layers[0], m2.layers[0]];
    assert.ok(b instanceof PredictedConv2D);
    assert.deepEqual(b.getConfig(), a.getConfig());
    for (const k of ['U', 'V', 'alpha', 'bias']) assert.deepEqual(weightValues(b, k), weightValues(a, k), k);
    const x = randt([2, 8, 8, 2], 4);
    assert.deepEqual((m2.predict(x) as tf.Tensor).dataSync(), (m.predict(x) as tf.Tensor).dataSync());
  });

  it('rejects bad arguments with messages naming the expectation', () => {
    assert.throws(() => new PredictedConv2D({ filters: 5, kernelSize: 3, columns: 2, nAlpha: 2 }), /PredictedConv2D: expected columns to divide filters, got filters=5, columns=2/);
    assert.throws(() => layer({ nAlpha: 7 }), /PredictedConv2D: expected nAlpha an integer between 1 and the input size n_v=6, got 7/);
    assert.throws(() => new PredictedConv2D({ filters: 4, kernelSize: 3, nAlpha: 2, strides: 2, dilationRate: 2 }), /PredictedConv2D: expected strides or dilationRate equal to 1/);
  });
});
