import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { registerNativeBackend } from '../backend/register.js';
import { rng } from '../../core/rng.js';
import { PATCH_EPS, disposeExtractor, extractFeatures, featureExtractor, fitZca, normalizePatches, samplePatches } from '../../core/rica/index.js';
import { referenceFeatures } from '../../core/rica/test_util.js';

test('RICA features on the native backend at CIFAR shape (32×32×3, 6×6 patches: 27×27 maps) equal the float64 patch-by-patch reference', async () => {
  assert.ok(registerNativeBackend(), 'native addon must be built (npm run build:native)');
  await tf.setBackend('native');
  const shape = [32, 32, 3] as const, p = 6, k = 12, n = 3, d = p * p * 3;
  // smooth images in [0, 1] (a blurred random field, as natural images are), one with a faint patch
  const r = rng(21);
  const img = new Float32Array(n * 32 * 32 * 3);
  for (let b = 0; b < n; b++) for (let c = 0; c < 3; c++) {
    const [fa, fb, ph] = [r.uniform() * 0.5, r.uniform() * 0.5, r.uniform() * 6];
    for (let i = 0; i < 32; i++) for (let j = 0; j < 32; j++) img[((b * 32 + i) * 32 + j) * 3 + c] = Math.min(1, Math.max(0, 0.5 + 0.3 * Math.sin(fa * i + fb * j + ph + c) + 0.08 * r.normal()));
  }
  for (let i = 0; i < 10; i++) for (let j = 0; j < 10; j++) for (let c = 0; c < 3; c++) img[((32 + i) * 32 + j) * 3 + c] = 0.4 + 0.01 * r.normal();
  const zca = fitZca(normalizePatches(samplePatches(img, shape, p, 2000, rng(22)), d), d, 0.1);
  const wv = rng(23).normals(d * k);
  const e = featureExtractor(tf.tensor2d(wv, [d, k]), zca, p, 3);
  const got = extractFeatures(e, img, shape, 2);
  disposeExtractor(e);
  const { pooled } = referenceFeatures(img, shape, wv, k, zca, p, PATCH_EPS);
  let worst = 0;
  for (let i = 0; i < pooled.length; i++) worst = Math.max(worst, Math.abs(got[i] - pooled[i]) / (1 + Math.abs(pooled[i])));
  assert.ok(worst < 1e-4, `worst relative error ${worst}`);
  await tf.setBackend('cpu');
});
