/**
 * `pca`: U = the top n_α principal directions of the layer's inputs, the eigenvectors of the sample
 * covariance C = cov(X) with the largest eigenvalues (the reviewers' control, docs/method.md §1). Columns are
 * orthonormal; each is signed so that its largest-magnitude entry is positive (deterministic).
 * `directions: 'random'` takes n_α of the n_v eigenvectors uniformly at random instead (from the dictionary's
 * seeded stream, in descending eigenvalue order): a control that keeps the basis and the subspace's size but
 * not its choice, to tell whether predicting from the top principal directions matters.
 */
import { z } from 'zod';
import { ParampredError } from '../errors.js';
import { cachedCovariance } from '../data_matrix.js';
import { symEig, type Mat } from '../linalg.js';
import type { DataMatrix } from './types.js';
import { defineDictionary } from './types.js';

export default defineDictionary({
  name: 'pca',
  summary: 'U = top-n_α eigenvectors of cov(X) (principal directions), orthonormal columns; directions: \'random\' takes n_α of them at random',
  needs: { data: true, coords: false },
  trainable: false,
  options: z.object({ directions: z.enum(['top', 'random']).default('top') }).strict(),
  build({ nIn, alpha, data, rng }, { directions }) {
    if (!data) throw new ParampredError('pca', 'expected a data sample, got none');
    const m = alpha.length;
    const vectors = principalDirections(data);
    // which eigenvectors (columns of `vectors`, descending eigenvalue): the first m, or m of them at random
    const cols = directions === 'top' ? Int32Array.from({ length: m }, (_, a) => a) : rng.permutation(nIn).subarray(0, m).sort();
    const u = new Float32Array(nIn * m);
    for (let a = 0; a < m; a++) {
      const c = cols[a];
      let big = 0;
      for (let i = 0; i < nIn; i++) if (Math.abs(vectors.data[i * nIn + c]) > Math.abs(big)) big = vectors.data[i * nIn + c];
      const s = big < 0 ? -1 : 1;
      for (let i = 0; i < nIn; i++) u[i * m + a] = s * vectors.data[i * nIn + c];
    }
    return { nIn, nAlpha: m, u };
  },
});

const eigCache = new WeakMap<DataMatrix, Mat>();

/** Eigenvectors of cov(X), descending eigenvalue order, memoised per DataMatrix (columns share one n_v³ solve). */
function principalDirections(data: DataMatrix): Mat {
  let v = eigCache.get(data);
  if (!v) eigCache.set(data, (v = symEig(cachedCovariance(data, 'x')).vectors));
  return v;
}
