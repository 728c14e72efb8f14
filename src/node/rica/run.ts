/**
 * runRica: one RICA evaluation on CIFAR-10 (docs/method.md §2 "RICA"; Denil et al. 2013 §4.3), top to
 * bottom: random p×p patches of the training images → contrast normalisation → ZCA → RICA (plain, or
 * with a fraction of each filter's positions learned and the rest predicted by SE) → dense features of
 * every training and test image (stride 1, split polarity, 4-quadrant sum-pooling) → softmax regression
 * (its L2 weight chosen on the last tenth of the training images, then retrained on all of them) → test
 * accuracy. Seeded end to end. With `outDir`, writes config.json (the resolved options), metrics.jsonl
 * (RICA minibatch losses) and final.json (accuracies, parameter counts, the L2 search, timings, label).
 */
import * as tf from '@tensorflow/tfjs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { check } from '../../core/errors.js';
import { rng } from '../../core/rng.js';
import type { DictionarySpecLike } from '../../core/layers/columns.js';
import { accuracy, applyZca, chooseL2, createRica, disposeClassifier, disposeExtractor, disposeRica, extractFeatures, featureExtractor, fitZca, normalizePatches, ricaDynamicParameters, ricaWeights, samplePatches, trainRica, trainSoftmax, type L2Choice } from '../../core/rica/index.js';
import { useNativeBackend } from '../backend/register.js';
import { writeFileSynced } from '../run/arrays.js';
import { machine, versions } from '../run/info.js';
import type { RunDataset } from '../run/data.js';

export interface RicaRunOptions {
  /** Number of RICA features k (the paper compares k plain against 2k at fraction 0.5). */
  features: number;
  /** Fraction of each filter's p² positions learned (1 = plain RICA; 0.5 = "RICA-50 %"). */
  fraction: number;
  /** Patch size p (default 6; Coates et al. used 6 or 8). */
  patch?: number;
  seed?: number;
  /** Training images used for patches, features and the classifier (default 10000; ≤ 50000). */
  trainImages?: number;
  /** Test images (default 10000, all). */
  testImages?: number;
  /** Random patches for ZCA and RICA (default 50000). */
  patches?: number;
  /** RICA's sparsity weight λ (default 0.1) and g's ε (default 0.01). */
  lambda?: number;
  epsilon?: number;
  /** RICA Adam steps, batch and rate (defaults 3000, 500, 0.01). */
  steps?: number;
  batchSize?: number;
  lr?: number;
  /** ZCA's ε (default 0.1, Coates et al.). */
  zcaEps?: number;
  /** The dictionary of the predicted filters (default SE over the patch's pixel positions). */
  dictionary?: DictionarySpecLike;
  /**
   * Softmax regression: full-batch Adam steps and rate (defaults 300, 0.01), and its L2 weight: a number
   * fixes it; a grid (default RICA_L2_GRID) is searched by chooseL2 on the last `validation` training images
   * (default a tenth, rounded), and the classifier is then retrained on all training images with the choice.
   */
  classifier?: RicaClassifierOptions;
  /** Folder for config.json, metrics.jsonl and final.json (none written without it). */
  outDir?: string;
  dataDir?: string;
  /** A preloaded CIFAR-10-shaped dataset (tests pass a small one). */
  data?: RunDataset;
  /** 'native' (default) makes the native backend active; 'current' keeps the active one. */
  backend?: 'native' | 'current';
}

export interface RicaClassifierOptions {
  l2?: number | readonly number[];
  validation?: number;
  steps?: number;
  lr?: number;
}

/**
 * The default L2 grid of the classifier: half-decades from 3e-4 to 1e-1 (the quick preset, 4,500 images,
 * chose 1e-2, the top of a first grid that ended there).
 */
export const RICA_L2_GRID: readonly number[] = [3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1];

/** runRica's classifier options with the defaults filled in (validation stays undefined: a tenth of the images). */
export function ricaClassifierOptions(c: RicaClassifierOptions = {}): { l2: number | readonly number[]; validation?: number; steps: number; lr: number } {
  return { l2: RICA_L2_GRID, steps: 300, lr: 0.01, ...c };
}

export interface RicaResult {
  /** The dataset's label, e.g. "CIFAR-10 (JPEG-75 copy)". */
  dataset: string;
  testAccuracy: number;
  trainAccuracy: number;
  features: number;
  fraction: number;
  nAlpha: number;
  /** Learned RICA parameters: p²·3·k plain, n_α·3·k predicted. */
  dynamicParameters: number;
  /** Pooled features per image given to the classifier (4 quadrants × 2 polarities × k). */
  pooledFeatures: number;
  /** Final RICA objective (mean minibatch loss over the last 5 % of steps). */
  ricaLoss: number;
  /** The classifier's L2 weight (chosen on held-out training images unless fixed). */
  l2: number;
  /** The search that chose it (absent when fixed): held-out images and each candidate's accuracy there. */
  l2Choice?: L2Choice;
  seconds: { data: number; patches: number; rica: number; extract: number; classifier: number; total: number };
}

const FN = 'runRica';

/** Runs the pipeline of the file doc; see RicaRunOptions for the defaults. */
export async function runRica(opts: RicaRunOptions): Promise<RicaResult> {
  const t0 = performance.now();
  const o = {
    patch: 6, seed: 1, trainImages: 10000, testImages: 10000, patches: 50000, lambda: 0.1, epsilon: 0.01,
    steps: 3000, batchSize: 500, lr: 0.01, zcaEps: 0.1, dictionary: { method: 'se' } as DictionarySpecLike, ...opts,
    classifier: ricaClassifierOptions(opts.classifier),
  };
  check(Number.isInteger(o.features) && o.features >= 1, FN, 'features a positive integer', o.features);
  check(o.fraction > 0 && o.fraction <= 1, FN, 'fraction in (0, 1]', o.fraction);
  if ((o.backend ?? 'native') === 'native' && tf.getBackend() !== 'native') await useNativeBackend();
  const lap = (() => {
    let t = performance.now();
    return () => {
      const now = performance.now(), s = (now - t) / 1000;
      t = now;
      return s;
    };
  })();
  const data = opts.data ?? (await loadCifar(o.trainImages, o.testImages, opts.dataDir));
  check(data.inputShape.length === 3, FN, 'an image dataset [h, w, c]', data.inputShape);
  const shape = data.inputShape as [number, number, number];
  const size = shape[0] * shape[1] * shape[2];
  const nTrain = Math.min(o.trainImages, data.train.n), nTest = Math.min(o.testImages, data.test.n);
  const trainX = data.train.x.subarray(0, nTrain * size), testX = data.test.x.subarray(0, nTest * size);
  const tData = lap();

  const d = o.patch * o.patch * shape[2];
  const raw = normalizePatches(samplePatches(trainX, shape, o.patch, o.patches, rng(o.seed).fork('patches')), d);
  const zca = fitZca(raw, d, o.zcaEps);
  const white = applyZca(zca, raw);
  const tPatches = lap();

  const metrics: string[] = [];
  const model = createRica({ patch: o.patch, channels: shape[2], features: o.features, fraction: o.fraction, dictionary: o.dictionary, seed: o.seed });
  const loss = trainRica(model, white, { lambda: o.lambda, epsilon: o.epsilon, steps: o.steps, batchSize: o.batchSize, lr: o.lr, seed: o.seed, onLoss: (step, l) => metrics.push(JSON.stringify({ step, loss: l })) });
  const tRica = lap();

  const w = ricaWeights(model);
  const ex = featureExtractor(w, zca, o.patch, shape[2]);
  if (w !== model.variable) w.dispose();
  const fTrain = extractFeatures(ex, trainX, shape);
  const fTest = extractFeatures(ex, testX, shape);
  disposeExtractor(ex);
  const tExtract = lap();

  const yTrain = data.train.y.subarray(0, nTrain);
  const { l2: l2Option, validation, ...fit } = o.classifier;
  const l2Choice = typeof l2Option === 'number' ? undefined : chooseL2(fTrain, yTrain, data.classes, l2Option, validation ?? Math.round(nTrain / 10), fit);
  const l2 = l2Choice?.l2 ?? (l2Option as number);
  const clf = trainSoftmax(fTrain, yTrain, data.classes, { ...fit, l2 });
  const trainAccuracy = accuracy(clf, fTrain, yTrain);
  const testAccuracy = accuracy(clf, fTest, data.test.y.subarray(0, nTest));
  disposeClassifier(clf);
  const tClf = lap();

  const result: RicaResult = {
    dataset: data.label, testAccuracy, trainAccuracy, features: o.features, fraction: o.fraction, nAlpha: model.nAlpha,
    dynamicParameters: ricaDynamicParameters(model), pooledFeatures: 8 * o.features, ricaLoss: loss, l2, ...(l2Choice ? { l2Choice } : {}),
    seconds: { data: tData, patches: tPatches, rica: tRica, extract: tExtract, classifier: tClf, total: (performance.now() - t0) / 1000 },
  };
  disposeRica(model);
  if (opts.outDir) {
    mkdirSync(opts.outDir, { recursive: true });
    const { data: _d, ...config } = o;
    writeFileSynced(join(opts.outDir, 'config.json'), JSON.stringify({ kind: 'rica', ...config, trainImages: nTrain, testImages: nTest, versions: versions(), machine: machine() }, null, 1));
    writeFileSynced(join(opts.outDir, 'metrics.jsonl'), metrics.join('\n') + '\n');
    writeFileSynced(join(opts.outDir, 'final.json'), JSON.stringify(result, null, 1));
  }
  return result;
}

async function loadCifar(train: number, test: number, dataDir?: string): Promise<RunDataset> {
  const ds = await import('../data/index.js');
  return ds.loadDataset('cifar10', { dataDir: ds.resolveDataDir(dataDir), limit: { train, test }, validation: 0 });
}
