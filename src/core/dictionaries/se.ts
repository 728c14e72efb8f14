/**
 * `se`: kernel ridge regression over the input units' coordinates with the squared-exponential kernel
 * (Denil et al. 2013 §3, poster "Kernel ridge regression"; docs/method.md §1). With small λ the rows of U at α
 * are ≈ I, so V holds the weights W_α and U interpolates the rest.
 *
 * Defaults: λ = 0.1 (the original code's `smoothing`); lengthScale 'auto' = c × mean nearest-neighbour
 * distance of the α points (within their group), c = lengthScaleFactor = 0.8: 39 uniform points (5 %) of a
 * 28×28 grid are on average 2.5 px apart, so auto gives ℓ ≈ 2.0 px there, the best of {1, 2, 3} px
 * measured on MNIST at 5 % (docs/method.md §2); ℓ shrinks as α grows (0.8 px at α = all pixels).
 */
import { z } from 'zod';
import { ParampredError } from '../errors.js';
import { defineDictionary, type Coords } from './types.js';
import { meanNearestNeighbour, ridgeDictionary, seKernelColumns } from './kernel_utils.js';

export default defineDictionary({
  name: 'se',
  summary: 'U = K(all,α)·(K(α,α)+λI)⁻¹, K(x,y) = exp(−‖x−y‖²/(2ℓ²)) over unit coordinates, 0 across groups',
  needs: { data: false, coords: true },
  trainable: false,
  options: z.object({
    lambda: z.number().nonnegative().default(0.1),
    lengthScale: z.union([z.number().positive(), z.literal('auto')]).default('auto'),
    lengthScaleFactor: z.number().positive().default(0.8),
    variant: z.enum(['ridge', 'kernel-row']).default('ridge'),
  }).strict(),
  build({ nIn, alpha, coords }, { lambda, lengthScale, lengthScaleFactor, variant }) {
    if (!coords) throw new ParampredError('se', 'expected input coordinates, got none');
    const ell = seLengthScale(coords, alpha, { lengthScale, lengthScaleFactor });
    const k = seKernelColumns(coords, alpha, ell);
    const u = variant === 'ridge' ? ridgeDictionary(k, alpha, lambda, coords.groups) : Float32Array.from(k.data);
    return { nIn, nAlpha: alpha.length, u };
  },
});

/** The length scale ℓ `se` uses: the given number, or 'auto' = lengthScaleFactor × mean NN distance of α. */
export function seLengthScale(coords: Coords, alpha: Int32Array, o: { lengthScale: number | 'auto'; lengthScaleFactor: number }): number {
  return o.lengthScale === 'auto' ? o.lengthScaleFactor * meanNearestNeighbour(coords, alpha) : o.lengthScale;
}
