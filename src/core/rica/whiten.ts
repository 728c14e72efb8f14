/**
 * ZCA whitening (Coates, Lee & Ng 2011): with C the covariance of the rows (n × d) and C = E·diag(λ)·Eᵀ,
 * Z = E·diag(1/√(λ + ε))·Eᵀ and x̃ = Z·(x − μ). Coates et al. used ε = 0.1 on contrast-normalised patches
 * (the default). Z is symmetric, so features Wᵀx̃ = (ZW)ᵀ(x − μ).
 */
import { check } from '../errors.js';
import { mat, symEig } from '../linalg.js';

export interface Zca {
  d: number;
  /** μ (d). */
  mean: Float64Array;
  /** Z (d × d, row-major, symmetric). */
  matrix: Float64Array;
}

/** Fits ZCA on rows × d values x (float64 covariance, population normalisation 1/n). */
export function fitZca(x: Float32Array, d: number, eps = 0.1): Zca {
  const n = x.length / d;
  check(Number.isInteger(n) && n >= 2 && eps >= 0, 'fitZca', `at least 2 rows of d = ${d} values and eps ≥ 0`, { values: x.length, eps });
  const mean = new Float64Array(d);
  for (let r = 0; r < n; r++) for (let i = 0; i < d; i++) mean[i] += x[r * d + i];
  for (let i = 0; i < d; i++) mean[i] /= n;
  const cov = mat(d, d);
  const row = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < d; i++) row[i] = x[r * d + i] - mean[i];
    for (let i = 0; i < d; i++) {
      const a = row[i];
      if (a === 0) continue;
      for (let j = i; j < d; j++) cov.data[i * d + j] += a * row[j];
    }
  }
  for (let i = 0; i < d; i++) for (let j = i; j < d; j++) cov.data[j * d + i] = cov.data[i * d + j] /= n;
  const { values, vectors } = symEig(cov);
  const matrix = new Float64Array(d * d);
  for (let k = 0; k < d; k++) {
    const s = 1 / Math.sqrt(Math.max(values[k], 0) + eps);
    if (!Number.isFinite(s)) continue; // a zero eigenvalue with ε = 0: that direction is dropped
    for (let i = 0; i < d; i++) {
      const ei = vectors.data[i * d + k] * s;
      for (let j = 0; j < d; j++) matrix[i * d + j] += ei * vectors.data[j * d + k];
    }
  }
  return { d, mean, matrix };
}

/** x̃ = Z·(x − μ) for every row of x (rows × d; a new array). */
export function applyZca(z: Zca, x: Float32Array): Float32Array {
  const { d, mean, matrix } = z;
  check(x.length % d === 0, 'applyZca', `rows of d = ${d} values`, x.length);
  const out = new Float32Array(x.length);
  const row = new Float64Array(d);
  for (let o = 0; o < x.length; o += d) {
    for (let i = 0; i < d; i++) row[i] = x[o + i] - mean[i];
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += matrix[i * d + j] * row[j];
      out[o + i] = s;
    }
  }
  return out;
}
