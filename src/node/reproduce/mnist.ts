/**
 * reproduceMnist: the paper's MNIST MLP experiments (docs/method.md §2) as one resumable sweep. Every
 * (point, seed) is its own run directory <out>/points/<point>/seed-<s> (runExperiment); with `resume`
 * finished runs are read back, half-done ones continue from their checkpoint, diverged ones (marked
 * diverged.json) stay diverged. Writes <out>/{plan,runs,summary,claims}.json, summary.md, the figures,
 * and (unless resultsDir is null) merges the claims into <resultsDir>/claims.json and copies the summary,
 * figures and a README with the command into <resultsDir>/<dataset>-<preset>/.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import type { RunDataset } from '../run/data.js';
import { loadExperimentData } from '../run/data.js';
import type { ProgressMode } from '../run/progress.js';
import { runSeeds, writeSummaryJson, type SeedOutcome } from '../run/seeds.js';
import { check } from '../../core/errors.js';
import { buildPoints, expectedCounts, fractionTag, paperFraction, type DataShape, type ReproPoint } from './points.js';
import { headlineFraction, presets, type ReproducePreset } from './presets.js';
import { computeClaims, controlsMarkdown, mergeClaims, summarise, summaryMarkdown, type Claim, type RunRecord, type SummaryRow } from './summary.js';
import { reproduceFigures, type ConvergenceCurve } from './figures.js';
import { readMetrics } from '../run/run_dir.js';

export interface ReproduceOptions {
  preset: ReproducePreset;
  /** Default runs/reproduce-mnist-<preset>. */
  outDir?: string;
  resume?: boolean;
  /** Seeds per point (default the preset's). */
  seeds?: number;
  dataDir?: string;
  /** Preloaded data (tests pass synthetic data); default MNIST from the data folder. */
  data?: RunDataset;
  /** Where results/claims.json and results/<dataset>-<preset>/ go (default 'results'); null = nowhere. */
  resultsDir?: string | null;
  /** The command line recorded with the claims and in the README. */
  command?: string;
  /** Per-epoch progress of each run (default 'lines'). */
  progress?: ProgressMode;
  /** Where progress lines go (default stderr). */
  log?: (line: string) => void;
  /**
   * Train nothing: summarise the runs that finished so far (a sweep still running, or interrupted).
   * Only claims whose points have all their seeds are merged into results/claims.json.
   */
  finishedOnly?: boolean;
}

export interface ReproduceResult {
  outDir: string;
  rows: SummaryRow[];
  claims: Claim[];
  records: RunRecord[];
  wallSeconds: number;
  /** Runs trained (or continued) by this call; the rest were read back. */
  trained: number;
}

const FN = 'reproduceMnist';

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

const readJson = <T>(p: string): T => JSON.parse(readFileSync(p, 'utf8')) as T;

function fmtSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const m = Math.floor(s / 60);
  return m ? `${m}m${String(Math.round(s - 60 * m)).padStart(2, '0')}s` : `${s.toFixed(0)}s`;
}

/** Runs the preset's sweep; see the file doc. */
export async function reproduceMnist(o: ReproduceOptions): Promise<ReproduceResult> {
  const preset = o.preset;
  const seeds = o.seeds ?? preset.seeds;
  check(Number.isInteger(seeds) && seeds >= 1, FN, 'seeds a positive integer', seeds);
  const log = o.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const outDir = o.outDir ?? join('runs', `reproduce-mnist-${preset.name}`);
  const command = o.command ?? `parampred reproduce mnist --preset ${preset.name}${seeds !== preset.seeds ? ` --seeds ${seeds}` : ''}`;
  const t0 = performance.now();
  const load0 = loadavg();
  mkdirSync(outDir, { recursive: true });

  // --- data (once), then the points for its shape ---
  const data = o.data ?? (await loadExperimentData(buildPoints(preset, { inputSize: 784, classes: 10 })[0].experiment, o.dataDir));
  const shape: DataShape = { inputSize: data.inputShape.reduce((p, q) => p * q, 1), classes: data.classes };
  const points = buildPoints(preset, shape, data.name);
  const hidden = preset.hidden ?? [500, 500];
  writeFileSync(join(outDir, 'plan.json'), JSON.stringify({ preset, seeds, command, points: points.map(({ experiment, ...p }) => ({ ...p, hidden: experiment.model.kind === 'mlp' ? experiment.model.hidden : null })) }, null, 2) + '\n');
  // the claims' points first (baseline, 5 % and 2.5 % predicted, the downsized nets, every method at 5 %),
  // then se-emp's curve below 1, the columns and ℓ controls at 5 %, and the rest of the grid (se-emp at
  // α/n_v = 1 costs ~10 runs of 5 %), so that an interrupted sweep has the headline numbers first
  const at05 = (p: ReproPoint) => p.nominalFraction === headlineFraction;
  const priority = (p: ReproPoint) =>
    p.method === 'full' ? 0
      : p.method === 'se-emp' && p.columns === 10 && p.lengthScale === undefined ? (at05(p) ? 1 : p.nominalFraction === 0.025 ? 2 : p.nominalFraction === 1 ? 7 : 5)
        : p.method === 'downsized' ? 3
          : p.columns === 10 && p.lengthScale === undefined && at05(p) ? 4
            : at05(p) ? 6
              // the other methods' most expensive point last, so that a session cut short still has their curves up to 0.25
              : p.method !== 'se-emp' && p.nominalFraction === 0.5 ? 8 : 7;
  const trainedPoints = points.filter((p) => !p.aliasOf).map((p, i) => ({ p, i })).sort((a, b) => priority(a.p) - priority(b.p) || a.i - b.i).map((x) => x.p);
  const total = trainedPoints.length * seeds;
  log(`[reproduce] ${data.name} preset ${preset.name}: ${trainedPoints.length} points × ${seeds} seeds = ${total} runs (${points.length - trainedPoints.length} alias point(s): ${points.filter((p) => p.aliasOf).map((p) => `${p.id} = ${p.aliasOf}`).join(', ') || 'none'}) → ${outDir}`);
  log(`[reproduce] ${preset.description}`);

  // --- every (point, seed) ---
  const headline = `se-emp-${fractionTag(headlineFraction)}-c10`;
  const records: RunRecord[] = [];
  let k = 0;
  let trained = 0;
  let trainedSeconds = 0;
  const record = (p: ReproPoint, r: SeedOutcome): RunRecord => {
    if (r.final) {
      const c = r.final.parameters;
      return { point: p.id, seed: r.seed, testError: r.final.testError, paperFraction: c.paper.fraction, wholeNetworkFraction: c.wholeNetwork.fraction, learned: c.wholeNetwork.trainable, seconds: r.final.seconds, dir: r.dir };
    }
    const c = expectedCounts(p, shape);
    return { point: p.id, seed: r.seed, testError: null, paperFraction: c.paper, wholeNetworkFraction: c.whole, learned: c.learned, seconds: r.diverged?.seconds ?? r.seconds, dir: r.dir };
  };
  for (const p of trainedPoints) {
    await runSeeds(p.experiment, {
      seeds,
      outDir: join(outDir, 'points', p.id),
      resume: o.resume || o.finishedOnly,
      finishedOnly: o.finishedOnly,
      data,
      progress: o.progress ?? 'lines',
      figures: (i) => p.id === headline && i === 0,
      onDiverged: 'record',
      onStart: (seed, _dir, done) => {
        if (!done) log(`[reproduce ${k + 1}/${total}] ${p.id} seed ${seed}: training…`);
      },
      onSeed: (r) => {
        k++;
        const rec = record(p, r);
        records.push(rec);
        if (r.trained && r.final) {
          trained++;
          trainedSeconds += r.seconds;
        }
        if (r.trained && r.diverged) log(`[reproduce ${k}/${total}] ${p.id} seed ${r.seed}: DIVERGED (${r.diverged.message})`);
        const eta = trained ? (trainedSeconds / trained) * (total - k) : NaN;
        const err = rec.testError === null ? 'diverged' : `${rec.testError.toFixed(2)} %`;
        const done = !r.trained;
        log(`[reproduce ${k}/${total}] ${p.id} seed ${r.seed}: test error ${err}, dynamic ${(100 * rec.paperFraction).toFixed(1)} % (paper convention)${done ? ' (done before)' : `, ${fmtSeconds(r.seconds)}`}; elapsed ${fmtSeconds((performance.now() - t0) / 1000)}, ETA ${fmtSeconds(eta)}`);
      },
    });
  }

  // --- summary, figures, claims ---
  const matched = (p: ReproPoint) => (p.nominalFraction === null ? null : paperFraction(shape, hidden, p.nominalFraction));
  const rows = summarise(points, records, matched);
  const partial = records.length < total;
  const claims = computeClaims(rows, { command, preset: preset.name, dataset: data.name }).filter((c) => !partial || c.n_seeds >= seeds);
  const wallSeconds = (performance.now() - t0) / 1000;
  const load1 = loadavg();
  const notes = [
    `Made by \`${command}\`; ${seeds} seeds per point (seed 1…${seeds}); wall time of this invocation ${fmtSeconds(wallSeconds)} (${trained} runs trained, ${records.length - trained} read back); ${cpus().length} CPU cores, load average ${load0[0].toFixed(1)} at start, ${load1[0].toFixed(1)} at the end.`,
    ...(partial ? [`**Partial: ${records.length} of ${total} runs have finished** (the sweep is resumable: \`${command} --resume\`); points with fewer than ${seeds} seeds are shown with the seeds they have, and only claims whose points have all ${seeds} seeds are made.`] : []),
    `Preset ${preset.name}: ${preset.description}`,
    'Dynamic fraction (paper convention) = Σ n_α·n_h / Σ n_v·n_h over the two hidden layers (softmax and biases excluded), measured on the built model; whole-network fraction = trainable parameters / those of the same net all dense.',
    "The MLP's `se` is se in layer 1 and emp in layer 2 (layer 2 has no topology; paperMlpLayers), the same net as se-emp: its rows repeat se-emp's runs.",
    'downsized: a dense 784-h-h-10 net with h chosen so it learns as many parameters (weights, biases, softmax) as the se-emp net with 10 columns at that α/n_v; plotted at that net\'s dynamic fraction.',
    'lowrank: U and V both learned (one column), each layer\'s rank r = round(n_α·n_h / (n_v + n_h)) so that it learns as many weights as the predicted layer\'s V; its dynamic fraction counts U.',
    `Predicted nets: V calibrated per column to a ${preset.calibrate === 'none' ? '(none)' : preset.calibrate === 'he' ? 'He' : 'Glorot'} dense layer's output scale on the dictionary sample (model.calibrate), before pretraining.`,
    'Test error: the best-validation epoch of each run (early stopping keeps it), on the test split; mean ± sample sd over seeds.',
  ];
  const title = `${data.name} MLP reproduction, ${preset.name} preset`;
  const md = summaryMarkdown(rows, { title, notes }) + '\n' + controlsMarkdown(rows);
  writeFileSync(join(outDir, 'runs.json'), JSON.stringify(records, null, 2) + '\n');
  writeSummaryJson(outDir, { preset: preset.name, command, seeds, wallSeconds, loadAverage: { start: load0[0], end: load1[0] } }, rows);
  writeFileSync(join(outDir, 'summary.md'), md);
  writeFileSync(join(outDir, 'claims.json'), JSON.stringify(claims, null, 2) + '\n');
  // the convergence control: validation error per epoch and per training second of the full, headline and downsized nets
  const convergence: ConvergenceCurve[] = [];
  for (const [id, label] of [['full', 'full (all dynamic)'], [headline, 'se-emp, 10 columns, α/n_v 0.05'], [`downsized-${fractionTag(headlineFraction)}`, 'downsized dense, same # learned']] as const) {
    const runs = records.filter((r) => r.point === id && r.testError !== null).map((r) => readMetrics(r.dir).map((m) => ({ validError: m.validError, seconds: m.seconds })));
    if (runs.length) convergence.push({ label, runs });
  }
  const figures = await reproduceFigures(rows, { dataset: data.name, preset: preset.name, columns: 10, convergence });
  for (const [name, svg] of Object.entries(figures)) writeFileSync(join(outDir, name), svg);
  const fig1 = join(outDir, 'points', headline, `seed-${points[0].experiment.seed}`, 'pictures', 'fig1.png');

  if (o.resultsDir !== null) {
    const resultsDir = o.resultsDir ?? 'results';
    const dest = join(resultsDir, `${data.name}-${preset.name}`);
    mkdirSync(dest, { recursive: true });
    for (const f of ['summary.md', 'summary.json', 'claims.json', ...Object.keys(figures)]) copyFileSync(join(outDir, f), join(dest, f));
    if (existsSync(fig1)) copyFileSync(fig1, join(dest, 'fig1-se-emp-5pct-10col.png'));
    const claimsPath = join(resultsDir, 'claims.json');
    if (preset.makesClaims) {
      const old = existsSync(claimsPath) ? readJson<Claim[]>(claimsPath) : [];
      writeFileSync(claimsPath, JSON.stringify(mergeClaims(old, claims), null, 2) + '\n');
    }
    writeFileSync(join(dest, 'README.md'), readme({ title, command, preset, seeds, wallSeconds, trained, records, load0: load0[0], load1: load1[0], claims, md, fig1: existsSync(fig1) }));
    log(`[reproduce] results copied to ${dest}; ${preset.makesClaims ? `claims merged into ${claimsPath}` : `a smoke look: its claims stay in ${dest}/claims.json, out of ${claimsPath}`}`);
  }
  log(`[reproduce] done in ${fmtSeconds(wallSeconds)}: ${join(outDir, 'summary.md')}`);
  return { outDir, rows, claims, records, wallSeconds, trained };
}

function readme(o: { title: string; command: string; preset: ReproducePreset; seeds: number; wallSeconds: number; trained: number; records: RunRecord[]; load0: number; load1: number; claims: Claim[]; md: string; fig1: boolean }): string {
  const commit = gitCommit();
  const runSeconds = o.records.reduce((s, r) => s + r.seconds, 0);
  const claimLines = o.claims.map((c) => `- \`${c.id}\`: ${c.value === null ? 'none' : c.value.toFixed(c.unit.startsWith('%') ? 2 : 4)}${c.sd !== null ? ` ± ${c.sd.toFixed(2)}` : ''} ${c.unit} (n = ${c.n_seeds}) — ${c.description}`);
  const p = o.preset;
  return [
    `# ${o.title}`,
    '',
    'Reproduces the MNIST MLP experiments of Denil et al. 2013 (docs/method.md §2 in the parampred repository). Made with',
    '',
    '```',
    `PARAMPRED_DATA=/path/to/data ${o.command}`,
    '```',
    '',
    `on ${new Date().toISOString().slice(0, 10)}${commit ? ` at commit ${commit}` : ''}: wall time ${fmtSeconds(o.wallSeconds)} for this invocation (${o.trained} runs trained here), ${fmtSeconds(runSeconds)} summed over the ${o.records.length} runs' own time; ${cpus().length} CPU cores shared with other jobs (load average ${o.load0.toFixed(1)} at the start, ${o.load1.toFixed(1)} at the end).`,
    '',
    `Preset \`${p.name}\`: ${p.description}`,
    '',
    `Fields: seeds ${o.seeds}, epochs ${p.epochs}, training images ${p.trainLimit ?? 'all (50,000)'}, validation ${p.validation}, test ${p.testLimit ?? 'all (10,000)'}, dictionary sample ${p.dictionarySample}, pretraining ${p.pretrainingEpochs === null ? 'none' : `${p.pretrainingEpochs} epochs per hidden layer (not lowrank)`}. Grid: ${p.grid.map((g) => `{${g.methods.join(', ')}} × α/n_v {${g.fractions.map((f) => f.toFixed(4)).join(', ')}} × columns {${g.columns.join(', ')}}`).join('; ')}; downsized at α/n_v {${p.downsizedFractions.map((f) => f.toFixed(4)).join(', ')}}. All other settings are those of the registered experiments mnist-mlp-full / mnist-mlp-se-emp / mnist-mlp-downsized (Adam 1e-3, cosine decay, batch 100, ReLU, best-validation epoch kept).`,
    '',
    'Files: `summary.md` / `summary.json` (mean ± sd per method, fraction and columns), `error-vs-fraction.svg` (methods, 10 columns, with the full baseline and the downsized dense net), `columns.svg` (se-emp with 1/5/10 columns)' + (o.fig1 ? ', `fig1-se-emp-5pct-10col.png` (Fig. 1 style: each first-layer feature at its sampled pixels α | the whole predicted feature; se-emp, 5 %, 10 columns, seed 1)' : '') + '; the claims are merged into `../claims.json`.',
    '',
    '## Claims',
    '',
    'The paper (Denil et al. 2013, MLP figure): "With 10 columns we are able to predict more than 95% of the dynamic parameters from the first two layers of the network without any substantial drop in accuracy."',
    '',
    ...claimLines,
    '',
    '## Summary',
    '',
    o.md.split('\n').slice(1).join('\n'),
  ].join('\n');
}

/** The presets, re-exported for the CLI's help text. */
export { presets };
