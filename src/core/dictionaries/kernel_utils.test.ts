import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { ridgeDictionary, seKernelColumns } from './kernel_utils.js';
import { gridCoords } from '../geometry.js';
import { choleskyLower, mat, solveSpd } from '../linalg.js';
import { Rng } from '../rng.js';
import { maxAbsDiff, ridgeReference } from './test_reference.js';

/** α over an h × w × C grid with an uneven count per channel (some channels get none), sorted. */
function unevenAlpha(h: number, w: number, C: number, r: Rng): Int32Array {
  const out: number[] = [];
  for (let ch = 0; ch < C; ch++) {
    const count = ch % 3 === 1 ? 0 : r.int(h * w + 1); // every third channel from 1 has no α
    const cells = r.permutation(h * w).slice(0, count);
    for (const cell of cells) out.push(cell * C + ch);
  }
  return Int32Array.from(out.sort((a, b) => a - b));
}

test('ridgeDictionary per group equals the dense solve when the kernel is zero across groups (SE over channels)', () => {
  for (const [h, w, C, seed] of [[3, 4, 5, 1], [5, 5, 7, 2], [2, 6, 4, 3], [4, 4, 1, 4]] as const) {
    const r = new Rng(seed, 'geometry');
    const coords = gridCoords(h, w, C);
    const alpha = unevenAlpha(h, w, C, r);
    const ell = 0.7 + 2 * r.uniform();
    const lambda = [0.1, 1e-3, 1][seed % 3];
    const k = seKernelColumns(coords, alpha, ell);
    const dense = ridgeDictionary(k, alpha, lambda);
    const blocks = ridgeDictionary(k, alpha, lambda, coords.groups);
    const m = alpha.length;
    assert.equal(blocks.length, h * w * C * m);
    assert.ok(maxAbsDiff(blocks, dense) < 1e-5, `${h}×${w}×${C}, n_α=${m}: max |U_blocks − U_dense| = ${maxAbsDiff(blocks, dense)}`);
    // Channels without α: their rows are zero in both (the dense formula gives exactly zero: K rows are zero).
    const withAlpha = new Set(Array.from(alpha, (j) => j % C));
    for (let i = 0; i < h * w * C; i++) {
      if (withAlpha.has(i % C)) continue;
      for (let a = 0; a < m; a++) assert.ok(blocks[i * m + a] === 0 && dense[i * m + a] === 0, `row ${i} (channel ${i % C}) column ${a}`);
    }
    // Entries between a unit and an α of another channel are exactly zero in the block result.
    for (let i = 0; i < h * w * C; i++) for (let a = 0; a < m; a++) if (i % C !== alpha[a] % C) assert.equal(blocks[i * m + a], 0);
  }
});

test('ridgeDictionary per group matches the independent Gauss–Jordan reference on the full kernel', () => {
  const coords = gridCoords(3, 3, 4);
  const alpha = unevenAlpha(3, 3, 4, new Rng(9, 'alpha'));
  const ell = 1.1, lambda = 0.05;
  const n = 36;
  const K = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => {
    if (i % 4 !== j % 4) return 0;
    const [ri, ci] = coords.points[i], [rj, cj] = coords.points[j];
    return Math.exp(-((ri - rj) ** 2 + (ci - cj) ** 2) / (2 * ell * ell));
  }));
  const ref = ridgeReference(K, alpha, lambda).flat();
  const got = ridgeDictionary(seKernelColumns(coords, alpha, ell), alpha, lambda, coords.groups);
  assert.ok(maxAbsDiff(got, ref) < 1e-5, `max diff ${maxAbsDiff(got, ref)}`);
});

test('solveSpd (typed-array Cholesky) equals ml-matrix Cholesky solve; choleskyLower: L·Lᵀ = A, null when not PD', () => {
  const r = new Rng(21, 'spd');
  const n = 40, m = 7;
  const g = Array.from({ length: n }, () => Array.from({ length: n }, () => r.normal()));
  const A = mat(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = i === j ? 0.3 : 0;
    for (let k = 0; k < n; k++) s += g[i][k] * g[j][k];
    A.data[i * n + j] = s;
  }
  const B = mat(n, m, Float64Array.from(r.normals(n * m)));
  const ref = new CholeskyDecomposition(Matrix.from1DArray(n, n, A.data)).solve(Matrix.from1DArray(n, m, B.data)).to1DArray();
  const x = solveSpd(A, B).data;
  const scale = Math.max(...ref.map(Math.abs));
  assert.ok(maxAbsDiff(x, ref) < 1e-9 * scale, `max diff ${maxAbsDiff(x, ref)} (scale ${scale})`);
  const L = choleskyLower(A);
  assert.ok(L);
  let worst = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += L[i * n + k] * L[j * n + k];
    worst = Math.max(worst, Math.abs(s - A.data[i * n + j]));
    if (j > i) assert.equal(L[i * n + j], 0);
  }
  assert.ok(worst < 1e-9, `‖L·Lᵀ − A‖max = ${worst}`);
  assert.equal(choleskyLower(mat(2, 2, Float64Array.from([1, 2, 2, 1]))), null); // indefinite
  assert.equal(choleskyLower(mat(2, 2, Float64Array.from([1, 1, 1, 1]))), null); // singular PSD
  assert.equal(choleskyLower(mat(2, 2, Float64Array.from([0, 0, 0, 0]))), null);
});
