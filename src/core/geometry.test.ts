import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { gridCoords, noCoords } from './geometry.js';

test("gridCoords follows TF.js's NHWC flatten order: unit i of reshape([1, -1]) sits at points[i], channel groups[i]", () => {
  const [h, w, c] = [3, 4, 2];
  const coords = gridCoords(h, w, c);
  // tensor whose value at [0, r, col, ch] encodes its position; flattening must agree with coords
  const t = tf.tensor4d(Array.from({ length: h * w * c }, (_, i) => i), [1, h, w, c]);
  const enc = tf.tidy(() => {
    const rIdx = tf.range(0, h).reshape([1, h, 1, 1]).mul(100).tile([1, 1, w, c]);
    const cIdx = tf.range(0, w).reshape([1, 1, w, 1]).mul(10).tile([1, h, 1, c]);
    const chIdx = tf.range(0, c).reshape([1, 1, 1, c]).tile([1, h, w, 1]);
    return rIdx.add(cIdx).add(chIdx).reshape([1, -1]).dataSync();
  });
  t.dispose();
  assert.equal(coords.points.length, h * w * c);
  for (let i = 0; i < enc.length; i++) {
    assert.equal(enc[i], coords.points[i][0] * 100 + coords.points[i][1] * 10 + coords.groups![i], `unit ${i}`);
  }
  assert.equal(noCoords(), undefined);
  assert.throws(() => gridCoords(0, 3), /gridCoords: expected height a positive integer, got 0/);
  assert.throws(() => gridCoords(2, 3, 1.5), /gridCoords: expected channels a positive integer, got 1.5/);
});
