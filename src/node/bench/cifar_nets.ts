/**
 * `parampred bench cifar`: what each net of the CIFAR-10 reproduction costs to train, measured on one
 * machine in one process: the median training-step time (Adam, the runs' batch of 100, parampred's loss
 * on logits, as the trainer computes it) of the full convnet, the SE-predicted ones and their downsized
 * nets (the reproduction's own point definitions, `src/node/reproduce/cifar.ts`), timed in alternating
 * rounds so that all nets see the same drift of the machine's speed; and the step time × steps per epoch
 * of 45,000 images. The runs' per-epoch seconds (metrics.jsonl) come from different sessions' machines
 * and loads; this puts the nets side by side. Data-driven controls (emp/pca over patches) are left out:
 * their dictionaries need the data.
 */
import { cpus, loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import '../index.js';
import { buildConvnet, type ConvnetSpec } from '../../core/models/convnet.js';
import { cifarPresets, cifarReproduction } from '../reproduce/cifar.js';
import { interleaved, prepare, type Prepared } from './layers.js';
import { machineLine } from './engine.js';
import { check, unknownName } from '../../core/errors.js';
import { bf16Support, setPrecision, type Precision } from '../backend/precision.js';
import { TUNE_TRIALS, bf16ConvPolicy, convPrecisionChoices, type ConvChoice } from '../backend/conv_tune.js';
import { loadAddon } from '../backend/binding.js';

export interface BenchCifarOptions {
  json?: boolean;
  /** Timed steps per net (default 10). */
  steps?: number;
  /** Point ids (default: full, se and downsized at 50 and 75 % predicted). */
  points?: readonly string[];
  /** Precisions to time each net in, in the same alternating rounds (default fp32 only; bf16 needs the native backend and a CPU with bf16). */
  precisions?: readonly Precision[];
}

export interface BenchCifarRow {
  point: string;
  /** Trainable parameters of the built net. */
  learned: number;
  stepMs: number;
  /** stepMs × 450 steps (45,000 training images at batch 100), in seconds: training only, no validation. */
  epochSeconds: number;
  ratioToFull: number;
  /** The precision of the products and convolutions (precision.ts). */
  precision: Precision;
  /** bf16 rows: this step time / the same net's fp32 step time (same rounds); null for fp32 rows or without an fp32 twin. */
  ratioToFp32: number | null;
  orders: string[];
}

export interface BenchCifarResult {
  rows: BenchCifarRow[];
  batch: number;
  steps: number;
  backend: string;
  threads: string;
  cores: number;
  machine: string;
  /** 1-minute load average before and after: timings on a shared machine depend on it. */
  loadAverage: [number, number];
  /** With bf16 rows: the convolution policy and the precision each pass chose (conv_tune.ts). */
  bf16Conv: { policy: string; choices: ConvChoice[] } | null;
  notes: string[];
}

const FN = 'parampred bench cifar';
export const BENCH_CIFAR_POINTS = ['full', 'se-f0.5000', 'downsized-f0.5000', 'se-f0.2500', 'downsized-f0.2500'] as const;

export async function benchCifarNets(o: BenchCifarOptions = {}): Promise<BenchCifarResult> {
  await tf.ready();
  const steps = o.steps ?? 10;
  const batch = 100;
  const stepsPerEpoch = 45_000 / batch;
  const log = (m: string) => process.stderr.write(`bench cifar: ${m}\n`);
  const preset = cifarPresets.full;
  const all = cifarReproduction.points(preset, cifarReproduction.shape);
  const ids = o.points ?? BENCH_CIFAR_POINTS;
  for (const id of ids) if (!all.some((p) => p.id === id)) throw unknownName(FN, 'a point id of the CIFAR full preset', id, all.map((p) => p.id));
  const precisions = o.precisions ?? ['fp32'];
  if (precisions.includes('bf16')) {
    const addon = loadAddon();
    const support = addon && tf.getBackend() === 'native' ? bf16Support(addon) : null;
    check(support?.ok === true, FN, 'a native backend with bf16 for --precision bf16', support ? support.reason : `backend ${tf.getBackend()}`);
  }
  const load0 = loadavg()[0];
  const cases: Record<string, Prepared> = {};
  const learned: Record<string, number> = {};
  const key = (id: string, p: Precision) => (p === 'fp32' ? id : `${id} ${p}`);
  for (const id of ids) {
    const exp = all.find((p) => p.id === id)!.experiment;
    check(exp.model.kind === 'convnet', FN, `a convnet at ${id}`, exp.model.kind);
    for (const p of precisions) {
      setPrecision(p);
      try {
        const model = buildConvnet({ ...(exp.model.spec as ConvnetSpec), inputShape: [32, 32, 3], classes: 10, seed: 1 });
        learned[id] = model.trainableWeights.reduce((n, w) => n + tf.util.sizeFromShape(w.shape as number[]), 0);
        // bf16: enough warm-up steps for every convolution pass to finish its 'auto' timing trials
        const c = prepare(model, [32, 32, 3], batch, p === 'bf16' ? 4 + 2 * TUNE_TRIALS : 3);
        cases[key(id, p)] = { ...c, step: () => { setPrecision(p); try { c.step(); } finally { setPrecision('fp32'); } } };
      } finally {
        setPrecision('fp32');
      }
      log(`${key(id, p)}: built and warmed up (${learned[id].toLocaleString('en')} learned parameters)`);
    }
  }
  log(`timing ${steps} steps per net in alternating rounds`);
  const t = interleaved(cases, steps);
  const rows: BenchCifarRow[] = ids.flatMap((id) => precisions.map((p) => {
    const r = t[key(id, p)], full = t[key('full', p)]?.ms ?? null, fp32 = p !== 'fp32' ? t[key(id, 'fp32')]?.ms ?? null : null;
    return { point: id, precision: p, learned: learned[id], stepMs: r.ms, epochSeconds: (r.ms * stepsPerEpoch) / 1000, ratioToFull: full === null ? NaN : r.ms / full, ratioToFp32: fp32 === null ? null : r.ms / fp32, orders: r.orders };
  }));
  const result: BenchCifarResult = {
    rows, batch, steps, backend: tf.getBackend(), threads: process.env.PARAMPRED_THREADS ?? 'default', cores: cpus().length, machine: machineLine(), loadAverage: [load0, loadavg()[0]],
    bf16Conv: precisions.includes('bf16') ? { policy: bf16ConvPolicy(), choices: convPrecisionChoices() } : null,
    notes: [
      'median wall time of one training step (forward, softmax cross-entropy on logits, backward, Adam update, loss read back) on a fixed random batch of 100 32×32×3 images',
      'nets as the reproduction builds them (cifar-convnet-full / -se / -downsized with the full preset\'s overrides); V and dictionaries as built without data (SE needs none)',
      'epochSeconds = stepMs × 450: training steps only (no augmentation, validation pass or checkpoint)',
    ],
  };
  if (o.json) process.stdout.write(JSON.stringify(result) + '\n');
  else {
    console.log(`${result.machine}; load average ${result.loadAverage.map((l) => l.toFixed(1)).join(' → ')}; backend ${result.backend}, threads ${result.threads}; Adam, batch ${batch}, median of ${steps} steps`);
    console.log('net                precision  learned    ms/step  s/epoch  × full  × fp32');
    for (const r of rows) console.log(`${r.point.padEnd(18)} ${r.precision.padStart(9)} ${String(r.learned).padStart(8)} ${r.stepMs.toFixed(1).padStart(9)} ${r.epochSeconds.toFixed(0).padStart(8)} ${Number.isFinite(r.ratioToFull) ? r.ratioToFull.toFixed(2).padStart(7) : '      -'} ${r.ratioToFp32 === null ? '      -' : r.ratioToFp32.toFixed(2).padStart(7)}`);
    if (result.bf16Conv) console.log(`bf16 convolutions: policy ${result.bf16Conv.policy}; ${result.bf16Conv.choices.map((c) => `${c.pass} ${c.shape}: ${c.choice ?? 'undecided'} (bf16 ${c.bf16_ms?.toFixed(2) ?? '-'} / fp32 ${c.fp32_ms?.toFixed(2) ?? '-'} ms)`).join('; ')}`);
  }
  return result;
}
