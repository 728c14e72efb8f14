import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bestFractionWithin, computeClaims, mergeClaims, meanSd, summarise, summaryMarkdown, type Claim, type RunRecord, type SummaryRow } from './summary.js';
import type { ReproPoint } from './points.js';

/** Reference mean and sample sd by the two-pass textbook formula, in float64 with explicit loops. */
function refStats(xs: number[]): { mean: number; sd: number } {
  let s = 0;
  for (const x of xs) s += x;
  const m = s / xs.length;
  let q = 0;
  for (const x of xs) q += (x - m) * (x - m);
  return { mean: m, sd: xs.length > 1 ? Math.sqrt(q / (xs.length - 1)) : 0 };
}

const fakePoint = (id: string, method: string, f: number | null, columns: number | null, aliasOf?: string): ReproPoint => ({
  id, method, nominalFraction: f, columns,
  experiment: { model: { kind: 'mlp', hidden: [500, 500] } } as never,
  ...(aliasOf ? { aliasOf } : {}),
});
const rec = (point: string, seed: number, testError: number | null, paperFraction = 0.05): RunRecord => ({ point, seed, testError, paperFraction, wholeNetworkFraction: 0.1, learned: 1000, seconds: 1, dir: '' });

test('meanSd matches the reference (sample sd, n − 1) on known and random values', () => {
  assert.deepEqual(meanSd([2, 4, 4, 4, 5, 5, 7, 9]), refStats([2, 4, 4, 4, 5, 5, 7, 9]));
  // sd of [1, 2, 3] is exactly 1 (n − 1); population sd would be √(2/3)
  assert.equal(meanSd([1, 2, 3]).sd, 1);
  assert.equal(meanSd([3.5]).sd, 0);
  let s = 7;
  for (let k = 0; k < 50; k++) {
    const xs = Array.from({ length: 2 + (k % 5) }, () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 10);
    const a = meanSd(xs);
    const b = refStats(xs);
    assert.ok(Math.abs(a.mean - b.mean) < 1e-12 && Math.abs(a.sd - b.sd) < 1e-12);
  }
});

test('summarise: per point over seeds, diverged runs counted but excluded, aliases repeat their target', () => {
  const points = [fakePoint('full', 'full', null, null), fakePoint('se-emp-a', 'se-emp', 0.05, 10), fakePoint('se-a', 'se', 0.05, 10, 'se-emp-a')];
  const records = [rec('full', 1, 1.5, 1), rec('full', 2, 1.9, 1), rec('se-emp-a', 2, 2.4), rec('se-emp-a', 1, 2.0), rec('se-emp-a', 3, null)];
  const rows = summarise(points, records);
  assert.deepEqual(rows.map((r) => [r.point, r.n, r.diverged]), [['full', 2, 0], ['se-emp-a', 2, 1], ['se-a', 2, 1]]);
  const ref = refStats([2.0, 2.4]);
  assert.ok(Math.abs(rows[1].mean! - ref.mean) < 1e-12 && Math.abs(rows[1].sd! - ref.sd) < 1e-12);
  assert.deepEqual(rows[1].seeds, [1, 2]);
  assert.deepEqual(rows[1].errors, [2.0, 2.4]);
  assert.equal(rows[2].aliasOf, 'se-emp-a');
  assert.equal(rows[2].mean, rows[1].mean);
  assert.equal(rows[0].fraction, 1);
  const none = summarise([fakePoint('x', 'rand', 0.05, 10)], [rec('x', 1, null)]);
  assert.equal(none[0].mean, null);
  // a convnet's widths: conv filters, then dense units (the CIFAR downsized net's 34-45-45-359)
  const conv = { ...fakePoint('downsized-c', 'downsized', 0.5, null), experiment: { model: { kind: 'convnet', spec: { convLayers: [[34, 8], [45, 8], [45, 5]], denseUnits: 359 } } } as never };
  assert.deepEqual(summarise([conv], [rec('downsized-c', 1, 22.5)])[0].hidden, [34, 45, 45, 359]);
  assert.equal(none[0].n, 0);
});

const row = (method: string, columns: number | null, nominal: number | null, fraction: number, mean: number | null, n = 3): SummaryRow => ({
  point: `${method}-${nominal}-${columns}`, method, nominalFraction: nominal, columns, hidden: [500, 500], fraction, matchedFraction: null,
  wholeNetworkFraction: fraction, learned: 0, mean, sd: mean === null ? null : 0.1, n, diverged: 0, errors: [], seeds: [],
});

test('bestFractionWithin: the smallest fraction whose mean is within pp of the baseline, whatever the row order', () => {
  const rows = [row('se-emp', 10, 0.5, 0.5, 1.55), row('se-emp', 10, 0.05, 0.0498, 1.75), row('se-emp', 10, 0.0255, 0.0255, 1.69), row('se-emp', 10, 0.13, 0.134, 1.62)];
  // baseline 1.5 (limit 1.7): 1.69 (0.0255), 1.62 (0.134), 1.55 (0.5) qualify, 1.75 (0.0498) does not → 0.0255
  assert.equal(bestFractionWithin(rows, 1.5, 0.2)?.fraction, 0.0255);
  // baseline 1.45 (limit 1.65): 1.62 (0.134) and 1.55 (0.5) → 0.134, although 0.5 is closer to the baseline
  assert.equal(bestFractionWithin(rows, 1.45, 0.2)?.fraction, 0.134);
  // baseline 1.4 (limit 1.6): only 0.5
  assert.equal(bestFractionWithin(rows, 1.4, 0.2)?.fraction, 0.5);
  // exactly 0.2 pp counts as within
  assert.equal(bestFractionWithin([row('se-emp', 10, 0.05, 0.05, 1.7)], 1.5, 0.2)?.fraction, 0.05);
  assert.equal(bestFractionWithin(rows, 1.0, 0.2), null);
  assert.equal(bestFractionWithin([row('se-emp', 10, 0.05, 0.05, null)], 1.5, 0.2), null);
});

test('computeClaims: the four required claims from constructed rows', () => {
  const rows = [
    row('full', null, null, 1, 1.6),
    row('se-emp', 10, 0.0255, 0.0255, 2.4),
    row('se-emp', 10, 0.05, 0.0498, 1.75),
    row('se-emp', 10, 0.134, 0.134, 1.62),
    row('rand', 10, 0.0255, 0.0255, 1.61), // another method: not part of the cols10 se-emp rule
    row('se-emp', 1, 0.05, 0.0498, 9.0),
    { ...row('downsized', 10, 0.05, 1, 2.1), hidden: [45, 45] },
  ];
  const claims = computeClaims(rows, { command: 'parampred reproduce mnist --preset quick', preset: 'quick' });
  const byId = new Map(claims.map((c) => [c.id, c]));
  assert.equal(byId.get('mnist.full.test_error')?.value, 1.6);
  assert.equal(byId.get('mnist.cols10.best_fraction_within_0.2pp')?.value, 0.0498);
  assert.equal(byId.get('mnist.cols10.frac05.test_error')?.value, 1.75);
  assert.equal(byId.get('mnist.cols10.frac05.test_error')?.sd, 0.1);
  assert.equal(byId.get('mnist.downsized.frac05.test_error')?.value, 2.1);
  assert.match(byId.get('mnist.downsized.frac05.test_error')!.description, /784-45-45-10/);
  assert.equal(byId.get('mnist.cols1.frac05.test_error')?.value, 9.0);
  for (const c of claims) {
    assert.deepEqual(Object.keys(c).sort(), ['command', 'dataset', 'description', 'id', 'n_seeds', 'sd', 'unit', 'value']);
    assert.equal(c.n_seeds, 3);
    assert.equal(c.dataset, 'mnist');
  }
  const none = computeClaims([row('full', null, null, 1, 1.0), row('se-emp', 10, 0.05, 0.05, 3)], { command: 'x', preset: 'quick' });
  const b = none.find((c) => c.id === 'mnist.cols10.best_fraction_within_0.2pp');
  assert.equal(b?.value, null);
  assert.match(b!.description, /No dynamic fraction/);
  assert.equal(none.find((c) => c.id === 'mnist.downsized.frac05.test_error'), undefined);
});

test('mergeClaims: replaces by id in place, keeps others, appends new ids', () => {
  const c = (id: string, value: number): Claim => ({ id, description: '', value, sd: null, n_seeds: 1, unit: '', dataset: 'mnist', command: '' });
  const merged = mergeClaims([c('a', 1), c('b', 2), c('z', 9)], [c('b', 20), c('new', 5)]);
  assert.deepEqual(merged.map((x) => [x.id, x.value]), [['a', 1], ['b', 20], ['z', 9], ['new', 5]]);
  assert.deepEqual(mergeClaims([], [c('a', 1)]).map((x) => x.id), ['a']);
});

test('cost_pp: the paired difference over the seeds both nets finished, against a by-hand reference; ℓ-control rows never stand in for the plain point', () => {
  const lpoint: ReproPoint = { ...fakePoint('se-emp-l3', 'se-emp', 0.05, 10), lengthScale: 3 };
  const points = [fakePoint('full', 'full', null, null), lpoint, fakePoint('se-emp-a', 'se-emp', 0.05, 10), fakePoint('se-emp-b', 'se-emp', 0.025, 10)];
  const records = [
    rec('full', 1, 1.50, 1), rec('full', 2, 1.55, 1), rec('full', 3, 1.54, 1),
    rec('se-emp-l3', 1, 9, 0.05), rec('se-emp-l3', 2, 9, 0.05),
    rec('se-emp-a', 1, 1.63), rec('se-emp-a', 2, 1.71), rec('se-emp-a', 4, 1.2),
    rec('se-emp-b', 1, 2.0, 0.0257), rec('se-emp-b', 2, null, 0.0257), rec('se-emp-b', 3, 2.2, 0.0257),
  ];
  const rows = summarise(points, records);
  const claims = computeClaims(rows, { command: 'c', preset: 'p' });
  const get = (id: string) => claims.find((c) => c.id === id)!;
  // frac05: seeds 1 and 2 are shared (seed 4 has no full run, seed 3 no predicted one)
  const d05 = refStats([1.63 - 1.50, 1.71 - 1.55]);
  assert.ok(Math.abs(get('mnist.cols10.frac05.cost_pp').value! - d05.mean) < 1e-12);
  assert.ok(Math.abs(get('mnist.cols10.frac05.cost_pp').sd! - d05.sd) < 1e-12);
  assert.equal(get('mnist.cols10.frac05.cost_pp').n_seeds, 2);
  // the plain point's own mean, not the ℓ = 3 point's 9 %
  assert.ok(Math.abs(get('mnist.cols10.frac05.test_error').value! - (1.63 + 1.71 + 1.2) / 3) < 1e-12);
  // frac025: seed 2 diverged, so seeds 1 and 3 pair
  const d025 = refStats([2.0 - 1.50, 2.2 - 1.54]);
  assert.ok(Math.abs(get('mnist.cols10.frac025.cost_pp').value! - d025.mean) < 1e-12);
  assert.ok(Math.abs(get('mnist.cols10.frac025.test_error').value! - 2.1) < 1e-12);
});

test('summaryMarkdown tells a point that has not run yet from one whose seeds diverged', () => {
  const points = [fakePoint('a', 'rand', 0.05, 10), fakePoint('b', 'rand', 0.1, 10), fakePoint('c', 'rand', 0.25, 10)];
  const md = summaryMarkdown(summarise(points, [rec('a', 1, null), rec('c', 1, 2.5)]), { title: 't', notes: [] });
  const row = (id: number) => md.split('\n').filter((l) => l.startsWith('| rand'))[id];
  assert.match(row(0), /\| diverged \| 0 \(\+1 diverged\)/);
  assert.match(row(1), /\| — \| not run yet \| 0 \|/);
  // one seed: no sd to show
  assert.match(row(2), /\| 2\.50 ± — \| 1 \|/);
});
