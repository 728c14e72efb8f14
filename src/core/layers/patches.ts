/**
 * The data a conv layer's data-driven dictionary (emp, emp2, pca, kmeans, ae) is built from: rows sampled
 * from the layer's input feature maps at random output positions, each the receptive field the filter sees
 * there (TF.js's 'valid'/'same' padding, strides and dilation; padded entries are 0). For a PredictedConv2D
 * over 'patch' a row is the whole kh·kw·c_in patch in HWI order (the filter tensor's row order); over
 * 'positions' it is one input channel's kh·kw window (the channel drawn with the position), so the
 * dictionary over filter positions learns from every channel's spatial statistics.
 */
import { check } from '../errors.js';
import { rng } from '../rng.js';
import type { DataMatrix } from '../dictionaries/types.js';

export interface PatchGeometry {
  kernelSize: [number, number];
  strides: [number, number];
  dilationRate: [number, number];
  padding: 'valid' | 'same';
  over: 'positions' | 'patch';
}

/** Leading padding and output size of one axis (TF.js conventions). */
function axis(n: number, k: number, stride: number, dilation: number, padding: 'valid' | 'same'): { out: number; pad: number } {
  const ek = (k - 1) * dilation + 1;
  if (padding === 'valid') return { out: Math.max(0, Math.ceil((n - ek + 1) / stride)), pad: 0 };
  const out = Math.ceil(n / stride);
  return { out, pad: Math.floor(Math.max((out - 1) * stride + ek - n, 0) / 2) };
}

/**
 * `rows` rows drawn (with replacement, from rng(seed)) from x, an NHWC batch given as its values and shape;
 * see the file doc for what a row holds.
 */
export function patchRows(x: Float32Array, shape: readonly number[], g: PatchGeometry, rows: number, seed: number): DataMatrix {
  const fn = 'patchRows';
  check(shape.length === 4 && x.length === shape.reduce((p, q) => p * q, 1), fn, 'an NHWC batch: values of length N·H·W·C and its 4-D shape', shape);
  check(Number.isInteger(rows) && rows >= 2, fn, 'rows an integer ≥ 2', rows);
  const [n, h, w, c] = shape;
  const [kh, kw] = g.kernelSize;
  const ay = axis(h, kh, g.strides[0], g.dilationRate[0], g.padding);
  const ax = axis(w, kw, g.strides[1], g.dilationRate[1], g.padding);
  check(ay.out >= 1 && ax.out >= 1, fn, `feature maps at least as large as the ${kh}×${kw} filter`, shape);
  const patch = g.over === 'patch';
  const cols = patch ? kh * kw * c : kh * kw;
  const values = new Float32Array(rows * cols);
  const r = rng(seed);
  const pick = (m: number) => Math.min(m - 1, Math.floor(r.uniform() * m));
  for (let i = 0; i < rows; i++) {
    const b = pick(n), oy = pick(ay.out), ox = pick(ax.out);
    const ch = patch ? 0 : pick(c);
    const base = i * cols;
    for (let dy = 0; dy < kh; dy++) {
      const y = oy * g.strides[0] + dy * g.dilationRate[0] - ay.pad;
      if (y < 0 || y >= h) continue;
      for (let dx = 0; dx < kw; dx++) {
        const xx = ox * g.strides[1] + dx * g.dilationRate[1] - ax.pad;
        if (xx < 0 || xx >= w) continue;
        const src = ((b * h + y) * w + xx) * c;
        if (patch) values.set(x.subarray(src, src + c), base + (dy * kw + dx) * c);
        else values[base + dy * kw + dx] = x[src + ch];
      }
    }
  }
  return { rows, cols, values };
}
