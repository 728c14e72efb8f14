import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mat, matmul, solveSpd, svd, symEig, type Mat } from './linalg.js';
import { Rng } from './rng.js';

const rand = (rows: number, cols: number, seed: number): Mat => mat(rows, cols, Float64Array.from(new Rng(seed).normals(rows * cols)));
const T = (a: Mat): Mat => { const o = mat(a.cols, a.rows); for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) o.data[j * a.rows + i] = a.data[i * a.cols + j]; return o; };
const maxDiff = (a: Mat, b: Mat): number => a.data.reduce((m, v, i) => Math.max(m, Math.abs(v - b.data[i])), 0);
/** A·B by plain loops (independent of ml-matrix). */
function mm(a: Mat, b: Mat): Mat {
  const o = mat(a.rows, b.cols);
  for (let i = 0; i < a.rows; i++) for (let k = 0; k < a.cols; k++) for (let j = 0; j < b.cols; j++) o.data[i * b.cols + j] += a.data[i * a.cols + k] * b.data[k * b.cols + j];
  return o;
}
const eye = (n: number): Mat => { const o = mat(n, n); for (let i = 0; i < n; i++) o.data[i * n + i] = 1; return o; };

test('solveSpd: A·X = B for SPD A; singular PSD A falls back to the pseudo-inverse (least-norm, finite)', () => {
  const g = rand(6, 6, 1);
  const A = mm(g, T(g));
  for (let i = 0; i < 6; i++) A.data[i * 6 + i] += 0.5;
  const B = rand(6, 3, 2);
  assert.ok(maxDiff(mm(A, solveSpd(A, B)), B) < 1e-9);
  const h = rand(6, 2, 3);
  const S = mm(h, T(h)); // rank 2
  const Bs = mm(S, rand(6, 1, 4)); // in the range of S
  const X = solveSpd(S, Bs);
  assert.ok(X.data.every(Number.isFinite));
  assert.ok(maxDiff(mm(S, X), Bs) < 1e-8);
  assert.ok(matmul(A, B).data.every((v, i) => Math.abs(v - mm(A, B).data[i]) < 1e-12));
});

test('symEig: A·v = λ·v, eigenvalues descending, vectors orthonormal', () => {
  const g = rand(7, 7, 5);
  const A = mat(7, 7, g.data.map((_, k) => g.data[k] + g.data[(k % 7) * 7 + Math.floor(k / 7)]));
  const { values, vectors } = symEig(A);
  for (let k = 1; k < 7; k++) assert.ok(values[k] <= values[k - 1]);
  const AV = mm(A, vectors);
  for (let i = 0; i < 7; i++) for (let k = 0; k < 7; k++) assert.ok(Math.abs(AV.data[i * 7 + k] - values[k] * vectors.data[i * 7 + k]) < 1e-9);
  assert.ok(maxDiff(mm(T(vectors), vectors), eye(7)) < 1e-9);
});

test('svd: U·diag(s)·Vᵀ = A, orthonormal factors, s descending, for tall and wide A', () => {
  for (const [r, c] of [[8, 5], [4, 9], [6, 6]]) {
    const A = rand(r, c, r * 10 + c);
    const { u, s, v } = svd(A);
    const k = Math.min(r, c);
    assert.equal(s.length, k);
    assert.deepEqual([u.rows, u.cols, v.rows, v.cols], [r, k, c, k]);
    for (let i = 1; i < k; i++) assert.ok(s[i] <= s[i - 1]);
    const us = mat(r, k, u.data.map((x, i) => x * s[i % k]));
    assert.ok(maxDiff(mm(us, T(v)), A) < 1e-9, `${r}×${c}`);
    assert.ok(maxDiff(mm(T(u), u), eye(k)) < 1e-9);
    assert.ok(maxDiff(mm(T(v), v), eye(k)) < 1e-9);
  }
});
