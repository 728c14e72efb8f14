/**
 * The native LinalgProvider (src/core/linalg_provider.ts): float64 Cholesky solves (dpotrf + dtrsm),
 * symmetric eigendecomposition (dsyevd), thin SVD (dgesdd) and Yᵀ·Y (dsyrk) through the addon's
 * run-time-opened LAPACK (native/src/lapack.cc). Installed by registerNativeBackend when the addon and a
 * LAPACK library load; results equal the JS routines' up to rounding (linalg.test.ts states how close).
 */
import { ParampredError } from '../../core/errors.js';
import { mat, type Mat } from '../../core/linalg.js';
import { setLinalgProvider, type LinalgProvider } from '../../core/linalg_provider.js';
import { loadAddon, type NativeAddon } from './binding.js';

/**
 * From which size the native routines are used. `parampred bench dictionaries --thresholds` (2 busy
 * cores, 2026-12-02) found native faster at every size from 8 on (n = 8: solve with 32 right-hand sides
 * 0.005 vs 0.026 ms, symEig 0.013 vs 0.31 ms, svd 0.015 vs 0.39 ms; covariance of 2000×8 0.20 vs 0.53 ms);
 * below 8 the work is too small to matter and the JS routines keep their exact results.
 */
export const NATIVE_MIN_SIZE = { solve: 8, eig: 8, svd: 8, gram: 8 } as const;

function lapackError(fn: string, routine: string, info: number): ParampredError {
  return new ParampredError(fn, info < 0
    ? `expected valid arguments to LAPACK ${routine}, got an illegal argument ${-info} (a parampred bug)`
    : `expected LAPACK ${routine} to converge, got info ${info} (non-finite values in the matrix?)`);
}

/** The provider over `addon`'s LAPACK routines; null when no LAPACK library opened. */
export function nativeLinalgProvider(addon: NativeAddon | null = loadAddon()): LinalgProvider | null {
  if (!addon || typeof addon.lapackInfo !== 'function') return null;
  const { lib } = addon.lapackInfo();
  if (!lib) return null;
  return {
    name: `lapack (${lib})`,
    minSize: NATIVE_MIN_SIZE,
    choleskySolve(a: Mat, b: Mat, tol: number): Mat | null {
      const n = a.rows;
      const x = Float64Array.from(b.data);
      const info = addon.choleskySolve(Float64Array.from(a.data), x, n, b.cols, tol);
      return info === 0 ? mat(n, b.cols, x) : null;
    },
    symEig(a: Mat): { values: Float64Array; vectors: Mat } {
      const n = a.rows;
      const q = Float64Array.from(a.data);
      const w = new Float64Array(n);
      const info = addon.symEig(q, n, w);
      if (info !== 0) throw lapackError('symEig', 'dsyevd', info);
      // Ascending, eigenvectors as rows → descending, eigenvectors as columns (linalg.ts's symEig).
      const values = new Float64Array(n);
      const vectors = mat(n, n);
      for (let k = 0; k < n; k++) {
        const src = n - 1 - k;
        values[k] = w[src];
        for (let i = 0; i < n; i++) vectors.data[i * n + k] = q[src * n + i];
      }
      return { values, vectors };
    },
    svd(a: Mat): { u: Mat; s: Float64Array; v: Mat } {
      const k = Math.min(a.rows, a.cols);
      const s = new Float64Array(k);
      const u = mat(a.rows, k);
      const v = mat(a.cols, k);
      const info = addon.svd(Float64Array.from(a.data), a.rows, a.cols, s, u.data, v.data);
      if (info !== 0) throw lapackError('svd', 'dgesdd', info);
      return { u, s, v };
    },
    gramAccumulate(y: Float64Array, rows: number, cols: number, c: Float64Array): void {
      addon.gramAccumulate(y, rows, cols, c);
    },
  };
}

/** Installs the native provider when available (else leaves the JS routines); returns it or null. */
export function installNativeLinalg(addon: NativeAddon | null = loadAddon()): LinalgProvider | null {
  const p = nativeLinalgProvider(addon);
  if (p) setLinalgProvider(p);
  return p;
}
