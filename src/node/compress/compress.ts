/**
 * compressSaved: the `parampred compress` pipeline (issue 14; docs/method.md §3). Loads a trained model (a run
 * directory: its tfjs/ model, else the model rebuilt from its arrays; or a TF.js model folder), replaces
 * the requested layers by their approximations (core compressModel), and measures what that buys: the
 * theoretical parameters and multiply-adds, the wall-clock time of each replaced layer and of the whole
 * net at batch 1 and 128 on the active backend (median of interleaved repeats), and, for a run, the test
 * error before and after on the run's own dataset. Methods that need the layer's inputs (predict with a
 * data dictionary) get them on the run's first `sampleSize` training examples through the original model;
 * a layer that takes the run's image input gets its geometry. `finetune`: then the compressed model is
 * fine-tuned on the run's training split (finetune.ts) and its test error measured again; the fine-tuned
 * model is what is saved. Writes <out>/model.json + weights.bin + report.json, all or nothing (a temporary
 * folder renamed onto <out>, which must not exist).
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { ParampredError } from '../../core/errors.js';
import { compressMethod, compressModel, layerCost, type CompressSpec, type Cost, type LayerCompression } from '../../core/compress/index.js';
import { modelExists } from '../io/file.js';
import { loadExperimentData } from '../run/data.js';
import { hasRun, loadRunModel, readRunConfig, runPath } from '../run/run_dir.js';
import { loadTfjsModel, saveTfjsModel } from '../run/tfjs_model.js';
import { evaluate, outputsProbabilities } from '../run/train_step.js';
import { applyChain, timePair, type TimingPair } from './timing.js';
import { finetune, type FinetuneOptions, type FinetuneResult } from './finetune.js';
import type { RunDataset } from '../run/data.js';

export interface CompressOptions {
  /** A run directory or a TF.js model folder (or its model.json). */
  source: string;
  specs: CompressSpec[];
  /** The output folder (must not exist). */
  out: string;
  dataDir?: string;
  /**
   * The run's dataset already loaded (a run source only): must be what the run's config.dataset loads; saves
   * decoding it again (seconds for CIFAR-10) when a caller compresses the same run or its seeds many times.
   */
  data?: RunDataset;
  /** Timed repeats per measurement (default 15). */
  repeats?: number;
  /** Batch sizes timed (default [1, 128]). */
  batches?: number[];
  /** Training examples the layers' input samples are computed on (default the run's dictionarySample, else 5000). */
  sampleSize?: number;
  /** Fine-tune after approximating (a run only): epochs, lr, which layers train; batch size and seed default to the run's. */
  finetune?: Omit<FinetuneOptions, 'batchSize' | 'seed'> & Partial<Pick<FinetuneOptions, 'batchSize' | 'seed'>>;
  fn?: string;
}

/** Test error (%) and loss on a dataset's test split. */
export interface TestResult {
  error: number;
  loss: number;
}

export interface CompressReport {
  source: string;
  backend: string;
  createdAt: string;
  /** The test split the errors are measured on; null for a bare TF.js model (no dataset known). */
  dataset: { name: string; examples: number; /** What results must call it (absent in reports written before it was recorded). */ label?: string } | null;
  test: { before: TestResult; after: TestResult; finetuned?: TestResult } | null;
  /** What fine-tuning did (null without --finetune); the saved model is the fine-tuned one. */
  finetune: FinetuneResult | null;
  timing: { statistic: string; repeats: number; batches: number[] };
  layers: (LayerCompression & { time: Record<string, TimingPair> })[];
  network: { before: Cost; after: Cost; time: Record<string, TimingPair> };
}

/** The model's counted cost per example (core layerCost over every layer). */
function modelCost(model: tf.LayersModel): Cost {
  const c: Cost = { parameters: 0, multiplyAdds: 0 };
  for (const l of model.layers) {
    if (l.getClassName() === 'InputLayer') continue;
    const one = layerCost(l, ((l.input as tf.SymbolicTensor).shape as number[]).slice(1));
    c.parameters += one.parameters;
    c.multiplyAdds += one.multiplyAdds;
  }
  return c;
}

/**
 * `specs` with what the run tells about each layer's input: its image geometry when the layer takes the
 * model's image input, and the layer's inputs on the first `n` training examples when the method needs them.
 */
function withInputs(model: tf.LayersModel, data: RunDataset, specs: readonly CompressSpec[], n: number, fn: string): CompressSpec[] {
  const shape = data.inputShape;
  const geometry = shape.length === 3 ? { height: shape[0], width: shape[1], channels: shape[2] } : null;
  return specs.map((s) => {
    if (!model.layers.some((l) => l.name === s.layer)) return s; // compressModel says which layers there are
    const layer = model.getLayer(s.layer);
    const input = layer.input as tf.SymbolicTensor;
    const takesImage = geometry !== null && input === model.inputs[0] && (input.shape as number[]).slice(1).reduce((p, q) => p * q, 1) === geometry.height * geometry.width * geometry.channels;
    const method = compressMethod(s.method, fn);
    const parsed = method.options.safeParse(s.options ?? {});
    const sample = parsed.success && method.needsSample?.(parsed.data) ? layerInputs(model, input, data, n) : undefined;
    return { ...s, input: { ...(takesImage ? { geometry } : {}), ...(sample ? { sample } : {}), ...s.input } };
  });
}

/** The values of `input` (a layer's input, flattened per example) on the first `n` training examples. */
function layerInputs(model: tf.LayersModel, input: tf.SymbolicTensor, data: RunDataset, n: number) {
  const rows = Math.min(n, data.train.n);
  const d = data.inputShape.reduce((p, q) => p * q, 1);
  const cols = (input.shape as number[]).slice(1).reduce((p, q) => p * q, 1);
  if (input === model.inputs[0]) return { rows, cols, values: data.train.x.slice(0, rows * d) };
  const shape = (model.inputs[0].shape as number[]).slice(1);
  const sub = tf.model({ inputs: model.inputs, outputs: input }); // shares the layers: not disposed
  const values = new Float32Array(rows * cols);
  for (let from = 0; from < rows; from += 1000) {
    const to = Math.min(rows, from + 1000);
    const h = tf.tidy(() => sub.apply(tf.tensor(data.train.x.subarray(from * d, to * d), [to - from, ...shape]), { training: false }) as tf.Tensor);
    values.set(h.dataSync(), from * cols);
    h.dispose();
  }
  return { rows, cols, values };
}

/** The trained model of `source` and, for a run, its test split. */
async function loadSource(source: string, dataDir: string | undefined, fn: string, preloaded?: RunDataset) {
  if (hasRun(source)) {
    const tfjs = runPath(source, 'tfjs');
    const model = modelExists(tfjs) ? await loadTfjsModel(tfjs, fn) : (await loadRunModel(source, { dataDir, fn })).model;
    const config = readRunConfig(source, fn);
    const data = preloaded ?? (await loadExperimentData(config, dataDir));
    return { model, data, config };
  }
  if (existsSync(source) && modelExists(source)) return { model: await loadTfjsModel(source, fn), data: null, config: null };
  throw new ParampredError(fn, `expected a run directory (with config.json) or a TF.js model folder (with model.json), got ${existsSync(source) ? `neither in ${source}` : `no such path ${source}`}`);
}

/** See the file doc. */
export async function compressSaved(o: CompressOptions): Promise<{ out: string; report: CompressReport }> {
  const fn = o.fn ?? 'compressSaved';
  const repeats = o.repeats ?? 15;
  const batches = o.batches ?? [1, 128];
  if (existsSync(o.out)) throw new ParampredError(fn, `expected --out to be a new folder, got existing ${o.out}`);
  if (o.specs.length === 0) throw new ParampredError(fn, 'expected at least one layer to compress, got none');
  const { model, data, config } = await loadSource(o.source, o.dataDir, fn, o.data);
  if (o.finetune && !data) throw new ParampredError(fn, `expected a run directory to fine-tune (its training data), got a bare TF.js model ${o.source}`);
  const specs = data ? withInputs(model, data, o.specs, o.sampleSize ?? config?.dictionarySample ?? 5000, fn) : o.specs;
  const { model: compressed, layers } = compressModel(model, specs, fn);
  const inputShape = (model.inputs[0].shape as number[]).slice(1);
  const time = (before: () => tf.Tensor | tf.Tensor[], after: () => tf.Tensor | tf.Tensor[]) => timePair(before, after, repeats);
  const inputs = new Map(batches.map((b) => [b, tf.randomNormal([b, ...inputShape], 0, 1, 'float32', 1)]));
  // model.apply, not predict: predict splits a batch into 32s, which would time its own slicing
  const whole = (m: tf.LayersModel, b: number) => m.apply(inputs.get(b)!, { training: false }) as tf.Tensor | tf.Tensor[];
  const layerTime = (l: LayerCompression) => {
    const orig = model.getLayer(l.layer);
    const chain = l.replacedBy.map((n) => compressed.getLayer(n));
    const shape = ((orig.input as tf.SymbolicTensor).shape as number[]).slice(1);
    return Object.fromEntries(batches.map((b) => {
      const x = tf.randomNormal([b, ...shape], 0, 1, 'float32', 2);
      const t = time(() => applyChain([orig], x), () => applyChain(chain, x));
      x.dispose();
      return [`batch${b}`, t];
    }));
  };
  const report: CompressReport = {
    source: o.source,
    backend: tf.getBackend(),
    createdAt: new Date().toISOString(),
    dataset: data ? { name: data.name, label: data.label, examples: data.test.n } : null,
    test: null,
    finetune: null,
    timing: { statistic: 'median of interleaved before/after calls, output read back, after warm-up', repeats, batches },
    layers: layers.map((l) => ({ ...l, time: layerTime(l) })),
    network: {
      before: modelCost(model),
      after: modelCost(compressed),
      time: Object.fromEntries(batches.map((b) => [`batch${b}`, time(() => whole(model, b), () => whole(compressed, b))])),
    },
  };
  tf.dispose([...inputs.values()]);
  if (data) {
    const d = data.inputShape.reduce((p, q) => p * q, 1);
    const test = (m: tf.LayersModel) => evaluate(m, data.test, d, data.classes, { probs: outputsProbabilities(m), modelInputShape: inputShape });
    report.test = { before: test(model), after: test(compressed) };
    if (o.finetune) {
      const frozen = layers.flatMap((l) => l.replacedBy);
      report.finetune = finetune(compressed, data, frozen, { batchSize: config!.batchSize, seed: config!.seed, ...o.finetune }, fn);
      report.test.finetuned = test(compressed);
    }
  }
  await saveTfjsModel(compressed, o.out, { files: { 'report.json': JSON.stringify(report, null, 2) + '\n' }, noReplace: true });
  model.dispose();
  compressed.dispose();
  return { out: o.out, report };
}
