/** `rand`: U i.i.d. N(0, 1/n_α), fixed (docs/method.md §1). */
import { z } from 'zod';
import { defineDictionary } from './types.js';

export default defineDictionary({
  name: 'rand',
  summary: 'U_ij ~ N(0, std²) i.i.d., fixed; std defaults to 1/√n_α',
  needs: { data: false, coords: false },
  trainable: false,
  options: z.object({ std: z.number().positive().optional() }).strict(),
  build({ nIn, alpha, rng }, { std }) {
    const nAlpha = alpha.length;
    return { nIn, nAlpha, u: rng.normals(nIn * nAlpha, std ?? 1 / Math.sqrt(nAlpha)) };
  },
});
