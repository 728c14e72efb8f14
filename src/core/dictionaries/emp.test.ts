import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDictionary } from './index.js';
import { rng } from '../rng.js';
import { correlatedData, covLoops, maxAbsDiff, ridgeReference, toData } from './test_reference.js';

const X = correlatedData(80, 12, 4, 11);
const alpha = Int32Array.of(0, 3, 4, 7, 10);
const input = { nIn: 12, alpha, data: toData(X), rng: rng(1) };
const meanDiag = (K: number[][]): number => K.reduce((s, r, i) => s + r[i], 0) / K.length;

/** Max |U − U_ref| relative to max |U_ref|. */
function relDiff(u: Float32Array, ref: number[][]): number {
  const flat = ref.flat();
  return maxAbsDiff(u, flat) / Math.max(...flat.map(Math.abs));
}

test('emp equals the ridge formula on an independently computed covariance (λ = 0.001 × mean diag)', () => {
  const C = covLoops(X);
  const d = buildDictionary({ method: 'emp' }, input);
  assert.ok(relDiff(d.u, ridgeReference(C, alpha, 0.001 * meanDiag(C))) < 1e-4);
  const abs = buildDictionary({ method: 'emp', lambda: 0.5 }, input);
  assert.ok(relDiff(abs.u, ridgeReference(C, alpha, 0.5)) < 1e-4);
  const rel = buildDictionary({ method: 'emp', lambdaRel: 0.2 }, input);
  assert.ok(relDiff(rel.u, ridgeReference(C, alpha, 0.2 * meanDiag(C))) < 1e-4);
  assert.ok(relDiff(rel.u, ridgeReference(C, alpha, 0.001 * meanDiag(C))) > 1e-2, 'λ matters');
});

test("emp2 'cov-of-squares' (default) = ridge on cov(X∘X); 'squared-cov' = ridge on cov(X)∘cov(X)", () => {
  const Csq = covLoops(X, (x) => x * x);
  const d = buildDictionary({ method: 'emp2' }, input);
  assert.ok(relDiff(d.u, ridgeReference(Csq, alpha, 0.001 * meanDiag(Csq))) < 1e-4);
  const C = covLoops(X);
  const C2 = C.map((r) => r.map((v) => v * v));
  const s = buildDictionary({ method: 'emp2', kernel: 'squared-cov' }, input);
  assert.ok(relDiff(s.u, ridgeReference(C2, alpha, 0.001 * meanDiag(C2))) < 1e-4);
  assert.ok(relDiff(s.u, ridgeReference(Csq, alpha, 0.001 * meanDiag(Csq))) > 1e-2, 'the two kernels differ');
});

test('emp/emp2 with tiny λ: rows of U at α ≈ I (V holds W_α)', () => {
  for (const method of ['emp', 'emp2'] as const) {
    const d = buildDictionary({ method, lambdaRel: 1e-9 }, input);
    let worst = 0;
    for (let a = 0; a < 5; a++) for (let b = 0; b < 5; b++) worst = Math.max(worst, Math.abs(d.u[alpha[a] * 5 + b] - (a === b ? 1 : 0)));
    assert.ok(worst < 1e-3, `${method}: ${worst}`);
  }
});

test('dead units (zero-variance inputs, α included) give zero U rows/columns, never NaN', () => {
  const dead = X.map((r) => r.map((v, j) => (j === 3 || j === 5 ? 0 : Math.max(0, v))));
  for (const spec of [{ method: 'emp' }, { method: 'emp2' }, { method: 'emp2', kernel: 'squared-cov' }, { method: 'emp', lambda: 0 }] as const) {
    const d = buildDictionary(spec, { ...input, data: toData(dead) });
    assert.ok(d.u.every(Number.isFinite), JSON.stringify(spec));
    for (let a = 0; a < 5; a++) assert.equal(d.u[5 * 5 + a], 0, 'dead row 5');
    for (let i = 0; i < 12; i++) assert.equal(d.u[i * 5 + 1], 0, 'α[1] = 3 is dead: its column is zero');
    assert.ok(d.u.some((v) => v !== 0));
  }
  const allDead = buildDictionary({ method: 'emp' }, { ...input, data: toData(X.map((r) => r.map(() => 2))) });
  assert.ok(allDead.u.every((v) => v === 0));
});
