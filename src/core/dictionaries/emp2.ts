/**
 * `emp2`: kernel ridge regression with a second-order empirical kernel (Denil et al. 2013 §3.2; docs/method.md §1).
 * kernel 'cov-of-squares' (default): K = cov(X∘X), what the original code computed
 * (EmpiricalSquaredCorrelationKernelExpander) and so what produced the paper's se-emp2 numbers;
 * 'squared-cov': K = cov(X)∘cov(X), the paper's words "empirical squared covariance" (a Schur product of
 * PSD matrices, so also a valid kernel). λ as in `emp`: lambdaRel × mean diag(K), default 0.001.
 */
import { z } from 'zod';
import { ParampredError } from '../errors.js';
import { cachedColumnVariances, covarianceColumnsShared } from '../data_matrix.js';
import { defineDictionary } from './types.js';
import { ridgeDictionary } from './kernel_utils.js';
import { empLambda, empLambdaOptions } from './emp_utils.js';

const square = (x: number): number => x * x;

export default defineDictionary({
  name: 'emp2',
  summary: "U = K(all,α)·(K(α,α)+λI)⁻¹, K = cov(X∘X) ('cov-of-squares') or cov(X)∘cov(X) ('squared-cov')",
  needs: { data: true, coords: false },
  trainable: false,
  options: z.object({ ...empLambdaOptions, kernel: z.enum(['cov-of-squares', 'squared-cov']).default('cov-of-squares') }).strict(),
  build({ nIn, alpha, data }, opts) {
    if (!data) throw new ParampredError('emp2', 'expected a data sample, got none');
    let k;
    let diag;
    if (opts.kernel === 'cov-of-squares') {
      k = covarianceColumnsShared(data, alpha, 'x^2', square);
      diag = cachedColumnVariances(data, 'x^2', square);
    } else {
      k = covarianceColumnsShared(data, alpha, 'x');
      for (let i = 0; i < k.data.length; i++) k.data[i] *= k.data[i];
      diag = cachedColumnVariances(data, 'x').map(square);
    }
    return { nIn, nAlpha: alpha.length, u: ridgeDictionary(k, alpha, empLambda(diag, opts)) };
  },
});
