/**
 * The seam through which a faster float64 linear algebra replaces linalg.ts's JS routines above a size
 * (issue 13): parampred/node installs the addon's LAPACK/BLAS one when it loads (src/node/linalg/native.ts);
 * the browser keeps the JS routines, unchanged. Every routine is optional and returns what the JS one
 * would, up to rounding (tests compare the two within stated tolerances).
 */
import type { Mat } from './linalg.js';

export interface LinalgProvider {
  /** Shown in benchmarks and errors, e.g. 'lapack (libopenblas.so.0)'. */
  readonly name: string;
  /**
   * X with A·X = B by Cholesky (A n×n symmetric, B n×m); null when A is not numerically positive
   * definite (a pivot ≤ tol or not finite), as choleskyLower, so that solveSpd can fall back.
   */
  choleskySolve?(a: Mat, b: Mat, tol: number): Mat | null;
  /** Eigenpairs of symmetric A, eigenvalues descending, column k of `vectors` = unit eigenvector k. */
  symEig?(a: Mat): { values: Float64Array; vectors: Mat };
  /** Thin SVD A = U·diag(s)·Vᵀ, singular values descending. */
  svd?(a: Mat): { u: Mat; s: Float64Array; v: Mat };
  /** C += Yᵀ·Y on C's lower triangle (Y rows×cols row-major, C cols×cols); C's strict upper triangle is left alone. */
  gramAccumulate?(y: Float64Array, rows: number, cols: number, c: Float64Array): void;
  /**
   * From which size each routine is used (smaller problems stay in JS, where a call is cheaper):
   * solve: n (the order of A); eig: n; svd: min(rows, cols); gram: cols.
   */
  readonly minSize: { solve: number; eig: number; svd: number; gram: number };
}

let current: LinalgProvider | null = null;

/** Installs `p` (null: JS only); returns the previous provider. */
export function setLinalgProvider(p: LinalgProvider | null): LinalgProvider | null {
  const prev = current;
  current = p;
  return prev;
}

/** The installed provider, or null. */
export function linalgProvider(): LinalgProvider | null {
  return current;
}
