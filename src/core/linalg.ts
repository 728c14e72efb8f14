/**
 * Float64 linear algebra on plain row-major matrices: a Cholesky solve on typed arrays (ml-matrix's,
 * through Matrix.get/set, was ~10× slower: issue 13), and thin wrappers over ml-matrix for the symmetric
 * eigendecomposition and the SVD, so callers never touch the library's types. Used to build dictionaries
 * (docs/method.md §1: ridge solves, PCA) and low-rank approximations (§3: SVD). solveSpd, symEig and svd
 * hand problems from a size on to the installed LinalgProvider (linalg_provider.ts: LAPACK on Node);
 * the *Js functions are the JS routines themselves, what the browser runs.
 */
import { EigenvalueDecomposition, Matrix, SingularValueDecomposition } from 'ml-matrix';
import { linalgProvider } from './linalg_provider.js';

/** A dense row-major float64 matrix: element (i, j) is data[i * cols + j]. */
export interface Mat {
  rows: number;
  cols: number;
  data: Float64Array;
}

/** A rows × cols matrix of zeros (or wrapping `data`). */
export function mat(rows: number, cols: number, data: Float64Array = new Float64Array(rows * cols)): Mat {
  return { rows, cols, data };
}

/** Converts to an ml-matrix Matrix. */
export function toMatrix(a: Mat): Matrix {
  return Matrix.from1DArray(a.rows, a.cols, a.data);
}

/** Converts from an ml-matrix Matrix. */
export function fromMatrix(m: Matrix): Mat {
  const out = mat(m.rows, m.columns);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.columns; j++) out.data[i * m.columns + j] = m.get(i, j);
  return out;
}

/**
 * X with A·X = B for symmetric positive-definite A (n × n) and B (n × m), by Cholesky. When A is not
 * numerically PD, falls back to the eigendecomposition pseudo-inverse (eigenvalues ≤ n·ε·λ_max dropped).
 */
export function solveSpd(a: Mat, b: Mat): Mat {
  const p = linalgProvider();
  if (p?.choleskySolve && a.rows >= p.minSize.solve) {
    const x = p.choleskySolve(a, b, choleskyTolerance(a));
    return x ?? eigSolve(a, b, symEig);
  }
  return solveSpdJs(a, b);
}

/** solveSpd in JS only (whatever provider is installed). */
export function solveSpdJs(a: Mat, b: Mat): Mat {
  const l = choleskyLower(a);
  return l ? choleskySolve(l, a.rows, b) : eigSolve(a, b, symEigJs);
}

/** The pivot tolerance of choleskyLower: n·ε·max |diag A|. */
export function choleskyTolerance(a: Mat): number {
  const n = a.rows;
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, Math.abs(a.data[i * n + i]));
  return n * 2.220446049250313e-16 * maxDiag;
}

/** X = A⁺·B by the eigendecomposition, eigenvalues ≤ n·ε·|λ|_max dropped (solveSpd's fallback for non-PD A). */
function eigSolve(a: Mat, b: Mat, eig: (a: Mat) => { values: Float64Array; vectors: Mat }): Mat {
  const { values, vectors } = eig(a);
  const n = a.rows;
  const tol = n * 2.220446049250313e-16 * Math.max(Math.abs(values[0]), Math.abs(values[n - 1]));
  // X = Q diag(1/λ) Qᵀ B over the kept eigenpairs.
  const Q = toMatrix(vectors);
  const QtB = Q.transpose().mmul(toMatrix(b));
  for (let k = 0; k < n; k++) {
    const s = values[k] > tol ? 1 / values[k] : 0;
    for (let j = 0; j < b.cols; j++) QtB.set(k, j, QtB.get(k, j) * s);
  }
  return fromMatrix(Q.mmul(QtB));
}

/**
 * The lower Cholesky factor L (n × n row-major, A = L·Lᵀ) of symmetric A, reading A's lower triangle; null
 * when A is not numerically positive definite (a pivot ≤ n·ε·max diag A, or not finite).
 */
export function choleskyLower(a: Mat): Float64Array | null {
  const n = a.rows;
  const A = a.data;
  const L = new Float64Array(n * n);
  const tol = choleskyTolerance(a);
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let d = A[rj + j];
    for (let k = 0; k < j; k++) d -= L[rj + k] * L[rj + k];
    if (!(d > tol) || !Number.isFinite(d)) return null;
    const ljj = Math.sqrt(d);
    L[rj + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let s = A[ri + j];
      for (let k = 0; k < j; k++) s -= L[ri + k] * L[rj + k];
      L[ri + j] = s / ljj;
    }
  }
  return L;
}

/**
 * X with L·Lᵀ·X = B (L from choleskyLower, n × n; B n × m): forward then back substitution, whole rows of
 * X at a time, four earlier rows per pass over row i (a quarter of the loads and stores of one at a time).
 */
export function choleskySolve(L: Float64Array, n: number, b: Mat): Mat {
  const m = b.cols;
  const X = Float64Array.from(b.data);
  for (let i = 0; i < n; i++) { // L·Y = B: Y_i = (B_i − Σ_{k<i} L_ik Y_k) / L_ii
    const li = i * n;
    let k = 0;
    for (; k + 4 <= i; k += 4) subtractRows4(X, i * m, m, k * m, L[li + k], L[li + k + 1], L[li + k + 2], L[li + k + 3]);
    for (; k < i; k++) subtractRows4(X, i * m, m, k * m, L[li + k], 0, 0, 0);
    scaleRow(X, i * m, m, 1 / L[li + i]);
  }
  for (let i = n - 1; i >= 0; i--) { // Lᵀ·X = Y: X_i = (Y_i − Σ_{k>i} L_ki X_k) / L_ii
    let k = i + 1;
    for (; k + 4 <= n; k += 4) subtractRows4(X, i * m, m, k * m, L[k * n + i], L[(k + 1) * n + i], L[(k + 2) * n + i], L[(k + 3) * n + i]);
    for (; k < n; k++) subtractRows4(X, i * m, m, k * m, L[k * n + i], 0, 0, 0);
    scaleRow(X, i * m, m, 1 / L[i * n + i]);
  }
  return mat(n, m, X);
}

/** X[xi..xi+m) −= f0·X_k + f1·X_{k+1} + f2·X_{k+2} + f3·X_{k+3} (rows of length m from offset xk; zero f skipped). */
function subtractRows4(X: Float64Array, xi: number, m: number, xk: number, f0: number, f1: number, f2: number, f3: number): void {
  if (f1 === 0 && f2 === 0 && f3 === 0) {
    if (f0 !== 0) for (let j = 0; j < m; j++) X[xi + j] -= f0 * X[xk + j];
    return;
  }
  const x1 = xk + m, x2 = xk + 2 * m, x3 = xk + 3 * m;
  for (let j = 0; j < m; j++) X[xi + j] -= f0 * X[xk + j] + f1 * X[x1 + j] + f2 * X[x2 + j] + f3 * X[x3 + j];
}

function scaleRow(X: Float64Array, xi: number, m: number, s: number): void {
  for (let j = 0; j < m; j++) X[xi + j] *= s;
}

/** Eigenpairs of a symmetric matrix, eigenvalues descending; column k of `vectors` is eigenvector k (unit norm). */
export function symEig(a: Mat): { values: Float64Array; vectors: Mat } {
  const p = linalgProvider();
  return p?.symEig && a.rows >= p.minSize.eig ? p.symEig(a) : symEigJs(a);
}

/** symEig in JS only (ml-matrix's EigenvalueDecomposition). */
export function symEigJs(a: Mat): { values: Float64Array; vectors: Mat } {
  const evd = new EigenvalueDecomposition(toMatrix(a), { assumeSymmetric: true });
  const lam = evd.realEigenvalues;
  const V = evd.eigenvectorMatrix;
  const n = a.rows;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => lam[j] - lam[i]);
  const values = new Float64Array(n);
  const vectors = mat(n, n);
  order.forEach((src, k) => {
    values[k] = lam[src];
    for (let i = 0; i < n; i++) vectors.data[i * n + k] = V.get(i, src);
  });
  return { values, vectors };
}

/** Thin SVD A = U·diag(s)·Vᵀ (A rows × cols, r = min(rows, cols)), singular values descending. */
export function svd(a: Mat): { u: Mat; s: Float64Array; v: Mat } {
  const p = linalgProvider();
  return p?.svd && Math.min(a.rows, a.cols) >= p.minSize.svd ? p.svd(a) : svdJs(a);
}

/** svd in JS only (ml-matrix's SingularValueDecomposition). */
export function svdJs(a: Mat): { u: Mat; s: Float64Array; v: Mat } {
  const A = toMatrix(a);
  const wide = a.cols > a.rows; // ml-matrix wants rows ≥ cols for the thin form; transpose wide inputs.
  const d = new SingularValueDecomposition(wide ? A.transpose() : A, { autoTranspose: true });
  const U = wide ? d.rightSingularVectors : d.leftSingularVectors;
  const V = wide ? d.leftSingularVectors : d.rightSingularVectors;
  const r = Math.min(a.rows, a.cols);
  const s = Float64Array.from(d.diagonal.slice(0, r));
  return { u: fromMatrix(U.subMatrix(0, U.rows - 1, 0, r - 1)), s, v: fromMatrix(V.subMatrix(0, V.rows - 1, 0, r - 1)) };
}

/** C = A·B (float64, through ml-matrix). */
export function matmul(a: Mat, b: Mat): Mat {
  return fromMatrix(toMatrix(a).mmul(toMatrix(b)));
}
