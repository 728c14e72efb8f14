/**
 * STL-10 (Coates, Lee & Ng 2011): 5000 + 8000 labelled colour 96×96 images, 10 classes. Binary files:
 * *_X.bin holds uint8 images of 3×96×96, each channel plane column-major (byte c·9216 + col·96 + row);
 * *_y.bin holds one label byte 1..10 per image. Read from stl10/stl10_binary/*.bin, or streamed straight
 * out of stl10/stl10_binary.tar.gz. inputShape [96, 96, 3] NHWC, pixels x/255, labels y − 1.
 */
import { join } from 'node:path';
import { ByteReader } from './byte_reader.js';
import { fileSize, requireChecksums } from './checksums.js';
import { ChecksumError, DataFormatError, DataMissingError } from './errors.js';
import { hashFile } from './hash.js';
import { checkLabels, labels, planRanges, planTest, planTrain } from './rows.js';
import { fileChunks, gunzipChunks } from './source.js';
import { baseName, walkTar } from './tar.js';
import type { Dataset, DatasetSpec, FileSpec, LoadContext, Split } from './types.js';

const FN = 'loadDataset(stl10)';
const SIDE = 96;
const PLANE = SIDE * SIDE;
const IMAGE = 3 * PLANE;
const MAX = { train: 5000, test: 8000 };
const BIN = 'stl10/stl10_binary';
const FILES: Record<'train_X' | 'train_y' | 'test_X' | 'test_y', FileSpec> = {
  train_X: { path: `${BIN}/train_X.bin`, bytes: MAX.train * IMAGE, md5: '918c2871b30a85fa023e0c44e0bee87f' },
  train_y: { path: `${BIN}/train_y.bin`, bytes: MAX.train, md5: '5a34089d4802c674881badbb80307741' },
  test_X: { path: `${BIN}/test_X.bin`, bytes: MAX.test * IMAGE, md5: '7f263ba9f9e0b06b93213547f721ac82' },
  test_y: { path: `${BIN}/test_y.bin`, bytes: MAX.test, md5: '36f9794fa4beb8a2c72628de14fa638e' },
};
const TAR: FileSpec = { path: 'stl10/stl10_binary.tar.gz', md5: '91f7769df0f17e558f3565bffb0c7dfb' };

const SCALE = Float32Array.from({ length: 256 }, (_, v) => v / 255);

/** Converts whole images from the column-major CHW layout to NHWC floats x/255 (out[(row·96 + col)·3 + c] = b[c·9216 + col·96 + row]/255). */
export function stlImages(b: Uint8Array, out: Float32Array, outOffset: number): void {
  const n = b.length / IMAGE;
  let d = outOffset;
  for (let i = 0; i < n; i++) {
    const src = i * IMAGE;
    for (let row = 0; row < SIDE; row++) {
      for (let col = 0; col < SIDE; col++) {
        const s = src + col * SIDE + row;
        out[d] = SCALE[b[s]];
        out[d + 1] = SCALE[b[s + PLANE]];
        out[d + 2] = SCALE[b[s + 2 * PLANE]];
        d += 3;
      }
    }
  }
}

/** Reads the images of each sorted range [s, e) of an `n`-image stream (`read` returns fewer bytes only at its end). */
export async function readStlX(read: (k: number) => Promise<Buffer>, skip: (k: number) => Promise<number>, n: number, ranges: [number, number][], file: string, sizeKnown: boolean): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  let at = 0;
  const short = (got: number) => new DataFormatError(FN, file, `${n * IMAGE} bytes (${n} images of ${IMAGE})`, `the data ending after ${got} bytes`);
  for (const [s, e] of ranges) {
    if ((await skip((s - at) * IMAGE)) < (s - at) * IMAGE) throw short(at * IMAGE);
    // A size read from a file on disk is trusted: allocate once. A size from an archive header may lie
    // (corrupt archive): convert block by block and join at the end, so memory follows the bytes present.
    const x = sizeKnown ? new Float32Array((e - s) * IMAGE) : undefined;
    const blocks: Float32Array[] = [];
    for (let i = s; i < e; i += 256) {
      const k = Math.min(256, e - i);
      const b = await read(k * IMAGE);
      if (b.length < k * IMAGE) throw short(i * IMAGE + b.length);
      if (x) stlImages(b, x, (i - s) * IMAGE);
      else {
        const blk = new Float32Array(k * IMAGE);
        stlImages(b, blk, 0);
        blocks.push(blk);
      }
    }
    if (x) out.push(x);
    else if (blocks.length === 1) out.push(blocks[0]);
    else {
      const all = new Float32Array((e - s) * IMAGE);
      blocks.forEach((b, j) => all.set(b, j * 256 * IMAGE));
      out.push(all);
    }
    at = e;
  }
  return out;
}

function imageCount(bytes: number, max: number, file: string): number {
  if (bytes === 0 || bytes % IMAGE !== 0 || bytes / IMAGE > max) throw new DataFormatError(FN, file, `a whole number (1..${max}) of ${IMAGE}-byte images`, `${bytes} bytes`);
  return bytes / IMAGE;
}

/** One split as read: image count, converted image ranges, raw label bytes. */
export interface StlPart {
  n: number;
  x?: Float32Array[];
  y?: Buffer;
}

async function load(ctx: LoadContext): Promise<Dataset> {
  const p = (k: keyof typeof FILES) => join(ctx.dataDir, FILES[k].path);
  const tar = join(ctx.dataDir, TAR.path);
  const sizes = await Promise.all((['train_X', 'train_y', 'test_X', 'test_y'] as const).map((k) => fileSize(p(k))));
  const parts: Record<'train' | 'test', StlPart> = { train: { n: 0 }, test: { n: 0 } };
  const plans: Partial<Record<'train' | 'test', [number, number][]>> = {};
  const planFor = (which: 'train' | 'test', n: number): [number, number][] =>
    (plans[which] = which === 'train' ? planRanges(planTrain(n, ctx.limitTrain, ctx.validation, FN)) : [planTest(n, ctx.limitTest)]);
  let files: string[];
  if (sizes.every((s) => s !== undefined)) {
    if (ctx.verify) await requireChecksums(ctx.dataDir, Object.values(FILES), FN);
    for (const which of ['train', 'test'] as const) {
      const xf = p(`${which}_X`), yf = p(`${which}_y`);
      const n = imageCount((await fileSize(xf))!, MAX[which], xf);
      const r = new ByteReader(fileChunks(xf));
      try {
        parts[which] = { n, x: await readStlX((k) => r.read(k), (k) => r.skip(k), n, planFor(which, n), xf, true) };
      } finally {
        await r.close();
      }
      const ry = new ByteReader(fileChunks(yf));
      try {
        parts[which].y = await ry.read(MAX[which] + 1);
      } finally {
        await ry.close();
      }
    }
    files = [p('train_X'), p('train_y'), p('test_X'), p('test_y')];
  } else if ((await fileSize(tar)) !== undefined) {
    if (ctx.verify) {
      const md5 = (await hashFile(tar, ['md5'])).md5!;
      if (md5 !== TAR.md5) throw new ChecksumError(FN, tar, `md5 ${TAR.md5}`, `md5 ${md5}`);
    }
    await stlFromTar(fileChunks(tar), tar, parts, planFor);
    files = [tar];
  } else {
    throw new DataMissingError(FN, 'stl10', [...Object.keys(FILES).map((k) => p(k as keyof typeof FILES)), `or ${tar}`]);
  }
  const splits: Partial<Record<'train' | 'valid' | 'test', Split>> = {};
  for (const which of ['train', 'test'] as const) {
    const { n, x, y } = parts[which];
    const yf = files.length === 1 ? `${tar}:${which}_y.bin` : p(`${which}_y`);
    if (!x || !y) throw new DataFormatError(FN, files[0], `members ${which}_X.bin and ${which}_y.bin`, `${x ? '' : `no ${which}_X.bin `}${y ? '' : `no ${which}_y.bin`}`.trim());
    if (y.length !== n) throw new DataFormatError(FN, yf, `${n} labels (one per image in ${which}_X.bin)`, `${y.length}`);
    checkLabels(y, 1, 10, FN, yf);
    const ranges = plans[which]!;
    ranges.forEach(([s, e], i) => (splits[which === 'train' && i === 1 ? 'valid' : which] = { x: x[i], y: labels(y.subarray(s, e), 1), n: e - s }));
  }
  return {
    name: 'stl10',
    label: 'STL-10',
    inputShape: [SIDE, SIDE, 3],
    classes: 10,
    train: splits.train!,
    test: splits.test!,
    ...(splits.valid ? { valid: splits.valid } : {}),
    notes: ['labelled train and test splits only (the 100000 unlabelled images are not read)'],
    files,
  };
}

/** Reads the labelled members out of a stl10_binary.tar.gz stream, converting images as they stream past. */
export async function stlFromTar(src: AsyncIterable<Uint8Array>, file: string, parts: Record<'train' | 'test', StlPart>, planFor: (w: 'train' | 'test', n: number) => [number, number][], gzip = true): Promise<void> {
  const reader = new ByteReader(gzip ? gunzipChunks(src, FN, file) : src);
  try {
    await walkTar(reader, FN, file, async (e, body) => {
      const m = /^(train|test)_([Xy])\.bin$/.exec(baseName(e.name));
      if (e.type !== '0' || !m) return;
      const which = m[1] as 'train' | 'test';
      const member = `${file}:${e.name}`;
      if (m[2] === 'X') {
        const n = imageCount(e.size, MAX[which], member);
        parts[which].n = n;
        parts[which].x = await readStlX((k) => body.read(k), async (k) => (await body.read(k)).length, n, planFor(which, n), member, false);
      } else {
        if (e.size > MAX[which]) throw new DataFormatError(FN, member, `at most ${MAX[which]} labels`, `${e.size} bytes`);
        parts[which].y = await body.read(e.size);
      }
    });
  } finally {
    await reader.close();
  }
}

export const stl10: DatasetSpec = {
  name: 'stl10',
  label: 'STL-10',
  folder: 'stl10',
  inputShape: [SIDE, SIDE, 3],
  classes: 10,
  description: '5000 train + 8000 test labelled colour 96×96 images in 10 classes (Coates et al. 2011); not staged here (2.6 GB)',
  layouts: [
    { id: 'bin', description: 'extracted stl10_binary/*.bin (labelled splits)', files: Object.values(FILES) },
    { id: 'tar', description: 'official stl10_binary.tar.gz, read directly', files: [TAR] },
  ],
  downloads: [{ ...TAR, urls: ['http://ai.stanford.edu/~acoates/stl10/stl10_binary.tar.gz'] }],
  load,
};
