import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { PredictedDense } from './predicted_dense.js';
import { assertClose, randt, weightValues } from './test_util.js';

before(async () => {
  await tf.setBackend('cpu');
});

function layer(extra: Partial<ConstructorParameters<typeof PredictedDense>[0]> = {}) {
  const l = new PredictedDense({ units: 6, columns: 3, nAlpha: 4, dictionary: { method: 'rand' }, seed: 7, ...extra });
  l.apply(tf.input({ shape: [10] }));
  return l;
}

describe('PredictedDense', () => {
  it('composite W equals [U_1V_1 … U_JV_J] computed by loops', () => {
    const l = layer();
    const u = weightValues(l, 'U'), v = weightValues(l, 'V');
    const [n, J, a, m] = [10, 3, 4, 2];
    const w = l.composite().dataSync();
    const ref = new Float32Array(n * J * m);
    for (let i = 0; i < n; i++) for (let j = 0; j < J; j++) for (let k = 0; k < m; k++) {
      let s = 0;
      for (let q = 0; q < a; q++) s += u[i * J * a + j * a + q] * v[(j * a + q) * m + k];
      ref[i * J * m + j * m + k] = s;
    }
    assertClose(w, ref, 'W');
  });

  it('each column draws its own α', () => {
    const l = new PredictedDense({ units: 10, columns: 5, nAlpha: 5, dictionary: { method: 'randcon' } });
    l.apply(tf.input({ shape: [50] }));
    const alpha = weightValues(l, 'alpha');
    const rows = new Set<string>();
    for (let j = 0; j < 5; j++) rows.add(Array.from(alpha.subarray(j * 5, j * 5 + 5)).join(','));
    assert.equal(rows.size, 5);
    // randcon: U_j = I[:, α_j], so the column blocks of U are the indicator of α_j.
    const u = weightValues(l, 'U');
    for (let j = 0; j < 5; j++) for (let q = 0; q < 5; q++) assert.equal(u[alpha[j * 5 + q] * 25 + j * 5 + q], 1);
  });

  it('complete and pool orders agree in output and gradients', () => {
    for (const columns of [1, 3]) {
      const l = layer({ columns, activation: 'tanh' });
      const x = randt([5, 10], 1);
      const run = (order: 'complete' | 'pool') => {
        l.evalOrder = order;
        const f = (xx: tf.Tensor) => tf.sum(tf.square(l.apply(xx) as tf.Tensor));
        const { grads } = tf.variableGrads(() => f(x) as tf.Scalar, l.trainableWeights.map((w) => w.read() as tf.Variable));
        const gx = tf.grad(f)(x);
        return { y: (l.apply(x) as tf.Tensor).dataSync(), gx: gx.dataSync(), gv: Object.values(grads).map((g) => g.dataSync()) };
      };
      const c = run('complete'), p = run('pool');
      assert.equal(l.lastOrder, 'pool');
      assertClose(p.y, c.y, `y J=${columns}`);
      assertClose(p.gx, c.gx, `dx J=${columns}`);
      assert.equal(p.gv.length, 2);
      p.gv.forEach((g, i) => assertClose(g, c.gv[i], `dV/db J=${columns} #${i}`));
    }
  });

  it('each order = act(x·[U_1V_1 … U_JV_J] + b) in output and gradients (x, V, b), fused activations included', () => {
    for (const columns of [1, 3]) for (const activation of ['relu', 'sigmoid', 'linear', 'tanh'] as const) {
      const l = layer({ columns, activation });
      l.setWeights(l.getWeights().map((w) => (w.rank === 1 ? tf.add(w, 0.3) : w))); // a bias away from 0
      const x = randt([5, 10], 4), w = randt([5, 6], 5);
      const u = tf.tensor2d(weightValues(l, 'U'), [10, columns * 4]);
      const a = 4, units = 6, m = units / columns;
      const act = (z: tf.Tensor) => (activation === 'relu' ? tf.relu(z) : activation === 'sigmoid' ? tf.sigmoid(z) : activation === 'tanh' ? tf.tanh(z) : z);
      // reference with V [J, a, m] and b as explicit arguments: W's column block j is U_j·V_j
      const ref = (xx: tf.Tensor, v: tf.Tensor, b: tf.Tensor) => {
        const blocks = Array.from({ length: columns }, (_, j) => tf.matMul(tf.slice(u, [0, j * a], [10, a]), tf.reshape(tf.slice(v, [j, 0, 0], [1, a, m]), [a, m])));
        return tf.sum(tf.mul(act(tf.add(tf.matMul(xx, tf.concat(blocks, 1)), b)), w));
      };
      const V = l.trainableWeights.find((t) => t.name.endsWith('/V'))!.read(), B = l.trainableWeights.find((t) => t.name.endsWith('/bias'))!.read();
      const want = tf.grads(ref)([x, V, B]).map((g) => g.dataSync());
      const wantY = ref(x, V, B).dataSync();
      for (const order of ['complete', 'pool'] as const) {
        l.evalOrder = order;
        const f = (xx: tf.Tensor) => tf.sum(tf.mul(l.apply(xx) as tf.Tensor, w));
        const vars = [V, B] as tf.Variable[];
        const { grads } = tf.variableGrads(() => f(x) as tf.Scalar, vars);
        const got = [tf.grad(f)(x).dataSync(), ...vars.map((t) => grads[t.name].dataSync())];
        const label = `J=${columns} ${activation} ${order}`;
        assertClose(f(x).dataSync(), wantY, `${label} y`);
        got.forEach((g, k) => assertClose(g, want[k], `${label} grad ${['x', 'V', 'b'][k]}`));
      }
    }
  });

  it("'auto' picks pool for a small first layer and complete when n_α is large", () => {
    const m = tf.sequential();
    const small = new PredictedDense({ inputShape: [784], units: 500, columns: 10, fraction: 0.05, dictionary: { method: 'rand' } });
    const big = new PredictedDense({ units: 100, columns: 2, fraction: 1, dictionary: { method: 'rand' } });
    m.add(small);
    m.add(big);
    m.predict(tf.zeros([128, 784]), { batchSize: 128 });
    assert.equal(small.lastOrder, 'pool');
    assert.equal(big.lastOrder, 'complete');
  });

  it('training moves only V and the bias; U and α stay fixed', async () => {
    const m = tf.sequential();
    m.add(new PredictedDense({ inputShape: [10], units: 6, columns: 2, nAlpha: 3, dictionary: { method: 'rand' }, activation: 'relu' }));
    m.add(tf.layers.dense({ units: 2 }));
    m.compile({ optimizer: tf.train.adam(0.05), loss: 'meanSquaredError' });
    const l = m.layers[0];
    const before = Object.fromEntries(['U', 'V', 'alpha', 'bias'].map((k) => [k, weightValues(l, k).slice()]));
    await m.fit(randt([16, 10], 2), randt([16, 2], 3), { epochs: 3, batchSize: 8, verbose: 0 });
    assert.deepEqual(weightValues(l, 'U'), before.U);
    assert.deepEqual(weightValues(l, 'alpha'), before.alpha);
    assert.notDeepEqual(weightValues(l, 'V'), before.V);
    assert.notDeepEqual(weightValues(l, 'bias'), before.bias);
    assert.deepEqual(l.trainableWeights.map((w) => w.name.split('/').pop()).sort(), ['V', 'bias']);
  });

  it('initialises V so that W = UV has the glorot-uniform variance 2/(n_v + n_h)', () => {
    const l = new PredictedDense({ units: 200, columns: 4, nAlpha: 20, dictionary: { method: 'rand', std: 3 } });
    l.apply(tf.input({ shape: [100] }));
    const w = l.composite().dataSync();
    let s = 0;
    for (const x of w) s += x * x;
    const ratio = s / w.length / (2 / 300);
    assert.ok(ratio > 0.85 && ratio < 1.15, `var ratio ${ratio}`);
  });

  it('saves and loads U, V, α, bias bit-exactly, config included', async () => {
    const m = tf.sequential();
    m.add(new PredictedDense({ inputShape: [10], units: 6, columns: 3, fraction: 0.3, dictionary: { method: 'rand', std: 0.5 }, inputGeometry: { height: 5, width: 2, channels: 1 }, evalOrder: 'pool', seed: 11, activation: 'sigmoid' }));
    let saved: tf.io.ModelArtifacts | undefined;
    await m.save(tf.io.withSaveHandler(async (a) => {
      saved = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const m2 = await tf.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
    const [a, b] = [m.layers[0], m2.layers[0]];
    assert.ok(b instanceof PredictedDense);
    assert.deepEqual(b.getConfig(), a.getConfig());
    for (const k of ['U', 'V', 'alpha', 'bias']) assert.deepEqual(weightValues(b, k), weightValues(a, k), k);
    const x = randt([3, 10], 4);
    assert.deepEqual((m2.predict(x) as tf.Tensor).dataSync(), (m.predict(x) as tf.Tensor).dataSync());
  });

  it('rejects bad arguments with messages naming the expectation', () => {
    assert.throws(() => new PredictedDense({ units: 10, columns: 3, nAlpha: 2, dictionary: { method: 'rand' } }), /PredictedDense: expected columns to divide units, got units=10, columns=3/);
    // @ts-expect-error: an unknown method name is a compile error (the registry's name union); JSON names are checked at run time
    assert.throws(() => new PredictedDense({ units: 10, nAlpha: 2, dictionary: { method: 'nope' } }), /PredictedDense: expected dictionary method to be one of .*"rand".*got "nope"/);
    assert.throws(() => layer({ nAlpha: 11 }), /PredictedDense: expected nAlpha an integer between 1 and the input size n_v=10, got 11/);
    assert.throws(() => new PredictedDense({ units: 10, dictionary: { method: 'rand' } }), /PredictedDense: expected nAlpha or fraction/);
    assert.throws(() => new PredictedDense({ units: 10, fraction: 1.5, dictionary: { method: 'rand' } }), /PredictedDense: expected fraction in \(0, 1\]/);
    assert.throws(() => new PredictedDense({ units: 10, nAlpha: 2, dictionary: { method: 'rand' }, evalOrder: 'fast' as never }), /PredictedDense: expected evalOrder one of auto, complete, pool, got "fast"/);
  });

  it('a data-driven dictionary must be built from data before use, and data must be finite', () => {
    const l = new PredictedDense({ units: 4, nAlpha: 3, dictionary: { method: 'emp' } });
    l.apply(tf.input({ shape: [6] }));
    assert.throws(() => l.apply(tf.zeros([2, 6])), /PredictedDense: expected the data-driven dictionary 'emp' of layer '.*' to be built from data/);
    const bad = new Float32Array(60).fill(1);
    bad[7] = NaN;
    assert.throws(() => l.setDictionaryFromData({ rows: 10, cols: 6, values: bad }), /PredictedDense.setDictionaryFromData: expected finite data, got NaN at row 1, column 1/);
    assert.throws(() => l.setDictionaryFromData({ rows: 10, cols: 5, values: new Float32Array(50) }), /expected data with 6 columns/);
    const x = randt([40, 6], 5);
    l.setDictionaryFromData({ rows: 40, cols: 6, values: x.dataSync() as Float32Array });
    assert.equal((l.apply(x) as tf.Tensor).shape.join(), '40,4');
  });
});
