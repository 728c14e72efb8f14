/**
 * `parampred bench engine`: GEMM GFLOP/s through tf.matMul, and median training-step times of the
 * 784-500-500-10 MLP (batch 128; SGD and Adam) and the CIFAR convnet (batch 64; SGD) on the native
 * backend, built as parampred builds models (models.ts: its fused Dense and softmax cross-entropy);
 * the MLP also from stock tf.layers + tf.losses on the native backend and on TF.js's pure `cpu`
 * backend; and the same models in PyTorch (CPU, a child process). Our steps and PyTorch's run in
 * alternating rounds (never at the same time), so both see the same load on a shared machine.
 * ratio_* = parampred / pytorch (< 1: we are faster). Where the CPU has bf16 (precision.ts), `bf16` holds
 * the same cases in bf16 mixed precision, each timed in the same alternating rounds as its fp32 twin,
 * with bf16/fp32 ratios and the oneDNN implementation the products got.
 */
import { cpus, loadavg, totalmem } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { loadAddon } from '../backend/binding.js';
import { registerNativeBackend } from '../backend/register.js';
import { fusedTrainingEnabled } from '../backend/fused_training.js';
import { bf16Support, setPrecision, type Precision } from '../backend/precision.js';
import { bf16ConvPolicy, convPrecisionChoices, type ConvChoice, type ConvPolicy } from '../backend/conv_tune.js';
import { packageVersion } from '../package_root.js';
import { profileKernels } from './kernel_profile.js';
import { convnet, mlp, randomBatch, trainingStep, type Flavour } from './models.js';
import { PEER_CONFIGS, PYTHON, PytorchPeer, type BenchCase, type PeerConfig } from './peer.js';
import { WARMUP_MS, median, medianMs, stepTimes, warmUp } from './timing.js';

export interface BenchEngineOptions {
  /** Print exactly one JSON object on stdout (progress goes to stderr). */
  json?: boolean;
  /** Timed steps per measurement (default 40; `quick` 3). */
  steps?: number;
  /** Few steps, for smoke tests. */
  quick?: boolean;
  /** Run the PyTorch peer (default true). */
  peer?: boolean;
  /** Print per-kernel times of the native MLP step to stderr (also PARAMPRED_PROFILE=1). */
  profile?: boolean;
  /** 'fp32': skip the bf16 rows; otherwise (default) bf16 rows beside fp32 where the CPU has bf16. */
  precision?: Precision;
}

/** bf16 mixed precision (precision.ts) next to fp32: times of the same cases from the same rounds. */
export interface Bf16Result {
  available: boolean;
  /** Why not, when unavailable or skipped. */
  reason: string;
  /** oneDNN's effective ISA and its bf16 matmul implementation (e.g. brg:avx512_core_amx_bf16). */
  isa: string;
  matmul_impl: string;
  /** Which convolution passes ran in bf16 (conv_tune.ts: 'auto' times each pass of each shape in both). */
  conv_policy: ConvPolicy;
  /** Under 'auto': the precision each convnet pass chose, with its timings. */
  conv_choices: ConvChoice[];
  /** Through tf.matMul, operands converted to bf16 inside each call; fp32 figures from the same rounds. */
  gemm_gflops: Record<'512x784x500' | '1024x1024x1024', { fp32: number; bf16: number }> | null;
  mlp_step_ms: number | null;
  mlp_adam_step_ms: number | null;
  conv_step_ms: number | null;
  /** bf16 / fp32 step time, each the median of the per-round ratios (target ≤ 0.6). */
  ratio_mlp: number | null;
  ratio_mlp_adam: number | null;
  ratio_conv: number | null;
}

export interface BenchEngineResult {
  gemm_gflops: Record<'512x784x500' | '1024x1024x1024', number>;
  /**
   * parampred: the MLP built as parampred builds models (its fused Dense and loss); tfjs_layers: the
   * same MLP from stock tf.layers.dense and tf.losses.softmaxCrossEntropy, also on the native backend
   * (timed in the same rounds); tfjs_cpu: the stock MLP on TF.js's pure-JS cpu backend.
   */
  mlp_step_ms: { parampred: number; pytorch: number | null; tfjs_cpu: number; tfjs_layers: number };
  mlp_adam_step_ms: { parampred: number; pytorch: number | null };
  conv_step_ms: { parampred: number; pytorch: number | null };
  ratio_mlp: number | null;
  ratio_conv: number | null;
  ratio_mlp_adam: number | null;
  /** The peer's median per case under each OpenMP config it ran with; `pytorch` above is the faster. */
  pytorch_by_config: Record<BenchCase, Partial<Record<PeerConfig, number>>>;
  threads: number;
  /** Whether parampred's fused optimizer updates and activation gradients were on (PARAMPRED_FUSED). */
  fused_training: boolean;
  machine: string;
  /** 1-minute load average before and after the run: timings on a shared machine depend on it. */
  load_avg: [number, number];
  steps: number;
  bf16: Bf16Result;
  versions: Record<string, string>;
  notes: string[];
}

const log = (msg: string) => process.stderr.write(`bench engine: ${msg}\n`);

/**
 * GFLOP/s of C = A·B (m×k by k×n) through tf.matMul on the active backend: 2·m·n·k / t, t the median
 * of `reps` products after `warmMs` of warm-up. (Right after start-up V8's background threads are
 * still compiling TF.js and take the second core: with 3 warm-up products the first reading was once
 * 103 GFLOP/s where it is ≈190 otherwise.)
 */
export function gemmGflops(m: number, n: number, k: number, reps: number, warmMs = 0): number {
  const a = tf.randomNormal([m, k], 0, 1, 'float32', 1), b = tf.randomNormal([k, n], 0, 1, 'float32', 2);
  const product = () => tf.matMul(a, b).dispose();
  warmUp(product, 3, warmMs);
  const ms = median(stepTimes(product, reps));
  a.dispose();
  b.dispose();
  return (2 * m * n * k) / (ms * 1e6);
}

/**
 * GFLOP/s of the product in fp32 and bf16, timed in alternating rounds (ROUNDS of reps/ROUNDS products
 * each) after warm-up of both; the operands are not pooled arrays, so each bf16 product converts them.
 */
function gemmPair(m: number, n: number, k: number, reps: number, warmMs: number): { fp32: number; bf16: number } {
  const a = tf.randomNormal([m, k], 0, 1, 'float32', 1), b = tf.randomNormal([k, n], 0, 1, 'float32', 2);
  const product = () => tf.matMul(a, b).dispose();
  const times: Record<Precision, number[]> = { fp32: [], bf16: [] };
  for (const p of ['fp32', 'bf16'] as const) {
    setPrecision(p);
    warmUp(product, 3, warmMs / 2);
  }
  const per = Math.max(1, Math.ceil(reps / ROUNDS));
  for (let r = 0; r < ROUNDS; r++) {
    for (const p of r % 2 ? (['bf16', 'fp32'] as const) : (['fp32', 'bf16'] as const)) {
      setPrecision(p);
      times[p].push(...stepTimes(product, per));
    }
  }
  setPrecision('fp32');
  tf.dispose([a, b]);
  const gf = (ms: number) => (2 * m * n * k) / (ms * 1e6);
  return { fp32: gf(median(times.fp32)), bf16: gf(median(times.bf16)) };
}

/** Median step time of `model` trained with `opt` on a preloaded random batch; disposes all it made. */
function stepMs(model: tf.Sequential, opt: tf.Optimizer, batch: number, inShape: number[], steps: number, warmup: number, flavour: Flavour): number {
  const { x, y } = randomBatch(batch, inShape, 7);
  const ms = medianMs(trainingStep(model, opt, x, y, flavour), steps, warmup);
  x.dispose();
  y.dispose();
  opt.dispose();
  model.dispose();
  return ms;
}

interface Case { model: tf.Sequential; opt: tf.Optimizer; batch: number; inShape: number[]; flavour?: Flavour; precision?: Precision }

/** The cases, each built as parampred builds models; `alt`: also timed in the same rounds (ours only). */
const CASES: Record<BenchCase, () => Case & { alt?: Case }> = {
  mlp_sgd: () => ({ model: mlp(), opt: tf.train.sgd(0.01), batch: 128, inShape: [784], alt: { model: mlp('tfjs'), opt: tf.train.sgd(0.01), batch: 128, inShape: [784], flavour: 'tfjs' } }),
  mlp_adam: () => ({ model: mlp(), opt: tf.train.adam(1e-3), batch: 128, inShape: [784] }),
  conv_sgd: () => ({ model: convnet(), opt: tf.train.sgd(0.01), batch: 64, inShape: [32, 32, 3] }),
};

/**
 * Idle time before each round, so that the other side's spinning threads have gone to sleep (OpenBLAS
 * workers spin about 0.1 s after their last product, ours ≈40 ms, see SPIN_COUNT): with our workers
 * spinning through its rounds the PyTorch peer's MLP step went from 3.5 to 10–16 ms (measured
 * 2026-12-01; current figures: results/bench-engine.json).
 */
const ROUND_GAP_MS = 300;
/**
 * Alternating rounds per case. The VM's speed drifts by up to 1.5× over tens of seconds; more, shorter
 * rounds give both sides the same mix of fast and slow phases (with 5 rounds one run's MLP ratio read
 * 0.98 and the next 0.74).
 */
const ROUNDS = 10;
/** Warm-up time of each GEMM measurement. */
const GEMM_WARMUP_MS = 1000;
/** Untimed steps at the start of each round (caches and thread pools are cold after the gap). */
const ROUND_WARMUP = 2;
// No await at all without a gap: a run without the peer stays synchronous between its rounds.
const sleep = async (ms: number) => {
  if (ms > 0) await new Promise<void>((r) => setTimeout(r, ms));
};

/**
 * Median step times of a case: ours, and each peer's (by config), timed in alternating rounds after
 * warm-up; with `bf16`, also the case in bf16 precision (a second model, same rounds) and the median
 * of its per-round ratios to fp32.
 */
async function measureCase(c: BenchCase, steps: number, warmup: { min: number; ms: number }, peers: PytorchPeer[], bf16 = false): Promise<{ ours: number; alt: number | null; bf16: number | null; bf16Ratio: number | null; peers: Partial<Record<PeerConfig, number>> }> {
  const main = CASES[c]();
  const twin = bf16 ? [{ ...CASES[c](), alt: undefined, precision: 'bf16' as const }] : [];
  const mine = [main, ...(main.alt ? [main.alt] : []), ...twin].map((k) => {
    const { x, y } = randomBatch(k.batch, k.inShape, 7);
    const step = trainingStep(k.model, k.opt, x, y, k.flavour), p = k.precision ?? 'fp32';
    return { k, x, y, step: () => step(), p, times: [] as number[], rounds: [] as number[] };
  });
  const run = (m: (typeof mine)[number], f: () => unknown) => {
    setPrecision(m.p);
    try {
      return f();
    } finally {
      setPrecision('fp32');
    }
  };
  const gap = peers.length ? ROUND_GAP_MS : 0;
  let warmed = 0;
  for (const m of mine) warmed = run(m, () => warmUp(m.step, warmup.min, warmup.ms)) as number;
  for (const p of peers) await p.times(c, 0, warmed);
  const rounds = Math.min(ROUNDS, steps), per = Math.ceil(steps / rounds);
  const theirs = peers.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    for (const m of r % 2 && bf16 ? [...mine].reverse() : mine) {
      await sleep(gap);
      const t = run(m, () => {
        stepTimes(m.step, ROUND_WARMUP);
        return stepTimes(m.step, per);
      }) as number[];
      m.times.push(...t);
      m.rounds.push(median(t));
    }
    for (const [i, p] of peers.entries()) {
      await sleep(gap);
      theirs[i].push(...(await p.times(c, per, ROUND_WARMUP)));
    }
  }
  for (const m of mine) {
    tf.dispose([m.x, m.y]);
    m.k.opt.dispose();
    m.k.model.dispose();
  }
  const b = bf16 ? mine[mine.length - 1] : null;
  return {
    ours: median(mine[0].times), alt: main.alt ? median(mine[1].times) : null,
    bf16: b ? median(b.times) : null, bf16Ratio: b ? median(b.rounds.map((t, i) => t / mine[0].rounds[i])) : null,
    peers: Object.fromEntries(peers.map((p, i) => [p.config, median(theirs[i])])),
  };
}

/** The peer's figure for a case: its faster config's median, or null without a peer. */
function best(peers: Partial<Record<PeerConfig, number>>): number | null {
  const v = Object.values(peers);
  return v.length ? Math.min(...v) : null;
}

/** Prints per-kernel times of the native MLP SGD step to stderr: `steps` profiled steps after the usual warm-up. */
function profileMlp(steps: number, warmup: { min: number; ms: number }): void {
  const model = mlp(), opt = tf.train.sgd(0.01);
  const { x, y } = randomBatch(128, [784], 7);
  const step = trainingStep(model, opt, x, y);
  warmUp(step, warmup.min, warmup.ms);
  const prof = profileKernels('native');
  const ms = median(stepTimes(step, steps));
  const table = prof.stop();
  log(`kernel profile of the native MLP SGD step (${ms.toFixed(2)} ms median while profiling), per step:`);
  for (const t of table.slice(0, 25)) log(`  ${t.kernel.padEnd(24)} ${(t.ms / steps).toFixed(3).padStart(8)} ms  ${(t.calls / steps).toFixed(1)} calls`);
  tf.dispose([x, y]);
  opt.dispose();
  model.dispose();
}

/** Runs every measurement; prints a table (or JSON with `json`) and returns the figures. */
/** The CPU model, core count and memory: what a timing was taken on. */
export function machineLine(): string {
  return `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`;
}

export async function benchEngine(opts: BenchEngineOptions = {}): Promise<BenchEngineResult> {
  const steps = opts.steps ?? (opts.quick ? 3 : 40);
  const warmup = opts.quick ? 1 : 5;
  const caseWarmup = { min: warmup, ms: opts.quick ? 0 : WARMUP_MS };
  const notes: string[] = [];
  const loadBefore = loadavg()[0];
  if (!registerNativeBackend()) throw new Error('bench engine: expected the native addon to load, found none (npm run build:native)');
  const addon = loadAddon()!;
  await tf.setBackend('native');
  const threads = addon.getNumThreads();

  const support = bf16Support(addon);
  const bf16 = support.ok && opts.precision !== 'fp32';
  log(`bf16: ${bf16 ? `on (oneDNN ISA ${support.isa}, bf16 matmul ${support.matmulImpl})` : `off (${support.ok ? '--precision fp32' : support.reason})`}`);

  log('GEMM');
  const gemmShapes: ['512x784x500' | '1024x1024x1024', number, number, number, number][] = [
    ['512x784x500', 512, 500, 784, opts.quick ? 5 : 200], ['1024x1024x1024', 1024, 1024, 1024, opts.quick ? 3 : 30],
  ];
  const warmMs = opts.quick ? 0 : GEMM_WARMUP_MS;
  const gemmBf16 = bf16 ? Object.fromEntries(gemmShapes.map(([key, m, n, k, reps]) => [key, gemmPair(m, n, k, reps, warmMs)])) as Bf16Result['gemm_gflops'] : null;
  const gemm = Object.fromEntries(gemmShapes.map(([key, m, n, k, reps]) => [key, gemmBf16 ? gemmBf16[key].fp32 : gemmGflops(m, n, k, reps, warmMs)])) as BenchEngineResult['gemm_gflops'];

  const peers: PytorchPeer[] = [];
  if (opts.peer === false) notes.push('PyTorch peer skipped');
  else {
    log(`starting the PyTorch peer (${PYTHON}, torch.set_num_threads(2)) under OpenMP settings: ${PEER_CONFIGS.join(', ')}`);
    for (const config of PEER_CONFIGS) {
      const p = await PytorchPeer.start(2, config);
      if (p instanceof PytorchPeer) peers.push(p);
      else {
        notes.push(p.note);
        break;
      }
    }
  }
  let mlpSgd, mlpAdam, conv;
  try {
    log(`MLP step, SGD: ${steps} steps each side, alternating rounds`);
    mlpSgd = await measureCase('mlp_sgd', steps, caseWarmup, peers, bf16);
    log('MLP step, Adam');
    mlpAdam = await measureCase('mlp_adam', steps, caseWarmup, peers, bf16);
    log('convnet step, SGD');
    conv = await measureCase('conv_sgd', steps, caseWarmup, peers, bf16);
  } finally {
    for (const p of peers) p.stop();
  }
  if (opts.profile || process.env.PARAMPRED_PROFILE === '1') profileMlp(steps, caseWarmup);

  log('MLP step, pure TF.js cpu backend');
  await tf.setBackend('cpu');
  const mlpCpu = stepMs(mlp('tfjs'), tf.train.sgd(0.01), 128, [784], opts.quick ? 1 : 3, opts.quick ? 0 : 1, 'tfjs');
  await tf.setBackend('native');

  const ratio = (a: number, b: number | null | undefined) => (b ? a / b : null);
  const result: BenchEngineResult = {
    gemm_gflops: gemm,
    mlp_step_ms: { parampred: mlpSgd.ours, pytorch: best(mlpSgd.peers), tfjs_cpu: mlpCpu, tfjs_layers: mlpSgd.alt! },
    mlp_adam_step_ms: { parampred: mlpAdam.ours, pytorch: best(mlpAdam.peers) },
    conv_step_ms: { parampred: conv.ours, pytorch: best(conv.peers) },
    ratio_mlp: ratio(mlpSgd.ours, best(mlpSgd.peers)),
    ratio_conv: ratio(conv.ours, best(conv.peers)),
    ratio_mlp_adam: ratio(mlpAdam.ours, best(mlpAdam.peers)),
    pytorch_by_config: { mlp_sgd: mlpSgd.peers, mlp_adam: mlpAdam.peers, conv_sgd: conv.peers },
    threads,
    fused_training: fusedTrainingEnabled(),
    machine: machineLine(),
    load_avg: [loadBefore, loadavg()[0]],
    steps,
    bf16: {
      available: support.ok, reason: support.ok ? (bf16 ? '' : 'skipped (--precision fp32)') : support.reason,
      isa: support.isa, matmul_impl: support.matmulImpl, conv_policy: bf16ConvPolicy(), conv_choices: bf16 ? convPrecisionChoices() : [],
      gemm_gflops: gemmBf16, mlp_step_ms: mlpSgd.bf16, mlp_adam_step_ms: mlpAdam.bf16, conv_step_ms: conv.bf16,
      ratio_mlp: mlpSgd.bf16Ratio, ratio_mlp_adam: mlpAdam.bf16Ratio, ratio_conv: conv.bf16Ratio,
    },
    versions: {
      parampred: packageVersion(), tfjs: tf.version.tfjs, node: process.version, dnnl: addon.version().dnnl,
      ...(peers.length ? { torch: peers[0].torch } : {}),
    },
    notes,
  };
  if (opts.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else printTable(result);
  return result;
}

function printTable(r: BenchEngineResult): void {
  const f = (v: number | null, d = 2) => (v === null ? '—' : v.toFixed(d));
  const rows: [string, string, string, string, string][] = [
    ['GEMM 512×784×500', `${f(r.gemm_gflops['512x784x500'], 1)} GFLOP/s`, '', '', ''],
    ['GEMM 1024³', `${f(r.gemm_gflops['1024x1024x1024'], 1)} GFLOP/s`, '', '', ''],
    ['MLP step, SGD (ms)', f(r.mlp_step_ms.parampred), f(r.mlp_step_ms.pytorch), f(r.ratio_mlp), f(r.mlp_step_ms.tfjs_cpu, 0)],
    ['  same, tf.layers + tf.losses (ms)', f(r.mlp_step_ms.tfjs_layers), '', '', ''],
    ['MLP step, Adam (ms)', f(r.mlp_adam_step_ms.parampred), f(r.mlp_adam_step_ms.pytorch), f(r.ratio_mlp_adam), ''],
    ['convnet step, SGD (ms)', f(r.conv_step_ms.parampred), f(r.conv_step_ms.pytorch), f(r.ratio_conv), ''],
  ];
  const head: typeof rows[0] = ['', 'parampred', 'PyTorch', 'ratio', 'TF.js cpu'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (c: string[]) => c.map((s, i) => (i === 0 ? s.padEnd(w[i]) : s.padStart(w[i]))).join('  ');
  console.log(line(head));
  for (const row of rows) console.log(line(row));
  console.log(`${r.machine}; ${r.threads} threads; fused training ${r.fused_training ? 'on' : 'off (PARAMPRED_FUSED=0)'}; load average ${r.load_avg.map((l) => l.toFixed(1)).join(' → ')}`);
  const byCfg = (Object.entries(r.pytorch_by_config) as [string, Record<string, number>][])
    .filter(([, v]) => Object.keys(v).length)
    .map(([c, v]) => `${c} ${Object.entries(v).map(([k, ms]) => `${k} ${ms.toFixed(2)}`).join(' / ')}`);
  if (byCfg.length) console.log(`PyTorch by OpenMP setting (ms; the faster is compared): ${byCfg.join('; ')}`);
  console.log(`median of ${r.steps} steps per side, in alternating rounds with idle gaps; ratio = parampred / PyTorch (target ≤ 0.8)`);
  printBf16(r.bf16, r);
  for (const n of r.notes) console.log(`note: ${n}`);
}

/** The bf16 table: fp32 and bf16 side by side (same rounds), bf16/fp32 as time ratios. */
function printBf16(b: Bf16Result, r: BenchEngineResult): void {
  if (!b.gemm_gflops) {
    console.log(`bf16: not measured (${b.reason}; oneDNN ISA ${b.isa})`);
    return;
  }
  const f = (v: number | null, d = 2) => (v === null ? '—' : v.toFixed(d));
  const g = b.gemm_gflops;
  const rows: [string, string, string, string][] = [
    ['GEMM 512×784×500 (GFLOP/s)', f(g['512x784x500'].fp32, 1), f(g['512x784x500'].bf16, 1), f(g['512x784x500'].fp32 / g['512x784x500'].bf16)],
    ['GEMM 1024³ (GFLOP/s)', f(g['1024x1024x1024'].fp32, 1), f(g['1024x1024x1024'].bf16, 1), f(g['1024x1024x1024'].fp32 / g['1024x1024x1024'].bf16)],
    ['MLP step, SGD (ms)', f(r.mlp_step_ms.parampred), f(b.mlp_step_ms), f(b.ratio_mlp)],
    ['MLP step, Adam (ms)', f(r.mlp_adam_step_ms.parampred), f(b.mlp_adam_step_ms), f(b.ratio_mlp_adam)],
    ['convnet step, SGD (ms)', f(r.conv_step_ms.parampred), f(b.conv_step_ms), f(b.ratio_conv)],
  ];
  const head: typeof rows[0] = ['bf16 mixed precision', 'fp32', 'bf16', 'bf16/fp32'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (c: string[]) => c.map((s, i) => (i === 0 ? s.padEnd(w[i]) : s.padStart(w[i]))).join('  ');
  console.log('');
  console.log(line(head));
  for (const row of rows) console.log(line(row));
  console.log(`bf16: oneDNN ISA ${b.isa}, products on ${b.matmul_impl}; convolution passes: policy ${b.conv_policy}${b.conv_choices.length ? ` (${b.conv_choices.map((c) => `${c.pass} ${c.shape}: ${c.choice ?? 'undecided'}`).join('; ')})` : ''}; bf16/fp32 = time ratio, median of per-round ratios (target ≤ 0.6)`);
}
