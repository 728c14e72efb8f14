/**
 * PredictedConv2D over 'patch' (a dictionary across input channels) and the patch rows its data-driven
 * dictionaries are built from: against loop references, against the other evaluation order, against the
 * dense filters it was fitted to, and through save/load and the data-dictionary preparation of a model.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { PredictedConv2D } from './predicted_conv2d.js';
import { patchRows } from './patches.js';
import { assertClose, randt, weightValues } from './test_util.js';
import { fromConv2D } from '../convert.js';
import { prepareDataDictionaries } from '../models/prepare.js';
import { countParameters } from '../count.js';

before(async () => {
  await tf.setBackend('cpu');
});

type Args = ConstructorParameters<typeof PredictedConv2D>[0];
function layer(extra: Partial<Args> = {}, inShape = [7, 6, 3]) {
  const l = new PredictedConv2D({ filters: 4, kernelSize: [3, 2], nAlpha: 7, seed: 5, over: 'patch', ...extra });
  l.apply(tf.input({ shape: inShape }));
  return l;
}

describe("PredictedConv2D over 'patch'", () => {
  it('filters equal U_j·V[:, o] over whole patches (loops), both orders convolve with them, gradients agree', () => {
    for (const columns of [1, 2]) {
      const l = layer({ columns, dictionary: { method: 'rand' }, useBias: false, padding: 'same', activation: 'tanh' });
      const u = weightValues(l, 'U'), v = weightValues(l, 'V');
      const [nv, a, O, J] = [3 * 2 * 3, 7, 4, columns];
      assert.deepEqual(l.weightsByRole.U.shape, [nv, J * a]);
      assert.deepEqual(l.weightsByRole.V.shape, [a, O]);
      const ref = new Float32Array(nv * O);
      for (let i = 0; i < nv; i++) for (let o = 0; o < O; o++) {
        const j = Math.floor(o / (O / J));
        let s = 0;
        for (let q = 0; q < a; q++) s += u[i * J * a + j * a + q] * v[q * O + o];
        ref[i * O + o] = s;
      }
      assertClose(l.composite().dataSync(), ref, `W J=${columns}`);
      const x = randt([2, 7, 6, 3], 9);
      const run = (order: 'complete' | 'pool') => {
        l.evalOrder = order;
        const f = (xx: tf.Tensor) => tf.sum(tf.square(l.apply(xx) as tf.Tensor));
        const { grads } = tf.variableGrads(() => f(x) as tf.Scalar, [l.weightsByRole.V.read() as tf.Variable]);
        return { y: (l.apply(x) as tf.Tensor).dataSync(), gx: tf.grad(f)(x).dataSync(), gv: Object.values(grads)[0].dataSync() };
      };
      const c = run('complete'), p = run('pool');
      const y0 = tf.tanh(tf.conv2d(x as tf.Tensor4D, tf.tensor4d(ref, [3, 2, 3, 4]), 1, 'same')).dataSync();
      assertClose(c.y, y0, `y complete J=${columns}`, 1e-4, 1e-4);
      assertClose(p.y, y0, `y pool J=${columns}`, 1e-4, 1e-4);
      assertClose(p.gx, c.gx, `dx J=${columns}`, 1e-4, 1e-4);
      assertClose(p.gv, c.gv, `dV J=${columns}`, 1e-4, 1e-4);
    }
  });

  it('se is zero across channels: U rows of a channel load only on α of that channel', () => {
    const l = layer({ kernelSize: 3, nAlpha: 12, dictionary: { method: 'se' } }, [6, 6, 3]);
    const u = weightValues(l, 'U');
    const [alpha] = l.alphaIndices();
    for (let i = 0; i < 27; i++) for (let q = 0; q < 12; q++) if (i % 3 !== alpha[q] % 3) assert.equal(u[i * 12 + q], 0, `U[${i}, ${q}]`);
  });

  it('fromConv2D with every patch entry in α reproduces the filters; counts: n_α·c_out learned of kh·kw·c_in·c_out', () => {
    const w = randt([3, 3, 2, 4], 2) as tf.Tensor4D;
    for (const columns of [1, 2]) {
      const l = fromConv2D(w, { nAlpha: 18, columns, over: 'patch', dictionary: { method: 'se', lambda: 1e-8 }, lambda: 1e-10, seed: 1 });
      assertClose(l.composite().dataSync(), w.dataSync(), `W J=${columns}`, 1e-3, 1e-3);
    }
    const half = fromConv2D(w, { fraction: 0.5, over: 'patch', useBias: true });
    const c = countParameters(tf.sequential({ layers: [half] }));
    assert.equal(c.layers[0].dynamic, 9 * 4);
    assert.equal(c.layers[0].total, 18 * 4);
  });

  it('saves and loads (over kept in the config) bit-exactly', async () => {
    const m = tf.sequential();
    m.add(new PredictedConv2D({ inputShape: [8, 8, 2], filters: 4, kernelSize: 3, fraction: 0.5, columns: 2, padding: 'same', seed: 3, activation: 'relu', over: 'patch' }));
    let saved: tf.io.ModelArtifacts | undefined;
    await m.save(tf.io.withSaveHandler(async (a) => {
      saved = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const m2 = await tf.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
    const b = m2.layers[0] as PredictedConv2D;
    assert.equal(b.over, 'patch');
    for (const k of ['U', 'V', 'alpha', 'bias']) assert.deepEqual(weightValues(b, k), weightValues(m.layers[0], k), k);
    const x = randt([2, 8, 8, 2], 4);
    assert.deepEqual((m2.predict(x) as tf.Tensor).dataSync(), (m.predict(x) as tf.Tensor).dataSync());
    assert.throws(() => new PredictedConv2D({ filters: 4, kernelSize: 3, nAlpha: 2, over: 'channels' as never }), /PredictedConv2D: expected over one of 'positions', 'patch', got "channels"/);
  });
});

describe('patchRows', () => {
  it("rows are the conv's receptive fields: a patch row dotted with flattened filters is the conv output there", () => {
    const x = randt([3, 6, 5, 2], 7);
    const xv = x.dataSync() as Float32Array;
    const w = randt([3, 2, 2, 1], 8) as tf.Tensor4D;
    for (const g of [{ padding: 'same' as const, strides: [1, 1] as [number, number] }, { padding: 'valid' as const, strides: [2, 1] as [number, number] }, { padding: 'same' as const, strides: [2, 2] as [number, number] }]) {
      const y = tf.conv2d(x as tf.Tensor4D, w, g.strides, g.padding);
      const yv = y.dataSync();
      const d = patchRows(xv, x.shape, { kernelSize: [3, 2], dilationRate: [1, 1], over: 'patch', ...g }, 50, 3);
      assert.equal(d.cols, 12);
      const wv = w.dataSync();
      for (let r = 0; r < d.rows; r++) {
        let s = 0;
        for (let i = 0; i < 12; i++) s += d.values[r * 12 + i] * wv[i];
        const near = Array.from(yv).reduce((m, t) => Math.min(m, Math.abs(t - s)), Infinity);
        assert.ok(near < 1e-4, `${JSON.stringify(g)} row ${r}: ${s} is no output of the conv (nearest off by ${near})`);
      }
    }
  });

  it("'positions' rows are one channel's window; emp over 'patch' builds in a model through prepareDataDictionaries", () => {
    const x = randt([2, 5, 5, 3], 1);
    const d = patchRows(x.dataSync() as Float32Array, x.shape, { kernelSize: [3, 3], strides: [1, 1], dilationRate: [1, 1], padding: 'valid', over: 'positions' }, 40, 2);
    assert.equal(d.cols, 9);
    const xv = x.dataSync();
    const windows = new Set<string>();
    for (let b = 0; b < 2; b++) for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let c = 0; c < 3; c++) {
      const win: string[] = [];
      for (let r = 0; r < 3; r++) for (let q = 0; q < 3; q++) win.push(xv[((b * 5 + i + r) * 5 + j + q) * 3 + c].toFixed(5));
      windows.add(win.join(','));
    }
    for (let r = 0; r < d.rows; r++) assert.ok(windows.has(Array.from(d.values.subarray(r * 9, r * 9 + 9), (t) => t.toFixed(5)).join(',')), `row ${r}`);
    for (const over of ['patch', 'positions'] as const) {
      const m = tf.sequential();
      m.add(new PredictedConv2D({ inputShape: [6, 6, 3], filters: 4, kernelSize: 3, fraction: 0.5, padding: 'same', seed: 2, over, dictionary: { method: 'emp' } }));
      const rep = prepareDataDictionaries(m, randt([20, 6, 6, 3], 5));
      assert.deepEqual(rep.dictionaries, [m.layers[0].name]);
      const l = m.layers[0] as PredictedConv2D;
      assert.ok(l.dictionaryReady);
      // emp's ridge interpolation: U's rows at α are ≈ the identity
      const u = weightValues(l, 'U');
      const [alpha] = l.alphaIndices();
      const a = alpha.length;
      for (let q = 0; q < a; q++) assert.ok(Math.abs(u[alpha[q] * a + q] - 1) < 0.05, `${over} U[α${q}, ${q}] = ${u[alpha[q] * a + q]}`);
    }
  });
});
