/**
 * separable (Denton et al. 2014 §3, separable filters; Jaderberg et al. 2014 scheme 2; docs/method.md §3):
 * a Conv2D kernel W (kh × kw × C × F) matricised as M[(c, y), (x, f)] = W[y, x, c, f], of size (C·kh) ×
 * (kw·F), and truncated to rank K by SVD, M ≈ A·B. Each filter's kh × kw spatial kernels become sums of K
 * column ⊗ row filters shared through the K intermediate maps, evaluated as two Conv2D layers: a vertical
 * conv kh × 1, C → K (A; the layer's vertical stride, no bias), then a horizontal conv 1 × kw, K → F (B; the
 * horizontal stride, the bias and activation), with the layer's padding on each axis, which composes to
 * exactly the conv with Ŵ = A·B. Multiply-adds per example H′·W′·kh·kw·C·F → K·(H′·W·kh·C + H′·W′·kw·F)
 * (H′ × W′ the output grid, W the input width the vertical conv keeps); ‖W − Ŵ‖_F = √(Σ_{i>K} s_i²).
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { ParampredError } from '../errors.js';
import { mat, svd } from '../linalg.js';
import { convGeometry } from './conv_geometry.js';
import { defineCompressMethod } from './types.js';

const int1 = () => z.number({ message: 'expected an integer ≥ 1' }).int({ message: 'expected an integer ≥ 1' }).min(1, { message: 'expected an integer ≥ 1' });

export default defineCompressMethod({
  name: 'separable',
  summary: 'Conv2D kh×kw C→F → conv kh×1 C→K then conv 1×kw K→F (rank-K SVD of W as (C·kh) × (kw·F)): multiply-adds K·(H′·W·kh·C + H′·W′·kw·F)',
  appliesTo: ['Conv2D'],
  options: z.object({ rank: int1() }).strict(),
  approximate({ layer, inputShape }, { rank: K }, fn) {
    const g = convGeometry(layer, inputShape, 'separable', fn);
    const { kh, kw, c: C, f: F, w } = g;
    const rows = C * kh, cols = kw * F, r = Math.min(rows, cols);
    if (K > r) throw new ParampredError(fn, `expected rank an integer between 1 and min(C·kh, kw·F) = ${r} for layer '${layer.name}' (kernel ${kh}×${kw}, ${C} → ${F}), got ${K}`);
    const m = new Float64Array(rows * cols);
    for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) for (let c = 0; c < C; c++) for (let f = 0; f < F; f++) {
      m[(c * kh + y) * cols + x * F + f] = w[((y * kw + x) * C + c) * F + f];
    }
    const { u, s, v } = svd(mat(rows, cols, m));
    const vert = new Float32Array(kh * C * K); // [kh, 1, C, K] = A √S
    const horiz = new Float32Array(kw * K * F); // [1, kw, K, F] = √S B
    for (let k = 0; k < K; k++) {
      const sq = Math.sqrt(s[k]);
      for (let y = 0; y < kh; y++) for (let c = 0; c < C; c++) vert[(y * C + c) * K + k] = u.data[(c * kh + y) * r + k] * sq;
      for (let x = 0; x < kw; x++) for (let f = 0; f < F; f++) horiz[(x * K + k) * F + f] = v.data[(x * F + f) * r + k] * sq;
    }
    let discarded = 0, total = 0;
    for (let i = 0; i < r; i++) {
      total += s[i] * s[i];
      if (i >= K) discarded += s[i] * s[i];
    }
    const [sh, sw] = g.strides;
    const first = tf.layers.conv2d({ filters: K, kernelSize: [kh, 1], strides: [sh, 1], padding: g.padding, useBias: false, activation: 'linear', kernelInitializer: 'zeros', name: `${layer.name}_sep${K}` });
    const second = tf.layers.conv2d({ filters: F, kernelSize: [1, kw], strides: [1, sw], padding: g.padding, useBias: g.bias !== undefined, activation: g.activation as 'linear', kernelInitializer: 'zeros', biasInitializer: 'zeros' });
    const mid = (first.apply(tf.input({ shape: [...inputShape] })) as tf.SymbolicTensor).shape.slice(1) as number[];
    second.apply(tf.input({ shape: mid }));
    const wa = tf.tensor4d(vert, [kh, 1, C, K]), wb = tf.tensor4d(horiz, [1, kw, K, F]);
    first.setWeights([wa]);
    second.setWeights(g.bias ? [wb, g.bias] : [wb]);
    tf.dispose([wa, wb]);
    const biasCount = g.bias ? F : 0;
    const out = g.outH * g.outW;
    return {
      layers: [first, second],
      before: { parameters: kh * kw * C * F + biasCount, multiplyAdds: out * kh * kw * C * F },
      after: { parameters: K * (kh * C + kw * F) + biasCount, multiplyAdds: K * (mid[0] * mid[1] * kh * C + out * kw * F) },
      formula: 'K·(H′·W·kh·C + H′·W′·kw·F) (H′ × W′ output grid, W the vertical conv\'s output width; the layer: H′·W′·kh·kw·C·F)',
      error: { frobenius: Math.sqrt(discarded), relative: total > 0 ? Math.sqrt(discarded / total) : 0 },
    };
  },
});
