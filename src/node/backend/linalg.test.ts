import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mat, solveSpd, solveSpdJs, svd, svdJs, symEig, symEigJs, type Mat } from '../../core/linalg.js';
import { linalgProvider, setLinalgProvider, type LinalgProvider } from '../../core/linalg_provider.js';
import { covariance, covarianceJs, dataMatrix } from '../../core/data_matrix.js';
import { Rng } from '../../core/rng.js';
import type { NativeAddon } from './binding.js';
import { nativeLinalgProvider } from './linalg.js';
import { registerNativeBackend } from './register.js';

const rand = (rows: number, cols: number, seed: number): Mat => mat(rows, cols, Float64Array.from(new Rng(seed).normals(rows * cols)));
const T = (a: Mat): Mat => { const o = mat(a.cols, a.rows); for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) o.data[j * a.rows + i] = a.data[i * a.cols + j]; return o; };
/** A·B by plain loops. */
function mm(a: Mat, b: Mat): Mat {
  const o = mat(a.rows, b.cols);
  for (let i = 0; i < a.rows; i++) for (let k = 0; k < a.cols; k++) for (let j = 0; j < b.cols; j++) o.data[i * b.cols + j] += a.data[i * a.cols + k] * b.data[k * b.cols + j];
  return o;
}
const maxAbs = (a: ArrayLike<number>): number => { let m = 0; for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i])); return m; };
/** max |a − b| / max |b|. */
const relDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let d = 0;
  for (let i = 0; i < b.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d / maxAbs(b);
};
/** max |AᵀA − I|. */
const orthoErr = (a: Mat): number => { const g = mm(T(a), a); for (let i = 0; i < a.cols; i++) g.data[i * a.cols + i] -= 1; return maxAbs(g.data); };
/** G·Gᵀ + n·I: SPD with condition number ≈ 5. */
function spd(n: number, seed: number): Mat {
  const g = rand(n, n, seed);
  const a = mm(g, T(g));
  for (let i = 0; i < n; i++) a.data[i * n + i] += n;
  return a;
}

function native(): LinalgProvider {
  assert.ok(registerNativeBackend({ quiet: true }), 'native addon must be built (npm run build:native)');
  const p = nativeLinalgProvider();
  assert.ok(p, 'a LAPACK library must open (Debian: apt-get install libopenblas-dev)');
  return p;
}

test('registerNativeBackend installs the LAPACK provider', () => {
  native();
  assert.match(linalgProvider()?.name ?? '', /^lapack \(/);
});

test('native Cholesky solve matches the JS one (rel 1e-10) and leaves A·X − B at rounding level', () => {
  const p = native();
  for (const [n, m] of [[1, 1], [5, 3], [120, 7], [200, 1]]) {
    const a = spd(n, n), b = rand(n, m, n + 1);
    const aCopy = Float64Array.from(a.data), bCopy = Float64Array.from(b.data);
    const x = p.choleskySolve!(a, b, 1e-300);
    assert.ok(x);
    assert.deepEqual([x.rows, x.cols], [n, m]);
    assert.ok(relDiff(x.data, solveSpdJs(a, b).data) < 1e-10, `${n}×${m}`);
    assert.ok(relDiff(mm(a, x).data, b.data) < 1e-12, `${n}×${m} residual`);
    assert.deepEqual(a.data, aCopy, 'A untouched');
    assert.deepEqual(b.data, bCopy, 'B untouched');
  }
});

test('native Cholesky reports non-PD matrices (null), and solveSpd then takes the eigen fallback', () => {
  const p = native();
  const h = rand(60, 5, 3);
  const psd = mm(h, T(h)); // rank 5: a pivot falls to rounding level
  assert.equal(p.choleskySolve!(psd, rand(60, 1, 4), 60 * 2.2e-16 * 10), null);
  const indefinite = mat(2, 2, Float64Array.from([1, 2, 2, 1]));
  assert.equal(p.choleskySolve!(indefinite, rand(2, 1, 5), 0), null);
  const prev = setLinalgProvider({ ...p, minSize: { solve: 1, eig: 1, svd: 1, gram: 1 } });
  try {
    const b = mm(psd, rand(60, 2, 6)); // in the range of psd
    const x = solveSpd(psd, b);
    assert.ok(x.data.every(Number.isFinite));
    assert.ok(relDiff(mm(psd, x).data, b.data) < 1e-9);
    assert.ok(relDiff(x.data, solveSpdJs(psd, b).data) < 1e-6, 'same least-norm solution as JS');
  } finally {
    setLinalgProvider(prev);
  }
});

test('native symmetric eigendecomposition: eigenvalues as JS (rel 1e-9), A·v = λ·v, VᵀV = I, descending', () => {
  const p = native();
  for (const n of [1, 7, 150]) {
    const g = rand(n, n, 10 + n);
    const a = mat(n, n, g.data.map((_, k) => g.data[k] + g.data[(k % n) * n + Math.floor(k / n)]));
    const { values, vectors } = p.symEig!(a);
    const js = symEigJs(a);
    assert.ok(relDiff(values, js.values) < 1e-9, `n=${n}`);
    for (let k = 1; k < n; k++) assert.ok(values[k] <= values[k - 1]);
    const av = mm(a, vectors);
    const lv = mat(n, n, vectors.data.map((v, i) => v * values[i % n]));
    assert.ok(relDiff(av.data, lv.data) < 1e-10, `n=${n} A·v = λ·v`);
    assert.ok(orthoErr(vectors) < 1e-12, `n=${n} VᵀV = I`);
    // Same eigenvectors as JS up to sign (the eigenvalues of a random matrix are distinct).
    for (let k = 0; k < n; k++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += vectors.data[i * n + k] * js.vectors.data[i * n + k];
      assert.ok(Math.abs(Math.abs(dot) - 1) < 1e-8, `n=${n} vector ${k}: |dot| ${Math.abs(dot)}`);
    }
  }
});

test('native thin SVD: U·S·Vᵀ = A, orthonormal factors, singular values as JS (rel 1e-9), tall, wide and square', () => {
  const p = native();
  for (const [r, c] of [[1, 1], [8, 5], [4, 9], [6, 6], [90, 40], [30, 70]]) {
    const a = rand(r, c, r * 100 + c);
    const aCopy = Float64Array.from(a.data);
    const { u, s, v } = p.svd!(a);
    const k = Math.min(r, c);
    assert.deepEqual([u.rows, u.cols, v.rows, v.cols, s.length], [r, k, c, k, k]);
    for (let i = 1; i < k; i++) assert.ok(s[i] <= s[i - 1]);
    assert.ok(relDiff(s, svdJs(a).s) < 1e-9, `${r}×${c} s`);
    const us = mat(r, k, u.data.map((x, i) => x * s[i % k]));
    assert.ok(relDiff(mm(us, T(v)).data, a.data) < 1e-12, `${r}×${c} U·S·Vᵀ = A`);
    assert.ok(orthoErr(u) < 1e-12 && orthoErr(v) < 1e-12, `${r}×${c} orthonormal`);
    assert.deepEqual(a.data, aCopy, 'A untouched');
  }
});

test('native covariance (dsyrk over blocks of rows) matches the JS loops (rel 1e-10), with and without f', () => {
  const p = native();
  const prev = setLinalgProvider({ ...p, minSize: { ...p.minSize, gram: 1 } });
  try {
    // 64 columns: blocks of 4096 rows, so 9000 rows take three blocks, the last one partial.
    for (const [rows, cols] of [[2, 1], [50, 9], [9000, 64]]) {
      const d = dataMatrix(rows, cols, new Rng(rows + cols).normals(rows * cols).map((v, i) => v + (i % cols) * 0.1));
      const sq = (x: number): number => x * x;
      assert.ok(relDiff(covariance(d).data, covarianceJs(d).data) < 1e-10, `${rows}×${cols}`);
      assert.ok(relDiff(covariance(d, sq).data, covarianceJs(d, sq).data) < 1e-10, `${rows}×${cols} f`);
      const c = covariance(d);
      let asym = 0;
      for (let i = 0; i < cols; i++) for (let j = 0; j < i; j++) asym = Math.max(asym, Math.abs(c.data[i * cols + j] - c.data[j * cols + i]));
      assert.equal(asym, 0, 'symmetric');
    }
  } finally {
    setLinalgProvider(prev);
  }
});

test('the dispatch: native from minSize on, JS below and with no provider (JS results bit-identical there)', () => {
  const p = native();
  const calls: string[] = [];
  const counting: LinalgProvider = {
    ...p,
    minSize: { solve: 10, eig: 10, svd: 10, gram: 10 },
    choleskySolve: (a, b, tol) => { calls.push('solve'); return p.choleskySolve!(a, b, tol); },
    symEig: (a) => { calls.push('eig'); return p.symEig!(a); },
    svd: (a) => { calls.push('svd'); return p.svd!(a); },
  };
  const prev = setLinalgProvider(counting);
  try {
    const small = spd(9, 1), big = spd(10, 2);
    assert.deepEqual(solveSpd(small, rand(9, 2, 3)).data, solveSpdJs(small, rand(9, 2, 3)).data);
    assert.deepEqual(symEig(small).values, symEigJs(small).values);
    assert.deepEqual(svd(rand(9, 20, 4)).s, svdJs(rand(9, 20, 4)).s);
    assert.deepEqual(calls, []);
    solveSpd(big, rand(10, 2, 3));
    symEig(big);
    svd(rand(20, 10, 4));
    assert.deepEqual(calls, ['solve', 'eig', 'svd']);
    setLinalgProvider(null);
    assert.deepEqual(solveSpd(big, rand(10, 2, 3)).data, solveSpdJs(big, rand(10, 2, 3)).data);
    assert.deepEqual(calls, ['solve', 'eig', 'svd']);
  } finally {
    setLinalgProvider(prev);
  }
});

test('LAPACK info codes become ParampredErrors; no LAPACK library: no provider', () => {
  const fake = (info: number): NativeAddon => ({
    lapackInfo: () => ({ lib: 'fake.so', error: '' }),
    symEig: () => info,
    svd: () => info,
  }) as unknown as NativeAddon;
  assert.throws(() => nativeLinalgProvider(fake(3))!.symEig!(mat(2, 2)), /^ParampredError: symEig: expected LAPACK dsyevd to converge, got info 3/);
  assert.throws(() => nativeLinalgProvider(fake(-4))!.svd!(mat(2, 2)), /svd: expected valid arguments to LAPACK dgesdd, got an illegal argument 4/);
  assert.equal(nativeLinalgProvider({ lapackInfo: () => ({ lib: null, error: 'no lib' }) } as unknown as NativeAddon), null);
  assert.equal(nativeLinalgProvider(null), null);
});
