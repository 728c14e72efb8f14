/**
 * reproduceCompressConv (`parampred reproduce compress --net cifar`; issue 14; docs/method.md §3): Denton et
 * al.'s approximations of the trained CIFAR-10 convnet (cifar-convnet-full: conv1 48@8×8, conv2 64@8×8,
 * conv3 64@5×5, dense 500), one layer at a time and in combinations. For each seed's trained net (the
 * CIFAR sweep's points/full/seed-N run if it has its model, else trained here), every point of the preset
 * replaces its layer(s) — monochromatic (conv1), separable (any conv), bicluster (conv2/3), svd (dense) —
 * through compressSaved, which measures the test error before, after approximating and after fine-tuning
 * the layers above (Denton et al.'s protocol). Time is measured as the fastest of interleaved before/after
 * calls (each read back), for the replaced layer(s) alone and for the whole net, at batch 1 and 128 on the
 * native backend. Claims (a preset that makes them, every seed finished): the largest measured conv-layer
 * speed-up and the largest whole-net speed-up whose mean cost after fine-tuning is ≤ 1 pp. Writes
 * <out>/summary.{md,json}, claims.json, reports/seed-N/<point>.json (resumable: a point with a report is
 * not redone).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ParampredError, check, unknownName } from '../../core/errors.js';
import { applyOverrides, type Experiment } from '../../core/experiments/index.js';
import { getExperiment } from '../experiments/index.js';
import { compressSaved, type CompressReport } from '../compress/compress.js';
import { applyChain, fastestPair } from '../compress/timing.js';
import { hasRun, readFinal, readRunConfig, runPath } from '../run/run_dir.js';
import { loadExperimentData, type RunDataset } from '../run/data.js';
import { runExperiment } from '../run/runner.js';
import { modelExists } from '../io/file.js';
import { loadTfjsModel } from '../run/tfjs_model.js';
import { meanSd } from '../run/seed_stats.js';
import { claimConsoleLine, mergeClaims, type Claim } from './summary.js';
import type { CompressReproOptions } from './compress.js';
import { useNativeBackend } from '../backend/register.js';
import type { CompressSpec } from '../../core/compress/index.js';

/** One approximation of one layer: the method and its options (core compress registry). */
export interface ConvPart {
  layer: string;
  method: string;
  options: Record<string, unknown>;
}

/** A point: one or more layers approximated together (fine-tuned once, above the highest one). */
export interface ConvCompressPoint {
  id: string;
  parts: ConvPart[];
}

export interface ConvCompressPreset {
  name: 'quick' | 'full';
  seeds: number[];
  points: ConvCompressPoint[];
  finetuneEpochs: number;
  finetuneLr: number;
  /** Timed repeats per measurement (compressSaved's medians; the fastest-call timings take 4× as many). */
  repeats: number;
  /** `--set` overrides of the experiment for a net trained here when the sweep has none (quick: short). */
  trainOverrides: string[];
  makesClaims: boolean;
}

const part = (layer: string, method: string, options: Record<string, unknown>): ConvPart => ({ layer, method, options });
const mono = (colors: number) => part('conv1', 'monochromatic', { colors, seed: 1 });
const sep = (layer: string, rank: number) => part(layer, 'separable', { rank });
const bi = (layer: string, g: number, h: number, rank: number) => part(layer, 'bicluster', { inputGroups: g, outputGroups: h, rank, seed: 1 });
const svd = (rank: number) => part('dense', 'svd', { rank });
const one = (p: ConvPart): ConvCompressPoint => ({ id: `${p.layer}-${p.method}-${Object.entries(p.options).filter(([k]) => k !== 'seed').map(([, v]) => v).join('x')}`, parts: [p] });

/**
 * The points of the full preset, chosen for 2–14× fewer multiply-adds in the layer (docs/method.md §3), in
 * the order they run (a cut-off call resumes point by point): conv2 (≈ 75 % of the net's multiply-adds) and
 * conv3 first, the combinations, then conv1, the smaller ranks and the dense layer.
 */
const fullPoints: ConvCompressPoint[] = [
  one(sep('conv2', 32)), one(bi('conv2', 2, 2, 8)), one(bi('conv2', 4, 4, 4)), one(sep('conv3', 32)), one(bi('conv3', 2, 2, 8)),
  { id: 'net-conv23-sep32-svd64', parts: [sep('conv2', 32), sep('conv3', 32), svd(64)] },
  { id: 'net-conv23-sep64-svd128', parts: [sep('conv2', 64), sep('conv3', 32), svd(128)] },
  one(mono(6)), one(mono(12)), one(sep('conv1', 8)),
  one(sep('conv2', 64)), one(sep('conv3', 16)),
  one(svd(64)), one(svd(128)),
];

export const convCompressPresets: Record<'quick' | 'full', ConvCompressPreset> = {
  quick: {
    name: 'quick', seeds: [1], finetuneEpochs: 1, finetuneLr: 1e-4, repeats: 5, makesClaims: false,
    points: [one(mono(6)), one(sep('conv2', 32)), one(bi('conv3', 2, 2, 8)), one(svd(64))],
    trainOverrides: ['epochs=1', 'dataset.validation=1000', 'dataset.limit={"train":5000,"test":null}'],
  },
  full: {
    name: 'full', seeds: [1, 2, 3], finetuneEpochs: 1, finetuneLr: 1e-4, repeats: 9, makesClaims: true,
    points: fullPoints,
    trainOverrides: [],
  },
};

export interface ReproduceCompressConvOptions extends CompressReproOptions {
  preset?: 'quick' | 'full' | ConvCompressPreset;
  /** Seeds (trained nets) to use, a subset of the preset's (default all). Fewer than the preset's: no claims. */
  seeds?: number[];
}

/** The fastest of interleaved calls, ms, before / after, per batch size. */
type MinTimes = Record<string, { before: number; after: number }>;

/** One approximated net: a seed × point. */
export interface ConvCompressRow {
  seed: number;
  point: string;
  parts: ConvPart[];
  /** Multiply-adds per example of the replaced layer(s), before / after (the methods' formulas, counted). */
  layerMultiplyAdds: { before: number; after: number };
  netMultiplyAdds: { before: number; after: number };
  /** Stored weights of the replaced layer(s) and of the net. */
  layerParameters: { before: number; after: number };
  netParameters: { before: number; after: number };
  /** Measured speed-ups (fastest interleaved calls) of the replaced layers (each alone, times summed) and of the net. */
  layerSpeedup: Record<string, number>;
  netSpeedup: Record<string, number>;
  layerMs: MinTimes;
  netMs: MinTimes;
  /** The CPU the timings ran on ('not recorded' in reports made before it was). */
  machine: string;
  /** ‖W − Ŵ‖_F / ‖W‖_F per replaced layer. */
  weightError: number[];
  error: { before: number; after: number; finetuned: number };
}

export interface ConvCompressAggregate {
  point: string;
  parts: ConvPart[];
  n: number;
  layerTheoretical: number;
  netTheoretical: number;
  layerSpeedup: Record<string, { mean: number; sd: number }>;
  netSpeedup: Record<string, { mean: number; sd: number }>;
  error: Record<'before' | 'after' | 'finetuned', { mean: number; sd: number }>;
  cost: Record<'after' | 'finetuned', { mean: number; sd: number }>;
}

const COMMAND = 'parampred reproduce compress --net cifar';
const LABEL = 'CIFAR-10 (JPEG-75 copy)';

/** The preset named `name`, or a ParampredError listing the known ones. */
export function getConvCompressPreset(name: string, fn = 'getConvCompressPreset'): ConvCompressPreset {
  if (!Object.hasOwn(convCompressPresets, name)) throw unknownName(fn, 'preset', name, Object.keys(convCompressPresets));
  return convCompressPresets[name as 'quick' | 'full'];
}

/** The run folder of seed `seed`'s trained convnet: the sweep's if it holds a model, else trained under `out`/nets. */
async function trainedNet(exp: Experiment, seed: number, sweepDir: string, out: string, preset: ConvCompressPreset, o: { dataDir?: string; log: (l: string) => void }): Promise<string> {
  const sweep = join(sweepDir, 'points', 'full', `seed-${seed}`);
  if (preset.trainOverrides.length === 0 && readFinal(sweep) && modelExists(runPath(sweep, 'tfjs'))) return sweep;
  const dir = join(out, 'nets', `seed-${seed}`);
  if (readFinal(dir) && modelExists(runPath(dir, 'tfjs'))) return dir;
  o.log(`[compress-conv] training ${exp.name} seed ${seed} into ${dir} (no trained model in ${sweep})`);
  await runExperiment(applyOverrides(exp, preset.trainOverrides), { seed, outDir: dir, resume: hasRun(dir), dataDir: o.dataDir, progress: 'lines', figures: false });
  return dir;
}

/**
 * Measured times of the whole nets and of the replaced layers (each original layer against its chain, on
 * random inputs of the layer's input shape; summed over the point's layers), fastest interleaved calls.
 */
async function measure(beforeDir: string, afterDir: string, report: CompressReport, repeats: number, fn: string): Promise<{ net: MinTimes; layer: MinTimes; machine: string }> {
  const [a, b] = [await loadTfjsModel(beforeDir, fn), await loadTfjsModel(afterDir, fn)];
  const machine = machineOf();
  const shape = (a.inputs[0].shape as number[]).slice(1);
  const net: MinTimes = {}, layer: MinTimes = {};
  for (const batch of [1, 128]) {
    const x = tf.randomNormal([batch, ...shape], 0, 1, 'float32', 3);
    net[`batch${batch}`] = fastestPair(() => a.apply(x, { training: false }) as tf.Tensor, () => b.apply(x, { training: false }) as tf.Tensor, repeats);
    x.dispose();
    let sb = 0, sa = 0;
    for (const l of report.layers) {
      const orig = a.getLayer(l.layer);
      const chain = l.replacedBy.map((n) => b.getLayer(n));
      const xs = tf.randomNormal([batch, ...((orig.input as tf.SymbolicTensor).shape as number[]).slice(1)], 0, 1, 'float32', 4);
      const t = fastestPair(() => applyChain([orig], xs), () => applyChain(chain, xs), repeats);
      xs.dispose();
      sb += t.before;
      sa += t.after;
    }
    layer[`batch${batch}`] = { before: sb, after: sa };
  }
  a.dispose();
  b.dispose();
  return { net, layer, machine };
}

/** The CPU the timings ran on: speed-ups depend on it (oneDNN's kernels differ per ISA), so each report records it. */
function machineOf(): string {
  const c = cpus();
  return `${c[0]?.model.trim() ?? 'unknown CPU'}, ${c.length} cores, ${process.env.PARAMPRED_THREADS ?? 'all'} threads`;
}

/** The row of one point's report and timings. */
function rowOf(r: CompressReport & { fastest: { net: MinTimes; layer: MinTimes; machine?: string } }, seed: number, point: ConvCompressPoint): ConvCompressRow {
  const sum = (k: 'parameters' | 'multiplyAdds', w: 'before' | 'after') => r.layers.reduce((s, l) => s + l[w][k], 0);
  const ratio = (m: MinTimes) => Object.fromEntries(Object.entries(m).map(([b, p]) => [b, p.before / p.after]));
  return {
    seed, point: point.id, parts: point.parts,
    layerMultiplyAdds: { before: sum('multiplyAdds', 'before'), after: sum('multiplyAdds', 'after') },
    netMultiplyAdds: { before: r.network.before.multiplyAdds, after: r.network.after.multiplyAdds },
    layerParameters: { before: sum('parameters', 'before'), after: sum('parameters', 'after') },
    netParameters: { before: r.network.before.parameters, after: r.network.after.parameters },
    layerSpeedup: ratio(r.fastest.layer), netSpeedup: ratio(r.fastest.net),
    layerMs: r.fastest.layer, netMs: r.fastest.net, machine: r.fastest.machine ?? 'not recorded',
    weightError: r.layers.map((l) => l.error.relative),
    error: { before: r.test!.before.error, after: r.test!.after.error, finetuned: r.test!.finetuned!.error },
  };
}

/** Mean ± sd over seeds per point (costs paired by seed). */
export function aggregateConv(rows: readonly ConvCompressRow[]): ConvCompressAggregate[] {
  const ids = [...new Set(rows.map((r) => r.point))];
  return ids.map((id) => {
    const rs = rows.filter((r) => r.point === id);
    const by = (f: (r: ConvCompressRow) => Record<string, number>) => Object.fromEntries(Object.keys(f(rs[0])).map((b) => [b, meanSd(rs.map((r) => f(r)[b]))]));
    return {
      point: id, parts: rs[0].parts, n: rs.length,
      layerTheoretical: rs[0].layerMultiplyAdds.before / rs[0].layerMultiplyAdds.after,
      netTheoretical: rs[0].netMultiplyAdds.before / rs[0].netMultiplyAdds.after,
      layerSpeedup: by((r) => r.layerSpeedup), netSpeedup: by((r) => r.netSpeedup),
      error: { before: meanSd(rs.map((r) => r.error.before)), after: meanSd(rs.map((r) => r.error.after)), finetuned: meanSd(rs.map((r) => r.error.finetuned)) },
      cost: { after: meanSd(rs.map((r) => r.error.after - r.error.before)), finetuned: meanSd(rs.map((r) => r.error.finetuned - r.error.before)) },
    };
  });
}

const isConv = (a: ConvCompressAggregate) => a.parts.every((p) => p.layer.startsWith('conv'));
const describe = (a: ConvCompressAggregate) => a.parts.map((p) => `${p.layer} ${p.method} ${JSON.stringify(Object.fromEntries(Object.entries(p.options).filter(([k]) => k !== 'seed')))}`).join(' + ');

/**
 * The two claims (batch 128, fastest interleaved calls): the largest mean measured speed-up of a conv-layer
 * point, and the largest mean whole-net speed-up of any point, among points whose mean test-error cost after
 * fine-tuning is ≤ 1 pp.
 */
export function convCompressClaims(rows: readonly ConvCompressRow[], o: { preset: string; dataset: string; finetuneEpochs: number }): Claim[] {
  const aggs = aggregateConv(rows).filter((a) => a.cost.finetuned.mean <= 1 + 1e-9);
  const common = { dataset: o.dataset, command: `${COMMAND} --preset ${o.preset}` };
  const best = (xs: ConvCompressAggregate[], f: (a: ConvCompressAggregate) => number) => [...xs].sort((p, q) => f(q) - f(p))[0];
  const conv = best(aggs.filter(isConv), (a) => a.layerSpeedup.batch128.mean);
  const net = best(aggs, (a) => a.netSpeedup.batch128.mean);
  const tail = (a: ConvCompressAggregate) => `cost ${a.cost.finetuned.mean.toFixed(2)} ± ${a.cost.finetuned.sd.toFixed(2)} pp after ${o.finetuneEpochs} epoch(s) of fine-tuning the layers above (${a.cost.after.mean.toFixed(2)} pp before), dense net ${a.error.before.mean.toFixed(2)} % test error (${o.preset} preset)`;
  return [
    {
      id: 'compress.cifar.conv_speedup_at_1pp',
      description: conv
        ? `Largest measured speed-up (batch 128, native backend, fastest of interleaved calls) of the approximated conv layer(s) of the ${LABEL} convnet whose mean test-error cost after fine-tuning is ≤ 1 pp: ${describe(conv)}, ${conv.layerTheoretical.toFixed(2)}× fewer multiply-adds, batch 1 ${conv.layerSpeedup.batch1.mean.toFixed(2)}×; ${tail(conv)}`
        : `No conv-layer approximation of the ${LABEL} convnet kept the cost after fine-tuning within 1 pp (${o.preset} preset)`,
      value: conv ? conv.layerSpeedup.batch128.mean : null,
      sd: conv && conv.n > 1 ? conv.layerSpeedup.batch128.sd : null,
      n_seeds: conv ? conv.n : 0,
      unit: '× measured conv-layer speed-up (batch 128)',
      ...common,
    },
    {
      id: 'compress.cifar.net_speedup_at_1pp',
      description: net
        ? `Largest measured whole-net speed-up (batch 128) of the ${LABEL} convnet with a mean test-error cost after fine-tuning ≤ 1 pp: ${describe(net)}, ${net.netTheoretical.toFixed(2)}× fewer multiply-adds in the net, batch 1 ${net.netSpeedup.batch1.mean.toFixed(2)}×; ${tail(net)}`
        : `No approximation of the ${LABEL} convnet kept the cost after fine-tuning within 1 pp (${o.preset} preset)`,
      value: net ? net.netSpeedup.batch128.mean : null,
      sd: net && net.n > 1 ? net.netSpeedup.batch128.sd : null,
      n_seeds: net ? net.n : 0,
      unit: '× measured whole-net speed-up (batch 128)',
      ...common,
    },
  ];
}

const f2 = (x: { mean: number; sd: number }, n: number, d = 2) => (n > 1 ? `${x.mean.toFixed(d)} ± ${x.sd.toFixed(d)}` : x.mean.toFixed(d));

/** The summary table as markdown. */
export function convCompressMarkdown(aggs: readonly ConvCompressAggregate[], o: { title: string; notes: readonly string[] }): string {
  const lines = [
    `# ${o.title}`, '',
    ...o.notes.map((n) => `- ${n}`), '',
    '| point | approximation | layer multiply-adds fewer | layer speed-up b1 | layer speed-up b128 | net multiply-adds fewer | net speed-up b1 | net speed-up b128 | error dense % | approximated % | fine-tuned % | cost after fine-tuning (pp) | n |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const a of aggs) {
    lines.push(`| ${a.point} | ${describe(a)} | ${a.layerTheoretical.toFixed(2)}× | ${f2(a.layerSpeedup.batch1, a.n)}× | ${f2(a.layerSpeedup.batch128, a.n)}× | ${a.netTheoretical.toFixed(2)}× | ${f2(a.netSpeedup.batch1, a.n)}× | ${f2(a.netSpeedup.batch128, a.n)}× | ${f2(a.error.before, a.n)} | ${f2(a.error.after, a.n)} | ${f2(a.error.finetuned, a.n)} | ${f2(a.cost.finetuned, a.n)} | ${a.n} |`);
  }
  return lines.join('\n') + '\n';
}

/** Measured speed-ups (batch 128) and fine-tuned costs per trained net, with the CPU each was timed on. */
export function perSeedMarkdown(rows: readonly ConvCompressRow[], seeds: readonly number[]): string {
  const lines = ['## Per trained net (batch 128: layer speed-up / net speed-up / cost after fine-tuning, pp)', '', `| point | ${seeds.map((s) => `seed ${s}`).join(' | ')} |`, `|---|${seeds.map(() => '---|').join('')}`];
  for (const id of [...new Set(rows.map((r) => r.point))]) {
    const cells = seeds.map((s) => {
      const r = rows.find((x) => x.point === id && x.seed === s);
      return r ? `${r.layerSpeedup.batch128.toFixed(2)}× / ${r.netSpeedup.batch128.toFixed(2)}× / ${(r.error.finetuned - r.error.before).toFixed(2)}` : '—';
    });
    lines.push(`| ${id} | ${cells.join(' | ')} |`);
  }
  lines.push('', ...seeds.map((s) => `- seed ${s} timed on: ${[...new Set(rows.filter((r) => r.seed === s).map((r) => r.machine))].join('; ') || '—'}`));
  return lines.join('\n') + '\n';
}

/** See the file doc. */
export async function reproduceCompressConv(o: ReproduceCompressConvOptions = {}): Promise<{ outDir: string; rows: ConvCompressRow[]; aggregates: ConvCompressAggregate[]; claims: Claim[]; wallSeconds: number }> {
  const fn = 'reproduceCompressConv';
  const preset = typeof o.preset === 'object' ? o.preset : getConvCompressPreset(o.preset ?? 'quick', fn);
  const seeds = o.seeds ?? preset.seeds;
  for (const s of seeds) check(preset.seeds.includes(s), fn, `seeds among the preset's (${preset.seeds.join(', ')})`, s);
  const out = o.outDir ?? (preset.name === 'full' ? join('results', 'compress-cifar') : join('runs', 'reproduce-compress-cifar-quick'));
  const resultsDir = o.resultsDir === undefined ? 'results' : o.resultsDir;
  const exp = o.experiment ?? getExperiment('cifar-convnet-full', fn);
  check(exp.model.kind === 'convnet', fn, 'a convnet experiment', exp.name);
  const log = o.log ?? ((l: string) => process.stderr.write(l + '\n'));
  if ((o.backend ?? 'native') === 'native' && tf.getBackend() !== 'native') await useNativeBackend();
  const t0 = performance.now();
  mkdirSync(out, { recursive: true });
  const scratch = mkdtempSync(join(tmpdir(), 'pp-reproduce-compress-conv-'));
  const rows: ConvCompressRow[] = [];
  // what the claims call the data: the reports' label, or (reports written before labels were recorded) the loader's
  let label: string | null = null;
  // the nets' dataset, decoded once for every point and seed (not once per point) while their config.dataset agrees
  let loaded: { key: string; data: RunDataset } | null = null;
  const dataOf = async (net: string) => {
    const cfg = readRunConfig(net, fn);
    const key = JSON.stringify(cfg.dataset);
    if (loaded?.key !== key) loaded = { key, data: await loadExperimentData(cfg, o.dataDir) };
    return loaded.data;
  };
  try {
    for (const seed of seeds) {
      // the trained net is needed only for points without a report: a seed whose reports are all committed
      // is read back without its model (models are not committed; they would have to be retrained)
      let netDir: string | null = null;
      const netOf = async () => (netDir ??= await trainedNet(exp, seed, o.sweepDir ?? join('results', 'cifar10-full', 'sweep'), out, preset, { dataDir: o.dataDir, log }));
      for (const point of preset.points) {
        const file = join(out, 'reports', `seed-${seed}`, `${point.id}.json`);
        let report: CompressReport & { fastest: { net: MinTimes; layer: MinTimes; machine?: string } };
        if (existsSync(file)) report = JSON.parse(readFileSync(file, 'utf8')) as typeof report;
        else {
          const net = await netOf();
          const specs: CompressSpec[] = point.parts.map((p) => ({ layer: p.layer, method: p.method, options: p.options }));
          const dir = join(scratch, `${seed}-${point.id}`);
          const t1 = performance.now();
          log(`[compress-conv] seed ${seed} ${point.id}: approximating, timing, testing, fine-tuning…`);
          const { report: r } = await compressSaved({ source: net, out: dir, specs, dataDir: o.dataDir, data: await dataOf(net), repeats: preset.repeats, finetune: { epochs: preset.finetuneEpochs, lr: preset.finetuneLr, train: 'above' }, fn });
          if (!r.test?.finetuned) throw new ParampredError(fn, `expected test errors after fine-tuning from ${net}, got none`);
          report = { ...r, fastest: await measure(runPath(net, 'tfjs'), dir, r, 4 * preset.repeats, fn) };
          rmSync(dir, { recursive: true, force: true });
          mkdirSync(join(out, 'reports', `seed-${seed}`), { recursive: true });
          writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
          const row = rowOf(report, seed, point);
          log(`[compress-conv] seed ${seed} ${point.id}: error ${row.error.before.toFixed(2)} → ${row.error.after.toFixed(2)} → ${row.error.finetuned.toFixed(2)} %, layer ${(row.layerMultiplyAdds.before / row.layerMultiplyAdds.after).toFixed(2)}× fewer multiply-adds, measured ${Object.entries(row.layerSpeedup).map(([b, s]) => `${b} ${s.toFixed(2)}×`).join(', ')}; net ${Object.entries(row.netSpeedup).map(([b, s]) => `${b} ${s.toFixed(2)}×`).join(', ')} (${((performance.now() - t1) / 1000).toFixed(0)} s)`);
        }
        label = report.dataset?.label ?? label;
        rows.push(rowOf(report, seed, point));
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const aggs = aggregateConv(rows);
  const complete = preset.makesClaims && seeds.length >= preset.seeds.length;
  const dataset = label ?? (complete ? (await loadExperimentData(exp, o.dataDir)).label : exp.dataset.name);
  const claims = complete ? convCompressClaims(rows, { preset: preset.name, dataset, finetuneEpochs: preset.finetuneEpochs }) : [];
  const wallSeconds = (performance.now() - t0) / 1000;
  const notes = [
    `Command: \`${COMMAND} --preset ${preset.name}${o.seeds ? ` --seeds ${seeds.length}` : ''}\`; trained nets (seeds) ${seeds.join(', ')} of the preset's ${preset.seeds.join(', ')}; backend ${tf.getBackend()}; threads ${process.env.PARAMPRED_THREADS ?? 'default'}; wall time of this call ${wallSeconds.toFixed(0)} s.`,
    `Data: ${LABEL}. The nets are cifar-convnet-full runs (the CIFAR sweep's, 20 epochs) — conv1 48@8×8, conv2 64@8×8, conv3 64@5×5 ('same', 2×2 max-pool after each), dense 500, softmax 10.`,
    'Approximations (docs/method.md §3): monochromatic (conv1: each filter rank-1 in colour × space, the colour vectors k-means-clustered into C′ colours: a 1×1 colour transform then per-colour spatial filters), separable (rank-K kh×1 then 1×kw convs), bicluster (k-means of input × output channels into G × H blocks, each rank K: grouped convs), svd (dense, rank t). A point with several parts approximates those layers together.',
    `Errors: test error % of the dense net, of the approximated one, and after ${preset.finetuneEpochs} epoch(s) of fine-tuning the layers above the highest approximated one (approximated layers frozen, Denton et al.'s protocol; Adam lr ${preset.finetuneLr}, batch 100, no augmentation). Cost = fine-tuned − dense, paired by seed.`,
    `Speed-ups are measured, not counted: the fastest of ${4 * preset.repeats} interleaved before/after calls (output read back), for the replaced layer(s) alone on random inputs of their input shape (times summed over the point's layers) and for the whole net, at batch 1 and 128. "multiply-adds fewer" is the methods' own count.`,
    ...(complete ? [] : [preset.makesClaims ? `**Fewer trained nets than the preset's ${preset.seeds.length}: no claims are made from this call.**` : 'A smoke look (quick preset): never a claim.']),
  ];
  const machines = seeds.map((sd) => `seed ${sd}: ${[...new Set(rows.filter((r) => r.seed === sd).map((r) => r.machine))].join('; ')}`);
  notes.push(`Timed on (per trained net): ${machines.join(' · ')}. Speed-ups depend on the CPU; the per-seed table below keeps them apart.`);
  const md = convCompressMarkdown(aggs, { title: `Compressing the ${LABEL} convnet: measured speed-up vs accuracy cost (${preset.name} preset)`, notes });
  writeFileSync(join(out, 'summary.md'), md + '\n' + perSeedMarkdown(rows, seeds));
  writeFileSync(join(out, 'summary.json'), JSON.stringify({ preset, seeds, command: COMMAND, wallSeconds, aggregates: aggs, rows }, null, 2) + '\n');
  writeFileSync(join(out, 'claims.json'), JSON.stringify(claims, null, 2) + '\n');
  if (claims.length && resultsDir !== null) {
    const path = join(resultsDir, 'claims.json');
    const old = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Claim[]) : [];
    writeFileSync(path, JSON.stringify(mergeClaims(old, claims), null, 2) + '\n');
    log(`[compress-conv] claims merged into ${path}`);
  }
  return { outDir: out, rows, aggregates: aggs, claims, wallSeconds };
}

/** `parampred reproduce compress --net cifar` from the reproduce command's flags (--preset, --seeds N = the preset's first N nets, --out, --data-dir, --results / --no-results); prints the claims. */
export async function reproduceCompressConvCommand(flags: { preset?: string; seeds?: string; out?: string; dataDir?: string; results?: string | false }): Promise<void> {
  const fn = 'parampred reproduce compress --net cifar';
  const preset = getConvCompressPreset(flags.preset ?? 'quick', fn);
  const n = flags.seeds === undefined ? preset.seeds.length : Number(flags.seeds);
  if (!Number.isInteger(n) || n < 1 || n > preset.seeds.length) throw new ParampredError(fn, `expected --seeds an integer between 1 and the preset's ${preset.seeds.length}, got ${JSON.stringify(flags.seeds)}`);
  const r = await reproduceCompressConv({ preset, seeds: preset.seeds.slice(0, n), outDir: flags.out, dataDir: flags.dataDir, resultsDir: flags.results === false ? null : (flags.results ?? 'results') });
  console.log(`\n${r.rows.length} rows, wall time ${r.wallSeconds.toFixed(0)} s → ${r.outDir}/summary.md`);
  for (const c of r.claims) console.log(claimConsoleLine(c));
  if (!r.claims.length) console.log('no claims: a smoke look, or fewer trained nets than the preset\'s');
}
