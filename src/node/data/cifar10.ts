/**
 * CIFAR-10 (Krizhevsky 2009): 50000 + 10000 colour 32×32 images, 10 classes, binary layout: records of
 * 1 label byte + 3072 pixel bytes (R, G, B planes, each 32×32 row-major); inputShape [32, 32, 3] NHWC,
 * pixels x/255. Read from, in this order of preference: cifar10/cifar-10-batches-bin/*.bin (official),
 * cifar10/cifar-10-binary.tar.gz (official archive, streamed through zlib + the ustar reader), or
 * cifar10-jpeg75/cifar-10-batches-bin/*.bin (the JPEG-75 re-encoded copy, labelled as such). Works with
 * whichever data batches are present and lists the missing ones in `notes`.
 */
import { join } from 'node:path';
import { ByteReader } from './byte_reader.js';
import { fileSize } from './checksums.js';
import { ChecksumError, DataFormatError, DataMissingError } from './errors.js';
import { hashFile } from './hash.js';
import { planTest, planTrain } from './rows.js';
import { fileChunks, gunzipChunks } from './source.js';
import { baseName, walkTar } from './tar.js';
import type { Dataset, DatasetSpec, FileSpec, LoadContext, Split } from './types.js';

const FN = 'loadDataset(cifar10)';
const RECORD = 3073;
const PIXELS = 3072;
const PER_BATCH = 10000;
const BATCH_BYTES = RECORD * PER_BATCH;
const TRAIN = ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'];
const TEST = 'test_batch.bin';
const BATCHES = [...TRAIN, TEST];

/** Official files' git blob ids (README: as committed in JWang-AI/HCO_CNN_Cifar10). */
const OFFICIAL_GIT: Record<string, string> = {
  'data_batch_1.bin': 'da09f891072747be90e69e4f00ba7cba870dc87e',
  'data_batch_2.bin': '7e958840b7a55df3353574298ebc9ca0e4bba48e',
  'data_batch_3.bin': '5259a3e9674ffdf2d5c33a1067f7192ff06c9e2f',
  'data_batch_4.bin': '301e7d16d78428f13262e87a5bc78ed45b8224aa',
  'data_batch_5.bin': '51fe428dfbdd065852912743ae8b7b63bb1e9d8d',
  'test_batch.bin': 'e3f3b4653f18f27ada1558cabc3352a3ed1b25cc',
  'batches.meta.txt': 'cc82768074b9031bc26f480af98f94d9e9411bce',
};
/** md5 of the JPEG quality-75 copy in shared/data/cifar10-jpeg75. */
const JPEG_MD5: Record<string, string> = {
  'data_batch_1.bin': '6ad7f56bb59ab2308bbeb7b18c4079d5',
  'data_batch_2.bin': '356cdc848eecbb3a47bfaadefbcc3610',
  'data_batch_3.bin': 'd583a58e123e13f4f0d0dd8c5ab354d2',
  'data_batch_4.bin': '83241b16af3387fe828ad82b8c199474',
  'data_batch_5.bin': '228866e3dcb3ce9d36cb7690dfeb7015',
  'test_batch.bin': 'df33a5bde2d32d0a7baeba4c28f36982',
  'batches.meta.txt': '40a0b180e208fe03a63ecc891b2555ad',
};
const TAR: FileSpec = { path: 'cifar10/cifar-10-binary.tar.gz', bytes: 170052171, md5: 'c32a1d4ab5d03f1284b67883e8d87530' };
const OFFICIAL_DIR = 'cifar10/cifar-10-batches-bin';
const JPEG_DIR = 'cifar10-jpeg75/cifar-10-batches-bin';

export const CIFAR10_LABEL = 'CIFAR-10';
export const CIFAR10_JPEG_LABEL = 'CIFAR-10 (JPEG-75 copy)';
export const CIFAR10_UNVERIFIED_LABEL = 'CIFAR-10 (unverified copy)';

/** Which copy a file's checksums identify. */
export type Copy = 'official' | 'jpeg' | 'unknown';
/** One batch file read into memory. */
export interface Batch {
  name: string;
  file: string;
  data: Buffer;
  copy: Copy;
}

/** Checks a batch's size (a whole number of records, at most 10000) and its labels (0..9). */
export function checkBatch(data: Buffer, file: string): number {
  if (data.length === 0 || data.length % RECORD !== 0 || data.length > BATCH_BYTES) {
    throw new DataFormatError(FN, file, `a whole number (1..${PER_BATCH}) of ${RECORD}-byte records (${BATCH_BYTES} bytes for an official batch)`, `${data.length} bytes`);
  }
  const n = data.length / RECORD;
  for (let i = 0; i < n; i++) {
    const l = data[i * RECORD];
    if (l > 9) throw new DataFormatError(FN, file, 'labels in 0..9', `${l} in record ${i}`);
  }
  return n;
}

/** Rows [s, e) of the concatenated batches as a Split: NHWC floats x/255 from the R, G, B planes. */
export function cifarRows(batches: Buffer[], s: number, e: number): Split {
  const n = e - s;
  const x = new Float32Array(n * PIXELS), y = new Int32Array(n);
  let b = 0, base = 0;
  for (let r = s; r < e; r++) {
    while (r - base >= batches[b].length / RECORD) base += batches[b++].length / RECORD;
    const off = (r - base) * RECORD;
    const rec = batches[b];
    const o = (r - s) * PIXELS;
    y[r - s] = rec[off];
    for (let p = 0; p < 1024; p++) {
      x[o + 3 * p] = rec[off + 1 + p] / 255;
      x[o + 3 * p + 1] = rec[off + 1025 + p] / 255;
      x[o + 3 * p + 2] = rec[off + 2049 + p] / 255;
    }
  }
  return { x, y, n };
}

async function classify(path: string, name: string): Promise<{ copy: Copy; md5: string; git: string }> {
  const h = await hashFile(path, ['md5', 'gitSha1']);
  const copy: Copy = h.gitSha1 === OFFICIAL_GIT[name] ? 'official' : h.md5 === JPEG_MD5[name] ? 'jpeg' : 'unknown';
  return { copy, md5: h.md5!, git: h.gitSha1! };
}

async function fromDir(dir: string, verify: boolean): Promise<Batch[]> {
  const out: Batch[] = [];
  for (const name of BATCHES) {
    const file = join(dir, name);
    if ((await fileSize(file)) === undefined) continue;
    const { copy, md5, git } = await classify(file, name);
    if (copy === 'unknown' && verify) {
      throw new ChecksumError(FN, file, `git blob ${OFFICIAL_GIT[name]} (official) or md5 ${JPEG_MD5[name]} (JPEG-75 copy)`, `git blob ${git}, md5 ${md5}`);
    }
    const reader = new ByteReader(fileChunks(file));
    try {
      const data = await reader.read(BATCH_BYTES + 1);
      out.push({ name, file, data, copy });
    } finally {
      await reader.close();
    }
  }
  return out;
}

/** Batches from a cifar-10-binary.tar.gz stream (members matched by base name, any order). */
export async function cifarFromTar(src: AsyncIterable<Uint8Array>, file: string, copy: Copy, gzip = true): Promise<Batch[]> {
  const out: Batch[] = [];
  const reader = new ByteReader(gzip ? gunzipChunks(src, FN, file) : src);
  try {
    await walkTar(reader, FN, file, async (e, body) => {
      const name = baseName(e.name);
      if (e.type !== '0' || !BATCHES.includes(name)) return;
      const member = `${file}:${e.name}`;
      if (e.size > BATCH_BYTES || e.size % RECORD !== 0) throw new DataFormatError(FN, member, `a whole number (1..${PER_BATCH}) of ${RECORD}-byte records`, `${e.size} bytes`);
      out.push({ name, file: member, data: await body.read(e.size), copy });
    });
  } finally {
    await reader.close();
  }
  return out;
}

async function load(ctx: LoadContext): Promise<Dataset> {
  const officialDir = join(ctx.dataDir, OFFICIAL_DIR), jpegDir = join(ctx.dataDir, JPEG_DIR), tar = join(ctx.dataDir, TAR.path);
  const has = async (dir: string) => (await Promise.all(BATCHES.map((b) => fileSize(join(dir, b))))).some((s) => s !== undefined);
  let batches: Batch[];
  let source: string;
  if (await has(officialDir)) [batches, source] = [await fromDir(officialDir, ctx.verify), officialDir];
  else if ((await fileSize(tar)) !== undefined) {
    const md5 = (await hashFile(tar, ['md5'])).md5!;
    if (md5 !== TAR.md5 && ctx.verify) throw new ChecksumError(FN, tar, `md5 ${TAR.md5}`, `md5 ${md5}`);
    [batches, source] = [await cifarFromTar(fileChunks(tar), tar, md5 === TAR.md5 ? 'official' : 'unknown'), tar];
  } else if (await has(jpegDir)) [batches, source] = [await fromDir(jpegDir, ctx.verify), jpegDir];
  else throw new DataMissingError(FN, 'cifar10', [officialDir, tar, jpegDir].map((p) => `${p}${p === tar ? '' : '/{data_batch_1..5,test_batch}.bin'}`));

  const copies = new Set(batches.map((b) => b.copy));
  if (copies.size > 1 && ctx.verify) throw new ChecksumError(FN, source, 'all batches from one copy (official or JPEG-75)', `a mix: ${batches.map((b) => `${b.name} ${b.copy}`).join(', ')}`);
  const label = copies.size === 1 && copies.has('official') ? CIFAR10_LABEL : copies.size === 1 && copies.has('jpeg') ? CIFAR10_JPEG_LABEL : CIFAR10_UNVERIFIED_LABEL;

  const test = batches.find((b) => b.name === TEST);
  const train = TRAIN.map((n) => batches.find((b) => b.name === n)).filter((b): b is Batch => b !== undefined);
  if (!test || train.length === 0) throw new DataMissingError(FN, 'cifar10', [test ? `${source}/data_batch_1..5.bin` : `${source}/${TEST}`]);
  const notes: string[] = [];
  const missing = TRAIN.filter((n) => !train.some((b) => b.name === n));

  if (label === CIFAR10_JPEG_LABEL) notes.push('pixels decoded from a JPEG quality-75 re-encoding; record order is not the official one');
  if (label === CIFAR10_UNVERIFIED_LABEL) notes.push('checksums match neither the official files nor the JPEG-75 copy');

  const trainN = train.reduce((a, b) => a + checkBatch(b.data, b.file), 0);
  const testN = checkBatch(test.data, test.file);
  if (missing.length) notes.push(`${missing.join(', ')} missing from ${source}: train has ${trainN} rows instead of 50000`);
  const plan = planTrain(trainN, ctx.limitTrain, ctx.validation, FN);
  const tr = train.map((b) => b.data);
  const valid = plan.valid ? cifarRows(tr, ...plan.valid) : undefined;
  return {
    name: 'cifar10',
    label,
    inputShape: [32, 32, 3],
    classes: 10,
    train: cifarRows(tr, ...plan.train),
    test: cifarRows([test.data], ...planTest(testN, ctx.limitTest)),
    ...(valid ? { valid } : {}),
    notes,
    files: source === tar ? [tar] : batches.map((b) => b.file),
  };
}

const dirLayout = (folder: string, copy: 'official' | 'jpeg'): FileSpec[] =>
  [...BATCHES, 'batches.meta.txt'].map((n) => ({
    path: `${folder}/${n}`,
    bytes: n === 'batches.meta.txt' ? (copy === 'official' ? 61 : 60) : BATCH_BYTES,
    ...(copy === 'official' ? { gitSha1: OFFICIAL_GIT[n] } : { md5: JPEG_MD5[n] }),
    ...(n === 'batches.meta.txt' ? { optional: true } : {}),
  }));

export const cifar10: DatasetSpec = {
  name: 'cifar10',
  label: CIFAR10_LABEL,
  folder: 'cifar10',
  inputShape: [32, 32, 3],
  classes: 10,
  description: '60000 colour 32×32 images in 10 classes, 50000 train + 10000 test (Krizhevsky 2009)',
  layouts: [
    { id: 'official-bin', description: 'official binary batches', files: dirLayout(OFFICIAL_DIR, 'official') },
    { id: 'official-tar', description: 'official cifar-10-binary.tar.gz, read directly', files: [TAR] },
    { id: 'jpeg75', description: 'JPEG-75 re-encoded copy in the official binary layout (label "CIFAR-10 (JPEG-75 copy)")', files: dirLayout(JPEG_DIR, 'jpeg') },
  ],
  downloads: [{ ...TAR, urls: ['https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz'] }],
  load,
};
