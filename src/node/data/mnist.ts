/** MNIST (LeCun et al. 1998): 60000 + 10000 grey 28×28 digits, IDX files gzipped (or raw); inputShape [28, 28, 1], pixels x/255. */
import { join } from 'node:path';
import { ByteReader } from './byte_reader.js';
import { requireChecksums, fileSize } from './checksums.js';
import { DataFormatError, DataMissingError } from './errors.js';
import { readIdxHeader, readIdxRows, type IdxExpect } from './idx.js';
import { checkLabels, labels, planRanges, planTest, planTrain, scalePixels, split } from './rows.js';
import { fileChunks, gunzipChunks } from './source.js';
import type { Dataset, DatasetSpec, FileSpec, LoadContext } from './types.js';

const FN = 'loadDataset(mnist)';
const MIRRORS = ['https://ossci-datasets.s3.amazonaws.com/mnist/', 'http://yann.lecun.com/exdb/mnist/'];

/** gz: published md5/sha256; raw: sizes and digests of the decompressed published files. */
const FILES = {
  trainImages: {
    gz: { path: 'mnist/train-images-idx3-ubyte.gz', bytes: 9912422, md5: 'f68b3c2dcbeaaa9fbdd348bbdeb94873', sha256: '440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609' },
    raw: { path: 'mnist/train-images-idx3-ubyte', bytes: 47040016, md5: '6bbc9ace898e44ae57da46a324031adb', sha256: 'ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db' },
  },
  trainLabels: {
    gz: { path: 'mnist/train-labels-idx1-ubyte.gz', bytes: 28881, md5: 'd53e105ee54ea40749a09fcbcd1e9432', sha256: '3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c' },
    raw: { path: 'mnist/train-labels-idx1-ubyte', bytes: 60008, md5: 'a25bea736e30d166cdddb491f175f624', sha256: '65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5' },
  },
  testImages: {
    gz: { path: 'mnist/t10k-images-idx3-ubyte.gz', bytes: 1648877, md5: '9fb629c4189551a2d022fa330f9573f3', sha256: '8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6' },
    raw: { path: 'mnist/t10k-images-idx3-ubyte', bytes: 7840016, md5: '2646ac647ad5339dbf082846283269ea', sha256: '0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7' },
  },
  testLabels: {
    gz: { path: 'mnist/t10k-labels-idx1-ubyte.gz', bytes: 4542, md5: 'ec29112dd5afa0611ce80d1b7f02629c', sha256: 'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6' },
    raw: { path: 'mnist/t10k-labels-idx1-ubyte', bytes: 10008, md5: '27ae3e4e09519cfbb04c329615203637', sha256: 'ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2' },
  },
} satisfies Record<string, { gz: FileSpec; raw: FileSpec }>;

/** IDX expectations: images magic 2051 with 28×28 items, labels magic 2049. */
export const MNIST_IMAGES: IdxExpect = { magic: 2051, itemDims: [28, 28], maxCount: 60000 };
export const MNIST_LABELS: IdxExpect = { magic: 2049, itemDims: [], maxCount: 60000 };

type Role = keyof typeof FILES;

async function pick(dataDir: string, role: Role): Promise<{ spec: FileSpec; path: string; gz: boolean; bytes: number } | undefined> {
  for (const gz of [true, false]) {
    const spec = FILES[role][gz ? 'gz' : 'raw'];
    const path = join(dataDir, spec.path);
    const bytes = await fileSize(path);
    if (bytes !== undefined) return { spec, path, gz, bytes };
  }
  return undefined;
}

async function readPart(f: { path: string; gz: boolean; bytes: number }, expect: IdxExpect, ranges: (count: number) => [number, number][]): Promise<{ count: number; parts: Buffer[] }> {
  const src = f.gz ? gunzipChunks(fileChunks(f.path), FN, f.path) : fileChunks(f.path);
  const reader = new ByteReader(src);
  try {
    const h = await readIdxHeader(reader, FN, f.path, expect, f.gz ? undefined : f.bytes);
    return { count: h.count, parts: await readIdxRows(reader, FN, f.path, h, ranges(h.count)) };
  } finally {
    await reader.close();
  }
}

async function load(ctx: LoadContext): Promise<Dataset> {
  const roles = Object.keys(FILES) as Role[];
  const found = await Promise.all(roles.map((r) => pick(ctx.dataDir, r)));
  const missing = roles.filter((_, i) => !found[i]).map((r) => FILES[r].gz.path);
  if (missing.length) throw new DataMissingError(FN, 'mnist', missing.map((p) => join(ctx.dataDir, p)));
  const [trI, trL, teI, teL] = found as NonNullable<(typeof found)[number]>[];
  if (ctx.verify) await requireChecksums(ctx.dataDir, [trI.spec, trL.spec, teI.spec, teL.spec], FN);

  const trainLabels = await readPart(trL, MNIST_LABELS, (n) => [[0, n]]);
  const total = trainLabels.count;
  const plan = planTrain(total, ctx.limitTrain, ctx.validation, FN);
  const trainImages = await readPart(trI, MNIST_IMAGES, (n) => {
    if (n !== total) throw new DataFormatError(FN, trI.path, `${total} images (as many as ${trL.path} has labels)`, `${n}`);
    return planRanges(plan);
  });
  const testLabels = await readPart(teL, MNIST_LABELS, (n) => [[0, n]]);
  const testRange = planTest(testLabels.count, ctx.limitTest);
  const testImages = await readPart(teI, MNIST_IMAGES, (n) => {
    if (n !== testLabels.count) throw new DataFormatError(FN, teI.path, `${testLabels.count} images (as many as ${teL.path} has labels)`, `${n}`);
    return [testRange];
  });
  const allTrainY = trainLabels.parts[0], allTestY = testLabels.parts[0];
  checkLabels(allTrainY, 0, 9, FN, trL.path);
  checkLabels(allTestY, 0, 9, FN, teL.path);

  const train = split(scalePixels(trainImages.parts[0]), labels(allTrainY.subarray(...plan.train)));
  const valid = plan.valid ? split(scalePixels(trainImages.parts[1]), labels(allTrainY.subarray(...plan.valid))) : undefined;
  const test = split(scalePixels(testImages.parts[0]), labels(allTestY.subarray(...testRange)));
  return {
    name: 'mnist',
    label: 'MNIST',
    inputShape: [28, 28, 1],
    classes: 10,
    train,
    test,
    ...(valid ? { valid } : {}),
    notes: [],
    files: [trI.path, trL.path, teI.path, teL.path],
  };
}

const gzSources = Object.values(FILES).map(({ gz }) => ({ ...gz, urls: MIRRORS.map((m) => m + gz.path.slice('mnist/'.length)) }));

export const mnist: DatasetSpec = {
  name: 'mnist',
  label: 'MNIST',
  folder: 'mnist',
  inputShape: [28, 28, 1],
  classes: 10,
  description: 'handwritten digits, 60000 train + 10000 test, 28×28 grey (LeCun et al. 1998)',
  layouts: [
    { id: 'gz', description: 'official gzipped IDX files', files: Object.values(FILES).map((f) => f.gz) },
    { id: 'raw', description: 'decompressed IDX files', files: Object.values(FILES).map((f) => f.raw) },
  ],
  downloads: gzSources,
  load,
};
