import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { growInto } from './grow.js';
import { buildMlp } from '../models/mlp.js';
import { buildConvnet } from '../models/convnet.js';
import { dictionaryFromInput, prepareDataDictionaries } from '../models/prepare.js';
import { PredictedDense } from '../layers/predicted_dense.js';
import { PredictedLayer } from '../layers/predicted_layer.js';
import { PredictedConv2D } from '../layers/predicted_conv2d.js';
import { assertClose, randt } from '../layers/test_util.js';

before(async () => {
  await tf.setBackend('cpu');
});

const geometry = { height: 6, width: 6, channels: 1 };
const mlp = (fraction: number) =>
  buildMlp({ inputSize: 36, hidden: [12, 8], classes: 3, inputGeometry: geometry, seed: 4, layers: [{ fraction, columns: 3, dictionary: { method: 'se', lengthScale: 1.5 } }, { fraction, columns: 2, dictionary: { method: 'emp' } }] });

const relErr = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.norm(tf.sub(a, b)).dataSync()[0] / tf.norm(b).dataSync()[0]);
/** A source MLP at fraction `from` with its dictionaries built on a sample, grown into one at `to`. */
function grown(from: number, to: number, n: number, seed: number) {
  const sample = randt([n, 36], seed);
  const a = mlp(from);
  prepareDataDictionaries(a, sample);
  const b = mlp(to);
  return { sample, a, b, reports: growInto(a, b, sample) };
}

describe('growInto', () => {
  it('into the same architecture and seed it reproduces the source: same kernels, same outputs', () => {
    const { a, b, reports } = grown(0.25, 0.25, 40, 1);
    assert.equal(reports.length, 2);
    for (const r of reports) {
      assert.equal(r.nAlphaAfter, r.nAlphaBefore);
      assert.ok(r.relativeError < 1e-3, `${r.layer}: ${r.relativeError}`);
    }
    const x = randt([5, 36], 2);
    assertClose((b.predict(x) as tf.Tensor).dataSync(), (a.predict(x) as tf.Tensor).dataSync(), 'outputs', 1e-3, 1e-4);
  });

  it('growing α keeps the function: each reported error is ‖W′ − W‖/‖W‖, small, and the plain output layer is copied', () => {
    const { a, b, reports } = grown(0.25, 0.5, 60, 3);
    const pa = a.layers.filter((l): l is PredictedDense => l instanceof PredictedDense);
    const pb = b.layers.filter((l): l is PredictedDense => l instanceof PredictedDense);
    reports.forEach((r, i) => {
      assert.ok(r.nAlphaAfter > r.nAlphaBefore, `${r.layer} grew`);
      assert.equal(r.nAlphaAfter, pb[i].nAlpha);
      const e = relErr(pb[i].composite(), pa[i].composite());
      assert.ok(Math.abs(e - r.relativeError) < 1e-5, `${r.layer}: reported ${r.relativeError}, measured ${e}`);
      // twice the α of a smooth (SE) or covariance (emp) interpolant: nearly exact (measured 1e-6 here)
      assert.ok(r.relativeError < 0.01, `${r.layer}: ${r.relativeError}`);
      assertClose(pb[i].weightsByRole.bias!.read().dataSync(), pa[i].weightsByRole.bias!.read().dataSync(), `${r.layer} bias`, 0, 0);
    });
    const out = (m: tf.LayersModel) => m.layers[m.layers.length - 1].getWeights().map((w) => w.dataSync());
    out(b).forEach((w, k) => assert.deepEqual(w, out(a)[k]));
    const x = randt([8, 36], 4);
    assert.ok(relErr(b.predict(x) as tf.Tensor, a.predict(x) as tf.Tensor) < 0.01);
  });

  it("a data-driven layer's dictionary comes from the grown layers below it, as prepareDataDictionaries builds it", () => {
    const { sample, a, b } = grown(0.25, 0.5, 50, 5);
    const c = mlp(0.5);
    c.setWeights(b.getWeights()); // every weight, U of the emp layer included
    prepareDataDictionaries(c, sample, { rebuild: true });
    const u = (m: tf.LayersModel) => (m.layers.filter((l) => l instanceof PredictedDense)[1] as PredictedDense).weightsByRole.U.read().dataSync();
    assertClose(u(b), u(c), 'emp U', 1e-5, 1e-6);
    assert.throws(() => growInto(a, mlp(0.5), null), /expected a sample of model inputs/);
  });

  it('convnets: SE positions and an emp patch dictionary grow, the plain conv and dense layers are copied', () => {
    const spec = (f: number) => ({ inputShape: [10, 10, 2] as [number, number, number], classes: 3, seed: 2, convLayers: [[4, 3], [6, 3]] as [number, number][], pools: [2, 1], padding: 'same' as const, denseUnits: 8, convs: [{ fraction: f, columns: 1, dictionary: { method: 'se' as const } }, { fraction: f, columns: 2, dictionary: { method: 'emp' as const }, over: 'patch' as const }], dense: null });
    const sample = randt([30, 10, 10, 2], 6);
    const a = buildConvnet(spec(0.34));
    prepareDataDictionaries(a, sample);
    const same = buildConvnet(spec(0.34));
    for (const r of growInto(a, same, sample)) assert.ok(r.relativeError < 1e-3, `${r.layer}: ${r.relativeError}`);
    const b = buildConvnet(spec(0.67));
    const reports = growInto(a, b, sample);
    assert.deepEqual(reports.map((r) => r.nAlphaAfter > r.nAlphaBefore), [true, true]);
    for (const r of reports) assert.ok(r.relativeError < 0.1, `${r.layer}: ${r.relativeError}`); // measured 0.024 (SE, 3 → 6 of 9 positions), 0.005 (emp patch)
    const x = randt([3, 10, 10, 2], 7);
    assertClose((same.predict(x) as tf.Tensor).dataSync(), (a.predict(x) as tf.Tensor).dataSync(), 'same-fraction outputs', 1e-3, 1e-4);
    const plain = (m: tf.LayersModel) => m.layers.filter((l) => !(l instanceof PredictedLayer)).flatMap((l) => l.getWeights().map((w) => w.dataSync()));
    plain(b).forEach((w, k) => assert.deepEqual(w, plain(a)[k]));
  });

  it("with a sample the fit keeps the layer's outputs: least squares in the inputs' norm, better there than the kernel fit", () => {
    // a source W that the target's U cannot span (SE ℓ 3 px vs 1 px) and inputs that are 0 on a third of the pixels (as MNIST's border)
    const one = (ls: number, fraction: number) => buildMlp({ inputSize: 36, hidden: [12], classes: 3, inputGeometry: geometry, seed: 4, layers: [{ fraction, columns: 3, dictionary: { method: 'se', lengthScale: ls } }] });
    const mask = tf.tensor1d(Array.from({ length: 36 }, (_, i) => (i % 6 < 2 ? 0 : 1)));
    const sample = tf.mul(randt([80, 36], 9), mask);
    const a = one(3, 0.25);
    const byOutputs = one(1, 0.5), byKernel = one(1, 0.5);
    const [ro] = growInto(a, byOutputs, sample);
    const [rk] = growInto(a, byKernel, sample, { fit: 'kernel' });
    const layer = (m: tf.LayersModel) => m.layers.find((l) => l instanceof PredictedDense) as PredictedDense;
    const wa = layer(a).composite();
    const outErr = (m: tf.LayersModel) => relErr(tf.matMul(sample, layer(m).composite()), tf.matMul(sample, wa));
    const eo = outErr(byOutputs), ek = outErr(byKernel);
    assert.ok(eo < 0.7 * ek, `outputs fit ${eo} vs kernel fit ${ek}`); // measured 0.082 vs 0.131
    assert.ok(rk.relativeError <= ro.relativeError + 1e-6, 'the kernel fit has the smaller kernel error');
    // least squares: perturbing V only adds output error
    const t = layer(byOutputs), V = t.weightsByRole.V;
    const v0 = V.read().clone();
    V.write(tf.add(v0, tf.mul(randt(v0.shape, 10), 1e-3)));
    assert.ok(outErr(byOutputs) >= eo - 1e-6);
    V.write(v0);
    assert.ok(ro.outputError !== null && rk.outputError !== null && ro.outputError < rk.outputError, `reported ${ro.outputError} vs ${rk.outputError}`);
    assert.throws(() => growInto(a, one(1, 0.5), null, { fit: 'outputs' }), /expected a sample of model inputs for fit 'outputs'/);
  });

  it('at the same fraction it rebuilds a data-driven dictionary from the trained layers below (the emp-patch-rebuild control)', () => {
    const spec = { inputShape: [8, 8, 2] as [number, number, number], classes: 3, seed: 3, convLayers: [[4, 3], [5, 3]] as [number, number][], pools: [1, 1], padding: 'same' as const, denseUnits: 6, convs: [{ fraction: 0.5, columns: 1, dictionary: { method: 'emp' as const }, over: 'patch' as const }, { fraction: 0.5, columns: 1, dictionary: { method: 'emp' as const }, over: 'patch' as const }], dense: null };
    const sample = randt([24, 8, 8, 2], 11);
    const a = buildConvnet(spec);
    prepareDataDictionaries(a, sample);
    const convs = (m: tf.LayersModel) => m.layers.filter((l): l is PredictedConv2D => l instanceof PredictedConv2D);
    // "training" moves conv1: its V changes, so conv2's input patches, and their covariance, move too
    const V1 = convs(a)[0].weightsByRole.V;
    V1.write(tf.add(V1.read(), tf.mul(randt(V1.read().shape, 12), 0.5)));
    const b = buildConvnet(spec);
    const reports = growInto(a, b, sample);
    const u = (m: tf.LayersModel, i: number) => convs(m)[i].weightsByRole.U.read();
    assert.deepEqual(reports.map((r) => r.nAlphaAfter - r.nAlphaBefore), [0, 0]);
    assert.ok(relErr(u(b, 0), u(a, 0)) < 1e-5, 'conv1 sees the same images: the same dictionary');
    assert.ok(reports[0].relativeError < 1e-3 && reports[0].outputError! < 1e-3, `conv1 kept: ${JSON.stringify(reports[0])}`);
    assert.ok(relErr(u(b, 1), u(a, 1)) > 1e-3, "conv2's dictionary is rebuilt from conv1's moved features");
    // ... exactly as dictionaryFromInput builds it from the sample's features after the kept conv1
    const c = buildConvnet(spec);
    tf.tidy(() => dictionaryFromInput(convs(c)[1], convs(b)[0].apply(sample) as tf.Tensor));
    assertClose(u(c, 1).dataSync(), u(b, 1).dataSync(), 'conv2 U', 1e-5, 1e-6);
  });

  it('names the first layer that differs between source and target', () => {
    const a = mlp(0.25);
    const other = buildMlp({ inputSize: 36, hidden: [12, 8], classes: 3, seed: 4, layers: [null, null] });
    assert.throws(() => growInto(a, other, randt([10, 36], 8)), /target's layer 0 to be a PredictedDense like the source's, got Dense/);
  });
});
