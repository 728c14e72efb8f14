/** `uniform`: α = n_α units drawn uniformly without replacement (the paper's default, docs/method.md §1). */
import { z } from 'zod';
import { defineSampler, sortedIndices } from './types.js';

export default defineSampler({
  name: 'uniform',
  summary: 'α ~ uniform n_α-subset of {0..n_v−1} without replacement (partial Fisher–Yates), sorted',
  needs: { coords: false },
  options: z.object({}).strict(),
  sample({ nIn, nAlpha, rng }) {
    const p = new Int32Array(nIn);
    for (let i = 0; i < nIn; i++) p[i] = i;
    for (let i = 0; i < nAlpha; i++) {
      const j = i + rng.int(nIn - i);
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return sortedIndices(p.subarray(0, nAlpha));
  },
});
