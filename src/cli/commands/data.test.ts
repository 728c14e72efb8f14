import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import register, { dataList, dataVerify } from './data.js';
import { resolveDataDir } from '../../node/data/data_dir.js';
import { letterCsv, put, tmp } from '../../node/data/test_fixtures.js';

test('data verify: a mismatching file is named with expected and found values, and the command exits 1', async () => {
  const dir = tmp('cli');
  put(dir, 'letter-recognition/letter-recognition.data', letterCsv(20));
  const r = await dataVerify('letter', dir);
  assert.equal(r.ok, false);
  assert.match(r.text, /letter: MISMATCH .*letter-recognition\.data: expected 712565 bytes, found \d+ bytes/);
  assert.match(r.text, /letter: missing {2}.*letter-recognition\.names/);
  assert.equal((await dataVerify('mnist', dir)).ok, false);
  assert.equal((await dataVerify(undefined, tmp('cli-empty'))).ok, true);
  await assert.rejects(dataVerify('nope', dir), /data verify: expected dataset to be one of "mnist", .*got "nope"/);
  const program = new Command().exitOverride();
  register(program);
  const log = console.log;
  const lines: string[] = [];
  console.log = (s: string) => void lines.push(s);
  try {
    await program.parseAsync(['data', 'verify', 'letter', '--data-dir', dir], { from: 'user' });
    assert.equal(process.exitCode, 1);
    await program.parseAsync(['data', 'list', '--data-dir', dir], { from: 'user' });
  } finally {
    console.log = log;
    process.exitCode = 0;
  }
  assert.match(lines[1], new RegExp(`data directory: ${dir}`));
  assert.match(lines[1], /letter\s+Letter Recognition \(UCI\)\s+1 file\(s\), 0\.0 MB\n {2}\[csv\] UCI CSV: 1\/2 present\n {4}ok {6}letter-recognition\/letter-recognition\.data {2}\d+ bytes\n {4}missing letter-recognition\/letter-recognition\.names {2}\(optional\)/);
  assert.match(await dataList(dir), /stl10\s+STL-10\s+not present/);
});

test('resolveDataDir: --data-dir flag, else PARAMPRED_DATA, else ./data', () => {
  const saved = process.env.PARAMPRED_DATA;
  try {
    process.env.PARAMPRED_DATA = '/x/env';
    assert.equal(resolveDataDir('/x/flag'), '/x/flag');
    assert.equal(resolveDataDir(), '/x/env');
    delete process.env.PARAMPRED_DATA;
    assert.equal(resolveDataDir(), `${process.cwd()}/data`);
    assert.equal(resolveDataDir('rel'), `${process.cwd()}/rel`);
  } finally {
    if (saved === undefined) delete process.env.PARAMPRED_DATA;
    else process.env.PARAMPRED_DATA = saved;
  }
});
