import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import '../index.js';
import { defineExperiment } from '../../core/experiments/index.js';
import { loadExperimentData } from '../run/index.js';
import { convCompressClaims, reproduceCompressConv, type ConvCompressPreset, type ConvCompressRow } from './compress_conv.js';

const row = (seed: number, point: string, layer: string, cost: number, layerSpeedup: number, netSpeedup: number): ConvCompressRow => ({
  seed, point, parts: [{ layer, method: 'separable', options: { rank: 4 } }],
  layerMultiplyAdds: { before: 1000, after: 250 }, netMultiplyAdds: { before: 2000, after: 1250 },
  layerParameters: { before: 100, after: 40 }, netParameters: { before: 500, after: 440 },
  layerSpeedup: { batch1: 1, batch128: layerSpeedup }, netSpeedup: { batch1: 1, batch128: netSpeedup }, machine: "test CPU",
  layerMs: { batch1: { before: 1, after: 1 }, batch128: { before: 1, after: 1 } }, netMs: { batch1: { before: 1, after: 1 }, batch128: { before: 1, after: 1 } },
  weightError: [0.1], error: { before: 20, after: 20 + 2 * cost, finetuned: 20 + cost },
});

test('convCompressClaims: the fastest conv-layer point and the fastest whole-net point among those costing ≤ 1 pp after fine-tuning (means over seeds)', () => {
  const rows = [
    ...[1, 2, 3].flatMap((s) => [
      row(s, 'conv2-cheap', 'conv2', 0.5, 2 + s / 10, 1.3), // mean layer 2.2×
      row(s, 'conv2-fast', 'conv2', 1.5, 6, 2), // faster but costs 1.5 pp
      row(s, 'dense-svd', 'dense', 0.2, 9, 1.1), // not a conv layer: never the conv claim, may be the net one
      row(s, 'conv3-ok', 'conv3', s === 3 ? 1.4 : 0.7, 4, 1.6), // mean cost 0.93 ≤ 1: counts
    ]),
  ];
  const [conv, net] = convCompressClaims(rows, { preset: 'full', dataset: 'cifar10', finetuneEpochs: 1 });
  assert.equal(conv.id, 'compress.cifar.conv_speedup_at_1pp');
  assert.equal(conv.value, 4);
  assert.equal(conv.n_seeds, 3);
  assert.match(conv.description, /conv3 separable/);
  assert.equal(net.id, 'compress.cifar.net_speedup_at_1pp');
  assert.ok(Math.abs(net.value! - 1.6) < 1e-12, `${net.value}`);
  const none = convCompressClaims([row(1, 'x', 'conv1', 3, 5, 5)], { preset: 'full', dataset: 'cifar10', finetuneEpochs: 1 });
  assert.deepEqual(none.map((c) => c.value), [null, null]);
});

test('reproduceCompressConv on a tiny synthetic convnet: trains the net, approximates each point, counts the replaced layers, resumes, claims only with every seed', async () => {
  const root = mkdtempSync(join(tmpdir(), 'pp-repro-compress-conv-'));
  try {
    const exp = defineExperiment({
      name: 'compress-conv-tiny', why: 'test',
      dataset: { name: 'synthetic', limit: { train: 200, test: 100 } },
      model: { kind: 'convnet', spec: { convLayers: [[4, 3], [6, 3]], convs: [null, null], pools: [1, 2], padding: 'same', denseUnits: 8, dense: null } },
      optimizer: { lr: 3e-3 }, batchSize: 20, epochs: 1,
    });
    const sep = { layer: 'conv2', method: 'separable', options: { rank: 2 } };
    const svd = { layer: 'dense', method: 'svd', options: { rank: 2 } };
    const preset: ConvCompressPreset = {
      name: 'full', seeds: [1, 2], finetuneEpochs: 1, finetuneLr: 1e-3, repeats: 1, makesClaims: true, trainOverrides: ['epochs=1'],
      points: [{ id: 'c2', parts: [sep] }, { id: 'd', parts: [svd] }, { id: 'both', parts: [sep, svd] }],
    };
    const results = join(root, 'results');
    mkdirSync(results);
    const other = { id: 'other.claim', description: 'kept', value: 1, sd: null, n_seeds: 1, unit: 'x', dataset: 'd', command: 'c' };
    writeFileSync(join(results, 'claims.json'), JSON.stringify([other]));
    const out = join(root, 'out');
    const lines: string[] = [];
    const opts = { preset, outDir: out, resultsDir: results, sweepDir: join(root, 'nowhere'), experiment: exp, log: (l: string) => lines.push(l) };
    const r = await reproduceCompressConv({ ...opts, seeds: [1] });
    assert.ok(existsSync(join(out, 'nets', 'seed-1', 'final.json')));
    assert.deepEqual(r.rows.map((x) => x.point), ['c2', 'd', 'both']);
    const [c2, d, both] = r.rows;
    // conv2 reads the 8×8×4 output of conv1 ('same', no pool): 3×3×4 → 6 dense, rank 2 → 3×1×4 → 2 then 1×3×2 → 6
    assert.equal(c2.layerMultiplyAdds.before, 64 * 9 * 4 * 6);
    assert.equal(c2.layerMultiplyAdds.after, 64 * (3 * 4 * 2 + 3 * 2 * 6));
    // dense reads the 4×4×6 pooled map: 96 → 8, rank 2
    assert.equal(d.layerMultiplyAdds.before, 96 * 8);
    assert.equal(d.layerMultiplyAdds.after, 2 * (96 + 8));
    assert.deepEqual(both.layerMultiplyAdds, { before: c2.layerMultiplyAdds.before + d.layerMultiplyAdds.before, after: c2.layerMultiplyAdds.after + d.layerMultiplyAdds.after });
    assert.equal(both.netMultiplyAdds.before - both.netMultiplyAdds.after, both.layerMultiplyAdds.before - both.layerMultiplyAdds.after);
    for (const x of r.rows) {
      assert.equal(x.error.before, c2.error.before);
      for (const b of ['batch1', 'batch128']) assert.ok(x.layerSpeedup[b] > 0 && x.netSpeedup[b] > 0);
    }
    assert.deepEqual(r.claims, [], 'one of two seeds: no claims');
    assert.deepEqual(JSON.parse(readFileSync(join(results, 'claims.json'), 'utf8')), [other]);
    assert.match(readFileSync(join(out, 'summary.md'), 'utf8'), /no claims are made/);
    // the CPU each net was timed on is recorded and shown per seed
    assert.ok(r.rows.every((x) => x.machine.includes(`${cpus().length} cores`)), r.rows[0].machine);
    assert.match(readFileSync(join(out, 'summary.md'), 'utf8'), /## Per trained net[\s\S]*\| c2 \| \d+\.\d\d× \/ \d+\.\d\d× \/ -?\d+\.\d\d \|[\s\S]*- seed 1 timed on: .+ cores/);
    // every seed: seed 1 is read back (nothing recomputed, and its net not needed: models are not committed), seed 2 computed, claims merged
    rmSync(join(out, 'nets', 'seed-1'), { recursive: true });
    lines.length = 0;
    const all = await reproduceCompressConv(opts);
    assert.deepEqual(all.rows.slice(0, 3), r.rows);
    assert.ok(!lines.some((l) => /seed 1 \w+: approximating/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /seed 2 c2: approximating/.test(l)), lines.join('\n'));
    assert.ok(!existsSync(join(out, 'nets', 'seed-1')), 'seed 1 was not retrained');
    assert.deepEqual(all.claims.map((c) => c.id), ['compress.cifar.conv_speedup_at_1pp', 'compress.cifar.net_speedup_at_1pp']);
    const merged = JSON.parse(readFileSync(join(results, 'claims.json'), 'utf8')) as { id: string }[];
    assert.deepEqual(merged.map((c) => c.id), ['other.claim', 'compress.cifar.conv_speedup_at_1pp', 'compress.cifar.net_speedup_at_1pp']);
    // the claims call the data by its loader's label (e.g. "CIFAR-10 (JPEG-75 copy)"), also when every report is
    // read back from before labels were recorded (then the data is loaded for it)
    const label = (await loadExperimentData(exp)).label;
    assert.notEqual(label, exp.dataset.name);
    assert.ok(all.claims.every((c) => c.dataset === label), JSON.stringify(all.claims.map((c) => c.dataset)));
    for (const seed of [1, 2]) for (const p of preset.points) {
      const f = join(out, 'reports', `seed-${seed}`, `${p.id}.json`);
      const rep = JSON.parse(readFileSync(f, 'utf8')) as { dataset: { label?: string } };
      assert.equal(rep.dataset.label, label);
      delete rep.dataset.label;
      writeFileSync(f, JSON.stringify(rep));
    }
    const old = await reproduceCompressConv(opts);
    assert.ok(old.claims.length === 2 && old.claims.every((c) => c.dataset === label), JSON.stringify(old.claims.map((c) => c.dataset)));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
