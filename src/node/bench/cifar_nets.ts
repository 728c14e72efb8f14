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

export interface BenchCifarOptions {
  json?: boolean;
  /** Timed steps per net (default 10). */
  steps?: number;
  /** Point ids (default: full, se and downsized at 50 and 75 % predicted). */
  points?: readonly string[];
}

export interface BenchCifarRow {
  point: string;
  /** Trainable parameters of the built net. */
  learned: number;
  stepMs: number;
  /** stepMs × 450 steps (45,000 training images at batch 100), in seconds: training only, no validation. */
  epochSeconds: number;
  ratioToFull: number;
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
  const load0 = loadavg()[0];
  const cases: Record<string, Prepared> = {};
  const learned: Record<string, number> = {};
  for (const id of ids) {
    const exp = all.find((p) => p.id === id)!.experiment;
    check(exp.model.kind === 'convnet', FN, `a convnet at ${id}`, exp.model.kind);
    const model = buildConvnet({ ...(exp.model.spec as ConvnetSpec), inputShape: [32, 32, 3], classes: 10, seed: 1 });
    learned[id] = model.trainableWeights.reduce((n, w) => n + tf.util.sizeFromShape(w.shape as number[]), 0);
    cases[id] = prepare(model, [32, 32, 3], batch, 3);
    log(`${id}: built and warmed up (${learned[id].toLocaleString('en')} learned parameters)`);
  }
  log(`timing ${steps} steps per net in alternating rounds`);
  const t = interleaved(cases, steps);
  const full = t.full?.ms ?? null;
  const rows: BenchCifarRow[] = ids.map((id) => ({ point: id, learned: learned[id], stepMs: t[id].ms, epochSeconds: (t[id].ms * stepsPerEpoch) / 1000, ratioToFull: full === null ? NaN : t[id].ms / full, orders: t[id].orders }));
  const result: BenchCifarResult = {
    rows, batch, steps, backend: tf.getBackend(), threads: process.env.PARAMPRED_THREADS ?? 'default', cores: cpus().length, machine: machineLine(), loadAverage: [load0, loadavg()[0]],
    notes: [
      'median wall time of one training step (forward, softmax cross-entropy on logits, backward, Adam update, loss read back) on a fixed random batch of 100 32×32×3 images',
      'nets as the reproduction builds them (cifar-convnet-full / -se / -downsized with the full preset\'s overrides); V and dictionaries as built without data (SE needs none)',
      'epochSeconds = stepMs × 450: training steps only (no augmentation, validation pass or checkpoint)',
    ],
  };
  if (o.json) process.stdout.write(JSON.stringify(result) + '\n');
  else {
    console.log(`${result.machine}; load average ${result.loadAverage.map((l) => l.toFixed(1)).join(' → ')}; backend ${result.backend}, threads ${result.threads}; Adam, batch ${batch}, median of ${steps} steps`);
    console.log('net                 learned    ms/step  s/epoch  × full');
    for (const r of rows) console.log(`${r.point.padEnd(18)} ${String(r.learned).padStart(8)} ${r.stepMs.toFixed(1).padStart(9)} ${r.epochSeconds.toFixed(0).padStart(8)} ${Number.isFinite(r.ratioToFull) ? r.ratioToFull.toFixed(2).padStart(7) : '      -'}`);
  }
  return result;
}
