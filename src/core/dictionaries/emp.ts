/**
 * `emp`: kernel ridge regression with the empirical covariance of the layer's inputs as the kernel
 * (Denil et al. 2013 §3.2 "no topology"; docs/method.md §1): U = C(all,α)·(C(α,α)+λI)⁻¹, C = cov(X) with N−1
 * normalisation (np.cov, as in the original code). λ = 0.001 × mean diag(C) by default (docs/method.md §2: a
 * relative λ worked; the original code's absolute 0.001 is `lambda: 0.001`).
 */
import { z } from 'zod';
import { ParampredError } from '../errors.js';
import { cachedColumnVariances, covarianceColumnsShared } from '../data_matrix.js';
import { defineDictionary } from './types.js';
import { ridgeDictionary } from './kernel_utils.js';
import { empLambda, empLambdaOptions } from './emp_utils.js';

export default defineDictionary({
  name: 'emp',
  summary: 'U = C(all,α)·(C(α,α)+λI)⁻¹, C = empirical covariance of the inputs, λ = lambdaRel·mean diag C',
  needs: { data: true, coords: false },
  trainable: false,
  options: z.object(empLambdaOptions).strict(),
  build({ nIn, alpha, data }, opts) {
    if (!data) throw new ParampredError('emp', 'expected a data sample, got none');
    const lambda = empLambda(cachedColumnVariances(data, 'x'), opts);
    return { nIn, nAlpha: alpha.length, u: ridgeDictionary(covarianceColumnsShared(data, alpha, 'x'), alpha, lambda) };
  },
});
