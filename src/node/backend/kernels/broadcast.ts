/**
 * Broadcast geometry for the native binary kernels: the TF.js broadcast of shapes a and b, with
 * size-1 output dims dropped and adjacent dims merged while both operands stay affine in them,
 * padded in front to 4 dims: geo = [d0..d3, a's element strides, b's element strides] (0 = repeat).
 */

/** Arguments every kernel function receives. */
export interface KernelArgs<B> {
  inputs: Record<string, { dataId: object; shape: number[]; dtype: string }>;
  backend: B;
  attrs?: Record<string, unknown>;
}

/** Fills geo (length 12) for out = a ⊕ b; false when more than 4 dims remain after merging. */
export function broadcastGeometry(aShape: number[], bShape: number[], outShape: number[], geo: Int32Array): boolean {
  const rank = outShape.length;
  const dims: number[] = [], sa: number[] = [], sb: number[] = [];
  let strideA = 1, strideB = 1;
  // Walk from the innermost dim outwards, building reversed lists.
  for (let i = rank - 1; i >= 0; i--) {
    const d = outShape[i];
    const da = aShape[i - rank + aShape.length] ?? 1, db = bShape[i - rank + bShape.length] ?? 1;
    const s1 = da === 1 ? 0 : strideA, s2 = db === 1 ? 0 : strideB;
    strideA *= da;
    strideB *= db;
    if (d === 1) continue;
    const k = dims.length - 1;
    // Merge into the inner neighbour when both operands continue it affinely.
    if (k >= 0 && s1 === sa[k] * dims[k] && s2 === sb[k] * dims[k]) {
      dims[k] *= d;
      continue;
    }
    dims.push(d);
    sa.push(s1);
    sb.push(s2);
  }
  if (dims.length > 4) return false;
  for (let j = 0; j < 4; j++) {
    const k = 3 - j; // geo position k holds reversed index j
    geo[k] = dims[j] ?? 1;
    geo[4 + k] = sa[j] ?? 0;
    geo[8 + k] = sb[j] ?? 0;
  }
  return true;
}
