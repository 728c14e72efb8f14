/**
 * runExperiment: one training run of an experiment with one seed, top to bottom (nanoGPT's train.py).
 * A custom loop (not model.fit): per-epoch permutation from rng(seed).fork(`epoch${e}`), one
 * optimizer.minimize per batch, metrics.jsonl per epoch, an atomic checkpoint per epoch, and --resume
 * that reaches the same weights, bit for bit, as an uninterrupted run. A non-finite loss stops the run
 * (DivergedError) and keeps the last good checkpoint. The run directory's files are run_dir.ts's.
 * Importing this module changes nothing; a call makes the native backend active (backend 'native',
 * the default) or keeps the active one ('current').
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { rng } from '../../core/rng.js';
import { ParampredError } from '../../core/errors.js';
import { checkExperiment, growStageAt, stageExperiment, type Experiment } from '../../core/experiments/index.js';
import { growInto, type GrowLayerReport } from '../../core/train/grow.js';
import { writeArrays } from './arrays.js';
import { augmentBatch } from '../../core/train/augment.js';
import { useNativeBackend } from '../backend/register.js';
import { PredictedLayer } from '../../core/layers/predicted_layer.js';
import { hasRun, readFinal, readRunConfig, readRunInfo, runPath, runFiles, writeRunJson, type FinalResult, type GrowEvent, type RunInfo } from './run_dir.js';
import { loadCheckpoint, saveCheckpoint, type WriteHook } from './checkpoint.js';
import { lockRunDir } from './run_lock.js';
import { loadExperimentData, type RunDataset } from './data.js';
import { machine, versions } from './info.js';
import { bf16ConvPolicy, convPrecisionChoices } from '../backend/conv_tune.js';
import { appendMetrics, readMetrics, writeMetrics, type EpochMetrics } from './metrics.js';
import { defaultModelFactory, trainSample, type ModelFactory } from './model.js';
import { learningRate, makeOptimizer } from './optimizer.js';
import { progressReporter, type ProgressEvent, type ProgressMode } from './progress.js';
import { constrainColumns, evaluate, gatherBatch, outputsProbabilities, softmaxToLogits, trainStep } from './train_step.js';
import { saveTfjsModel } from './tfjs_model.js';
import type { CompressReport } from '../compress/compress.js';
import { checkCompressSpec } from '../../core/compress/index.js';
import { modelArrays, setModelArrays } from './weights.js';
import { parameterCounts } from './params.js';
import { writeRunPlots } from './plots.js';
import { writeRunPictures } from './pictures.js';

/** A run stopped by a non-finite loss (CLI exit code 3). */
export class DivergedError extends ParampredError {
  constructor(
    fn: string,
    message: string,
    readonly epoch: number,
    readonly step: number,
  ) {
    super(fn, message);
    this.name = 'DivergedError';
  }
}

export interface RunOptions {
  /** The run's seed (default exp.seed). */
  seed?: number;
  /** The run directory (created; must be empty of results unless `resume`). */
  outDir: string;
  /** Continue from the last checkpoint in outDir. */
  resume?: boolean;
  dataDir?: string;
  /** A preloaded dataset (sweeps load once; tests pass synthetic data). */
  data?: RunDataset;
  buildModel?: ModelFactory;
  /** Default: 'bar' on a TTY stderr, else 'lines'. */
  progress?: ProgressMode;
  /** Called with every event; awaited. */
  onProgress?: (e: ProgressEvent) => void | Promise<void>;
  /** Plots (SVG) and pictures (PNG) at the end (default true). */
  figures?: boolean;
  /** Test hook for checkpoint writes. */
  checkpointHook?: WriteHook;
  /** 'native' (default): make the native backend active (cpu with a warning when it is not built); 'current': keep the active backend. */
  backend?: 'native' | 'current';
}

export type { FinalResult, GrowEvent } from './run_dir.js';

export interface RunResult {
  dir: string;
  final: FinalResult;
  metrics: EpochMetrics[];
  /** The compression step's report (exp.compress), null without one. */
  compressed?: CompressReport | null;
}

const FN = 'runExperiment';

/**
 * Trains `exp` with one seed into `opts.outDir`; see the file doc. Holds the directory's lock
 * (run_lock.ts) while it trains: a second process (or call) training the same directory meanwhile
 * gets a RunBusyError. Reading back a finished run (resume) takes no lock.
 */
export async function runExperiment(exp: Experiment, opts: RunOptions): Promise<RunResult> {
  checkExperiment(exp, FN);
  mkdirSync(opts.outDir, { recursive: true });
  const release = opts.resume && existsSync(runPath(opts.outDir, 'final')) ? null : lockRunDir(opts.outDir, FN);
  try {
    return await trainOrReadBack(exp, opts);
  } finally {
    release?.();
  }
}

async function trainOrReadBack(exp: Experiment, opts: RunOptions): Promise<RunResult> {
  const seed = opts.seed ?? exp.seed;
  const dir = opts.outDir;
  const config = JSON.parse(JSON.stringify(exp)) as Experiment;
  if ((opts.backend ?? 'native') === 'native' && tf.getBackend() !== 'native') await useNativeBackend();

  // --- the run directory: fresh, or resumed with the same config and seed ---
  mkdirSync(dir, { recursive: true });
  const hasState = hasRun(dir);
  if (hasState && !opts.resume) {
    throw new ParampredError(FN, `expected an empty run directory or --resume, got existing results in ${dir}`);
  }
  let runInfo: RunInfo;
  if (hasState) {
    const saved = readRunConfig(dir, FN);
    runInfo = readRunInfo(dir, FN);
    const savedSeed = runInfo.seed;
    if (!isDeepStrictEqual(saved, config) || savedSeed !== seed) {
      throw new ParampredError(FN, `expected ${dir} to hold a run of the same config and seed ${seed} to resume, got seed ${savedSeed} and ${isDeepStrictEqual(saved, config) ? 'the same' : 'a different'} config`);
    }
    const final = readFinal(dir, FN);
    if (final) return { dir, final, metrics: readMetrics(dir), compressed: await compressStep(exp, dir, opts) };
  } else {
    runInfo = { experiment: exp.name, seed, startedAt: new Date().toISOString(), versions: { ...versions() }, machine: { ...machine() }, resumes: [] };
  }
  const ckpt = opts.resume ? loadCheckpoint(dir, FN) : null;
  if (hasState) runInfo.resumes.push({ at: new Date().toISOString(), fromEpoch: ckpt?.state.epoch ?? 0, versions: versions(), machine: machine() });
  writeRunJson(dir, 'config', config);
  writeRunJson(dir, 'run', runInfo);

  // --- data, model, optimizer ---
  const data = opts.data ?? (await loadExperimentData(exp, opts.dataDir));
  if (!runInfo.data) writeRunJson(dir, 'run', { ...runInfo, data: { name: data.name, inputShape: [...data.inputShape], classes: data.classes } });
  const d = data.inputShape.reduce((p, q) => p * q, 1);
  const factory = opts.buildModel ?? defaultModelFactory;
  // growing α: the model of the stage the run is at (the checkpoint holds that stage's weights)
  const built = await factory(stageExperiment(exp, ckpt?.state.epoch ?? 0), data, { seed, willLoadWeights: ckpt !== null });
  let { model } = built;
  // a compression step that cannot apply fails now, not after training
  for (const l of exp.compress?.layers ?? []) checkCompressSpec(model, { layer: l.layer, method: l.method, options: l.options }, `${FN} (compress.layers)`);
  const softmaxOutput = outputsProbabilities(model);
  const probs = !softmaxToLogits(model); // loss from logits: a diverged net cannot hide behind clipping
  let vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  let opt = makeOptimizer(exp.optimizer);
  const stepsPerEpoch = Math.ceil(data.train.n / exp.batchSize);
  const totalSteps = stepsPerEpoch * exp.epochs;
  const stepOpts = { probs, weightDecay: exp.optimizer.weightDecay, constrained: [] as tf.LayerVariable[], modelInputShape: built.inputShape };
  const evalOpts = { probs, modelInputShape: built.inputShape };
  const augment = exp.dataset.augment;
  const imageShape = data.inputShape as [number, number, number];
  if (augment && data.inputShape.length !== 3) throw new ParampredError(FN, `expected an image dataset [h, w, c] for dataset.augment, got input shape [${data.inputShape.join(', ')}]`);

  // --- state: fresh or from the checkpoint ---
  let epoch0 = 0;
  let step = 0;
  let metrics: EpochMetrics[] = [];
  let best: { epoch: number; value: number } | null = null;
  let bestWeights = null as ReturnType<typeof modelArrays> | null;
  let stopped = false;
  let grown: GrowEvent[] = [];
  if (ckpt) {
    setModelArrays(model, ckpt.arrays.model, FN);
    // the factory skipped data preparation: U came from the checkpoint, so data-driven layers are ready
    for (const l of model.layers) if (l instanceof PredictedLayer) l.setDictionaryLoaded();
    await opt.setState(ckpt.arrays.optimizer ?? []);
    epoch0 = ckpt.state.epoch;
    step = ckpt.state.step;
    metrics = ckpt.state.metrics as EpochMetrics[];
    best = (ckpt.state.extra.best as typeof best) ?? null;
    stopped = (ckpt.state.extra.stopped as boolean) ?? false;
    bestWeights = ckpt.arrays.best ?? null;
    grown = (ckpt.state.extra.grown as GrowEvent[]) ?? [];
  }
  writeMetrics(dir, metrics);
  // max column norm: constraints on the layers' weights (V over each predicted layer's own column axes)
  stepOpts.constrained = constrainColumns(model, exp.optimizer.maxColumnNorm);

  const mode = opts.progress ?? (process.stderr.isTTY ? 'bar' : 'lines');
  const reporter = progressReporter(mode, `${exp.name}/seed ${seed}`);
  const emit = async (e: ProgressEvent) => {
    reporter.report(e);
    await opts.onProgress?.(e);
  };
  const t0 = performance.now();
  const trainSeconds = metrics.reduce((s, m) => s + m.seconds, 0);
  try {
    await emit({ kind: 'start', epochs: exp.epochs, stepsPerEpoch, fromEpoch: epoch0 });
    for (let epoch = epoch0; epoch < exp.epochs && !stopped; epoch++) {
      const te = performance.now();
      const perm = rng(seed).fork(`epoch${epoch}`).permutation(data.train.n);
      const augRng = augment ? rng(seed).fork('augment').fork(epoch) : null; // per epoch, so --resume draws the same
      let lossSum = 0;
      let correct = 0;
      let lr = exp.optimizer.lr;
      for (let b = 0; b < stepsPerEpoch; b++) {
        const from = b * exp.batchSize;
        const to = Math.min(data.train.n, from + exp.batchSize);
        lr = learningRate(exp.optimizer, step, totalSteps, epoch);
        opt.setLearningRate(lr);
        const batch = gatherBatch(data.train, d, data.classes, perm, from, to);
        if (augment && augRng) {
          const x = augmentBatch(batch.x.dataSync() as Float32Array, imageShape, augment, augRng);
          batch.x.dispose();
          batch.x = tf.tensor2d(x, [to - from, d]);
        }
        const r = trainStep(model, opt.optimizer, vars, batch, stepOpts);
        tf.dispose([batch.x, batch.y, batch.labels]);
        if (!Number.isFinite(r.loss)) {
          const last = epoch === 0 ? 'none (no epoch completed)' : `the one after epoch ${epoch}`;
          throw new DivergedError(FN, `expected a finite loss, got ${r.loss} at epoch ${epoch + 1}, batch ${b + 1}/${stepsPerEpoch} (step ${step + 1}); lr ${lr.toExponential(3)}. Lower optimizer.lr or switch optimizer.name. Last good checkpoint kept in ${dir}: ${last}`, epoch, step);
        }
        step++;
        lossSum += r.loss * (to - from);
        correct += r.correct;
        await emit({ kind: 'step', epoch, batch: b, batches: stepsPerEpoch, loss: lossSum / to, error: (100 * (to - correct)) / to, lr });
      }
      const valid = data.valid ? evaluate(model, data.valid, d, data.classes, evalOpts) : null;
      const row: EpochMetrics = {
        epoch, step,
        trainLoss: lossSum / data.train.n,
        trainError: (100 * (data.train.n - correct)) / data.train.n,
        validLoss: valid?.loss ?? null,
        validError: valid?.error ?? null,
        lr,
        seconds: (performance.now() - te) / 1000,
      };
      metrics.push(row);
      appendMetrics(dir, row);

      // early stopping on the validation split: keep the best epoch's weights
      if (exp.earlyStopping && valid) {
        const value = exp.earlyStopping.metric === 'valid-loss' ? valid.loss : valid.error;
        if (best === null || value < best.value) {
          best = { epoch, value };
          bestWeights = modelArrays(model);
        } else if (epoch - best.epoch >= exp.earlyStopping.patience) {
          stopped = true;
        }
      }
      // growing α: the next stage's model takes over before the checkpoint, which so holds the model --resume builds
      const stage = growStageAt(exp, epoch + 1);
      let growNote = '';
      if (stage >= 0 && !stopped) {
        const next = await factory(stageExperiment(exp, epoch + 1), data, { seed, willLoadWeights: true });
        const sample = trainSample(data, exp.dictionarySample, next.inputShape);
        let layers: GrowLayerReport[];
        try {
          layers = growInto(model, next.model, sample);
        } catch (e) {
          next.model.dispose();
          throw e;
        } finally {
          sample.dispose();
        }
        if (!softmaxToLogits(next.model) !== probs) throw new ParampredError(FN, 'expected the grown model to have the same output as the first stage\'s');
        opt.dispose();
        model.dispose();
        model = next.model;
        vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
        opt = makeOptimizer(exp.optimizer); // V's moments do not carry over to a V of another shape
        stepOpts.constrained = constrainColumns(model, exp.optimizer.maxColumnNorm);
        // early stopping picks among this stage's epochs: an earlier stage's weights do not fit this model
        best = null;
        bestWeights = null;
        const fraction = exp.grow!.stages[stage].fraction;
        grown.push({ afterEpoch: epoch + 1, fraction, layers });
        growNote = `${exp.name}/seed ${seed}: after epoch ${epoch + 1} every predicted layer grows to fraction ${fraction} (${layers.map((l) => `${l.layer} n_α ${l.nAlphaBefore} → ${l.nAlphaAfter}, output error ${l.outputError === null ? '?' : (100 * l.outputError).toFixed(2)} %, kernel error ${(100 * l.relativeError).toFixed(2)} %`).join('; ')})\n`;
      }
      const arrays: Record<string, ReturnType<typeof modelArrays>> = { model: modelArrays(model), optimizer: await opt.getState() };
      if (bestWeights) arrays.best = bestWeights;
      saveCheckpoint(dir, { state: { epoch: epoch + 1, step, metrics, extra: { best, stopped, ...(exp.grow ? { grown } : {}) } }, arrays }, opts.checkpointHook);
      const done = metrics.length;
      const mean = metrics.reduce((s, m) => s + m.seconds, 0) / done;
      await emit({ kind: 'epoch', epoch, epochs: exp.epochs, trainLoss: row.trainLoss, trainError: row.trainError, validError: row.validError, seconds: row.seconds, etaSeconds: mean * (exp.epochs - done) });
      if (growNote && mode !== 'none') process.stderr.write(growNote);
    }
  } catch (e) {
    reporter.stop();
    opt.dispose();
    model.dispose();
    throw e;
  }

  // --- final: best weights (early stopping), test metrics, files ---
  if (bestWeights && exp.earlyStopping) setModelArrays(model, bestWeights, FN);
  const test = evaluate(model, data.test, d, data.classes, evalOpts);
  await emit({ kind: 'done', testError: test.error, testLoss: test.loss });
  reporter.stop();
  mkdirSync(runPath(dir, 'model'), { recursive: true });
  writeArrays(runPath(dir, 'model'), runFiles.weights, modelArrays(model));
  // the same model in TF.js's format, with the softmax output it was built with (trained as logits)
  await saveTfjsModel(model, runPath(dir, 'tfjs'), { outputActivation: softmaxOutput && !probs ? 'softmax' : undefined });
  const final: FinalResult = {
    experiment: exp.name,
    seed,
    testError: test.error,
    testLoss: test.loss,
    epochs: metrics.length,
    bestEpoch: exp.earlyStopping ? (best?.epoch ?? null) : null,
    parameters: parameterCounts(model, stageExperiment(exp, metrics.length)),
    ...(exp.grow ? { grown } : {}),
    ...(versions().precision === 'bf16' ? { bf16Conv: { policy: bf16ConvPolicy(), choices: convPrecisionChoices() } } : {}),
    seconds: trainSeconds + (performance.now() - t0) / 1000,
  };
  if (opts.figures ?? true) {
    await writeRunPlots(dir, exp, metrics);
    writeRunPictures(dir, model, data);
  }
  writeRunJson(dir, 'final', final);
  opt.dispose();
  model.dispose();
  return { dir, final, metrics, compressed: await compressStep(exp, dir, opts, data) };
}

/**
 * The experiment's compression step on the finished run (exp.compress; docs/method.md §3): compressSaved
 * into <dir>/compressed (all or nothing), once — a run whose compressed/report.json exists reads it back.
 */
async function compressStep(exp: Experiment, dir: string, opts: RunOptions, data = opts.data): Promise<CompressReport | null> {
  const step = exp.compress;
  if (!step) return null;
  const out = runPath(dir, 'compressed');
  const file = join(out, 'report.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as CompressReport;
  const { compressSaved } = await import('../compress/compress.js');
  const { report } = await compressSaved({
    source: dir, out, dataDir: opts.dataDir, data, fn: `${FN} (compress step)`,
    specs: step.layers.map((l) => ({ layer: l.layer, method: l.method, options: l.options })),
    ...(step.finetuneEpochs > 0 ? { finetune: { epochs: step.finetuneEpochs, lr: step.finetuneLr, train: step.finetuneTrain } } : {}),
  });
  if ((opts.progress ?? 'bar') !== 'none') {
    const t = report.test;
    process.stderr.write(`${exp.name}: compressed ${report.layers.map((l) => `${l.layer} (${l.method})`).join(', ')}: multiply-adds ${(report.network.before.multiplyAdds / report.network.after.multiplyAdds).toFixed(2)}× fewer${t ? `, test error ${t.before.error.toFixed(2)} → ${t.after.error.toFixed(2)}${t.finetuned ? ` → ${t.finetuned.error.toFixed(2)} (fine-tuned)` : ''} %` : ''} → ${out}\n`);
  }
  return report;
}
