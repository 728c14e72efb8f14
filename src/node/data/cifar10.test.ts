import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadDataset, ChecksumError, DataFormatError } from './index.js';
import { cifarBatch, pix, put, tmp, ustar } from './test_fixtures.js';
import { packageRoot } from '../package_root.js';
import type { Split } from './types.js';

/** Checks rows of a split against the fixture formula: image k+i, label (k+i) mod 10, NHWC x = pix/255. */
function expectRows(s: Split, k: number): void {
  for (let i = 0; i < s.n; i++) {
    assert.equal(s.y[i], (k + i) % 10);
    for (const [r, c, ch] of [[0, 0, 0], [3, 29, 1], [31, 31, 2], [17, 4, 0]]) assert.equal(s.x[i * 3072 + (r * 32 + c) * 3 + ch], Math.fround(pix(k + i, r, c, ch) / 255), `image ${k + i} (${r},${c},${ch})`);
  }
}

test('cifar10 from batch files: batches present are concatenated in order, missing ones named, NHWC from R/G/B planes', async () => {
  const dir = tmp('cifar');
  put(dir, 'cifar10/cifar-10-batches-bin/data_batch_1.bin', cifarBatch(7, 0));
  put(dir, 'cifar10/cifar-10-batches-bin/data_batch_3.bin', cifarBatch(5, 7));
  put(dir, 'cifar10/cifar-10-batches-bin/test_batch.bin', cifarBatch(6, 100));
  const d = await loadDataset('cifar10', { dataDir: dir, verify: false, validation: 3, limit: { test: 4 } });
  assert.deepEqual([d.label, d.inputShape, d.train.n, d.valid?.n, d.test.n], ['CIFAR-10 (unverified copy)', [32, 32, 3], 9, 3, 4]);
  expectRows(d.train, 0);
  expectRows(d.valid!, 9);
  expectRows(d.test, 100);
  assert.match(d.notes.join('\n'), /data_batch_2\.bin, data_batch_4\.bin, data_batch_5\.bin missing from .*cifar-10-batches-bin: train has 12 rows instead of 50000/);
  await assert.rejects(loadDataset('cifar10', { dataDir: dir }), (e) => e instanceof ChecksumError && /data_batch_1\.bin: expected git blob da09f891\S+ \(official\) or md5 6ad7f56b\S+ \(JPEG-75 copy\), found git blob \w+, md5 \w+/.test(e.message));
  put(dir, 'cifar10/cifar-10-batches-bin/data_batch_3.bin', cifarBatch(5, 7).subarray(0, 3073 * 4 + 10));
  await assert.rejects(loadDataset('cifar10', { dataDir: dir, verify: false }), (e) => e instanceof DataFormatError && /data_batch_3\.bin: expected a whole number \(1\.\.10000\) of 3073-byte records.*found 12302 bytes/.test(e.message));
  const badLabel = cifarBatch(5, 7);
  badLabel[3073 * 2] = 10;
  put(dir, 'cifar10/cifar-10-batches-bin/data_batch_3.bin', badLabel);
  await assert.rejects(loadDataset('cifar10', { dataDir: dir, verify: false }), /data_batch_3\.bin: expected labels in 0\.\.9, found 10 in record 2/);
});

test('cifar10 from cifar-10-binary.tar.gz read directly (GNU tar and ustar written here), members in any order', async (t) => {
  const dir = tmp('cifar-tar');
  const src = tmp('cifar-src');
  put(src, 'cifar-10-batches-bin/test_batch.bin', cifarBatch(4, 50));
  put(src, 'cifar-10-batches-bin/readme.html', '<html></html>');
  put(src, 'cifar-10-batches-bin/data_batch_2.bin', cifarBatch(3, 5));
  put(src, 'cifar-10-batches-bin/data_batch_1.bin', cifarBatch(5, 0));
  mkdirSync(join(dir, 'cifar10'));
  try {
    execFileSync('tar', ['-czf', join(dir, 'cifar10/cifar-10-binary.tar.gz'), '-C', src, 'cifar-10-batches-bin'], { stdio: 'ignore' });
  } catch {
    return t.skip('no tar binary');
  }
  for (let pass = 0; pass < 2; pass++) {
    const d = await loadDataset('cifar10', { dataDir: dir, verify: false, validation: 2 });
    assert.deepEqual([d.label, d.train.n, d.valid?.n, d.test.n], ['CIFAR-10 (unverified copy)', 6, 2, 4]);
    expectRows(d.train, 0);
    expectRows(d.valid!, 6);
    expectRows(d.test, 50);
    assert.match(d.notes.join('\n'), /data_batch_3\.bin, data_batch_4\.bin, data_batch_5\.bin missing/);
    put(dir, 'cifar10/cifar-10-binary.tar.gz', gzipSync(ustar([
      { name: 'cifar-10-batches-bin/data_batch_2.bin', data: cifarBatch(3, 5) },
      { name: 'cifar-10-batches-bin/test_batch.bin', data: cifarBatch(4, 50) },
      { name: 'cifar-10-batches-bin/data_batch_1.bin', data: cifarBatch(5, 0) },
    ])));
  }
  await assert.rejects(loadDataset('cifar10', { dataDir: dir }), /cifar-10-binary\.tar\.gz: expected md5 c32a1d4ab5d03f1284b67883e8d87530, found md5 \w+/);
});

test('cifar10 on the staged JPEG-75 copy: labelled by md5, missing batches named, 1000 test images per class', async (t) => {
  const dir = process.env.PARAMPRED_DATA ?? resolve(packageRoot(), '../shared/data');
  if (!existsSync(join(dir, 'cifar10-jpeg75/cifar-10-batches-bin/test_batch.bin'))) return t.skip(`no CIFAR-10 copy in ${dir}`);
  const d = await loadDataset('cifar10', { dataDir: dir, limit: { train: 100 } });
  assert.equal(d.label, 'CIFAR-10 (JPEG-75 copy)');
  assert.equal(d.train.n, 100);
  assert.equal(d.test.n, 10000);
  const counts = new Array(10).fill(0);
  for (const y of d.test.y) counts[y]++;
  assert.deepEqual(counts, new Array(10).fill(1000));
  if (!existsSync(join(dir, 'cifar10-jpeg75/cifar-10-batches-bin/data_batch_2.bin'))) assert.match(d.notes.join('\n'), /data_batch_2\.bin.*missing/);
});
