/**
 * Fuzzing every parser with ≥ 10,000 mutated or random inputs each (bit flips, truncation, extension,
 * random headers, overwritten u32 fields, spliced ranges, pure noise), fed in random chunk sizes: each
 * input must parse or throw a ParampredError (DataFormatError) — never another error, never a hang.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { ParampredError } from '../../core/errors.js';
import { rng, type Rng } from '../../core/rng.js';
import { ByteReader } from './byte_reader.js';
import { checkBatch, cifarFromTar } from './cifar10.js';
import { readIdx } from './idx.js';
import { MNIST_IMAGES, MNIST_LABELS } from './mnist.js';
import { gunzipChunks } from './source.js';
import { stlFromTar, type StlPart } from './stl10.js';
import { parseLetter, parseMadelonData, parseMadelonLabels } from './tabular.js';
import { walkTar } from './tar.js';
import { cifarBatch, letterCsv, madelonText, mnistPair, stlX, stlY, ustar } from './test_fixtures.js';

const N = 10_000;
const INTERESTING = [0, 1, 0x7f, 0x80, 0xff, 0x801, 0x803, 28, 60000, 60001, 0x7fffffff, 0xffffffff];

function mutate(r: Rng, seed: Buffer): Buffer {
  const b = Buffer.from(seed);
  switch (r.int(8)) {
    case 0: { // bit flips
      for (let k = 1 + r.int(8); k > 0 && b.length; k--) b[r.int(b.length)] ^= 1 << r.int(8);
      return b;
    }
    case 1: return b.subarray(0, r.int(b.length + 1)); // truncation
    case 2: return Buffer.concat([b, Buffer.from(Array.from({ length: 1 + r.int(600) }, () => r.int(256)))]); // extension
    case 3: { // random header
      for (let i = 0, n = Math.min(b.length, 1 + r.int(40)); i < n; i++) b[i] = r.int(256);
      return b;
    }
    case 4: { // an interesting u32 at an aligned offset in the first 600 bytes
      if (b.length >= 4) b.writeUInt32BE(INTERESTING[r.int(INTERESTING.length)], 4 * r.int(Math.min(150, b.length >> 2)));
      return b;
    }
    case 5: { // splice: delete or duplicate a range
      const s = r.int(b.length + 1), e = s + r.int(b.length - s + 1);
      return r.uniform() < 0.5 ? Buffer.concat([b.subarray(0, s), b.subarray(e)]) : Buffer.concat([b.subarray(0, e), b.subarray(s)]);
    }
    case 6: { // a byte replaced by a printable/separator character (text formats)
      for (let k = 1 + r.int(3); k > 0 && b.length; k--) b[r.int(b.length)] = ' ,-\n\r0159AZaz\0'.charCodeAt(r.int(15));
      return b;
    }
    default: return Buffer.from(Array.from({ length: r.int(700) }, () => r.int(256))); // noise
  }
}

async function* chunks(r: Rng, b: Buffer): AsyncGenerator<Buffer> {
  const max = r.uniform() < 0.8 ? b.length : 1 + r.int(2048); // mostly whole, sometimes split at random points
  for (let i = 0; i < b.length; ) {
    const k = 1 + r.int(max);
    yield b.subarray(i, i + k);
    i += k;
  }
}

/** Runs `parse` on N mutants of the seeds; returns how many parsed cleanly. Any error other than ParampredError fails. */
async function fuzz(name: string, seeds: Buffer[], parse: (b: Buffer, r: Rng) => Promise<unknown> | unknown, n = N): Promise<number> {
  const r = rng(20240501).fork(name);
  const t0 = Date.now(), c0 = process.cpuUsage();
  let ok = 0;
  for (let i = 0; i < n; i++) {
    const input = i < seeds.length ? seeds[i] : mutate(r, seeds[r.int(seeds.length)]);
    try {
      await parse(input, r);
      ok++;
    } catch (e) {
      if (!(e instanceof ParampredError)) assert.fail(`${name} input ${i} (${input.length} bytes, first ${input.subarray(0, 24).toString('hex')}): ${(e as Error).stack}`);
    }
  }
  assert.ok(ok >= seeds.length, `${name}: the unmutated seeds must parse`);
  if (process.env.FUZZ_VERBOSE) console.log(`${name}: ${n} inputs, ${ok} parsed, ${Date.now() - t0} ms wall, ${Math.round(process.cpuUsage(c0).user / 1000)} ms cpu`);
  return ok;
}

test('fuzz: IDX raw and gzipped (MNIST images and labels)', { timeout: 60_000 }, async () => {
  const a = mnistPair(3), b = mnistPair(1, 5);
  const seeds = [a.images, a.labels, b.images, b.labels];
  const parseRaw = async (buf: Buffer, r: Rng) => {
    const expect = buf[3] === 1 ? MNIST_LABELS : MNIST_IMAGES;
    return readIdx(new ByteReader(chunks(r, buf)), 'fuzz', 'f', expect, r.uniform() < 0.5 ? buf.length : undefined);
  };
  await fuzz('idx', seeds, parseRaw);
  // The gzip wrapper (zlib's errors → DataFormatError) around the same IDX parser: 2,000 inputs, as each
  // costs a zlib stream; the IDX parser itself got its 10,000 above.
  const gzSeeds = seeds.map((s) => gzipSync(s, { level: 1 }));
  await fuzz('idx.gz', gzSeeds, async (buf, r) => {
    const reader = new ByteReader(gunzipChunks(chunks(r, buf), 'fuzz', 'f.gz'));
    try {
      return await readIdx(reader, 'fuzz', 'f.gz', r.uniform() < 0.5 ? MNIST_IMAGES : MNIST_LABELS);
    } finally {
      await reader.close();
    }
  }, 2_000);
});

test('fuzz: tar reader, CIFAR-10 batches inside a tar, STL-10 members inside a tar', { timeout: 60_000 }, async () => {
  const small = ustar([{ name: 'a/b', data: Buffer.from('hello') }, { name: 'a/c', data: Buffer.alloc(600, 7) }]);
  await fuzz('tar', [small], (buf, r) => walkTar(new ByteReader(chunks(r, buf)), 'fuzz', 't', async (e, body) => void (await body.read(r.int(e.size + 1)))));
  const cifar = ustar([{ name: 'cifar-10-batches-bin/data_batch_1.bin', data: cifarBatch(2, 0) }, { name: 'cifar-10-batches-bin/test_batch.bin', data: cifarBatch(1, 3) }]);
  await fuzz('cifar-tar', [cifar], async (buf, r) => {
    for (const b of await cifarFromTar(chunks(r, buf), 'c.tar', 'unknown', false)) checkBatch(b.data, b.file);
  });
  const stl = ustar([{ name: 'stl10_binary/train_X.bin', data: stlX(1, 0) }, { name: 'stl10_binary/train_y.bin', data: stlY(1, 0) }]);
  await fuzz('stl-tar', [stl], async (buf, r) => {
    const parts: Record<'train' | 'test', StlPart> = { train: { n: 0 }, test: { n: 0 } };
    // Converting a whole 96×96 image costs more than parsing; convert on a quarter of the inputs, skip otherwise.
    const convert = r.uniform() < 0.25;
    await stlFromTar(chunks(r, buf), 's.tar', parts, (_w, n) => [[0, convert ? n : 0]], false);
  });
});

test('fuzz: Letter CSV and MADELON data / labels', { timeout: 60_000 }, async () => {
  await fuzz('letter', [Buffer.from(letterCsv(6))], (b) => parseLetter(b, 'fuzz', 'l'));
  const m = madelonText(2);
  await fuzz('madelon-data', [Buffer.from(m.data)], (b) => parseMadelonData(b, 500, 'fuzz', 'm'));
  await fuzz('madelon-labels', [Buffer.from(m.labels), Buffer.from('1\n-1\n1\n')], (b) => parseMadelonLabels(b, 'fuzz', 'ml'));
});
