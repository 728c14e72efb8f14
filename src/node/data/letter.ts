/**
 * UCI Letter Recognition (Frey & Slate 1991): 20000 rows, class A–Z + 16 integer features 0..15, CSV.
 * Split as usual: first 16000 rows train, last 4000 test (generally: the last n/5 rows are test).
 * inputShape [16]; features standardised with the mean and std of the returned train split.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileSize, requireChecksums } from './checksums.js';
import { DataMissingError } from './errors.js';
import { planTest, planTrain, standardise } from './rows.js';
import { parseLetter } from './tabular.js';
import type { Dataset, DatasetSpec, FileSpec, LoadContext, Split } from './types.js';

const FN = 'loadDataset(letter)';
const DATA: FileSpec = { path: 'letter-recognition/letter-recognition.data', bytes: 712565, md5: '6a2d740def5d13ea6096272546f6d41e' };
const NAMES: FileSpec = { path: 'letter-recognition/letter-recognition.names', bytes: 2734, md5: '140787e10feff881d28ebf92cd8824cd', optional: true };
const UCI = 'https://archive.ics.uci.edu/ml/machine-learning-databases/letter-recognition/';

const rows = (x: Float32Array, y: Int32Array, s: number, e: number, d: number): Split => ({ x: x.slice(s * d, e * d), y: y.slice(s, e), n: e - s });

async function load(ctx: LoadContext): Promise<Dataset> {
  const file = join(ctx.dataDir, DATA.path);
  if ((await fileSize(file)) === undefined) throw new DataMissingError(FN, 'letter', [file]);
  if (ctx.verify) await requireChecksums(ctx.dataDir, [DATA], FN);
  const { x, y } = parseLetter(await readFile(file), FN, file);
  const n = y.length, nTest = Math.floor(n / 5), nTrain = n - nTest;
  const plan = planTrain(nTrain, ctx.limitTrain, ctx.validation, FN);
  const [ts, te] = planTest(nTest, ctx.limitTest);
  const train = rows(x, y, ...plan.train, 16);
  const valid = plan.valid ? rows(x, y, ...plan.valid, 16) : undefined;
  const test = rows(x, y, nTrain + ts, nTrain + te, 16);
  standardise(train, 16, valid ? [valid, test] : [test]);
  const notes = ['features standardised with the train split statistics (mean, population std)'];
  if (n !== 20000) notes.push(`${n} rows instead of 20000: train = first ${nTrain}, test = last ${nTest}`);
  return { name: 'letter', label: 'Letter Recognition (UCI)', inputShape: [16], classes: 26, train, test, ...(valid ? { valid } : {}), notes, files: [file] };
}

export const letter: DatasetSpec = {
  name: 'letter',
  label: 'Letter Recognition (UCI)',
  folder: 'letter-recognition',
  inputShape: [16],
  classes: 26,
  description: '20000 letters A–Z as 16 integer features, first 16000 train / last 4000 test (Frey & Slate 1991)',
  layouts: [{ id: 'csv', description: 'UCI CSV', files: [DATA, NAMES] }],
  downloads: [DATA, NAMES].map((f) => ({ ...f, urls: [UCI + f.path.split('/')[1]] })),
  load,
};
