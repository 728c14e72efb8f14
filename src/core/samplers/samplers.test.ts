import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveSamplerOptions, sampleAlpha, samplerNames, type SamplerSpec } from './index.js';
import { gridCoords } from '../geometry.js';
import { rng } from '../rng.js';

const g28 = gridCoords(28, 28);
const gc = gridCoords(6, 6, 4);

function valid(a: Int32Array, nIn: number, nAlpha: number, what: string): void {
  assert.equal(a.length, nAlpha, what);
  for (let i = 0; i < a.length; i++) {
    assert.ok(Number.isInteger(a[i]) && a[i] >= 0 && a[i] < nIn, `${what}: in range`);
    if (i > 0) assert.ok(a[i] > a[i - 1], `${what}: sorted and distinct`);
  }
}

test('every sampler gives n_α distinct sorted in-range indices, seeded-deterministic, streams differ', () => {
  for (const method of samplerNames) {
    for (const [coords, nIn] of [[undefined, 100], [g28, 784], [gc, 144]] as const) {
      for (const nAlpha of [1, 7, 39, nIn]) {
        const what = `${method} nIn=${nIn} nAlpha=${nAlpha} coords=${coords ? 'yes' : 'no'}`;
        const a = sampleAlpha({ method }, nIn, nAlpha, rng(1).fork('c0'), coords);
        valid(a, nIn, nAlpha, what);
        assert.deepEqual(sampleAlpha({ method }, nIn, nAlpha, rng(1).fork('c0'), coords), a, `${what}: deterministic`);
        if (nAlpha === 39) assert.notDeepEqual(sampleAlpha({ method }, nIn, nAlpha, rng(1).fork('c1'), coords), a, `${what}: streams differ`);
      }
    }
  }
});

/** Max over grid points of the distance to the nearest α point (covering radius). */
function covering(alpha: Int32Array): number {
  return Math.max(...g28.points.map((p) => Math.min(...Array.from(alpha, (j) => Math.hypot(p[0] - g28.points[j][0], p[1] - g28.points[j][1])))));
}
/** Mean distance from each α point to its nearest other α point. */
function meanNN(alpha: Int32Array): number {
  const pts = Array.from(alpha, (j) => g28.points[j]);
  return pts.reduce((s, p, i) => s + Math.min(...pts.filter((_, k) => k !== i).map((q) => Math.hypot(p[0] - q[0], p[1] - q[1]))), 0) / pts.length;
}

test('strided covers the grid more evenly than uniform; clustered clumps more tightly', () => {
  let cu = 0, cs = 0, nu = 0, nc = 0;
  for (let s = 0; s < 5; s++) {
    const u = sampleAlpha({ method: 'uniform' }, 784, 39, rng(s), g28);
    cu += covering(u) / 5;
    nu += meanNN(u) / 5;
    cs += covering(sampleAlpha({ method: 'strided' }, 784, 39, rng(s), g28)) / 5;
    nc += meanNN(sampleAlpha({ method: 'clustered' }, 784, 39, rng(s), g28)) / 5;
  }
  assert.ok(cs < 0.75 * cu, `covering radius strided ${cs.toFixed(2)} vs uniform ${cu.toFixed(2)}`);
  assert.ok(nc < 0.75 * nu, `mean NN clustered ${nc.toFixed(2)} vs uniform ${nu.toFixed(2)}`);
});

test('strided without coords is evenly spaced; with groups it splits n_α evenly over channels', () => {
  const a = sampleAlpha({ method: 'strided', jitter: false }, 100, 10, rng(1));
  assert.deepEqual(Array.from(a), [5, 15, 25, 35, 45, 55, 65, 75, 85, 95]);
  const b = sampleAlpha({ method: 'strided' }, 144, 20, rng(1), gc);
  const perGroup = [0, 0, 0, 0];
  for (const i of b) perGroup[gc.groups![i]]++;
  assert.deepEqual(perGroup, [5, 5, 5, 5]);
});

test('uniform draws every unit about equally often', () => {
  const counts = new Array(20).fill(0);
  for (let s = 0; s < 400; s++) for (const i of sampleAlpha(undefined, 20, 5, rng(s))) counts[i]++;
  for (const c of counts) assert.ok(c > 60 && c < 140, `count ${c} (expected 100)`);
});

test('errors name sampleAlpha and the values', () => {
  assert.throws(() => sampleAlpha(undefined, 10, 11, rng(1)), /sampleAlpha: expected nAlpha an integer in \[1, nIn=10\], got 11/);
  assert.throws(() => sampleAlpha(undefined, 10, 0, rng(1)), /sampleAlpha: expected nAlpha an integer in \[1, nIn=10\], got 0/);
  assert.throws(() => sampleAlpha(undefined, 0, 1, rng(1)), /sampleAlpha: expected nIn a positive integer, got 0/);
  assert.throws(() => sampleAlpha({ method: 'poisson' } as unknown as SamplerSpec, 10, 2, rng(1)), /sampleAlpha: expected sampler to be one of "uniform", "strided", "clustered", got "poisson"/);
  assert.throws(() => sampleAlpha({ method: 'clustered', clusterSize: 0 }, 10, 2, rng(1)), /sampleAlpha: expected valid options for sampler 'clustered': clusterSize: /);
  assert.throws(() => sampleAlpha(undefined, 10, 2, rng(1), gridCoords(3, 3)), /sampleAlpha: expected coords for nIn=10 units, got 9/);
  assert.deepEqual(resolveSamplerOptions({ method: 'strided' }), { jitter: true });
});
