import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { applyOverrides, predictedLayers, stageExperiment, type Experiment } from '../../core/experiments/index.js';
import { buildConvnet, type ConvnetSpec } from '../../core/models/convnet.js';
import { getExperiment } from './index.js';
import { cifarSeOverrides } from './cifar-convnet-se.js';
import { cifarDownsizedOverrides, cifarDownsizedWidths } from './cifar-convnet-downsized.js';

/** Trainable parameters of the model the experiment builds (counted on the built tf model: the reference). */
function learned(exp: Experiment): number {
  assert.ok(exp.model.kind === 'convnet');
  const m = buildConvnet({ ...(exp.model.spec as ConvnetSpec), inputShape: [32, 32, 3], classes: 10, seed: 1 });
  const n = m.trainableWeights.reduce((s, w) => s + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
  m.dispose();
  return n;
}

test('the three CIFAR experiments share data, recipe and architecture but for what each changes', () => {
  const [full, se, down] = ['cifar-convnet-full', 'cifar-convnet-se', 'cifar-convnet-downsized'].map((n) => getExperiment(n));
  for (const e of [se, down]) {
    assert.deepEqual(e.dataset, full.dataset);
    assert.deepEqual(e.optimizer, full.optimizer);
    assert.equal(e.epochs, full.epochs);
    assert.ok(e.model.kind === 'convnet' && full.model.kind === 'convnet');
    assert.deepEqual([e.model.spec.pools, e.model.spec.padding], [full.model.spec.pools, full.model.spec.padding]);
  }
  assert.deepEqual(full.dataset.augment, { crop: 4, flip: true });
  assert.equal(predictedLayers(full).length, 0);
  assert.equal(predictedLayers(down).length, 0);
  assert.deepEqual(predictedLayers(se).map(([p, l]) => [p, l.fraction, l.columns, l.dictionary.method]), [
    ['model.spec.convs.0', 0.5, 1, 'se'], ['model.spec.convs.1', 0.5, 1, 'se'], ['model.spec.convs.2', 0.5, 1, 'se'], ['model.spec.dense', 0.5, 5, 'se'],
  ]);
});

test('cifar-convnet-downsized learns as many parameters as cifar-convnet-se at every fraction of the grid (built models)', () => {
  tf.setBackend('cpu');
  const se = getExperiment('cifar-convnet-se');
  const down = getExperiment('cifar-convnet-downsized');
  assert.deepEqual(applyOverrides(down, cifarDownsizedOverrides(0.5)), down, 'the registered widths are those of fraction 0.5');
  for (const f of [0.25, 0.5, 0.75, 0.9]) {
    const s = applyOverrides(se, cifarSeOverrides(f));
    assert.deepEqual(predictedLayers(s).map(([, l]) => l.fraction), [f, f, f, f]);
    const d = applyOverrides(down, cifarDownsizedOverrides(f));
    const [ns, nd] = [learned(s), learned(d)];
    assert.equal(cifarDownsizedWidths(f).target, ns, `the formula counts the built se net at ${f}`);
    assert.ok(Math.abs(nd - ns) / ns < 0.002, `fraction ${f}: downsized ${nd} vs se ${ns}`);
  }
});

test("the CIFAR controls (reproduce cifar --preset controls) change only what they name and learn as many parameters as SE-50 % (within conv3's rounding of n_α), or as the full (downsized) net where they predict nothing", async () => {
  tf.setBackend('cpu');
  const { cifarControls, controlAlpha } = await import('../reproduce/cifar.js');
  const { PredictedConv2D } = await import('../../core/layers/predicted_conv2d.js');
  const se = applyOverrides(getExperiment('cifar-convnet-se'), cifarSeOverrides(0.5));
  const ns = learned(se);
  const nFull = learned(getExperiment('cifar-convnet-full'));
  const nDown = learned(applyOverrides(getExperiment('cifar-convnet-downsized'), cifarDownsizedOverrides(0.5)));
  assert.deepEqual(cifarControls.filter((c) => controlAlpha(c) === 1).map((c) => c.method), ['pca-basis', 'pca-downsized']);
  for (const c of cifarControls) {
    if (controlAlpha(c) === 1) {
      // pca-basis, pca-downsized: every layer at n_α = n_v, so V has exactly W's entries: the full (downsized)
      // net's count, to the parameter
      const e = applyOverrides(applyOverrides(getExperiment('cifar-convnet-se'), cifarSeOverrides(1)), c.overrides);
      assert.deepEqual(predictedLayers(e).map(([, l]) => [l.fraction, l.dictionary.method]), [[1, 'pca'], [1, 'pca'], [1, 'pca'], [1, 'pca']]);
      assert.equal(learned(e), c.method === 'pca-downsized' ? nDown : nFull, c.method);
      continue;
    }
    const e = stageExperiment(applyOverrides(se, c.overrides), se.epochs); // the net it ends as (se-grow grows α to 50 %)
    assert.ok(e.model.kind === 'convnet');
    const convs = e.model.spec.convs;
    const m = buildConvnet({ ...(e.model.spec as ConvnetSpec), inputShape: [32, 32, 3], classes: 10, seed: 1 });
    const layers = m.layers.filter((l): l is InstanceType<typeof PredictedConv2D> => l instanceof PredictedConv2D);
    assert.equal(layers.length, 3);
    assert.deepEqual(layers.map((l) => l.over), convs.map((x) => x?.over ?? 'positions'), c.method);
    assert.deepEqual(layers.map((l) => l.columns), [c.convColumns, c.convColumns, c.convColumns], c.method);
    m.dispose();
    // patch: n_α = round(0.5·25·64) = 800 in conv3 where positions rounds 12.5 up to 13 per channel (53,248 vs 51,200 of V)
    const n = learned(e);
    assert.ok(Math.abs(n - ns) / ns < 0.01, `${c.method}: ${n} learned vs se ${ns}`);
  }
  // se-grow starts at 75 % predicted in every layer and ends as se at 50 %
  const grow = applyOverrides(se, cifarControls.find((c) => c.method === 'se-grow')!.overrides);
  assert.deepEqual(predictedLayers(grow).map(([, l]) => l.fraction), [0.25, 0.25, 0.25, 0.25]);
  assert.deepEqual(predictedLayers(stageExperiment(grow, 7)).map(([, l]) => l.fraction), [0.375, 0.375, 0.375, 0.375]);
  assert.deepEqual(stageExperiment(grow, 20).model, se.model);
  // emp-patch-rebuild keeps 50 % at every stage: its stages only rebuild the data-driven dictionaries
  const rebuild = cifarControls.find((c) => c.method === 'emp-patch-rebuild')!;
  const emp = applyOverrides(se, cifarControls.find((c) => c.method === 'emp-patch')!.overrides);
  const rb = applyOverrides(se, rebuild.overrides);
  assert.deepEqual(rb.grow?.stages.map((s) => s.afterEpoch), [1, 3, 6]);
  for (const epochs of [0, 1, 3, 6, 20]) assert.deepEqual(stageExperiment(rb, epochs).model, emp.model, `after ${epochs} epochs`);
  // pca-random-patch is pca-patch but for which principal directions every predicted layer's U takes
  const byMethod = (m: string) => applyOverrides(se, cifarControls.find((c) => c.method === m)!.overrides);
  const [top, random] = [byMethod('pca-patch'), byMethod('pca-random-patch')];
  assert.deepEqual(predictedLayers(random).map(([, l]) => l.dictionary), [0, 1, 2, 3].map(() => ({ method: 'pca', directions: 'random' })));
  const dropDirections = (x: unknown): unknown => JSON.parse(JSON.stringify(x, (k, v) => (k === 'directions' ? undefined : v)));
  assert.deepEqual(dropDirections(random), dropDirections(top));
});

test('the CIFAR convergence curves: full (where the preset trains it), SE-50 % and downsized in every preset, and every net learned in the pca basis the preset has, each a point of the preset', async () => {
  const { cifarReproduction } = await import('../reproduce/cifar.js');
  const def = cifarReproduction;
  for (const [name, preset] of Object.entries(def.presets)) {
    const points = def.points(preset, def.shape);
    const ctx = { preset, seeds: 1, command: 'c', dataset: 'cifar10', label: 'l', shape: def.shape, points };
    const ids = (def.convergence?.(ctx) ?? []).map(([id]) => id);
    const pca = points.filter((p) => p.id.startsWith('pca-')).map((p) => p.id);
    const nets = [...(preset.full === false ? [] : ['full']), 'se-f0.5000', 'downsized-f0.5000'];
    assert.deepEqual(ids.slice(0, nets.length), nets, name);
    assert.deepEqual([...ids.slice(nets.length)].sort(), [...pca].sort(), `${name}: a curve for each pca net`);
    for (const id of ids) assert.ok(points.some((p) => p.id === id), `${name}: ${id} is a point`);
  }
  assert.ok(Object.values(def.presets).some((p) => def.points(p, def.shape).some((q) => q.id === 'pca-basis-f1.0000')), 'the controls preset has the pca nets');
});
