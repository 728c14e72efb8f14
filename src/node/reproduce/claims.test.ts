import { test } from 'node:test';
import assert from 'node:assert/strict';
import { declaredClaims } from './claims.js';
import { claimConsoleLine, claimLine, summarise, versusDownsizedMarkdown, type Claim, type RunRecord } from './summary.js';
import type { ReproPoint } from './reproduction.js';

const pt = (id: string, method: string, f: number | null): ReproPoint => ({ id, method, nominalFraction: f, columns: f === null ? null : 10, experiment: { model: { kind: 'mlp', hidden: [8, 8] } } as never });
const rec = (point: string, seed: number, testError: number | null): RunRecord => ({ point, seed, testError, paperFraction: 0.25, wholeNetworkFraction: 0.3, learned: 100, seconds: 1, dir: '' });

// a known per-seed table: full 10/12/14; emp 11/15/— (seed 3 diverged); downsized 13/14/18
const points = [pt('full', 'full', null), pt('emp', 'emp', 0.25), pt('down', 'downsized', 0.25), pt('never', 'rand', 0.25)];
const records = [rec('full', 1, 10), rec('full', 2, 12), rec('full', 3, 14), rec('emp', 1, 11), rec('emp', 2, 15), rec('emp', 3, null), rec('down', 3, 18), rec('down', 1, 13), rec('down', 2, 14)];
const rows = summarise(points, records);
const o = { command: 'c', preset: 'p', dataset: 'd' };

test('declared claims from a known per-seed table, against values computed by hand', () => {
  const claims = declaredClaims([
    { id: 'a', kind: 'error', point: 'full', description: 'full' },
    { id: 'b', kind: 'accuracy', point: 'emp', description: 'emp acc' },
    { id: 'c', kind: 'paired', a: 'down', b: 'emp', description: 'down − emp' },
    { id: 'd', kind: 'error', point: 'never', description: 'no runs: left out' },
    { id: 'e', kind: 'paired', a: 'full', b: 'never', description: 'no common seed: left out' },
  ], rows, o);
  assert.deepEqual(claims.map((c) => c.id), ['a', 'b', 'c']);
  // full: mean 12, sample sd √((4 + 0 + 4) / 2) = 2
  assert.deepEqual([claims[0].value, claims[0].sd, claims[0].n_seeds, claims[0].unit], [12, 2, 3, '% test error']);
  // emp: seeds 1–2 only: mean 13, sd √((4 + 4) / 1) = 2√2; accuracy 100 − 13 = 87, same sd
  assert.equal(claims[1].value, 87);
  assert.ok(Math.abs(claims[1].sd! - 2 * Math.SQRT2) < 1e-12);
  assert.equal(claims[1].n_seeds, 2);
  assert.equal(claims[1].unit, '% test accuracy');
  // paired over seeds 1, 2 (emp's seed 3 diverged): 13 − 11 = 2, 14 − 15 = −1 → mean 0.5, sd √(2·1.5²) = 1.5√2
  assert.equal(claims[2].value, 0.5);
  assert.ok(Math.abs(claims[2].sd! - 1.5 * Math.SQRT2) < 1e-12);
  assert.equal(claims[2].n_seeds, 2);
  assert.equal(claims[2].description, 'down − emp (p preset)');
  assert.deepEqual([claims[0].dataset, claims[0].command], ['d', 'c']);
});

test('versusDownsizedMarkdown: each method against the downsized net at its fraction, paired by seed', () => {
  const md = versusDownsizedMarkdown(rows, ['emp', 'rand'], 10);
  const line = md.split('\n').find((l) => l.startsWith('| 0.2500'))!;
  // downsized 15 ± 2.65; emp 13 ± 2.83, paired 0.50 ± 2.12 (n = 2; 95 % interval 0.5 ± 12.706·1.5√2/√2 = 0.5 ± 19.06 with
  // the t-table's quantile for 1 degree of freedom); rand never ran
  assert.equal(line, '| 0.2500 | 15.00 ± 2.65 (8-8) | 13.00 ± 2.83 | 0.50 ± 2.12 (n = 2; 95 % CI −18.56 to +19.56) | — | — |');
  assert.equal(versusDownsizedMarkdown(summarise([pt('full', 'full', null)], []), ['emp'], 10), '');
});

test('claimLine / claimConsoleLine: a difference in percentage points carries its 95 % t-interval; a level does not', () => {
  const common = { description: 'd', dataset: 'x', command: 'c' };
  const diff: Claim = { id: 'a_minus_b', value: -0.6, sd: 1.03, n_seeds: 3, unit: 'percentage points of test error', ...common };
  // −0.6 ± 4.303·1.03/√3 = −0.6 ± 2.559 (the t-table's quantile for 2 degrees of freedom)
  assert.equal(claimConsoleLine(diff), 'a_minus_b: -0.6000 ± 1.03 percentage points of test error (n = 3; 95 % CI −3.16 to +1.96)');
  assert.equal(claimLine(diff), '- `a_minus_b`: -0.6000 ± 1.03 percentage points of test error (n = 3; 95 % CI −3.16 to +1.96) — d');
  const level: Claim = { id: 'acc', value: 77.6, sd: 0.7, n_seeds: 3, unit: '% test accuracy', ...common };
  assert.equal(claimLine(level), '- `acc`: 77.60 ± 0.70 % test accuracy (n = 3) — d');
  // one seed: no sd, no interval
  assert.equal(claimConsoleLine({ ...diff, sd: null, n_seeds: 1 }), 'a_minus_b: -0.6000 percentage points of test error (n = 1)');
});
