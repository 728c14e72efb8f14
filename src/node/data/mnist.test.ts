import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadDataset, ChecksumError, DataFormatError, DataMissingError } from './index.js';
import { idx, mnistPair, pix, put, tmp, writeMnist } from './test_fixtures.js';
import { packageRoot } from '../package_root.js';

for (const gz of [true, false]) {
  test(`mnist fixture (${gz ? 'gz' : 'raw'}): NHWC pixels x/255, labels, limit and validation hold-out`, async () => {
    const dir = tmp('mnist');
    writeMnist(dir, 50, 20, gz);
    const d = await loadDataset('mnist', { dataDir: dir, verify: false, validation: 10, limit: { train: 30, test: 5 } });
    assert.deepEqual([d.label, d.inputShape, d.classes, d.train.n, d.valid?.n, d.test.n], ['MNIST', [28, 28, 1], 10, 30, 10, 5]);
    assert.equal(d.train.x.length, 30 * 784);
    for (const [s, split, k] of [[0, d.train, 0], [40, d.valid!, 0], [0, d.test, 1000]] as const) {
      for (let i = 0; i < split.n; i += 3) {
        assert.equal(split.y[i], ((s + i) * 3 + k) % 10);
        for (const [r, c] of [[0, 0], [5, 17], [27, 27]]) assert.equal(split.x[i * 784 + r * 28 + c], Math.fround(pix(s + i + k, r, c, 0) / 255));
      }
    }
  });
}

test('mnist: wrong magic, truncated data, count mismatch and a bad label are DataFormatErrors naming the file', async () => {
  const dir = tmp('mnist-bad');
  writeMnist(dir, 8, 4);
  const f = join(dir, 'mnist/train-images-idx3-ubyte.gz');
  const good = mnistPair(8);
  writeFileSync(f, gzipSync(idx(2049, [8, 28, 28], good.images.subarray(16))));
  await assert.rejects(loadDataset('mnist', { dataDir: dir, verify: false }), (e) => e instanceof DataFormatError && /train-images-idx3-ubyte\.gz: expected IDX magic 2051.*found 2049/.test(e.message));
  writeFileSync(f, gzipSync(good.images.subarray(0, 16 + 784 * 5)));
  await assert.rejects(loadDataset('mnist', { dataDir: dir, verify: false }), /train-images-idx3-ubyte\.gz: expected 6288 bytes \(8 items of 784\), found the data ending after 3936 bytes \(truncated\)/);
  writeFileSync(f, gzipSync(mnistPair(7).images));
  await assert.rejects(loadDataset('mnist', { dataDir: dir, verify: false }), /expected 8 images \(as many as .*train-labels-idx1-ubyte\.gz has labels\), found 7/);
  writeFileSync(f, gzipSync(good.images).subarray(0, 500));
  await assert.rejects(loadDataset('mnist', { dataDir: dir, verify: false }), (e) => e instanceof DataFormatError && /expected valid gzip data, found unexpected end of file/.test(e.message));
  writeFileSync(f, gzipSync(good.images));
  const lb = Buffer.from(good.labels);
  lb[8 + 3] = 10;
  writeFileSync(join(dir, 'mnist/train-labels-idx1-ubyte.gz'), gzipSync(lb));
  await assert.rejects(loadDataset('mnist', { dataDir: dir, verify: false }), /expected labels in 0\.\.9, found 10 at item 3/);
});

test('mnist: raw file of the wrong size is rejected from its header; checksum mismatch with verify; missing files name the download command', async () => {
  const dir = tmp('mnist-raw');
  writeMnist(dir, 6, 3, false);
  put(dir, 'mnist/t10k-images-idx3-ubyte', Buffer.concat([mnistPair(3, 1000).images, Buffer.from([1])]));
  await assert.rejects(loadDataset('mnist', { dataDir: dir, verify: false }), /t10k-images-idx3-ubyte: expected 2368 bytes \(16 header \+ 3 × 784\), found 2369 bytes/);
  await assert.rejects(loadDataset('mnist', { dataDir: dir }), (e) => e instanceof ChecksumError && /train-images-idx3-ubyte: expected 47040016 bytes, found 4720 bytes/.test(e.message));
  await assert.rejects(loadDataset('mnist', { dataDir: tmp('empty') }), (e) => e instanceof DataMissingError && /parampred data download mnist/.test(e.message));
  await assert.rejects(loadDataset('mnist', { dataDir: dir, verify: false, validation: 6 }), /expected validation < the 6 train rows, got 6/);
  await assert.rejects(loadDataset('mnist', { dataDir: dir, limit: { train: -1 } }), /expected limit\.train to be an integer ≥ 0, got -1/);
  await assert.rejects(loadDataset('nope'), /expected dataset to be one of "mnist", "cifar10", "stl10", "letter", "madelon", got "nope"/);
});

test('mnist on the real files (PARAMPRED_DATA, default ../shared/data): 60000/10000, first train label 5, checksums match', async (t) => {
  const dir = process.env.PARAMPRED_DATA ?? resolve(packageRoot(), '../shared/data');
  if (!existsSync(join(dir, 'mnist/train-images-idx3-ubyte.gz'))) return t.skip(`no MNIST in ${dir}`);
  const d = await loadDataset('mnist', { dataDir: dir }); // verify: true checks sizes, md5 and sha256
  assert.deepEqual([d.train.n, d.test.n, d.train.y[0], d.test.y[0]], [60000, 10000, 5, 7]);
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < d.train.x.length; i += 97) [lo, hi] = [Math.min(lo, d.train.x[i]), Math.max(hi, d.train.x[i])];
  assert.deepEqual([lo, hi], [0, 1]);
  const counts = new Array(10).fill(0);
  for (const y of d.test.y) counts[y]++;
  assert.deepEqual(counts, [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
});
