/**
 * svd (Denton et al. 2014 §3.1; docs/method.md §3): a Dense layer's kernel W (m × k) by its rank-t truncated
 * SVD, W ≈ (U_t S_t)(V_tᵀ), evaluated as two Dense layers: x·(U_t S_t) (m → t, linear, no bias), then
 * ·V_tᵀ + b with the layer's activation (t → k). Multiply-adds per example m·k → t·m + t·k (the paper's
 * O(nmk) → O(nmt + ntk) for a batch of n); parameters m·k + k → t·(m + k) + k. ‖W − Ŵ‖_F = √(Σ_{i>t} s_i²).
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { ParampredError } from '../errors.js';
import { mat, svd as thinSvd } from '../linalg.js';
import { dense } from '../layers/dense.js';
import { defineCompressMethod } from './types.js';

export default defineCompressMethod({
  name: 'svd',
  summary: 'Dense W (m × k) → two Dense layers (U_t S_t)(V_tᵀ) of rank t: multiply-adds m·k → t·(m + k)',
  appliesTo: ['Dense'],
  options: z.object({ rank: z.number({ message: 'expected an integer ≥ 1' }).int({ message: 'expected an integer ≥ 1' }).min(1, { message: 'expected an integer ≥ 1' }) }).strict(),
  approximate({ layer, inputShape }, { rank: t }, fn) {
    const [kernel, bias] = layer.getWeights();
    const [m, k] = kernel.shape;
    const r = Math.min(m, k);
    if (t > r) throw new ParampredError(fn, `expected rank an integer between 1 and min(m, k) = ${r} for layer '${layer.name}' (kernel ${m} × ${k}), got ${t}`);
    const positions = inputShape.slice(0, -1).reduce((p, q) => p * q, 1);
    const w = Float64Array.from(kernel.dataSync());
    const { u, s, v } = thinSvd(mat(m, k, w));
    const a = new Float32Array(m * t); // U_t S_t, m × t
    const b = new Float32Array(t * k); // V_tᵀ, t × k
    for (let i = 0; i < m; i++) for (let j = 0; j < t; j++) a[i * t + j] = u.data[i * r + j] * s[j];
    for (let j = 0; j < t; j++) for (let o = 0; o < k; o++) b[j * k + o] = v.data[o * r + j];
    let discarded = 0, total = 0;
    for (let i = 0; i < r; i++) {
      total += s[i] * s[i];
      if (i >= t) discarded += s[i] * s[i];
    }
    const config = layer.getConfig();
    const first = dense({ units: t, activation: 'linear', useBias: false, name: `${layer.name}_svd${t}` });
    const second = dense({ units: k, activation: config.activation as 'linear', useBias: bias !== undefined });
    first.apply(tf.input({ shape: [...inputShape] }));
    second.apply(tf.input({ shape: [...inputShape.slice(0, -1), t] }));
    const wa = tf.tensor2d(a, [m, t]), wb = tf.tensor2d(b, [t, k]);
    first.setWeights([wa]);
    second.setWeights(bias ? [wb, bias] : [wb]);
    tf.dispose([wa, wb]);
    const biasCount = bias ? k : 0;
    return {
      layers: [first, second],
      before: { parameters: m * k + biasCount, multiplyAdds: positions * m * k },
      after: { parameters: t * (m + k) + biasCount, multiplyAdds: positions * t * (m + k) },
      formula: 't·(m + k) per input row (m·k dense)',
      error: { frobenius: Math.sqrt(discarded), relative: total > 0 ? Math.sqrt(discarded / total) : 0 },
    };
  },
});
