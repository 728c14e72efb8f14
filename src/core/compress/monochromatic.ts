/**
 * monochromatic (Denton et al. 2014 §3, monochromatic first layer; docs/method.md §3): for each filter f
 * the C × XY matrix M_f[c, (y, x)] = W[y, x, c, f] is replaced by its rank-1 SVD, giving a colour vector
 * u_f (unit norm; sign fixed so that its largest-magnitude entry is positive); the F colour vectors are
 * clustered into C′ = `colors` groups by seeded k-means (k-means++ then Lloyd steps, dictionaries/kmeans);
 * each filter keeps its cluster's centre m_{a(f)} as colour and the least-squares monochrome spatial
 * filter s_f = M_fᵀ m / ‖m‖² for it (= the SVD's σ₁v₁ when m = u_f), so Ŵ[y, x, c, f] = m_{a(f)}[c]·s_f[y, x].
 *
 * Evaluation, with plain TF.js layers only (models save and load without parampred): a 1 × 1 Conv2D
 * C → F whose column f is m_{a(f)} (the colour transform to the C′ cluster channels with each cluster
 * channel copied to its filters, folded into one conv), then a DepthwiseConv2D (depth multiplier 1, the
 * layer's kernel size, strides, padding, bias and activation) whose channel f convolves with s_f. The
 * output channels are the layer's own, in its order: no permutation. Multiply-adds per example
 * C·F·H·W + kh·kw·F·H′·W′ (H × W input, H′ × W′ output grid), against the paper's C′·C·NM + XY·F·NMΔ⁻²,
 * which forms only the C′ cluster channels and counts the copy to the F filters as free: the two differ by
 * (F − C′)·C·H·W, small for a first layer (C = 3).
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { ParampredError } from '../errors.js';
import { mat, svd } from '../linalg.js';
import { rng } from '../rng.js';
import { kmeans } from '../dictionaries/kmeans.js';
import { convGeometry, kernelError } from './conv_geometry.js';
import { defineCompressMethod } from './types.js';

const int1 = () => z.number({ message: 'expected an integer ≥ 1' }).int({ message: 'expected an integer ≥ 1' }).min(1, { message: 'expected an integer ≥ 1' });

export default defineCompressMethod({
  name: 'monochromatic',
  summary: 'Conv2D (a first layer) → 1×1 conv C→F of C′ k-means colour centres then depthwise kh×kw monochrome filters: multiply-adds C·F·H·W + kh·kw·F·H′·W′',
  appliesTo: ['Conv2D'],
  options: z.object({
    colors: int1(),
    seed: z.number().int().default(0),
    iterations: z.number().int().nonnegative().default(50),
  }).strict(),
  approximate({ layer, inputShape }, { colors, seed, iterations }, fn) {
    const g = convGeometry(layer, inputShape, 'monochromatic', fn);
    const { kh, kw, c: C, f: F, w } = g;
    const P = kh * kw;
    if (colors > F) throw new ParampredError(fn, `expected colors an integer between 1 and the ${F} filters of layer '${layer.name}', got ${colors}`);
    // rank-1 colour vector of each filter
    const u = new Float32Array(F * C);
    for (let f = 0; f < F; f++) {
      const m = new Float64Array(C * P);
      for (let p = 0; p < P; p++) for (let c = 0; c < C; c++) m[c * P + p] = w[(p * C + c) * F + f];
      const d = svd(mat(C, P, m));
      const r = Math.min(C, P);
      let big = 0;
      for (let c = 0; c < C; c++) if (Math.abs(d.u.data[c * r]) > Math.abs(d.u.data[big * r])) big = c;
      const sign = d.u.data[big * r] < 0 ? -1 : 1;
      for (let c = 0; c < C; c++) u[f * C + c] = sign * d.u.data[c * r];
    }
    const { centroids, assign } = kmeans({ rows: F, cols: C, values: u }, colors, { iterations, rng: rng(seed).fork('monochromatic') });
    // Ŵ = m_{a(f)} ⊗ s_f with s_f the least-squares spatial filter for that colour
    const colour = new Float32Array(C * F); // [1, 1, C, F]
    const spatial = new Float32Array(P * F); // [kh, kw, F, 1]
    const approx = new Float64Array(w.length);
    for (let f = 0; f < F; f++) {
      const a = assign[f];
      let n2 = 0;
      for (let c = 0; c < C; c++) n2 += centroids[a * C + c] ** 2;
      for (let c = 0; c < C; c++) colour[c * F + f] = centroids[a * C + c];
      for (let p = 0; p < P; p++) {
        let dot = 0;
        for (let c = 0; c < C; c++) dot += w[(p * C + c) * F + f] * centroids[a * C + c];
        const sp = n2 > 0 ? dot / n2 : 0;
        spatial[p * F + f] = sp;
        for (let c = 0; c < C; c++) approx[(p * C + c) * F + f] = centroids[a * C + c] * sp;
      }
    }
    const used = new Set(assign).size;
    const first = tf.layers.conv2d({ filters: F, kernelSize: 1, useBias: false, activation: 'linear', kernelInitializer: 'zeros', name: `${layer.name}_mono${colors}` });
    const second = tf.layers.depthwiseConv2d({ kernelSize: [kh, kw], depthMultiplier: 1, strides: g.strides, padding: g.padding, useBias: g.bias !== undefined, activation: g.activation as 'linear', depthwiseInitializer: 'zeros', biasInitializer: 'zeros' });
    first.apply(tf.input({ shape: [...inputShape] }));
    second.apply(tf.input({ shape: [...inputShape.slice(0, -1), F] }));
    const wa = tf.tensor4d(colour, [1, 1, C, F]), wb = tf.tensor4d(spatial, [kh, kw, F, 1]);
    first.setWeights([wa]);
    second.setWeights(g.bias ? [wb, g.bias] : [wb]);
    tf.dispose([wa, wb]);
    const biasCount = g.bias ? F : 0;
    const inPos = g.inH * g.inW, outPos = g.outH * g.outW;
    return {
      layers: [first, second],
      before: { parameters: P * C * F + biasCount, multiplyAdds: outPos * P * C * F },
      after: { parameters: C * F + P * F + biasCount, multiplyAdds: C * F * inPos + P * F * outPos },
      formula: `C·F·H·W + kh·kw·F·H′·W′ (1×1 colour conv, then depthwise monochrome filters; ${used} colour clusters used; the paper's C′·C·NM + XY·F·NMΔ⁻² counts the colour transform at C′ channels)`,
      error: kernelError(w, approx),
    };
  },
});
