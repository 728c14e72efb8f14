/** Shared by `emp` and `emp2`: the ridge λ options (relative to the kernel's mean diagonal, or absolute). */
import { z } from 'zod';

/** λ = lambdaRel · mean diag(K) (default 0.001, docs/method.md §2), unless an absolute `lambda` is given. */
export const empLambdaOptions = {
  lambdaRel: z.number().nonnegative().default(0.001),
  lambda: z.number().nonnegative().optional(),
};

/**
 * The ridge λ for a kernel with diagonal `diag`. Dead units (zero-variance inputs, e.g. dead ReLUs) have a
 * zero kernel row; λ > 0 keeps the solve regular and their U columns come out zero; if every unit is dead
 * (mean diag 0) the solve falls back to the pseudo-inverse and U = 0 — never NaN.
 */
export function empLambda(diag: Float64Array, o: { lambdaRel: number; lambda?: number }): number {
  if (o.lambda !== undefined) return o.lambda;
  let s = 0;
  for (const v of diag) s += v;
  return o.lambdaRel * (s / diag.length);
}
