import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { downloadDataset, downloadFile, sourceUrls, loadDataset, ChecksumError, DownloadError } from './index.js';
import { tmp } from './test_fixtures.js';
import { packageRoot } from '../package_root.js';

const body = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 131 + (i >> 8)) & 255));
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const spec = { bytes: body.length, md5: md5(body), sha256: sha256(body) };
const log: { url: string; range?: string }[] = [];
let cutOnce = true;
const shared = process.env.PARAMPRED_DATA ?? resolve(packageRoot(), '../shared/data');

/** Loopback server: /ok (Range-aware), /bad (one byte flipped), /cut (first response dies half-way), /mirror/<path> (files of the shared data dir), else 404. */
const server: Server = createServer((req, res) => {
  const url = req.url ?? '';
  log.push({ url, range: req.headers.range });
  let data: Buffer | undefined;
  if (url === '/ok/f.bin' || url === '/cut/f.bin') data = body;
  else if (url === '/bad/f.bin') (data = Buffer.from(body))[1234] ^= 0x10;
  else if (url.startsWith('/mirror/') && !url.includes('..')) {
    const p = join(shared, url.slice('/mirror/'.length));
    if (existsSync(p)) data = readFileSync(p);
  }
  if (!data) return res.writeHead(404).end('not found');
  const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  const start = m ? Number(m[1]) : 0;
  if (start >= data.length && m) return res.writeHead(416).end();
  const part = data.subarray(start);
  res.writeHead(m ? 206 : 200, { 'content-length': part.length, ...(m ? { 'content-range': `bytes ${start}-${data.length - 1}/${data.length}` } : {}) });
  if (url === '/cut/f.bin' && cutOnce) {
    cutOnce = false;
    res.write(part.subarray(0, 100_000), () => setTimeout(() => res.destroy(), 20));
    return;
  }
  res.end(part);
});
const ready = new Promise<string>((ok) => server.listen(0, '127.0.0.1', () => ok(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
after(() => server.close());

test('downloadFile: writes through .part, verifies, renames; a verified file is not fetched again; a dead URL falls through to the next', async () => {
  const base = await ready;
  const dest = join(tmp('dl'), 'sub/f.bin');
  const seen: number[] = [];
  assert.equal(await downloadFile([`${base}/missing`, `${base}/ok/f.bin`], dest, spec, { onProgress: (_f, r) => seen.push(r) }), 'downloaded');
  assert.ok(readFileSync(dest).equals(body));
  assert.ok(!existsSync(`${dest}.part`));
  assert.equal(seen[seen.length - 1], body.length);
  const n = log.length;
  assert.equal(await downloadFile([`${base}/ok/f.bin`], dest, spec), 'present');
  assert.equal(log.length, n);
  await assert.rejects(downloadFile([`${base}/missing`], join(tmp('dl'), 'g.bin'), spec), (e) => e instanceof DownloadError && /expected HTTP 200 or 206, got 404/.test(e.message));
});

test('downloadFile: a checksum mismatch throws, naming expected and found, and leaves neither the file nor a .part', async () => {
  const base = await ready;
  const dest = join(tmp('dl-bad'), 'f.bin');
  await assert.rejects(
    downloadFile([`${base}/bad/f.bin`], dest, spec),
    (e) => e instanceof ChecksumError && e.message.includes(`f.bin: expected md5 ${spec.md5}, found md5 ${md5((() => { const b = Buffer.from(body); b[1234] ^= 0x10; return b; })())} in the downloaded file, which was deleted`),
  );
  assert.ok(!existsSync(dest) && !existsSync(`${dest}.part`));
  writeFileSync(dest, 'junk');
  await assert.rejects(downloadFile([`${base}/ok/f.bin`], dest, spec), /expected 300000 bytes, found 4 bytes \(remove the file to download it again\)/);
});

test('downloadFile: an interrupted transfer keeps the .part and the next run resumes it with a Range request', async () => {
  const base = await ready;
  const dest = join(tmp('dl-cut'), 'f.bin');
  await assert.rejects(downloadFile([`${base}/cut/f.bin`], dest, spec), (e) => e instanceof DownloadError && /interrupted after 100000 bytes|expected 300000 bytes, got 100000/.test(e.message));
  assert.ok(!existsSync(dest));
  assert.equal(statSync(`${dest}.part`).size, 100_000);
  const n = log.length;
  assert.equal(await downloadFile([`${base}/cut/f.bin`], dest, spec), 'downloaded');
  assert.deepEqual(log.slice(n), [{ url: '/cut/f.bin', range: 'bytes=100000-' }]);
  assert.ok(readFileSync(dest).equals(body));
  assert.ok(!existsSync(`${dest}.part`));
});

test('downloadDataset through a mirror (PARAMPRED_MIRROR layout = data dir layout): letter and madelon fetched, verified, loadable', async (t) => {
  const base = await ready;
  assert.deepEqual(sourceUrls('letter', `${base}/mirror/`).map((s) => s.urls[0]), [`${base}/mirror/letter-recognition/letter-recognition.data`, `${base}/mirror/letter-recognition/letter-recognition.names`]);
  assert.match(sourceUrls('mnist', '')[0].urls[0], /^https:\/\/.*train-images-idx3-ubyte\.gz$/);
  if (!existsSync(join(shared, 'madelon/madelon_test.data'))) return t.skip(`no letter/madelon in ${shared}`);
  const dir = tmp('dl-mirror');
  process.env.PARAMPRED_MIRROR = `${base}/mirror`;
  try {
    const res = await downloadDataset('madelon', { dataDir: dir });
    assert.deepEqual(res.map((r) => r.status), ['downloaded', 'downloaded', 'downloaded', 'downloaded', 'downloaded']);
  } finally {
    delete process.env.PARAMPRED_MIRROR;
  }
  await downloadDataset('letter', { dataDir: dir, mirror: `${base}/mirror` });
  assert.equal((await loadDataset('madelon', { dataDir: dir })).train.n, 2000);
  assert.equal((await loadDataset('letter', { dataDir: dir })).test.n, 4000);
});
