import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadDataset, DataFormatError } from './index.js';
import { letterCsv, madelonText, put, tmp } from './test_fixtures.js';
import { packageRoot } from '../package_root.js';
import type { Split } from './types.js';

/** Column means ≈ 0 and population stds ≈ 1 (or all-zero for a constant column). */
function assertStandardised(s: Split, d: number): void {
  for (let j = 0; j < d; j++) {
    let m = 0, v = 0;
    for (let i = 0; i < s.n; i++) m += s.x[i * d + j];
    m /= s.n;
    for (let i = 0; i < s.n; i++) v += (s.x[i * d + j] - m) ** 2;
    assert.ok(Math.abs(m) < 1e-5, `mean of feature ${j} = ${m}`);
    assert.ok(Math.abs(Math.sqrt(v / s.n) - 1) < 1e-4 || v === 0, `std of feature ${j} = ${Math.sqrt(v / s.n)}`);
  }
}

test('letter: first 80% train / last 20% test, A–Z → 0..25, standardised with train statistics', async () => {
  const dir = tmp('letter');
  const csv = letterCsv(50);
  put(dir, 'letter-recognition/letter-recognition.data', csv);
  const d = await loadDataset('letter', { dataDir: dir, verify: false, validation: 5 });
  assert.deepEqual([d.inputShape, d.classes, d.train.n, d.valid?.n, d.test.n], [[16], 26, 35, 5, 10]);
  assertStandardised(d.train, 16);
  const rows = csv.trim().split('\n').map((l) => l.split(','));
  // Reference: standardise raw column 3 with the mean/std of the first 35 rows, compare test row 0 (row 40).
  const col = rows.slice(0, 35).map((r) => Number(r[3]));
  const mean = col.reduce((a, b) => a + b, 0) / 35, std = Math.sqrt(col.reduce((a, b) => a + (b - mean) ** 2, 0) / 35);
  assert.ok(Math.abs(d.test.x[2] - (Number(rows[40][3]) - mean) / std) < 1e-5);
  assert.deepEqual([d.train.y[0], d.train.y[27], d.valid!.y[0], d.test.y[9]], [0, 1, 35 % 26, 49 % 26]);
  put(dir, 'letter-recognition/letter-recognition.data', csv.replace(/\n(.*)\n$/, '\nA,1,2\n'));
  await assert.rejects(loadDataset('letter', { dataDir: dir, verify: false }), (e) => e instanceof DataFormatError && /letter-recognition\.data: expected 17 comma-separated fields on line 50, found 3/.test(e.message));
  put(dir, 'letter-recognition/letter-recognition.data', 'a,' + csv.slice(2));
  await assert.rejects(loadDataset('letter', { dataDir: dir, verify: false }), /expected a class letter A–Z on line 1, found "a"/);
  put(dir, 'letter-recognition/letter-recognition.data', csv.replace(/^A,0,/, 'A,16,'));
  await assert.rejects(loadDataset('letter', { dataDir: dir, verify: false }), /expected an integer in 0\.\.15 at line 1 field 2, found 16/);
});

test('madelon: train file → train, official valid split → test, ±1 → 1/0, standardised with train statistics', async () => {
  const dir = tmp('madelon');
  const tr = madelonText(30), va = madelonText(8, 500, 100);
  put(dir, 'madelon/madelon_train.data', tr.data);
  put(dir, 'madelon/madelon_train.labels', tr.labels);
  put(dir, 'madelon/madelon_valid.data', va.data);
  put(dir, 'madelon/madelon_valid.labels', va.labels);
  const d = await loadDataset('madelon', { dataDir: dir, verify: false, limit: { train: 20, test: 6 } });
  assert.deepEqual([d.inputShape, d.classes, d.train.n, d.valid, d.test.n], [[500], 2, 20, undefined, 6]);
  assertStandardised(d.train, 500);
  assert.deepEqual(Array.from(d.train.y.slice(0, 4)), [0, 1, 0, 1]);
  assert.match(d.notes.join('\n'), /test = the official validation split/);
  put(dir, 'madelon/madelon_valid.labels', va.labels.replace(/\n$/, '\n1\n'));
  await assert.rejects(loadDataset('madelon', { dataDir: dir, verify: false }), /madelon_valid\.labels: expected 8 labels \(one per row of .*madelon_valid\.data\), found 9/);
  put(dir, 'madelon/madelon_valid.labels', va.labels.replace('-1', '0'));
  await assert.rejects(loadDataset('madelon', { dataDir: dir, verify: false }), /expected a label 1 or -1 on line 1, found "0"/);
  put(dir, 'madelon/madelon_train.data', tr.data.replace(' \n', '  \n'));
  await assert.rejects(loadDataset('madelon', { dataDir: dir, verify: false }), /madelon_train\.data: expected 500 space-separated values on line 1, found 501/);
});

test('letter and madelon on the real files: row counts and checksums', async (t) => {
  const dir = process.env.PARAMPRED_DATA ?? resolve(packageRoot(), '../shared/data');
  if (!existsSync(join(dir, 'madelon/madelon_train.data')) || !existsSync(join(dir, 'letter-recognition/letter-recognition.data'))) return t.skip(`no letter/madelon in ${dir}`);
  const l = await loadDataset('letter', { dataDir: dir });
  assert.deepEqual([l.train.n, l.test.n, l.train.y[0]], [16000, 4000, 'T'.charCodeAt(0) - 65]);
  const m = await loadDataset('madelon', { dataDir: dir });
  assert.deepEqual([m.train.n, m.test.n], [2000, 600]);
  assert.equal(m.train.y.reduce((a, b) => a + b, 0), 1000);
});
