/**
 * runDemo (`npm start` = `parampred demo`): the paper's headline in a few minutes. Trains the registered
 * mnist-mlp-full (every weight learned) and mnist-mlp-se-emp (10 columns, 5 % of the first two layers
 * dynamic: 95 % predicted) with the same shortened schedule (overrides: epochs, training images), prints
 * both test errors and the dynamic fraction, and puts the Fig. 1-style pictures under <out>/.
 */
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { applyOverrides } from '../../core/experiments/index.js';
import { getExperiment } from '../experiments/index.js';
import { loadExperimentData, type RunDataset } from '../run/data.js';
import type { ProgressMode } from '../run/progress.js';
import { runExperiment, type FinalResult } from '../run/runner.js';
import { check } from '../../core/errors.js';

export interface DemoOptions {
  /** Default runs/demo. */
  outDir?: string;
  /** Epochs of both runs (default 15: 5 epochs of both runs took 60 s on 2 cores at load 0; 3 took 81 s at load 1.3). */
  epochs?: number;
  /** Training images (default 50000; the last 5000 of the 60k validate). */
  train?: number;
  /** Delete <out>/full and <out>/se-emp first (default: finished runs are reused, half-done ones resumed). */
  fresh?: boolean;
  seed?: number;
  dataDir?: string;
  /** Preloaded data (tests); default MNIST. */
  data?: RunDataset;
  /** Extra overrides for both runs (tests: tiny nets). */
  overrides?: string[];
  progress?: ProgressMode;
  /** Where the result lines go (default stdout). */
  print?: (line: string) => void;
}

export interface DemoResult {
  full: FinalResult;
  predicted: FinalResult;
  seconds: number;
  pictures: string[];
}

/** Runs the demo; see the file doc. */
export async function runDemo(o: DemoOptions = {}): Promise<DemoResult> {
  const fn = 'runDemo';
  const out = o.outDir ?? join('runs', 'demo');
  const epochs = o.epochs ?? 15;
  const train = o.train ?? 50000;
  check(Number.isInteger(epochs) && epochs >= 1, fn, 'epochs a positive integer', epochs);
  check(Number.isInteger(train) && train >= 100, fn, 'train an integer ≥ 100', train);
  const print = o.print ?? ((l: string) => console.log(l));
  const t0 = performance.now();
  const shared = [`epochs=${epochs}`, `dataset.limit.train=${train}`, 'dataset.validation=5000', ...(o.overrides ?? [])];
  const full = applyOverrides(getExperiment('mnist-mlp-full', fn), shared, fn);
  const pred = applyOverrides(getExperiment('mnist-mlp-se-emp', fn), shared, fn);
  const seed = o.seed ?? full.seed;
  if (o.fresh) for (const d of ['full', 'se-emp']) rmSync(join(out, d), { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  print(`parampred demo: the 784-500-500-10 MNIST MLP, fully learned vs 95 % of its first two layers predicted (se-emp, 10 columns); ${epochs} epochs on ${train} training images each → ${out}`);
  const data = o.data ?? (await loadExperimentData(full, o.dataDir));
  const run = async (exp: typeof full, dir: string) => {
    const resume = existsSync(join(out, dir, 'config.json'));
    if (resume && existsSync(join(out, dir, 'final.json'))) print(`(${dir}: reusing the finished run in ${join(out, dir)}; --fresh retrains)`);
    return runExperiment(exp, { seed, outDir: join(out, dir), resume, data, progress: o.progress });
  };
  const rf = await run(full, 'full');
  const rp = await run(pred, 'se-emp');
  const pictures: string[] = [];
  const copy = (from: string, to: string) => {
    if (!existsSync(from)) return;
    copyFileSync(from, join(out, to));
    pictures.push(join(out, to));
  };
  copy(join(rp.dir, 'pictures', 'fig1.png'), 'fig1.png');
  copy(join(rp.dir, 'pictures', 'features.png'), 'features-se-emp.png');
  copy(join(rf.dir, 'pictures', 'features.png'), 'features-full.png');
  const seconds = (performance.now() - t0) / 1000;
  const f = rf.final;
  const p = rp.final;
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  print('');
  print(`full MLP (all weights learned):      test error ${f.testError.toFixed(2)} %   (${f.parameters.paper.dynamic} dynamic weights in the hidden layers)`);
  print(`se-emp MLP (10 columns, 95 % predicted): test error ${p.testError.toFixed(2)} %   (${p.parameters.paper.dynamic} dynamic weights)`);
  print(`dynamic fraction, paper convention (Σ n_α·n_h / Σ n_v·n_h over the two hidden layers, softmax and biases excluded): ${pct(p.parameters.paper.fraction)}`);
  print(`dynamic fraction, whole network (trainable / all-dense parameters, biases and softmax included): ${pct(p.parameters.wholeNetwork.fraction)}`);
  print(`difference: ${(p.testError - f.testError >= 0 ? '+' : '') + (p.testError - f.testError).toFixed(2)} percentage points (one seed, short schedule; \`parampred reproduce mnist\` gives error bars)`);
  if (pictures.length) print(`Fig. 1-style pictures: ${pictures.join(', ')} (fig1.png: each feature at its sampled pixels α | the feature predicted from them)`);
  print(`wall time ${seconds.toFixed(0)} s`);
  return { full: f, predicted: p, seconds, pictures };
}
