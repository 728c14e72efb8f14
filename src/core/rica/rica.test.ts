import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import { rng } from '../rng.js';
import { applyZca, createRica, denseResponses, disposeRica, extractFeatures, featureExtractor, fitZca, normalizePatches, poolQuadrants, predictClasses, ricaDynamicParameters, ricaLoss, ricaWeights, samplePatches, trainRica, trainSoftmax } from './index.js';
import { mat, solveSpd } from '../linalg.js';

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

test('dense responses equal the explicit per-patch pipeline (normalise, whiten, project) at every window; quadrant pooling sums the rectified maps', () => {
  const [h, w, c, p, k] = [7, 8, 3, 3, 4];
  const img = Float32Array.from(rng(5).normals(2 * h * w * c), (v) => 0.5 + 0.2 * v);
  const d = p * p * c;
  const patches = samplePatches(img, [h, w, c], p, 400, rng(6));
  const zca = fitZca(normalizePatches(patches, d), d, 0.1);
  const W = tf.tensor2d(rng(7).normals(d * k), [d, k]);
  const e = featureExtractor(W, zca, p, c);
  const f = denseResponses(e, tf.tensor4d(img, [2, h, w, c]));
  assert.deepEqual(f.shape, [2, h - p + 1, w - p + 1, k]);
  const fv = f.dataSync();
  const Wn = tf.tidy(() => tf.div(W, tf.norm(W, 'euclidean', 0, true))).arraySync() as number[][];
  for (let b = 0; b < 2; b++) for (let i = 0; i + p <= h; i++) for (let j = 0; j + p <= w; j++) {
    const patch = new Float32Array(d);
    for (let a = 0; a < p; a++) for (let q = 0; q < p; q++) for (let ch = 0; ch < c; ch++) patch[(a * p + q) * c + ch] = img[((b * h + i + a) * w + j + q) * c + ch];
    const white = applyZca(zca, normalizePatches(patch, d));
    for (let kk = 0; kk < k; kk++) {
      let ref = 0;
      for (let t = 0; t < d; t++) ref += Wn[t][kk] * white[t];
      const got = fv[((b * (h - p + 1) + i) * (w - p + 1) + j) * k + kk];
      assert.ok(Math.abs(got - ref) < 2e-3 * (1 + Math.abs(ref)), `image ${b} (${i}, ${j}) feature ${kk}: ${got} vs ${ref}`);
    }
  }
  const pooled = poolQuadrants(f).arraySync() as number[][];
  const fa = f.arraySync() as number[][][][];
  const [H, Wd] = [h - p + 1, w - p + 1];
  const hh = Math.round(H / 2), hw = Math.round(Wd / 2);
  for (let b = 0; b < 2; b++) for (let qi = 0; qi < 2; qi++) for (let qj = 0; qj < 2; qj++) for (let s = 0; s < 2; s++) for (let kk = 0; kk < k; kk++) {
    let ref = 0;
    for (let i = qi ? hh : 0; i < (qi ? H : hh); i++) for (let j = qj ? hw : 0; j < (qj ? Wd : hw); j++) ref += Math.max(0, (s ? -1 : 1) * fa[b][i][j][kk]);
    const got = pooled[b][(qi * 2 + qj) * 2 * k + s * k + kk];
    assert.ok(Math.abs(got - ref) < 1e-3 * (1 + Math.abs(ref)), `pool ${b} q(${qi},${qj}) s${s} k${kk}: ${got} vs ${ref}`);
  }
  assert.deepEqual(extractFeatures(e, img, [h, w, c], 1), Float32Array.from(pooled.flat()));
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

test('RICA entry points name the function and the bad argument', () => {
  assert.throws(() => createRica({ patch: 6, features: 10, fraction: 0 }), /createRica: expected fraction in \(0, 1\]/);
  assert.throws(() => samplePatches(new Float32Array(10), [2, 2, 2], 3, 5, rng(1)), /samplePatches: expected whole images of \[2, 2, 2\]/);
  assert.throws(() => fitZca(new Float32Array(3), 3), /fitZca: expected at least 2 rows/);
});
