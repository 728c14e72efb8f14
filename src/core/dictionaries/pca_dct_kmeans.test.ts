import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDictionary } from './index.js';
import { kmeans } from './kmeans.js';
import { gridCoords } from '../geometry.js';
import { Rng, rng } from '../rng.js';
import { covLoops, toData } from './test_reference.js';

/** Column a of a row-major n × m matrix. */
const col = (u: Float32Array, n: number, m: number, a: number): number[] => Array.from({ length: n }, (_, i) => u[i * m + a]);
const dot = (x: number[], y: number[]): number => x.reduce((s, v, i) => s + v * y[i], 0);

/** Gram matrix UᵀU max deviation from I. */
function orthonormalError(u: Float32Array, n: number, m: number): number {
  let worst = 0;
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) worst = Math.max(worst, Math.abs(dot(col(u, n, m, a), col(u, n, m, b)) - (a === b ? 1 : 0)));
  return worst;
}

test('pca: orthonormal columns equal to the top eigenvectors (power iteration with deflation) up to sign', () => {
  const r = new Rng(3, 'pca');
  const scales = [5, 3.5, 2.5, 1.7, 1, 0.6, 0.4, 0.3, 0.2, 0.1];
  const X = Array.from({ length: 300 }, () => scales.map((s) => s * r.normal()));
  // rotate by a fixed orthogonal-ish mixing so eigenvectors are not the axes: Householder reflection
  const h = scales.map((_, i) => Math.sin(i + 1));
  const hn = Math.sqrt(dot(h, h));
  const Y = X.map((x) => { const p = (2 * dot(x, h)) / (hn * hn); return x.map((v, i) => v - p * h[i]); });
  const C = covLoops(Y);
  const ref: number[][] = [];
  let A = C.map((row) => [...row]);
  for (let k = 0; k < 4; k++) {
    let v = scales.map((_, i) => 1 + i);
    let lam = 0;
    for (let it = 0; it < 2000; it++) {
      const w = A.map((row) => dot(row, v));
      lam = Math.sqrt(dot(w, w));
      v = w.map((x) => x / lam);
    }
    ref.push(v);
    A = A.map((row, i) => row.map((x, j) => x - lam * v[i] * v[j]));
  }
  const d = buildDictionary({ method: 'pca' }, { nIn: 10, alpha: Int32Array.of(0, 1, 2, 3), data: toData(Y), rng: rng(1) });
  assert.ok(orthonormalError(d.u, 10, 4) < 1e-5);
  for (let k = 0; k < 4; k++) assert.ok(Math.abs(Math.abs(dot(col(d.u, 10, 4, k), ref[k])) - 1) < 1e-5, `component ${k}`);
  // n_α = n_v (the pca-basis control): U is orthogonal, rows orthonormal too, so U·V reaches every W (V = UᵀW)
  const sq = buildDictionary({ method: 'pca' }, { nIn: 10, alpha: Int32Array.from({ length: 10 }, (_, i) => i), data: toData(Y), rng: rng(1) });
  const ut = new Float32Array(100);
  for (let i = 0; i < 10; i++) for (let j = 0; j < 10; j++) ut[j * 10 + i] = sq.u[i * 10 + j];
  assert.ok(orthonormalError(sq.u, 10, 10) < 1e-5 && orthonormalError(ut, 10, 10) < 1e-5);
  // directions: 'random' (the pca-random-patch control): n_α eigenvectors of C, not the top ones, chosen by the seed
  const rayleigh = (v: number[]) => dot(v, C.map((row) => dot(row, v)));
  const picked = (seed: number) => {
    const d = buildDictionary({ method: 'pca', directions: 'random' }, { nIn: 10, alpha: Int32Array.of(0, 1, 2, 3), data: toData(Y), rng: rng(seed) });
    assert.ok(orthonormalError(d.u, 10, 4) < 1e-5);
    return [0, 1, 2, 3].map((k) => {
      const v = col(d.u, 10, 4, k), lam = rayleigh(v), cv = C.map((row) => dot(row, v));
      assert.ok(Math.sqrt(cv.reduce((s2, x, i) => s2 + (x - lam * v[i]) ** 2, 0)) < 1e-4 * lam, `column ${k} is an eigenvector`);
      return lam;
    });
  };
  const top = [0, 1, 2, 3].map((k) => rayleigh(ref[k]));
  const draws = [1, 2, 3, 4, 5].map(picked);
  for (const lams of draws) for (let k = 1; k < 4; k++) assert.ok(lams[k] < lams[k - 1], 'descending eigenvalue order');
  assert.deepEqual(picked(1), draws[0], 'the same seed picks the same directions');
  // the draws are not all the top four, and they differ between seeds
  assert.ok(draws.some((lams) => lams.some((l, k) => Math.abs(l - top[k]) > 1e-3 * top[k])));
  assert.ok(new Set(draws.map((lams) => lams.map((l) => l.toFixed(3)).join())).size > 1);
});

test('dct: orthonormal columns on a full grid, the first constant, per-group atoms with grouped coords', () => {
  const g = gridCoords(6, 5);
  const all = buildDictionary({ method: 'dct' }, { nIn: 30, alpha: Int32Array.from({ length: 30 }, (_, i) => i), coords: g, rng: rng(1) });
  assert.ok(orthonormalError(all.u, 30, 30) < 1e-5);
  assert.ok(col(all.u, 30, 30, 0).every((v) => Math.abs(v - 1 / Math.sqrt(30)) < 1e-6));
  // the second atom is the lowest non-constant frequency along rows (the longer axis): cos(π(r+½)/6)
  const c1 = col(all.u, 30, 30, 1);
  for (let i = 0; i < 30; i++) assert.ok(Math.abs(c1[i] - Math.sqrt(2 / 6) * Math.cos((Math.PI * (g.points[i][0] + 0.5)) / 6) / Math.sqrt(5)) < 1e-6);
  const gg = gridCoords(4, 4, 3);
  const d = buildDictionary({ method: 'dct' }, { nIn: 48, alpha: Int32Array.from({ length: 10 }, (_, i) => i), coords: gg, rng: rng(1) });
  assert.ok(orthonormalError(d.u, 48, 10) < 1e-5);
  for (let a = 0; a < 10; a++) {
    const groupsUsed = new Set(col(d.u, 48, 10, a).flatMap((v, i) => (v !== 0 ? [gg.groups![i]] : [])));
    assert.deepEqual([...groupsUsed], [a % 3], `atom ${a} lives in group ${a % 3}`);
  }
});

/** Σ_r min_a ‖x_r − c_a‖², computed here. */
function distortion(X: number[][], cents: number[][]): number {
  return X.reduce((s, x) => s + Math.min(...cents.map((c) => c.reduce((t, v, j) => t + (x[j] - v) ** 2, 0))), 0);
}

test('kmeans atoms reduce distortion well below random atoms; U = normalised centroids', () => {
  const r = new Rng(5, 'km');
  const centres = Array.from({ length: 6 }, () => Array.from({ length: 8 }, () => 4 * r.normal()));
  const X = Array.from({ length: 240 }, (_, i) => centres[i % 6].map((c) => c + 0.5 * r.normal()));
  const data = toData(X);
  const km = kmeans(data, 6, { iterations: 20, rng: rng(9) });
  const cents = Array.from({ length: 6 }, (_, a) => Array.from(km.centroids.subarray(a * 8, a * 8 + 8)));
  const dK = distortion(X, cents);
  assert.ok(Math.abs(dK - km.distortion) < 1e-6 * dK, 'reported distortion');
  let dRand = 0;
  for (let s = 0; s < 10; s++) {
    const rr = new Rng(s, 'pick');
    dRand += distortion(X, Array.from({ length: 6 }, () => X[rr.int(X.length)])) / 10;
  }
  assert.ok(dK < 0.5 * dRand, `k-means ${dK.toFixed(1)} vs random atoms ${dRand.toFixed(1)}`);
  const d = buildDictionary({ method: 'kmeans' }, { nIn: 8, alpha: Int32Array.from({ length: 6 }, (_, i) => i), data, rng: rng(9) });
  for (let a = 0; a < 6; a++) {
    const n = Math.sqrt(dot(cents[a], cents[a]));
    const u = col(d.u, 8, 6, a);
    assert.ok(u.every((v, j) => Math.abs(v - cents[a][j] / n) < 1e-5), `atom ${a}`);
  }
  const raw = buildDictionary({ method: 'kmeans', normalize: false }, { nIn: 8, alpha: Int32Array.from({ length: 6 }, (_, i) => i), data, rng: rng(9) });
  assert.ok(col(raw.u, 8, 6, 2).every((v, j) => Math.abs(v - cents[2][j]) < 1e-5));
});
