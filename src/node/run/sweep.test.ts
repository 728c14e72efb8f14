import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyOverrides } from '../../core/experiments/index.js';
import { getExperiment } from '../experiments/index.js';
import { meanSd, runSweep } from './sweep.js';

test('meanSd matches the textbook formulas', () => {
  assert.deepEqual(meanSd([5]), { mean: 5, sd: 0 });
  const { mean, sd } = meanSd([1, 2, 3, 4]);
  assert.equal(mean, 2.5);
  assert.ok(Math.abs(sd - Math.sqrt(5 / 3)) < 1e-12);
});

test('runSweep: rows per point with mean ± sd over seeds, CSV and an SVG with every point', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pp-sweep-'));
  const base = applyOverrides(getExperiment('smoke'), ['epochs=1', 'dataset.limit.train=100', 'dataset.limit.test=50']);
  const points = [0.25, 0.5].map((f) => applyOverrides(base, [`model.layers.0.fraction=${f}`, `model.layers.1.fraction=${f}`]));
  const rows = await runSweep(points, { seeds: 2, outDir: dir, progress: 'none' });
  assert.equal(rows.length, 2);
  for (const [i, r] of rows.entries()) {
    assert.equal(r.method, 'se-emp');
    assert.equal(r.columns, 4);
    assert.equal(r.n, 2);
    const final = (s: number) => JSON.parse(readFileSync(join(dir, r.point, `seed-${s}`, 'final.json'), 'utf8')).testError as number;
    assert.deepEqual(r.errors, [final(1), final(2)]);
    assert.deepEqual({ mean: r.mean, sd: r.sd }, meanSd(r.errors));
    // paper fraction from the spec: layer 1 round(f·64)·32, layer 2 round(f·32)·32 over 64·32 + 32·32
    const f = [0.25, 0.5][i];
    assert.ok(Math.abs(r.fraction - (Math.round(f * 64) * 32 + Math.round(f * 32) * 32) / (64 * 32 + 32 * 32)) < 1e-12);
  }
  // summary.json: the format every multi-seed command writes, {...header, rows}
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')), { seeds: 2, rows: JSON.parse(JSON.stringify(rows)) });
  const csv = readFileSync(join(dir, 'summary.csv'), 'utf8').trim().split('\n');
  assert.equal(csv.length, 3);
  const svg = readFileSync(join(dir, 'error-vs-fraction.svg'), 'utf8');
  assert.match(svg, /^<svg/);
  // every point is drawn: Vega writes "<x title>: x; test error %: y" into each point's aria-label
  const drawn = [...svg.matchAll(/\(paper convention\): ([\d.]+); test error %: ([\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
  for (const r of rows) assert.ok(drawn.some(([x, y]) => Math.abs(x - r.fraction) < 0.01 && Math.abs(y - r.mean!) < 0.01), `point ${r.point} (${r.fraction}, ${r.mean}) in ${JSON.stringify(drawn)}`);
  rmSync(dir, { recursive: true });
});
