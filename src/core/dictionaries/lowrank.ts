/**
 * `lowrank`: the baseline W = U·V with U learned too (docs/method.md §1; the poster: "optimize both factors:
 * doesn't work well"). U starts i.i.d. N(0, std²), std = 1/√n_α by default (as `rand`); the layer keeps
 * it as a trainable variable (trainable: true).
 */
import { z } from 'zod';
import { defineDictionary } from './types.js';

export default defineDictionary({
  name: 'lowrank',
  summary: 'U_ij ~ N(0, std²) initially, then learned with V (trainable); std defaults to 1/√n_α',
  needs: { data: false, coords: false },
  trainable: true,
  options: z.object({ std: z.number().positive().optional() }).strict(),
  build({ nIn, alpha, rng }, { std }) {
    const nAlpha = alpha.length;
    return { nIn, nAlpha, u: rng.normals(nIn * nAlpha, std ?? 1 / Math.sqrt(nAlpha)) };
  },
});
