/**
 * bicluster (Denton et al. 2014 §3, biclustering + low rank, for higher conv layers; docs/method.md §3):
 * a Conv2D kernel W (kh × kw × C × F) with its input channels clustered into G groups (k-means of the
 * rows W[:, :, c, :], kh·kw·F values each) and its filters into H groups (k-means of W[:, :, :, f]),
 * seeded (k-means++ then Lloyd steps, dictionaries/kmeans; empty clusters dropped). Each block
 * W_gh (input group g × output group h) is matricised as (kh·kw·C_g) × F_h (rows (y, x, c), columns f) and
 * truncated to rank K by SVD, W_gh ≈ A_gh·B_gh. Evaluated as two GroupedConv2D layers: G groups of
 * kh × kw convs C_g → H·K (A_gh for every h; the layer's strides and padding, no bias), then H groups of
 * 1 × 1 convs G·K → F̄ (group h reads the K maps of every (g, h); B_gh stacked, zero-padded from F_h to
 * F̄ = max_h F_h filters so that the groups join by stack rather than a last-axis concat; the bias and
 * activation), the real filters picked back in the layer's order. Multiply-adds per example
 * H′·W′·K·(kh·kw·C·H + G·H·F̄); with equal groups (F̄ = F/H) that is GH·NMΔ⁻²·K·(XY·C/G + F/H): the
 * paper's formula without its XY term, which belongs to the 3-way (C_g ⊗ XY ⊗ F_h) decomposition.
 * ‖W − Ŵ‖²_F = Σ_blocks Σ_{i>K} s_i².
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { ParampredError } from '../errors.js';
import { mat, svd } from '../linalg.js';
import { rng } from '../rng.js';
import { kmeans } from '../dictionaries/kmeans.js';
import { convGeometry } from './conv_geometry.js';
import { GroupedConv2D } from './grouped_conv2d.js';
import { defineCompressMethod } from './types.js';

const int1 = () => z.number({ message: 'expected an integer ≥ 1' }).int({ message: 'expected an integer ≥ 1' }).min(1, { message: 'expected an integer ≥ 1' });

/** The non-empty clusters of `assign` (k labels), each its indices ascending, in label order. */
function groupsOf(assign: Int32Array, k: number): number[][] {
  const groups: number[][] = Array.from({ length: k }, () => []);
  assign.forEach((a, i) => groups[a].push(i));
  return groups.filter((g) => g.length > 0);
}

export default defineCompressMethod({
  name: 'bicluster',
  summary: 'Conv2D C→F → k-means G input × H output groups, each block rank K by SVD: grouped conv kh×kw C_g→H·K then grouped 1×1 G·K→F_h (padded to F̄ = max F_h), multiply-adds H′·W′·K·(kh·kw·C·H + G·H·F̄)',
  appliesTo: ['Conv2D'],
  options: z.object({
    inputGroups: int1(),
    outputGroups: int1(),
    rank: int1(),
    seed: z.number().int().default(0),
    iterations: z.number().int().nonnegative().default(50),
  }).strict(),
  approximate({ layer, inputShape }, { inputGroups: G0, outputGroups: H0, rank: K, seed, iterations }, fn) {
    const geo = convGeometry(layer, inputShape, 'bicluster', fn);
    const { kh, kw, c: C, f: F, w } = geo;
    const P = kh * kw;
    if (G0 > C) throw new ParampredError(fn, `expected inputGroups an integer between 1 and the ${C} input channels of layer '${layer.name}', got ${G0}`);
    if (H0 > F) throw new ParampredError(fn, `expected outputGroups an integer between 1 and the ${F} filters of layer '${layer.name}', got ${H0}`);
    const r = rng(seed);
    const rowsIn = new Float32Array(C * P * F), rowsOut = new Float32Array(F * P * C);
    for (let p = 0; p < P; p++) for (let c = 0; c < C; c++) for (let f = 0; f < F; f++) {
      const v = w[(p * C + c) * F + f];
      rowsIn[c * P * F + p * F + f] = v;
      rowsOut[f * P * C + p * C + c] = v;
    }
    const gin = groupsOf(kmeans({ rows: C, cols: P * F, values: rowsIn }, G0, { iterations, rng: r.fork('input') }).assign, G0);
    const gout = groupsOf(kmeans({ rows: F, cols: P * C, values: rowsOut }, H0, { iterations, rng: r.fork('output') }).assign, H0);
    const G = gin.length, H = gout.length;
    let maxRank = 0;
    for (const a of gin) for (const b of gout) maxRank = Math.max(maxRank, Math.min(P * a.length, b.length));
    if (K > maxRank) throw new ParampredError(fn, `expected rank an integer between 1 and the largest block rank min(kh·kw·C_g, F_h) = ${maxRank} of layer '${layer.name}' with ${G} input × ${H} output groups, got ${K}`);
    // stage 1 kernels [kh, kw, C_g, H·K] (channel h·K + k), stage 2 kernels [1, 1, G·K, F_h] (channel g·K + k)
    const k1 = gin.map((a) => new Float32Array(P * a.length * H * K));
    const fBar = Math.max(...gout.map((b) => b.length));
    const k2 = gout.map(() => new Float32Array(G * K * fBar));
    let discarded = 0, total = 0;
    gin.forEach((a, g) => gout.forEach((b, h) => {
      const rows = P * a.length, cols = b.length, rr = Math.min(rows, cols);
      const m = new Float64Array(rows * cols);
      for (let p = 0; p < P; p++) a.forEach((c, ci) => b.forEach((f, fj) => { m[(p * a.length + ci) * cols + fj] = w[(p * C + c) * F + f]; }));
      const { u, s, v } = svd(mat(rows, cols, m));
      for (let i = 0; i < rr; i++) {
        total += s[i] * s[i];
        if (i >= K) discarded += s[i] * s[i];
      }
      for (let k = 0; k < Math.min(K, rr); k++) {
        const sq = Math.sqrt(s[k]);
        for (let row = 0; row < rows; row++) k1[g][row * H * K + h * K + k] = u.data[row * rr + k] * sq;
        for (let fj = 0; fj < cols; fj++) k2[h][(g * K + k) * fBar + fj] = v.data[fj * rr + k] * sq;
      }
    }));
    const concatOf = new Array<number>(F); // output filter f sits at this index of stage 2's concatenation
    gout.forEach((b, h) => b.forEach((f, fj) => { concatOf[f] = h * fBar + fj; }));
    const first = new GroupedConv2D({ kernelSize: [kh, kw], strides: geo.strides, padding: geo.padding, inputGroups: gin, groupFilters: gin.map(() => H * K), useBias: false, name: `${layer.name}_bic${G}x${H}r${K}` });
    const second = new GroupedConv2D({
      kernelSize: 1, useBias: geo.bias !== undefined, activation: geo.activation,
      inputGroups: gout.map((_, h) => gin.flatMap((_a, g) => Array.from({ length: K }, (_k, k) => g * H * K + h * K + k))),
      groupFilters: gout.map(() => fBar),
      outputOrder: concatOf.every((v, i) => v === i) ? null : concatOf,
    });
    const mid = (first.apply(tf.input({ shape: [...inputShape] })) as tf.SymbolicTensor).shape.slice(1) as number[];
    second.apply(tf.input({ shape: mid }));
    const t1 = gin.map((a, g) => tf.tensor4d(k1[g], [kh, kw, a.length, H * K]));
    const t2 = gout.map((_, h) => tf.tensor4d(k2[h], [1, 1, G * K, fBar]));
    first.setWeights(t1);
    second.setWeights(geo.bias ? [...t2, geo.bias] : t2);
    tf.dispose([...t1, ...t2]);
    const biasCount = geo.bias ? F : 0;
    const out = geo.outH * geo.outW;
    return {
      layers: [first, second],
      before: { parameters: P * C * F + biasCount, multiplyAdds: out * P * C * F },
      after: { parameters: K * (P * C * H + G * H * fBar) + biasCount, multiplyAdds: out * K * (P * C * H + G * H * fBar) },
      formula: `H′·W′·K·(kh·kw·C·H + G·H·F̄), F̄ = max_h F_h = ${fBar}; = GH·NMΔ⁻²·K·(XY·C/G + F/H) for equal groups (${G} input × ${H} output groups after k-means)`,
      error: { frobenius: Math.sqrt(discarded), relative: total > 0 ? Math.sqrt(discarded / total) : 0 },
    };
  },
});
