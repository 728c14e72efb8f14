import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rng } from '../rng.js';
import { augmentBatch, drawAugment, shiftFlip, type AugmentDraws } from './augment.js';
import { channelStats, standardizeChannels } from './standardize.js';

const shape = [5, 6, 3] as const;
const size = shape[0] * shape[1] * shape[2];
const batch = (n: number) => rng(7).fork('x').normals(n * size);
const draws = (n: number, dy: number, dx: number, flip: number): AugmentDraws => ({ dy: new Int32Array(n).fill(dy), dx: new Int32Array(n).fill(dx), flip: new Uint8Array(n).fill(flip) });

/** Reference: zero-pad each image by p, crop h × w at (p + dy, p + dx), then reverse the columns if flipped. */
function reference(x: Float32Array, p: number, dy: number, dx: number, flip: boolean): Float32Array {
  const [h, w, c] = shape;
  const n = x.length / size;
  const out = new Float32Array(x.length);
  for (let b = 0; b < n; b++) {
    const H = h + 2 * p, W = w + 2 * p;
    const padded = new Float32Array(H * W * c);
    for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) for (let k = 0; k < c; k++) padded[((i + p) * W + j + p) * c + k] = x[b * size + (i * w + j) * c + k];
    const crop: number[][][] = [];
    for (let i = 0; i < h; i++) {
      const row: number[][] = [];
      for (let j = 0; j < w; j++) row.push(Array.from({ length: c }, (_, k) => padded[((i + p + dy) * W + j + p + dx) * c + k]));
      crop.push(flip ? row.reverse() : row);
    }
    out.set(crop.flat(2), b * size);
  }
  return out;
}

test('flipping twice is the identity; crop 0 without flip is the identity', () => {
  const x = batch(4);
  const once = shiftFlip(x, shape, draws(4, 0, 0, 1));
  assert.notDeepEqual(once, x);
  assert.deepEqual(shiftFlip(once, shape, draws(4, 0, 0, 1)), x);
  assert.deepEqual(augmentBatch(x, shape, { crop: 0, flip: false }, rng(1)), x);
});

test('shiftFlip equals zero-pad, crop and column reversal for every shift and flip', () => {
  const x = batch(3);
  const p = 2;
  for (let dy = -p; dy <= p; dy++) for (let dx = -p; dx <= p; dx++) for (const f of [0, 1]) {
    assert.deepEqual(shiftFlip(x, shape, draws(3, dy, dx, f)), reference(x, p, dy, dx, f === 1), `dy ${dy} dx ${dx} flip ${f}`);
  }
});

test('augmentBatch turns every image into one of its (2p+1)²·2 shifted/flipped copies, and draws all of them', () => {
  const n = 400, p = 2;
  const x = batch(n);
  const y = augmentBatch(x, shape, { crop: p, flip: true }, rng(3).fork('augment'));
  const seen = new Set<string>();
  const refs = new Map<string, Float32Array>();
  for (let dy = -p; dy <= p; dy++) for (let dx = -p; dx <= p; dx++) for (const f of [0, 1]) refs.set(`${dy},${dx},${f}`, reference(x, p, dy, dx, f === 1));
  for (let b = 0; b < n; b++) {
    const img = y.subarray(b * size, (b + 1) * size);
    const hit = [...refs].find(([, r]) => r.subarray(b * size, (b + 1) * size).every((v, i) => v === img[i]));
    assert.ok(hit, `image ${b} is no shifted/flipped copy of its input`);
    seen.add(hit[0]);
  }
  assert.equal(seen.size, 50, 'all 25 shifts × 2 flips occur in 400 draws');
  // the same stream gives the same batch (seeded), another stream another batch
  assert.deepEqual(augmentBatch(x, shape, { crop: p, flip: true }, rng(3).fork('augment')), y);
  assert.notDeepEqual(augmentBatch(x, shape, { crop: p, flip: true }, rng(4).fork('augment')), y);
  const d = drawAugment(4000, { crop: p, flip: true }, rng(5));
  const flips = d.flip.reduce((s, v) => s + v, 0) / 4000;
  assert.ok(Math.abs(flips - 0.5) < 0.03, `flip rate ${flips}`);
  assert.ok(d.dy.every((v) => v >= -p && v <= p) && d.dx.every((v) => v >= -p && v <= p));
});

test('augmentBatch rejects a crop as large as the image and partial images', () => {
  assert.throws(() => augmentBatch(batch(1), shape, { crop: 5, flip: false }, rng(1)), /augmentBatch: expected whole images of shape \[5, 6, 3\] and crop an integer in \[0, 4\]/);
  assert.throws(() => augmentBatch(new Float32Array(size + 1), shape, { crop: 1, flip: false }, rng(1)), /augmentBatch: expected whole images/);
});

test('channelStats matches a per-channel two-pass reference; standardised channels have mean 0 and std 1', () => {
  const c = 3;
  const x = Float32Array.from(rng(2).normals(600), (v, i) => v * (i % c + 1) + 10 * (i % c));
  const { mean, std } = channelStats(x, c);
  for (let k = 0; k < c; k++) {
    const vals = Array.from(x).filter((_, i) => i % c === k);
    const m = vals.reduce((s, v) => s + v, 0) / vals.length;
    const sd = Math.sqrt(vals.reduce((s, v) => s + (v - m) ** 2, 0) / vals.length);
    assert.ok(Math.abs(mean[k] - m) < 1e-9 && Math.abs(std[k] - sd) < 1e-9, `channel ${k}`);
  }
  const z = standardizeChannels(x, mean, std);
  const s2 = channelStats(z, c);
  for (let k = 0; k < c; k++) assert.ok(Math.abs(s2.mean[k]) < 1e-5 && Math.abs(s2.std[k] - 1) < 1e-5, `channel ${k}: ${s2.mean[k]}, ${s2.std[k]}`);
});
