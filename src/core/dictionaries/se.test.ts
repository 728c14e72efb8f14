import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDictionary } from './index.js';
import { seLengthScale } from './se.js';
import { gridCoords } from '../geometry.js';
import { rng } from '../rng.js';
import { sampleAlpha } from '../samplers/index.js';
import { at, gaussSolve } from './test_reference.js';

const g28 = gridCoords(28, 28);

/** Relative error ‖U·V − f‖/‖f‖ with V the least-squares fit (normal equations solved independently). */
function lsRelError(u: Float32Array, n: number, m: number, f: number[]): number {
  const UtU = Array.from({ length: m }, (_, a) => Array.from({ length: m }, (_, b) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += u[i * m + a] * u[i * m + b];
    return s + (a === b ? 1e-10 : 0);
  }));
  const Utf = Array.from({ length: m }, (_, a) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += u[i * m + a] * f[i];
    return [s];
  });
  const v = gaussSolve(UtU, Utf).map((r) => r[0]);
  let err = 0;
  let norm = 0;
  for (let i = 0; i < n; i++) {
    let p = 0;
    for (let a = 0; a < m; a++) p += u[i * m + a] * v[a];
    err += (p - f[i]) ** 2;
    norm += f[i] ** 2;
  }
  return Math.sqrt(err / norm);
}

test('se with tiny λ reproduces W_α at α: rows of U at α ≈ I', () => {
  for (const seed of [1, 2, 3]) {
    const alpha = sampleAlpha(undefined, 784, 39, rng(seed));
    const d = buildDictionary({ method: 'se', lambda: 1e-8 }, { nIn: 784, alpha, coords: g28, rng: rng(seed) });
    let worst = 0;
    for (let a = 0; a < 39; a++) for (let b = 0; b < 39; b++) worst = Math.max(worst, Math.abs(at(d.u, 39, alpha[a], b) - (a === b ? 1 : 0)));
    assert.ok(worst < 1e-3, `seed ${seed}: max |U[α] − I| = ${worst}`);
  }
});

// Least squares makes λ irrelevant (span U = span K(all, α)); ℓ sets the span. Measured on this filter at
// n_α = 78: relative error 0.74 / 0.40 / 0.08 / 0.03 for ℓ = 1 / 2 / 3 / 4 px, rand 0.95 — the auto ℓ
// (≈ 1.4 px here, tuned for MNIST training) is too short for a filter this smooth, so ℓ = 4 is explicit.
test('se interpolates a smooth 28×28 filter far better than rand at the same n_α (least-squares V)', () => {
  const f = g28.points.map(([r, c]) => Math.exp(-((r - 12) ** 2 + (c - 15) ** 2) / (2 * 25)) + 0.5 * Math.sin((2 * Math.PI * r) / 14) * Math.cos((2 * Math.PI * c) / 20));
  const alpha = sampleAlpha(undefined, 784, 78, rng(7));
  const se = buildDictionary({ method: 'se', lengthScale: 4 }, { nIn: 784, alpha, coords: g28, rng: rng(7) });
  const rand = buildDictionary({ method: 'rand' }, { nIn: 784, alpha, coords: g28, rng: rng(7) });
  const eSe = lsRelError(se.u, 784, 78, f);
  const eRand = lsRelError(rand.u, 784, 78, f);
  assert.ok(eSe < 0.2 * eRand, `se error ${eSe.toFixed(4)} vs rand ${eRand.toFixed(4)}`);
  assert.ok(eSe < 0.05, `se relative error ${eSe}`);
});

test("se variant 'kernel-row' is K(all, α) with K = exp(−‖x−y‖²/(2ℓ²)), zero across groups", () => {
  const coords = gridCoords(5, 4, 3);
  const alpha = sampleAlpha(undefined, 60, 9, rng(4));
  const d = buildDictionary({ method: 'se', variant: 'kernel-row', lengthScale: 1.7 }, { nIn: 60, alpha, coords, rng: rng(4) });
  assert.equal(d.u.length, 60 * 9);
  for (let i = 0; i < 60; i++) {
    const r = Math.floor(i / 12), c = Math.floor(i / 3) % 4, ch = i % 3;
    for (let a = 0; a < 9; a++) {
      const j = alpha[a];
      const rj = Math.floor(j / 12), cj = Math.floor(j / 3) % 4, chj = j % 3;
      const ref = ch === chj ? Math.exp(-((r - rj) ** 2 + (c - cj) ** 2) / (2 * 1.7 ** 2)) : 0;
      assert.ok(Math.abs(at(d.u, 9, i, a) - ref) < 1e-6, `(${i}, ${a}): ${at(d.u, 9, i, a)} vs ${ref}`);
    }
  }
});

test('se ridge U equals K(all,α)(K(α,α)+λI)⁻¹ computed independently, and is zero across groups', () => {
  const coords = gridCoords(4, 4, 2);
  const alpha = sampleAlpha(undefined, 32, 8, rng(5));
  const ell = 1.3, lambda = 0.1;
  const d = buildDictionary({ method: 'se', lengthScale: ell, lambda }, { nIn: 32, alpha, coords, rng: rng(5) });
  const k = (i: number, j: number): number => coords.groups![i] !== coords.groups![j] ? 0
    : Math.exp(-((coords.points[i][0] - coords.points[j][0]) ** 2 + (coords.points[i][1] - coords.points[j][1]) ** 2) / (2 * ell * ell));
  const al = Array.from(alpha);
  const X = gaussSolve(al.map((i, a) => al.map((j, b) => k(i, j) + (a === b ? lambda : 0))), al.map((i) => Array.from({ length: 32 }, (_, n) => k(i, n))));
  for (let i = 0; i < 32; i++) {
    for (let a = 0; a < 8; a++) {
      assert.ok(Math.abs(at(d.u, 8, i, a) - X[a][i]) < 1e-5, `(${i}, ${a})`);
      if (coords.groups![i] !== coords.groups![alpha[a]]) assert.equal(at(d.u, 8, i, a), 0);
    }
  }
});

test("se lengthScale 'auto' is ≈ 2 px at 5 % of a 28×28 grid and shrinks as α grows", () => {
  const o = { lengthScale: 'auto' as const, lengthScaleFactor: 0.8 };
  const at5 = Array.from({ length: 20 }, (_, s) => seLengthScale(g28, sampleAlpha(undefined, 784, 39, rng(s)), o));
  const mean = at5.reduce((a, b) => a + b) / at5.length;
  assert.ok(Math.abs(mean - 2) < 0.2, `mean ℓ at 5 % = ${mean}`);
  const at50 = seLengthScale(g28, sampleAlpha(undefined, 784, 392, rng(0)), o);
  assert.ok(at50 < 0.5 * mean, `ℓ at 50 % = ${at50}`);
  assert.ok(Math.abs(seLengthScale(g28, Int32Array.from({ length: 784 }, (_, i) => i), o) - 0.8) < 1e-12);
  assert.equal(seLengthScale(g28, Int32Array.of(1, 2), { lengthScale: 3, lengthScaleFactor: 0.8 }), 3);
});
