/**
 * A run directory, owned by one module: its file names and typed readers (config.json, run.json,
 * metrics.jsonl, final.json, diverged.json, model/weights, tfjs/model.json), and loadRunModel, the trained model rebuilt
 * from them. The runner writes these files; every reader (the multi-seed loop, reproductions, the CLI,
 * tools that load a trained model) goes through here.
 */
import type { ConvChoice } from '../backend/conv_tune.js';
import type { GrowLayerReport } from '../../core/train/grow.js';
import type * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ParampredError } from '../../core/errors.js';
import { defineExperiment, stageExperiment, type Experiment } from '../../core/experiments/index.js';
import { PredictedLayer } from '../../core/layers/predicted_layer.js';
import { readArrays, writeFileSynced, type NamedArray } from './arrays.js';
import { loadCheckpoint } from './checkpoint.js';
import { loadExperimentData, type RunDataset } from './data.js';
import { METRICS_FILE } from './metrics.js';
import { defaultModelFactory } from './model.js';
import type { ParameterCounts } from './params.js';
import { setModelArrays } from './weights.js';

/** The names of a run directory's entries. */
export const runFiles = {
  /** The resolved experiment (every default filled in). */
  config: 'config.json',
  /** Seed, start time, versions, machine, the dataset's shape, every resume. */
  run: 'run.json',
  /** One JSON row per epoch. */
  metrics: METRICS_FILE,
  /** Test metrics and parameter counts; present once the run finished. */
  final: 'final.json',
  /** Present when the run diverged and the multi-seed loop recorded it (onDiverged 'record'). */
  diverged: 'diverged.json',
  /** The final weights: model/weights.{bin,json} (readArrays). */
  model: 'model',
  /** The base name of the arrays in `model`. */
  weights: 'weights',
  /** The final model in TF.js's format: tfjs/model.json + tfjs/weights.bin (tfjs_model.ts); absent in older runs. */
  tfjs: 'tfjs',
  plots: 'plots',
  pictures: 'pictures',
  /** The experiment's compression step (exp.compress): compressed/model.json + weights.bin + report.json. */
  compressed: 'compressed',
  /** Present while a process trains the run: {pid, host, since} (run_lock.ts). */
  lock: 'lock.json',
} as const;

export type RunFile = keyof typeof runFiles;

/** The path of entry `file` of the run directory `dir`. */
export function runPath(dir: string, file: RunFile): string {
  return join(dir, runFiles[file]);
}

/** final.json: test metrics, parameter counts, where the best epoch was. */
export interface FinalResult {
  experiment: string;
  seed: number;
  testError: number;
  testLoss: number;
  epochs: number;
  bestEpoch: number | null;
  parameters: ParameterCounts;
  seconds: number;
  /** Growing α (exp.grow): each stage change, in order. Absent without exp.grow. */
  grown?: GrowEvent[];
  /** Runs in bf16 precision: which convolution passes ran in bf16 (backend/conv_tune.ts). Absent in fp32. */
  bf16Conv?: { policy: string; choices: ConvChoice[] };
}

/** One growth of α during a run (exp.grow): when, to what fraction, and how well each layer's W was kept. */
export interface GrowEvent {
  afterEpoch: number;
  fraction: number;
  layers: GrowLayerReport[];
}

/** The dataset's shape as the run saw it (enough to rebuild the model without loading the data). */
export interface RunDataShape {
  name: string;
  inputShape: number[];
  classes: number;
}

/** run.json. `data` is absent in runs made before it was recorded. */
export interface RunInfo {
  experiment: string;
  seed: number;
  startedAt: string;
  versions: Record<string, unknown>;
  machine: Record<string, unknown>;
  data?: RunDataShape;
  resumes: { at: string; fromEpoch: number; versions: unknown; machine: unknown }[];
}

/** diverged.json: why a run stopped (the DivergedError) and the time it took. */
export interface DivergedMarker {
  seed: number;
  message: string;
  epoch?: number;
  step?: number;
  seconds: number;
}

function readJsonFile<T>(path: string, fn: string): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (e) {
    throw new ParampredError(fn, `expected a readable JSON file ${path}, got ${(e as Error).message}`);
  }
}

/** Writes `value` as indented JSON to entry `file` of `dir` (fsynced). */
export function writeRunJson(dir: string, file: RunFile, value: unknown): void {
  writeFileSynced(runPath(dir, file), JSON.stringify(value, null, 2) + '\n');
}

/** Whether `dir` holds a run (its config.json exists). */
export function hasRun(dir: string): boolean {
  return existsSync(runPath(dir, 'config'));
}

/** The run's experiment (config.json), validated again with the schema. */
export function readRunConfig(dir: string, fn = 'readRunConfig'): Experiment {
  return defineExperiment(readJsonFile(runPath(dir, 'config'), fn), `${fn} (${runPath(dir, 'config')})`);
}

/** The run's run.json. */
export function readRunInfo(dir: string, fn = 'readRunInfo'): RunInfo {
  return readJsonFile<RunInfo>(runPath(dir, 'run'), fn);
}

/** final.json, or null while the run has not finished. */
export function readFinal(dir: string, fn = 'readFinal'): FinalResult | null {
  const p = runPath(dir, 'final');
  return existsSync(p) ? readJsonFile<FinalResult>(p, fn) : null;
}

/** diverged.json, or null when the run did not diverge (or was not recorded as such). */
export function readDiverged(dir: string, fn = 'readDiverged'): DivergedMarker | null {
  const p = runPath(dir, 'diverged');
  return existsSync(p) ? readJsonFile<DivergedMarker>(p, fn) : null;
}

export { readMetrics } from './metrics.js';

/** A trained model rebuilt from its run directory. */
export interface LoadedRun {
  model: tf.LayersModel;
  /** The model's input shape without the batch axis; null = flattened examples (n × d). */
  inputShape: number[] | null;
  experiment: Experiment;
  seed: number;
  data: RunDataShape;
  /** final.json; null for an unfinished run (its weights are the last checkpoint's). */
  final: FinalResult | null;
}

/**
 * Rebuilds the model of the run in `dir` (defaultModelFactory from config.json and the seed, no data
 * preparation) and sets its weights: model/weights of a finished run, else the last checkpoint's.
 * Data-driven dictionaries come with the weights. The dataset's shape is run.json's; runs made before
 * it was recorded load the dataset once to learn it (opts.dataDir). The output layer keeps its softmax.
 */
export async function loadRunModel(dir: string, opts: { dataDir?: string; fn?: string } = {}): Promise<LoadedRun> {
  const fn = opts.fn ?? 'loadRunModel';
  if (!hasRun(dir)) throw new ParampredError(fn, `expected a run directory (with ${runFiles.config}), got ${dir}`);
  const experiment = readRunConfig(dir, fn);
  const info = readRunInfo(dir, fn);
  let data = info.data;
  if (!data) {
    const d = await loadExperimentData(experiment, opts.dataDir);
    data = { name: d.name, inputShape: d.inputShape, classes: d.classes };
  }
  const final = readFinal(dir, fn);
  let arrays: NamedArray[];
  let epochsDone: number; // growing α: the model is that of the stage the weights are from
  if (existsSync(join(runPath(dir, 'model'), `${runFiles.weights}.json`))) {
    arrays = readArrays(runPath(dir, 'model'), runFiles.weights, fn);
    epochsDone = final?.epochs ?? experiment.epochs;
  } else {
    const ckpt = loadCheckpoint(dir, fn);
    if (!ckpt?.arrays.model) throw new ParampredError(fn, `expected ${runFiles.model}/${runFiles.weights} or a checkpoint in ${dir}, got neither`);
    arrays = ckpt.arrays.model;
    epochsDone = ckpt.state.epoch;
  }
  const empty = { x: new Float32Array(0), y: new Int32Array(0), n: 0 };
  const shape: RunDataset = { name: data.name, label: data.name, inputShape: data.inputShape, classes: data.classes, train: empty, test: empty };
  const built = await defaultModelFactory(stageExperiment(experiment, epochsDone), shape, { seed: info.seed, willLoadWeights: true });
  setModelArrays(built.model, arrays, fn);
  for (const l of built.model.layers) if (l instanceof PredictedLayer) l.setDictionaryLoaded();
  return { model: built.model, inputShape: built.inputShape, experiment, seed: info.seed, data, final };
}
