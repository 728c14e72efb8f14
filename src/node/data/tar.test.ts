import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ByteReader } from './byte_reader.js';
import { DataFormatError } from './errors.js';
import { walkTar, type TarEntry } from './tar.js';
import { put, tmp, ustar } from './test_fixtures.js';

async function members(buf: Buffer, chunk = 1000): Promise<{ e: TarEntry; data: Buffer }[]> {
  const out: { e: TarEntry; data: Buffer }[] = [];
  async function* src() {
    for (let i = 0; i < buf.length; i += chunk) yield buf.subarray(i, i + chunk);
  }
  await walkTar(new ByteReader(src()), 'test', 'a.tar', async (e, body) => {
    out.push({ e, data: e.name.endsWith('skip') ? Buffer.alloc(0) : await body.read(e.size) });
  });
  return out;
}

const bytes = (n: number, k: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 7 + k) & 255));

test('walkTar reads a GNU tar archive (long names, directory, sizes 0/511/512/513, unread bodies skipped)', async (t) => {
  const dir = tmp('tar');
  const long = 'd/' + 'x'.repeat(120) + '/file.bin';
  const files: [string, Buffer][] = [['d/empty', bytes(0, 0)], ['d/a', bytes(511, 1)], ['d/b', bytes(512, 2)], ['d/c.skip', bytes(700, 9)], ['d/c', bytes(513, 3)], [long, bytes(2000, 4)]];
  for (const [n, b] of files) put(dir, n, b);
  try {
    execFileSync('tar', ['--format=gnu', '-cf', join(dir, 'x.tar'), '-C', dir, 'd', ...files.map(([n]) => n)]);
  } catch {
    return t.skip('no tar binary');
  }
  for (const chunk of [1, 97, 1 << 16]) {
    const got = await members(readFileSync(join(dir, 'x.tar')), chunk);
    const regular = got.filter((m) => m.e.type === '0');
    assert.deepEqual(regular.map((m) => m.e.name).sort(), files.map(([n]) => n).sort());
    for (const [n, b] of files) if (!n.endsWith('skip')) assert.ok(regular.find((m) => m.e.name === n)!.data.equals(b), n);
    assert.ok(got.some((m) => m.e.type === '5' && m.e.name === 'd/'));
  }
});

test('walkTar reads POSIX ustar (written by the test) and rejects a bad checksum, bad magic and truncation with DataFormatError', async () => {
  const tar = ustar([{ name: 'p/one', data: bytes(100, 5) }, { name: 'p/two', data: bytes(1024, 6) }]);
  const got = await members(tar);
  assert.deepEqual(got.map((m) => [m.e.name, m.data.length]), [['p/one', 100], ['p/two', 1024]]);
  assert.ok(got[1].data.equals(bytes(1024, 6)));
  const bad = Buffer.from(tar);
  bad[10] ^= 1;
  await assert.rejects(members(bad), (e) => e instanceof DataFormatError && /a\.tar: expected tar header checksum \d+ at offset 0, found \d+/.test(e.message));
  const magic = Buffer.from(tar);
  magic.write('ustaX', 257);
  await assert.rejects(members(magic), /expected ustar magic at offset 257/);
  await assert.rejects(members(tar.subarray(0, 512 + 50)), /a\.tar:p\/one: expected 100 bytes of tar member data, found the archive ending after 50/);
  await assert.rejects(members(tar.subarray(0, 512 + 512 + 300)), /a\.tar: expected a 512-byte tar header at offset 1024, found 300 bytes \(truncated\)/);
  await assert.rejects(members(Buffer.alloc(1024)), /expected at least one tar member, found an empty archive/);
});
