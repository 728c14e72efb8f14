/**
 * reproduceCompress (`parampred reproduce compress`; issue 14; docs/method.md §1, §3): Denton et al.'s svd
 * and Denil et al.'s fixed-dictionary `predict` on the trained 784-500-500-10 MNIST MLP, at equal stored
 * parameters. For each seed's full net (the sweep's points/full/seed-N run if it has its model, else
 * trained here with mnist-mlp-full) and each point of the grid, both hidden layers are approximated at
 * rank t (svd) or with n_α = t sampled inputs (predict: se over the 28 × 28 grid in layer 1, emp from the
 * layer's inputs on 5,000 training images in layer 2), which gives both chains t·(m + k) weights and
 * multiply-adds per layer; the '10pct' point takes per layer t = round(0.1·m·k/(m + k)), 10 % of the layer's
 * weights. Every point goes through compressSaved (core compress + timing of the whole net at batch 1 and
 * 128 + test error) with fine-tuning (Adam, the output layer above the approximated ones), so one call gives
 * the error before, after approximating and after fine-tuning. Writes <out>/summary.{md,json},
 * claims.json, speedup-vs-cost.svg and reports/seed-N/<point>.json (resumable: a point whose report is
 * there is not redone); a preset that makes claims merges them into <resultsDir>/claims.json by id.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ParampredError, check, unknownName } from '../../core/errors.js';
import type { Experiment } from '../../core/experiments/index.js';
import { getExperiment } from '../experiments/index.js';
import { compressSaved, type CompressReport } from '../compress/compress.js';
import { hasRun, readFinal, runPath } from '../run/run_dir.js';
import { runExperiment } from '../run/runner.js';
import { modelExists } from '../io/file.js';
import { loadTfjsModel } from '../run/tfjs_model.js';
import { meanSd } from '../run/seed_stats.js';
import { renderSvg } from '../run/plots.js';
import { claimConsoleLine, mergeClaims, type Claim } from './summary.js';
import { fastestPair } from '../compress/timing.js';
import { useNativeBackend } from '../backend/register.js';

export interface CompressPreset {
  name: 'quick' | 'full';
  seeds: number[];
  /** Ranks t (svd) = n_α (predict) per hidden layer. */
  ranks: number[];
  finetuneEpochs: number;
  finetuneLr: number;
  /** Which layers fine-tune: 'above' (the output layer: Denton et al.'s protocol) or 'all' (the chains too). */
  finetuneTrain: 'above' | 'all';
  /** Timed repeats per measurement. */
  repeats: number;
  /** Epochs of a net trained here when the sweep's is missing (null: the experiment's). */
  trainEpochs: number | null;
  makesClaims: boolean;
}

export const compressPresets: Record<'quick' | 'full', CompressPreset> = {
  quick: { name: 'quick', seeds: [1], ranks: [16, 64, 128], finetuneEpochs: 1, finetuneLr: 1e-4, finetuneTrain: 'above', repeats: 7, trainEpochs: 3, makesClaims: false },
  full: { name: 'full', seeds: [1, 2, 3], ranks: [16, 32, 64, 128, 256], finetuneEpochs: 2, finetuneLr: 1e-4, finetuneTrain: 'above', repeats: 15, trainEpochs: null, makesClaims: true },
};

/** Options every compression reproduction takes (the MLP's here, the convnet's in compress_conv.ts). */
export interface CompressReproOptions {
  /** Default results/compress-<net> (full), runs/reproduce-compress-…-quick (quick). */
  outDir?: string;
  /** Where claims.json is merged (default 'results'); null: nowhere. */
  resultsDir?: string | null;
  /** Folder with points/full/seed-N runs to reuse (default the net's sweep: results/mnist-full/sweep, results/cifar10-full/sweep). */
  sweepDir?: string;
  dataDir?: string;
  /** The net's experiment (default mnist-mlp-full / cifar-convnet-full; tests pass a tiny one). */
  experiment?: Experiment;
  /** Where progress lines go (default stderr). */
  log?: (line: string) => void;
  /** 'native' (default): make the native backend active (what is timed); 'current': keep the active one. */
  backend?: 'native' | 'current';
}

export interface ReproduceCompressOptions extends CompressReproOptions {
  preset?: 'quick' | 'full' | CompressPreset;
}

/** One approximated net: a seed × method × point. */
export interface CompressRow {
  seed: number;
  method: 'svd' | 'predict';
  point: string;
  /** t per approximated layer (svd's rank, predict's n_α). */
  ranks: number[];
  /** Stored kernel weights of the approximated layers' chains / their dense kernels' (biases excluded). */
  fraction: number;
  multiplyAdds: { before: number; after: number };
  parameters: { before: number; after: number };
  /** Measured whole-net speed-up per batch size: the fastest of interleaved calls before / after (minTimes). */
  speedup: Record<string, number>;
  ms: Record<string, { before: number; after: number }>;
  /** The same from compressSaved's report (median of interleaved calls: sensitive to other jobs on the machine). */
  speedupMedian: Record<string, number>;
  error: { before: number; after: number; finetuned: number };
  /** ‖W − Ŵ‖_F / ‖W‖_F per approximated layer. */
  weightError: number[];
}

/** Mean ± sd over seeds of one method × point. */
export interface CompressAggregate {
  method: 'svd' | 'predict';
  point: string;
  ranks: number[];
  fraction: number;
  theoreticalSpeedup: number;
  n: number;
  speedup: Record<string, { mean: number; sd: number }>;
  error: Record<'before' | 'after' | 'finetuned', { mean: number; sd: number }>;
  /** Paired by seed: error − error before, in percentage points. */
  cost: Record<'after' | 'finetuned', { mean: number; sd: number }>;
}

export interface ReproduceCompressResult {
  outDir: string;
  rows: CompressRow[];
  aggregates: CompressAggregate[];
  claims: Claim[];
  wallSeconds: number;
}

const COMMAND = 'parampred reproduce compress';

/** The preset named `name`, or a ParampredError listing the known ones. */
export function getCompressPreset(name: string, fn = 'getCompressPreset'): CompressPreset {
  if (!Object.hasOwn(compressPresets, name)) throw unknownName(fn, 'preset', name, Object.keys(compressPresets));
  return compressPresets[name as 'quick' | 'full'];
}

/** The run folder of seed `seed`'s trained net: the sweep's if it holds the model, else trained under `out`/nets. */
async function trainedNet(exp: Experiment, seed: number, sweepDir: string, out: string, o: { dataDir?: string; log: (l: string) => void; preset: CompressPreset }): Promise<string> {
  const sweep = join(sweepDir, 'points', 'full', `seed-${seed}`);
  if (o.preset.trainEpochs === null && readFinal(sweep) && (modelExists(runPath(sweep, 'tfjs')) || existsSync(runPath(sweep, 'model')))) return sweep;
  const dir = join(out, 'nets', `seed-${seed}`);
  const e = o.preset.trainEpochs === null ? exp : { ...exp, epochs: o.preset.trainEpochs, pretraining: undefined };
  if (readFinal(dir) && modelExists(runPath(dir, 'tfjs'))) return dir;
  o.log(`[compress] training ${exp.name} seed ${seed} into ${dir} (no trained model in ${sweep})`);
  await runExperiment(e as Experiment, { seed, outDir: dir, resume: hasRun(dir), dataDir: o.dataDir, progress: 'none', figures: false });
  return dir;
}

/** Per layer t = round(0.1·m·k/(m + k)): t·(m + k) is 10 % of the layer's m·k weights. */
export function tenPercentRanks(shapes: readonly [number, number][]): number[] {
  return shapes.map(([m, k]) => Math.max(1, Math.round((0.1 * m * k) / (m + k))));
}

/** The per-seed row of one compressSaved report. */
function rowOf(r: CompressReport & { minTimes: Record<string, { before: number; after: number }> }, seed: number, method: 'svd' | 'predict', point: string, ranks: number[], shapes: readonly [number, number][]): CompressRow {
  const dense = shapes.reduce((s, [m, k]) => s + m * k, 0);
  const stored = r.layers.reduce((s, l, i) => s + l.after.parameters - (l.before.parameters - shapes[i][0] * shapes[i][1]), 0);
  const t = r.network.time;
  return {
    seed, method, point, ranks,
    fraction: stored / dense,
    multiplyAdds: { before: r.network.before.multiplyAdds, after: r.network.after.multiplyAdds },
    parameters: { before: r.network.before.parameters, after: r.network.after.parameters },
    speedup: Object.fromEntries(Object.entries(r.minTimes).map(([b, p]) => [b, p.before / p.after])),
    ms: r.minTimes,
    speedupMedian: Object.fromEntries(Object.entries(t).map(([b, p]) => [b, p.speedup])),
    error: { before: r.test!.before.error, after: r.test!.after.error, finetuned: r.test!.finetuned!.error },
    weightError: r.layers.map((l) => l.error.relative),
  };
}

/**
 * Whole-net milliseconds at each batch size, the minimum over `repeats` interleaved before/after calls (each
 * read back; after warm-up): on a machine shared with other jobs the fastest call is the closest to the
 * net's own cost, where a median still carries the others' load.
 */
async function minTimes(before: string, after: string, repeats: number, fn: string): Promise<Record<string, { before: number; after: number }>> {
  const [a, b] = [await loadTfjsModel(before, fn), await loadTfjsModel(after, fn)];
  const shape = (a.inputs[0].shape as number[]).slice(1);
  const out: Record<string, { before: number; after: number }> = {};
  for (const batch of [1, 128]) {
    const x = tf.randomNormal([batch, ...shape], 0, 1, 'float32', 3);
    const call = (m: tf.LayersModel) => () => m.apply(x, { training: false }) as tf.Tensor;
    out[`batch${batch}`] = fastestPair(call(a), call(b), repeats);
    x.dispose();
  }
  a.dispose();
  b.dispose();
  return out;
}

/** Mean ± sd over seeds per method × point (costs paired by seed). */
export function aggregate(rows: readonly CompressRow[]): CompressAggregate[] {
  const keys = [...new Set(rows.map((r) => `${r.method}\u0000${r.point}`))];
  const ms = (xs: number[]) => meanSd(xs);
  return keys.map((key) => {
    const rs = rows.filter((r) => `${r.method}\u0000${r.point}` === key);
    const batches = Object.keys(rs[0].speedup);
    return {
      method: rs[0].method, point: rs[0].point, ranks: rs[0].ranks, fraction: rs[0].fraction,
      theoreticalSpeedup: rs[0].multiplyAdds.before / rs[0].multiplyAdds.after,
      n: rs.length,
      speedup: Object.fromEntries(batches.map((b) => [b, ms(rs.map((r) => r.speedup[b]))])),
      error: { before: ms(rs.map((r) => r.error.before)), after: ms(rs.map((r) => r.error.after)), finetuned: ms(rs.map((r) => r.error.finetuned)) },
      cost: { after: ms(rs.map((r) => r.error.after - r.error.before)), finetuned: ms(rs.map((r) => r.error.finetuned - r.error.before)) },
    };
  });
}

/**
 * The two claims: the largest mean measured whole-net speed-up (batch 128) of an svd point whose mean cost
 * after fine-tuning is ≤ 0.2 pp; predict − svd test error after fine-tuning at the 10 % point (paired by seed).
 */
export function compressClaims(rows: readonly CompressRow[], o: { preset: string; dataset: string; finetuneEpochs: number; finetuneTrain?: 'above' | 'all' }): Claim[] {
  const tuned = o.finetuneTrain === 'all' ? 'every layer' : 'the output layer';
  const aggs = aggregate(rows);
  const tag = `(${o.preset} preset)`;
  const common = { dataset: o.dataset, command: `${COMMAND} --preset ${o.preset}` };
  const svd = aggs.filter((a) => a.method === 'svd');
  const within = svd.filter((a) => a.cost.finetuned.mean <= 0.2 + 1e-9 && a.speedup.batch128);
  const best = within.sort((a, b) => b.speedup.batch128.mean - a.speedup.batch128.mean)[0];
  const claims: Claim[] = [{
    id: 'compress.mnist.svd_speedup_at_0.2pp',
    description: best
      ? `Largest measured whole-net speed-up (batch 128, native backend, fastest of interleaved before/after calls) of the 784-500-500-10 MNIST MLP with both hidden layers replaced by their rank-t SVD (Denton et al.) whose mean test-error cost after ${o.finetuneEpochs} epoch(s) of fine-tuning ${tuned} is ≤ 0.2 pp: t = ${best.ranks.join('/')} (${(100 * best.fraction).toFixed(1)} % of the hidden layers' weights), cost ${best.cost.finetuned.mean.toFixed(2)} ± ${best.cost.finetuned.sd.toFixed(2)} pp (${best.cost.after.mean.toFixed(2)} pp before fine-tuning), batch 1 speed-up ${best.speedup.batch1?.mean.toFixed(2) ?? '—'}×, multiply-adds ${best.theoreticalSpeedup.toFixed(2)}× fewer; ranks tried ${svd.map((a) => a.ranks.join('/')).join(', ')} ${tag}`
      : `No svd point of the MNIST MLP kept the test-error cost after fine-tuning within 0.2 pp; ranks tried ${svd.map((a) => a.ranks.join('/')).join(', ')} ${tag}`,
    value: best ? best.speedup.batch128.mean : null,
    sd: best && best.n > 1 ? best.speedup.batch128.sd : null,
    n_seeds: best ? best.n : 0,
    unit: '× measured whole-net speed-up (batch 128)',
    ...common,
  }];
  const at = (m: string) => aggs.find((a) => a.method === m && a.point === '10pct');
  const p = at('predict'), s = at('svd');
  if (p && s) {
    const diffs = rows.filter((r) => r.method === 'predict' && r.point === '10pct').flatMap((r) => {
      const q = rows.find((x) => x.method === 'svd' && x.point === '10pct' && x.seed === r.seed);
      return q ? [r.error.finetuned - q.error.finetuned] : [];
    });
    const d = meanSd(diffs);
    const e = (a: CompressAggregate, k: 'before' | 'after' | 'finetuned') => `${a.error[k].mean.toFixed(2)} ± ${a.error[k].sd.toFixed(2)} %`;
    claims.push({
      id: 'compress.mnist.predict_vs_svd_at_10pct',
      description: `Test error of the MNIST MLP with both hidden layers at 10 % of their weights (t = ${s.ranks.join('/')}; ${(100 * s.fraction).toFixed(1)} % stored, U included; equal multiply-adds): predict (Denil et al.'s fixed dictionary, se over the 28 × 28 grid / emp, V by least squares) ${e(p, 'finetuned')} vs svd ${e(s, 'finetuned')} after ${o.finetuneEpochs} epoch(s) of fine-tuning ${tuned} (before fine-tuning ${e(p, 'after')} vs ${e(s, 'after')}; dense net ${e(s, 'before')}); value = predict − svd after fine-tuning, paired by seed ${tag}`,
      value: d.mean,
      sd: diffs.length > 1 ? d.sd : null,
      n_seeds: diffs.length,
      unit: 'percentage points of test error (predict − svd)',
      ...common,
    });
  }
  return claims;
}

const f2 = (x: { mean: number; sd: number }, n: number, d = 2) => (n > 1 ? `${x.mean.toFixed(d)} ± ${x.sd.toFixed(d)}` : x.mean.toFixed(d));

/** The summary table as markdown. */
export function compressMarkdown(aggs: readonly CompressAggregate[], o: { title: string; notes: readonly string[] }): string {
  const lines = [
    `# ${o.title}`, '',
    ...o.notes.map((n) => `- ${n}`), '',
    '| method | point | t per layer | stored weights of the layers | multiply-adds fewer | speed-up batch 1 | speed-up batch 128 | error dense % | error approximated % | error fine-tuned % | cost after fine-tuning (pp) | n |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const sorted = [...aggs].sort((a, b) => a.ranks[0] - b.ranks[0] || a.method.localeCompare(b.method));
  for (const a of sorted) {
    lines.push(`| ${a.method} | ${a.point} | ${a.ranks.join('/')} | ${(100 * a.fraction).toFixed(1)} % | ${a.theoreticalSpeedup.toFixed(2)}× | ${a.speedup.batch1 ? f2(a.speedup.batch1, a.n) : '—'}× | ${a.speedup.batch128 ? f2(a.speedup.batch128, a.n) : '—'}× | ${f2(a.error.before, a.n)} | ${f2(a.error.after, a.n)} | ${f2(a.error.finetuned, a.n)} | ${f2(a.cost.finetuned, a.n)} | ${a.n} |`);
  }
  return lines.join('\n') + '\n';
}

/** Speed-up (batch 128) against the test-error cost after fine-tuning, one line per method. */
async function figure(aggs: readonly CompressAggregate[]): Promise<string> {
  const values = aggs.filter((a) => a.speedup.batch128).map((a) => ({ method: a.method, t: a.ranks.join('/'), cost: a.cost.finetuned.mean, speedup: a.speedup.batch128.mean }));
  return renderSvg({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'MNIST MLP, both hidden layers approximated: measured speed-up vs accuracy cost (after fine-tuning)',
    width: 480, height: 300,
    data: { values },
    layer: [
      { mark: { type: 'line', point: true }, encoding: { x: { field: 'cost', type: 'quantitative', title: 'test-error cost after fine-tuning (pp)' }, y: { field: 'speedup', type: 'quantitative', title: 'whole-net speed-up, batch 128 (×)' }, color: { field: 'method', type: 'nominal' }, order: { field: 'speedup', type: 'quantitative' } } },
      { mark: { type: 'text', dx: 12, align: 'left' }, encoding: { x: { field: 'cost', type: 'quantitative' }, y: { field: 'speedup', type: 'quantitative' }, text: { field: 't' }, color: { field: 'method', type: 'nominal' } } },
    ],
  } as unknown as Parameters<typeof renderSvg>[0]);
}

/** See the file doc. */
export async function reproduceCompress(o: ReproduceCompressOptions = {}): Promise<ReproduceCompressResult> {
  const fn = 'reproduceCompress';
  const preset = typeof o.preset === 'object' ? o.preset : getCompressPreset(o.preset ?? 'quick', fn);
  const out = o.outDir ?? (preset.name === 'full' ? join('results', 'compress-mnist') : join('runs', 'reproduce-compress-quick'));
  const resultsDir = o.resultsDir === undefined ? 'results' : o.resultsDir;
  const exp = o.experiment ?? getExperiment('mnist-mlp-full', fn);
  check(exp.model.kind === 'mlp' && exp.model.hidden.length >= 2, fn, 'an MLP experiment with two hidden layers', exp.model);
  const log = o.log ?? ((l: string) => process.stderr.write(l + '\n'));
  if ((o.backend ?? 'native') === 'native' && tf.getBackend() !== 'native') await useNativeBackend();
  const t0 = performance.now();
  mkdirSync(out, { recursive: true });
  const scratch = mkdtempSync(join(tmpdir(), 'pp-reproduce-compress-'));
  const rows: CompressRow[] = [];
  let dataset = exp.dataset.name;
  try {
    for (const seed of preset.seeds) {
      const net = await trainedNet(exp, seed, o.sweepDir ?? join('results', 'mnist-full', 'sweep'), out, { dataDir: o.dataDir, log, preset });
      const model = await loadTfjsModel(modelExists(runPath(net, 'tfjs')) ? runPath(net, 'tfjs') : net, fn).catch(() => null);
      if (!model) throw new ParampredError(fn, `expected the trained net of seed ${seed} in ${net}/tfjs, got none`);
      const dense = model.layers.filter((l) => l.getClassName() === 'Dense').slice(0, 2);
      const names = dense.map((l) => l.name);
      const shapes = dense.map((l) => l.getWeights()[0].shape as [number, number]);
      model.dispose();
      const points: [string, number[]][] = [...preset.ranks.filter((t) => shapes.every(([m, k]) => t <= Math.min(m, k))).map((t): [string, number[]] => [`t${t}`, shapes.map(() => t)]), ['10pct', tenPercentRanks(shapes)]];
      for (const [point, ranks] of points) {
        for (const method of ['svd', 'predict'] as const) {
          const file = join(out, 'reports', `seed-${seed}`, `${method}-${point}.json`);
          let report: CompressReport & { minTimes: Record<string, { before: number; after: number }> };
          if (existsSync(file)) report = JSON.parse(readFileSync(file, 'utf8')) as typeof report;
          else {
            const specs = names.map((layer, i) => ({
              layer, method,
              options: method === 'svd' ? { rank: ranks[i] } : { alpha: ranks[i], seed, dictionary: { method: i === 0 ? 'se' : 'emp' } },
            }));
            const dir = join(scratch, `${seed}-${method}-${point}`);
            const t1 = performance.now();
            const { report: r } = await compressSaved({ source: net, out: dir, specs, dataDir: o.dataDir, repeats: preset.repeats, finetune: { epochs: preset.finetuneEpochs, lr: preset.finetuneLr, train: preset.finetuneTrain }, fn });
            report = { ...r, minTimes: await minTimes(runPath(net, 'tfjs'), dir, 4 * preset.repeats, fn) };
            rmSync(dir, { recursive: true, force: true });
            mkdirSync(join(out, 'reports', `seed-${seed}`), { recursive: true });
            writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
            log(`[compress] seed ${seed} ${method} ${point}: error ${report.test!.before.error.toFixed(2)} → ${report.test!.after.error.toFixed(2)} → ${report.test!.finetuned!.error.toFixed(2)} %, speed-up (fastest calls) ${Object.entries(report.minTimes).map(([b, p]) => `${b} ${(p.before / p.after).toFixed(2)}×`).join(', ')}, (medians) ${Object.entries(report.network.time).map(([b, p]) => `${b} ${p.speedup.toFixed(2)}×`).join(', ')} (${((performance.now() - t1) / 1000).toFixed(0)} s)`);
          }
          dataset = report.dataset?.name ?? dataset;
          rows.push(rowOf(report, seed, method, point, ranks, shapes));
        }
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const aggs = aggregate(rows);
  const claims = compressClaims(rows, { preset: preset.name, dataset, finetuneEpochs: preset.finetuneEpochs, finetuneTrain: preset.finetuneTrain });
  const wallSeconds = (performance.now() - t0) / 1000;
  const notes = [
    `Command: \`${COMMAND} --preset ${preset.name}\`; seeds ${preset.seeds.join(', ')}; backend ${tf.getBackend()}; threads ${process.env.PARAMPRED_THREADS ?? 'default'}; wall time of this call ${wallSeconds.toFixed(0)} s.`,
    'Both hidden layers (784 → 500, 500 → 500) are approximated at the same t: svd keeps rank t (Denton et al.), predict samples n_α = t inputs (Denil et al.: se dictionary over the 28 × 28 pixel grid in layer 1, emp from the layer\'s inputs on 5,000 training images in layer 2, V by least squares to the trained W). Both chains store t·(m + k) kernel weights per layer (predict\'s U included: materialised as a Dense kernel) and cost the same multiply-adds.',
    `Errors: test error % of the dense net, of the approximated net, and after ${preset.finetuneEpochs} epoch(s) of fine-tuning ${preset.finetuneTrain === 'all' ? 'every layer (the approximated chains included)' : 'the output layer (the approximated layers frozen, Denton et al.\'s protocol)'} (Adam, lr ${preset.finetuneLr}, the run's batch size). Cost = fine-tuned − dense, paired by seed.`,
    `Speed-ups are measured on the whole net (model.apply, batch 1 and 128, output read back) as the fastest of ${4 * preset.repeats} interleaved before/after calls, on a 2-core machine shared with other jobs (load average often above 10 while this ran): the fastest call is the closest to the net's own cost; the medians compressSaved reports (in reports/, \`speedupMedian\` in summary.json) carry the other jobs' load and vary several-fold. Since svd and predict build the same chain at equal t, their speed-ups differ only by noise.`,
    ...(preset.makesClaims ? [] : ['A smoke look (quick preset): never a claim.']),
  ];
  const md = compressMarkdown(aggs, { title: `Compressing the MNIST MLP: svd vs predict at equal parameters (${preset.name} preset)`, notes });
  writeFileSync(join(out, 'summary.md'), md);
  writeFileSync(join(out, 'summary.json'), JSON.stringify({ preset, command: `${COMMAND} --preset ${preset.name}`, wallSeconds, aggregates: aggs, rows }, null, 2) + '\n');
  writeFileSync(join(out, 'claims.json'), JSON.stringify(claims, null, 2) + '\n');
  try {
    writeFileSync(join(out, 'speedup-vs-cost.svg'), await figure(aggs));
  } catch (e) {
    log(`[compress] no figure: ${(e as Error).message}`);
  }
  if (preset.makesClaims && resultsDir !== null) {
    const path = join(resultsDir, 'claims.json');
    const old = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Claim[]) : [];
    writeFileSync(path, JSON.stringify(mergeClaims(old, claims), null, 2) + '\n');
    log(`[compress] claims merged into ${path}`);
  }
  return { outDir: out, rows, aggregates: aggs, claims, wallSeconds };
}

/** `parampred reproduce compress` from the reproduce command's flags (--preset, --out, --data-dir, --results / --no-results); prints the claims. */
export async function reproduceCompressCommand(flags: { preset?: string; out?: string; dataDir?: string; results?: string | false }): Promise<void> {
  const preset = getCompressPreset(flags.preset ?? 'quick', 'parampred reproduce compress');
  const r = await reproduceCompress({ preset, outDir: flags.out, dataDir: flags.dataDir, resultsDir: flags.results === false ? null : (flags.results ?? 'results') });
  console.log(`\n${r.rows.length} rows, wall time ${r.wallSeconds.toFixed(0)} s → ${r.outDir}/summary.md`);
  for (const c of r.claims) console.log(claimConsoleLine(c));
}
