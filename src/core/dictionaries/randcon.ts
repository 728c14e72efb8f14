/** `randcon`: random connections, U = the α columns of the identity (docs/method.md §1). */
import { z } from 'zod';
import { defineDictionary } from './types.js';

export default defineDictionary({
  name: 'randcon',
  summary: 'U = I[:, α]: each output sees only the inputs in α',
  needs: { data: false, coords: false },
  trainable: false,
  options: z.object({}).strict(),
  build({ nIn, alpha }) {
    const nAlpha = alpha.length;
    const u = new Float32Array(nIn * nAlpha);
    for (let a = 0; a < nAlpha; a++) u[alpha[a] * nAlpha + a] = 1;
    return { nIn, nAlpha, u };
  },
});
