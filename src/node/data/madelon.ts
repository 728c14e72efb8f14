/**
 * MADELON (Guyon, NIPS 2003 feature selection challenge): 500 integer features, labels ±1 → 1/0.
 * train = madelon_train (2000 rows); test = the official validation split (600 rows), because the test
 * labels were never released (madelon_test.data is known and verified but not loaded). inputShape [500];
 * features standardised with the mean and std of the returned train split.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileSize, requireChecksums } from './checksums.js';
import { DataFormatError, DataMissingError } from './errors.js';
import { planTest, planTrain, standardise } from './rows.js';
import { parseMadelonData, parseMadelonLabels } from './tabular.js';
import type { Dataset, DatasetSpec, FileSpec, LoadContext, Split } from './types.js';

const FN = 'loadDataset(madelon)';
const D = 500;
const f = (name: string, bytes: number, md5: string, sha256: string, optional = false): FileSpec => ({ path: `madelon/${name}`, bytes, md5, sha256, ...(optional ? { optional } : {}) });
const FILES = {
  trainData: f('madelon_train.data', 4001995, 'a484bd3dd24fec0e6cc1df7079df1466', '0b6e37711efdc7ab74250c51e7d6966bffd9f8f2b0e9971e882c3a7a380c2314'),
  trainLabels: f('madelon_train.labels', 5000, '7c0c3363967eb43ab2c36e2fa90f18e6', '10bffcc3b017467cb810d326b931951adcbde2b4870faf981da2991993b48689'),
  validData: f('madelon_valid.data', 1200599, '9e8d7e33a891953378aa140b8009c8aa', 'cb9a46475147de1a58d9f15ef4c318e5b85de344e0f9ab92626fa446aa815dc9'),
  validLabels: f('madelon_valid.labels', 1500, 'fbe2d438b908adf81dcea277f907c2cd', 'fbac32fa87fac41ab731994a1c824e7b25396069bff6df242c01fe240fcb34dc'),
  testData: f('madelon_test.data', 3601795, '5b9988fdd4f87d980acb3c1ad238f8db', '93efc31148c850645520fbd8eae4422ac5e4861dc6454d2eceae7e93c1e2badb', true),
};
const UCI = 'https://archive.ics.uci.edu/ml/machine-learning-databases/madelon/';

async function table(dataDir: string, data: FileSpec, lab: FileSpec): Promise<{ x: Float32Array; y: Int32Array }> {
  const df = join(dataDir, data.path), lf = join(dataDir, lab.path);
  const x = parseMadelonData(await readFile(df), D, FN, df);
  const y = parseMadelonLabels(await readFile(lf), FN, lf);
  if (x.length / D !== y.length) throw new DataFormatError(FN, lf, `${x.length / D} labels (one per row of ${df})`, `${y.length}`);
  return { x, y };
}

const rows = (t: { x: Float32Array; y: Int32Array }, s: number, e: number): Split => ({ x: t.x.slice(s * D, e * D), y: t.y.slice(s, e), n: e - s });

async function load(ctx: LoadContext): Promise<Dataset> {
  const need = [FILES.trainData, FILES.trainLabels, FILES.validData, FILES.validLabels];
  const absent = (await Promise.all(need.map(async (s) => ((await fileSize(join(ctx.dataDir, s.path))) === undefined ? join(ctx.dataDir, s.path) : '')))).filter(Boolean);
  if (absent.length) throw new DataMissingError(FN, 'madelon', absent);
  if (ctx.verify) await requireChecksums(ctx.dataDir, need, FN);
  const tr = await table(ctx.dataDir, FILES.trainData, FILES.trainLabels);
  const te = await table(ctx.dataDir, FILES.validData, FILES.validLabels);
  const plan = planTrain(tr.y.length, ctx.limitTrain, ctx.validation, FN);
  const train = rows(tr, ...plan.train);
  const valid = plan.valid ? rows(tr, ...plan.valid) : undefined;
  const test = rows(te, ...planTest(te.y.length, ctx.limitTest));
  standardise(train, D, valid ? [valid, test] : [test]);
  return {
    name: 'madelon',
    label: 'MADELON',
    inputShape: [D],
    classes: 2,
    train,
    test,
    ...(valid ? { valid } : {}),
    notes: ['test = the official validation split (test labels were never released)', 'labels: -1 → 0, 1 → 1', 'features standardised with the train split statistics (mean, population std)'],
    files: need.map((s) => join(ctx.dataDir, s.path)),
  };
}

export const madelon: DatasetSpec = {
  name: 'madelon',
  label: 'MADELON',
  folder: 'madelon',
  inputShape: [D],
  classes: 2,
  description: 'NIPS 2003 artificial 2-class set, 500 features (20 relevant), train 2000 / valid 600 / test 1800 unlabelled (Guyon 2003)',
  layouts: [{ id: 'uci', description: 'UCI text files', files: Object.values(FILES) }],
  downloads: Object.values(FILES).map((s) => {
    const name = s.path.split('/')[1];
    return { ...s, urls: [name === 'madelon_valid.labels' ? UCI + name : `${UCI}MADELON/${name}`] };
  }),
  load,
};
