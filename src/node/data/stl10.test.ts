import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { loadDataset, ChecksumError, DataFormatError } from './index.js';
import { pix, put, stlX, stlY, tmp, ustar } from './test_fixtures.js';
import type { Split } from './types.js';

/** Image k+i at NHWC (r, c, ch) must be pix/255; its label (k+i) mod 10. */
function expectRows(s: Split, k: number): void {
  for (let i = 0; i < s.n; i++) {
    assert.equal(s.y[i], (k + i) % 10);
    for (const [r, c, ch] of [[0, 0, 0], [0, 95, 1], [95, 0, 2], [40, 71, 1], [95, 95, 0]]) assert.equal(s.x[i * 27648 + (r * 96 + c) * 3 + ch], Math.fround(pix(k + i, r, c, ch) / 255), `image ${k + i} (${r},${c},${ch})`);
  }
}

test('stl10 from stl10_binary/*.bin: column-major planes to NHWC, labels 1..10 → 0..9, validation and limits', async () => {
  const dir = tmp('stl');
  put(dir, 'stl10/stl10_binary/train_X.bin', stlX(6, 0));
  put(dir, 'stl10/stl10_binary/train_y.bin', stlY(6, 0));
  put(dir, 'stl10/stl10_binary/test_X.bin', stlX(4, 20));
  put(dir, 'stl10/stl10_binary/test_y.bin', stlY(4, 20));
  const d = await loadDataset('stl10', { dataDir: dir, verify: false, validation: 2, limit: { train: 3, test: 3 } });
  assert.deepEqual([d.label, d.inputShape, d.train.n, d.valid?.n, d.test.n], ['STL-10', [96, 96, 3], 3, 2, 3]);
  expectRows(d.train, 0);
  expectRows(d.valid!, 4);
  expectRows(d.test, 20);
  await assert.rejects(loadDataset('stl10', { dataDir: dir }), (e) => e instanceof ChecksumError && /train_X\.bin: expected 138240000 bytes, found 165888 bytes/.test(e.message));
  put(dir, 'stl10/stl10_binary/test_y.bin', Buffer.from([1, 2, 11, 4]));
  await assert.rejects(loadDataset('stl10', { dataDir: dir, verify: false }), /test_y\.bin: expected labels in 1\.\.10, found 11 at item 2/);
  put(dir, 'stl10/stl10_binary/test_y.bin', stlY(3, 20));
  await assert.rejects(loadDataset('stl10', { dataDir: dir, verify: false }), /test_y\.bin: expected 4 labels \(one per image in test_X\.bin\), found 3/);
  put(dir, 'stl10/stl10_binary/test_X.bin', stlX(4, 20).subarray(0, 27648 * 2 + 5));
  await assert.rejects(loadDataset('stl10', { dataDir: dir, verify: false }), (e) => e instanceof DataFormatError && /test_X\.bin: expected a whole number \(1\.\.8000\) of 27648-byte images, found 55301 bytes/.test(e.message));
});

test('stl10 streamed straight out of stl10_binary.tar.gz (unlabelled member skipped, any member order)', async () => {
  const dir = tmp('stl-tar');
  put(dir, 'stl10/stl10_binary.tar.gz', gzipSync(ustar([
    { name: 'stl10_binary/test_y.bin', data: stlY(3, 7) },
    { name: 'stl10_binary/unlabeled_X.bin', data: stlX(2, 99) },
    { name: 'stl10_binary/train_X.bin', data: stlX(5, 0) },
    { name: 'stl10_binary/test_X.bin', data: stlX(3, 7) },
    { name: 'stl10_binary/train_y.bin', data: stlY(5, 0) },
    { name: 'stl10_binary/class_names.txt', data: Buffer.from('airplane\n') },
  ])));
  const d = await loadDataset('stl10', { dataDir: dir, verify: false, validation: 1 });
  assert.deepEqual([d.train.n, d.valid?.n, d.test.n], [4, 1, 3]);
  expectRows(d.train, 0);
  expectRows(d.valid!, 4);
  expectRows(d.test, 7);
  await assert.rejects(loadDataset('stl10', { dataDir: dir }), /stl10_binary\.tar\.gz: expected md5 91f7769df0f17e558f3565bffb0c7dfb/);
  put(dir, 'stl10/stl10_binary.tar.gz', gzipSync(ustar([{ name: 'stl10_binary/train_X.bin', data: stlX(1, 0) }])));
  await assert.rejects(loadDataset('stl10', { dataDir: dir, verify: false }), /expected members train_X\.bin and train_y\.bin, found no train_y\.bin/);
});
