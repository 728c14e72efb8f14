import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import { rng } from '../rng.js';
import { PATCH_EPS, applyZca, chooseL2, createRica, denseResponses, disposeRica, extractFeatures, featureExtractor, fitZca, normalizePatches, poolQuadrants, predictClasses, ricaDynamicParameters, ricaLoss, ricaWeights, samplePatches, trainRica, trainSoftmax } from './index.js';
import { mat, solveSpd } from '../linalg.js';
import { referenceFeatures } from './test_util.js';

await tf.setBackend('cpu');

/** J(W) in float64 JS (the file doc of objective.ts), W d × k row-major, X n × d. */
function refLoss(w: Float64Array, x: Float64Array, d: number, k: number, n: number, lambda: number, eps: number, normalize: boolean): number {
  const wn = Float64Array.from(w);
  if (normalize) for (let j = 0; j < k; j++) {
    let s = 0;
    for (let i = 0; i < d; i++) s += w[i * k + j] ** 2;
    for (let i = 0; i < d; i++) wn[i * k + j] = w[i * k + j] / Math.sqrt(s + 1e-12);
  }
  let total = 0;
  for (let r = 0; r < n; r++) {
    const h = new Float64Array(k);
    for (let j = 0; j < k; j++) for (let i = 0; i < d; i++) h[j] += x[r * d + i] * wn[i * k + j];
    for (let j = 0; j < k; j++) total += lambda * Math.sqrt(eps + h[j] ** 2);
    for (let i = 0; i < d; i++) {
      let rec = 0;
      for (let j = 0; j < k; j++) rec += h[j] * wn[i * k + j];
      total += (rec - x[r * d + i]) ** 2;
    }
  }
  return total / n;
}

test('ricaLoss and its tf gradient match a float64 reference and its central finite differences', () => {
  const d = 5, k = 3, n = 7;
  const w = Float64Array.from(rng(1).normals(d * k));
  const x = Float64Array.from(rng(2).normals(n * d));
  for (const normalize of [true, false]) {
    const o = { lambda: 0.3, epsilon: 0.01, normalize };
    const xt = tf.tensor2d(Float32Array.from(x), [n, d]);
    const loss = ricaLoss(tf.tensor2d(Float32Array.from(w), [d, k]), xt, o).dataSync()[0];
    const ref = refLoss(w, x, d, k, n, 0.3, 0.01, normalize);
    assert.ok(Math.abs(loss - ref) < 1e-4 * Math.abs(ref), `loss ${loss} vs ${ref}`);
    const g = tf.grad((wt: tf.Tensor) => ricaLoss(wt as tf.Tensor2D, xt, o))(tf.tensor2d(Float32Array.from(w), [d, k])).dataSync();
    const h = 1e-6;
    for (let i = 0; i < d * k; i++) {
      const wp = Float64Array.from(w), wm = Float64Array.from(w);
      wp[i] += h;
      wm[i] -= h;
      const fd = (refLoss(wp, x, d, k, n, 0.3, 0.01, normalize) - refLoss(wm, x, d, k, n, 0.3, 0.01, normalize)) / (2 * h);
      assert.ok(Math.abs(g[i] - fd) < 1e-3 * (1 + Math.abs(fd)), `normalize ${normalize} dW[${i}]: ${g[i]} vs ${fd}`);
    }
  }
});

test('ZCA whitening gives identity covariance on its sample (ε → 0) and a symmetric Z', () => {
  const d = 6, n = 3000;
  const r = rng(3);
  const mix = r.normals(d * d);
  const z0 = r.normals(n * d);
  const x = new Float32Array(n * d);
  for (let s = 0; s < n; s++) for (let i = 0; i < d; i++) {
    let v = 2 + i;
    for (let j = 0; j < d; j++) v += mix[i * d + j] * z0[s * d + j] * (j + 1);
    x[s * d + i] = v;
  }
  const zca = fitZca(x, d, 1e-9);
  const y = applyZca(zca, x);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
    let c = 0, mi = 0, mj = 0;
    for (let s = 0; s < n; s++) [mi, mj] = [mi + y[s * d + i] / n, mj + y[s * d + j] / n];
    for (let s = 0; s < n; s++) c += (y[s * d + i] - mi) * (y[s * d + j] - mj);
    assert.ok(Math.abs(c / n - (i === j ? 1 : 0)) < 1e-3, `cov[${i}][${j}] = ${c / n}`);
    assert.ok(Math.abs(zca.matrix[i * d + j] - zca.matrix[j * d + i]) < 1e-9);
  }
});

test('fraction 1 is plain RICA; with n_α = p² the SE parameterisation spans the same W (same loss at V = U⁻¹W)', () => {
  const plain = createRica({ patch: 3, features: 4, fraction: 1, seed: 1 });
  assert.equal(plain.u, null);
  assert.deepEqual(plain.variable.shape, [27, 4]);
  assert.equal(ricaWeights(plain), plain.variable);
  const full = createRica({ patch: 3, features: 4, fraction: 0.99, seed: 1 }); // n_α = round(0.99·9) = 9
  assert.equal(full.nAlpha, 9);
  assert.equal(ricaDynamicParameters(full), ricaDynamicParameters(plain));
  // V = U⁻¹·W (per channel and feature) makes U·V = W exactly: the predicted model can be any plain one
  const u = full.u!.dataSync();
  const U = mat(9, 9, Float64Array.from(u));
  const UtU = mat(9, 9), UtW = mat(9, 12);
  const W = plain.variable.dataSync(); // 27 × 4 rows (pos, ch), cols k → as 9 × (3·4)
  for (let i = 0; i < 9; i++) for (let j = 0; j < 9; j++) for (let p = 0; p < 9; p++) UtU.data[i * 9 + j] += U.data[p * 9 + i] * U.data[p * 9 + j];
  for (let i = 0; i < 9; i++) for (let c = 0; c < 12; c++) for (let p = 0; p < 9; p++) UtW.data[i * 12 + c] += U.data[p * 9 + i] * W[p * 12 + c];
  const V = solveSpd(UtU, UtW);
  full.variable.assign(tf.tensor2d(Float32Array.from(V.data), [9, 12]));
  const x = tf.tensor2d(rng(4).normals(20 * 27), [20, 27]);
  const a = ricaLoss(ricaWeights(full), x).dataSync()[0], b = ricaLoss(ricaWeights(plain), x).dataSync()[0];
  assert.ok(Math.abs(a - b) < 1e-3 * b, `${a} vs ${b}`);
  // RICA-50 % with twice the features learns as many parameters as plain RICA
  const half = createRica({ patch: 6, features: 8, fraction: 0.5, seed: 2 });
  const p6 = createRica({ patch: 6, features: 4, seed: 2 });
  assert.equal(ricaDynamicParameters(half), ricaDynamicParameters(p6));
  const wh = ricaWeights(half).arraySync() as number[][];
  assert.equal(wh.length, 108); // W is d × 2k with d = 6·6·3
  for (const m of [plain, full, half, p6]) disposeRica(m);
});

test('dense responses and pooled features equal a float64 patch-by-patch reference (odd and even maps, flat patches); the split keeps both polarities', () => {
  const [h, w, c, p, k] = [7, 8, 3, 3, 5]; // maps 5 × 6: an odd and an even quadrant split
  const n = 3, size = h * w * c, d = p * p * c;
  const img = Float32Array.from(rng(5).normals(n * size), (v) => Math.min(1, Math.max(0, 0.5 + 0.25 * v)));
  const faint = rng(8).normals(4 * w * c); // image 1: a faint band, std ≈ √ε, where ε matters
  for (let i = 0; i < faint.length; i++) img[size + i] = 0.3 + 0.012 * faint[i];
  img.fill(0.7, 2 * size); // image 2: flat everywhere
  const zca = fitZca(normalizePatches(samplePatches(img, [h, w, c], p, 400, rng(6)), d), d, 0.1);
  const wv = rng(7).normals(d * k);
  const e = featureExtractor(tf.tensor2d(wv, [d, k]), zca, p, c);
  const ref = referenceFeatures(img, [h, w, c], wv, k, zca, p, PATCH_EPS);
  const near = (got: ArrayLike<number>, want: Float64Array, tol: number, what: string) => {
    assert.equal(got.length, want.length, what);
    for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= tol * (1 + Math.abs(want[i])), `${what}[${i}]: ${got[i]} vs ${want[i]}`);
  };
  const f = denseResponses(e, tf.tensor4d(img, [n, h, w, c]));
  assert.deepEqual(f.shape, [n, h - p + 1, w - p + 1, k]);
  near(f.dataSync(), ref.responses, 1e-4, 'response');
  near(poolQuadrants(f).dataSync(), ref.pooled, 1e-4, 'pooled');
  for (const bs of [1, 2, 50]) near(extractFeatures(e, img, [h, w, c], bs), ref.pooled, 1e-4, `batch ${bs}`);
  // both polarities carry mass (the reference's split is not degenerate)
  const pos = ref.pooled.subarray(0, k).reduce((a, b) => a + b, 0), neg = ref.pooled.subarray(k, 2 * k).reduce((a, b) => a + b, 0);
  assert.ok(pos > 1 && neg > 1, `${pos} ${neg}`);
  assert.throws(() => poolQuadrants(tf.zeros([1, 1, 4, 2]) as tf.Tensor4D), /poolQuadrants: expected response maps of at least 2 × 2, got \[1,4\]/);
});

test('trainRica lowers the objective on whitened patches (plain and predicted); softmax regression separates separable data', () => {
  const d = 27, n0 = 600, src = 6;
  // 6 sparse (Laplace) sources mixed into 27 dims plus a little noise: features aligned with the sources
  // reconstruct most of x and respond sparsely, so training must lower both terms
  const r = rng(8);
  const A = r.normals(d * src);
  const x = new Float32Array(n0 * d);
  for (let s = 0; s < n0; s++) {
    const z = Array.from({ length: src }, () => Math.log(r.uniform() + 1e-12) * (r.uniform() < 0.5 ? 1 : -1));
    for (let i = 0; i < d; i++) x[s * d + i] = z.reduce((t, v, j) => t + A[i * src + j] * v, 0) / 3 + 0.05 * r.normal();
  }
  for (const fraction of [1, 0.5]) {
    const m = createRica({ patch: 3, features: 6, fraction, seed: 3 });
    const xt = tf.tensor2d(x, [n0, d]);
    const before = ricaLoss(ricaWeights(m), xt).dataSync()[0];
    trainRica(m, x, { steps: 200, batchSize: 100, lr: 0.05, seed: 1 });
    const after = ricaLoss(ricaWeights(m), xt).dataSync()[0];
    assert.ok(after < 0.7 * before, `fraction ${fraction}: ${before} → ${after}`);
    disposeRica(m);
  }
  const n = 300, mdim = 5;
  const xs = Float32Array.from(rng(9).normals(n * mdim));
  const y = Int32Array.from({ length: n }, (_, i) => (xs[i * mdim] + xs[i * mdim + 1] > 0 ? 1 : 0) + (xs[i * mdim + 2] > 0.5 ? 2 : 0));
  const clf = trainSoftmax(xs, y, 4, { steps: 200, lr: 0.05, l2: 1e-4 });
  const pred = predictClasses(clf, xs);
  const acc = pred.reduce((s, v, i) => s + (v === y[i] ? 1 : 0), 0) / n;
  assert.ok(acc > 0.95, `train accuracy ${acc}`);
});

test('chooseL2 scores each L2 on the last rows only, trained on the rest, and picks the best: heavy L2 wins where light L2 over-fits noise dimensions', () => {
  // 5 noisy copies of the label's source z (labels flipped with probability 0.1) and 200 noise dimensions:
  // 80 rows to fit, which a light L2 interpolates with the noise
  const n = 120, m = 205, r = rng(10);
  const x = Float32Array.from(r.normals(n * m));
  const z = r.normals(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < 5; j++) x[i * m + j] = z[i] + 0.5 * x[i * m + j];
  const y = Int32Array.from({ length: n }, (_, i) => ((z[i] > 0) !== (r.uniform() < 0.1) ? 1 : 0));
  const grid = [1e-5, 1];
  const o = { steps: 150, lr: 0.05 };
  const ch = chooseL2(x, y, 2, grid, 40, o);
  assert.equal(ch.validation, 40);
  // each candidate's score re-derived: fit on rows 0..79, accuracy on rows 80..119
  for (const [i, l2] of grid.entries()) {
    const c = trainSoftmax(x.slice(0, 80 * m), y.slice(0, 80), 2, { ...o, l2 });
    const pred = predictClasses(c, x.slice(80 * m));
    const acc = pred.reduce((s, v, j) => s + (v === y[80 + j] ? 1 : 0), 0) / 40;
    assert.deepEqual(ch.grid[i], { l2, validationAccuracy: acc });
  }
  assert.ok(ch.grid[1].validationAccuracy > ch.grid[0].validationAccuracy + 0.1, JSON.stringify(ch.grid));
  assert.equal(ch.l2, 1);
  // the held-out rows decide: the same fitting rows with the held-out labels flipped choose the light L2
  const flipped = Int32Array.from(y, (v, i) => (i >= 80 ? 1 - v : v));
  assert.equal(chooseL2(x, flipped, 2, grid, 40, o).l2, 1e-5);
  // ties go to the first in grid order
  assert.equal(chooseL2(x, y, 2, [1, 1], 40, o).l2, 1);
  assert.throws(() => chooseL2(x, y, 2, [], 40), /chooseL2: expected a non-empty grid of L2 weights ≥ 0 and 1 ≤ validation < 120 rows/);
  assert.throws(() => chooseL2(x, y, 2, [1e-3], 120), /chooseL2: expected .* 1 ≤ validation < 120 rows, got .*"validation":120/);
});

test('RICA entry points name the function and the bad argument', () => {
  assert.throws(() => createRica({ patch: 6, features: 10, fraction: 0 }), /createRica: expected fraction in \(0, 1\]/);
  assert.throws(() => samplePatches(new Float32Array(10), [2, 2, 2], 3, 5, rng(1)), /samplePatches: expected whole images of \[2, 2, 2\]/);
  assert.throws(() => fitZca(new Float32Array(3), 3), /fitZca: expected at least 2 rows/);
});
