/**
 * runReproduction: any reproduction (reproduction.ts) as one resumable sweep. Every (point, seed) is its
 * own run directory <out>/points/<point>/seed-<s> (runExperiment); with `resume` finished runs are read
 * back, half-done ones continue from their checkpoint, diverged ones (marked diverged.json) stay
 * diverged. Writes <out>/{plan,runs,summary,claims}.json, summary.md, the figures (into
 * <out>/summary-<preset>/ instead when <out>/plan.json is another preset's: presets may share one folder of
 * runs, e.g. a controls preset reusing the full preset's nets by seed, without overwriting each other's
 * summaries), and (unless resultsDir is null) merges the claims into <resultsDir>/claims.json and copies the summary, figures
 * and a README with the command into <resultsDir>/<dataset>-<preset>/.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import type { RunDataset } from '../run/data.js';
import { loadExperimentData } from '../run/data.js';
import { fmtSeconds, type ProgressMode } from '../run/progress.js';
import { runSeeds, seedDir, writeSummaryJson, type SeedOutcome } from '../run/seeds.js';
import { liveHolder } from '../run/run_lock.js';
import { readMetrics, readRunInfo, runPath } from '../run/run_dir.js';
import { getPrecision } from '../backend/precision.js';
import { check } from '../../core/errors.js';
import { presetOf, type ConvergenceCurveLike, type DataShape, type PresetBase, type ReproContext, type ReproPoint, type Reproduction } from './reproduction.js';
import { claimLine, mergeClaims, summarise, summaryMarkdown, type Claim, type RunRecord, type SummaryRow } from './summary.js';

export interface ReproduceOptions<P extends PresetBase = PresetBase> {
  /** A preset of the reproduction, by name or as an object (tests pass tiny ones). */
  preset: P | string;
  /** Default runs/reproduce-<name>-<preset>. */
  outDir?: string;
  resume?: boolean;
  /** Seeds per point (default the preset's). */
  seeds?: number;
  dataDir?: string;
  /** Preloaded data (tests pass synthetic data); default the first point's dataset from the data folder. */
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
  /**
   * Train only these points (ids from plan.json); every other point is read back as far as it has finished, as
   * with `finishedOnly`. Lets a long sweep spend its time where a claim or a downstream step needs seeds first.
   */
  points?: string[];
  /**
   * One of the processes of `reproduce --jobs N`: train the runs no other process holds (skipping those
   * another worker trains, run_lock.ts), and stop there: no plan, summary, figures or claims (the
   * parent summarises once every worker has exited).
   */
  worker?: boolean;
  /** A worker's: how many workers share the sweep (its ETA spreads the runs left over them); default 1. */
  workers?: number;
  /** The parent of `--jobs N` summarising: its workers' count, runs trained and wall seconds, for the notes. */
  jobs?: { count: number; trained: number; seconds: number };
}

export interface ReproduceResult {
  outDir: string;
  /** Where this invocation's plan, summary, claims and figures went: outDir, or outDir/summary-<preset> (see the file doc). */
  summaryDir: string;
  rows: SummaryRow[];
  claims: Claim[];
  records: RunRecord[];
  wallSeconds: number;
  /** Runs trained (or continued) by this call; the rest were read back. */
  trained: number;
}

const FN = 'reproduce';

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

const readJson = <T>(p: string): T => JSON.parse(readFileSync(p, 'utf8')) as T;

/** The precision a finished run trained in (run.json versions.precision; 'mixed' when a resume changed it; fp32 before the field existed). */
function runPrecision(dir: string): string {
  try {
    const info = readRunInfo(dir);
    const seen = new Set([info.versions, ...info.resumes.map((r) => r.versions as Record<string, unknown>)].map((v) => String(v?.precision ?? 'fp32')));
    return seen.size === 1 ? [...seen][0] : 'mixed';
  } catch {
    return 'unknown';
  }
}

/**
 * Where preset `preset`'s plan, summary, claims and figures go in a sweep folder: the folder itself unless its
 * plan.json names another preset, then <out>/summary-<preset>/ (the points stay shared under <out>/points/).
 */
export function summaryDirOf(outDir: string, preset: string): string {
  const plan = join(outDir, 'plan.json');
  if (!existsSync(plan)) return outDir;
  let owner: unknown;
  try {
    owner = (readJson<{ preset?: { name?: unknown } }>(plan).preset ?? {}).name;
  } catch {
    return outDir; // an unreadable plan is overwritten, as before
  }
  return owner === undefined || owner === preset ? outDir : join(outDir, `summary-${preset}`);
}

/** Where a reproduction's runs go without --out: runs/reproduce-<name>-<preset>. */
export function defaultOutDir(def: { name: string }, preset: { name: string }): string {
  return join('runs', `reproduce-${def.name}-${preset.name}`);
}

/** The first run directory (<out>/points/<point>/seed-<s> holding a config.json) of a sweep folder, or null. */
export function firstRunIn(outDir: string): string | null {
  const points = join(outDir, 'points');
  if (!existsSync(points)) return null;
  for (const p of readdirSync(points).sort()) {
    const dir = join(points, p);
    if (!statSync(dir).isDirectory()) continue;
    for (const s of readdirSync(dir).sort()) if (existsSync(join(dir, s, 'config.json'))) return join(dir, s);
  }
  return null;
}

const noCounts = () => ({ paper: NaN, whole: NaN, learned: NaN });

/** Runs `def` with the preset's points × seeds; see the file doc. */
export async function runReproduction<P extends PresetBase>(def: Reproduction<P>, o: ReproduceOptions<P>): Promise<ReproduceResult> {
  const preset = typeof o.preset === 'string' ? presetOf(def, o.preset, `parampred reproduce ${def.name}`) : o.preset;
  const seeds = o.seeds ?? preset.seeds;
  check(Number.isInteger(seeds) && seeds >= 1, FN, 'seeds a positive integer', seeds);
  const log = o.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const outDir = o.outDir ?? defaultOutDir(def, preset);
  const command = o.command ?? `parampred reproduce ${def.name} --preset ${preset.name}${seeds !== preset.seeds ? ` --seeds ${seeds}` : ''}${o.points?.length ? ` --points ${o.points.join(',')}` : ''}${getPrecision() !== 'fp32' ? ` --precision ${getPrecision()}` : ''}`;
  const t0 = performance.now();
  const load0 = loadavg();
  mkdirSync(outDir, { recursive: true });
  const summaryDir = summaryDirOf(outDir, preset.name);
  mkdirSync(summaryDir, { recursive: true });
  if (summaryDir !== outDir) log(`[reproduce] ${join(outDir, 'plan.json')} is another preset's: the plan, summary and figures of preset ${preset.name} go to ${summaryDir}`);

  // --- data (once), then the points for its shape ---
  const data = o.data ?? (await loadExperimentData(def.points(preset, def.shape)[0].experiment, o.dataDir));
  const shape: DataShape = { inputSize: data.inputShape.reduce((p, q) => p * q, 1), classes: data.classes };
  const points = def.points(preset, shape, data.name);
  const ids = new Set(points.map((p) => p.id));
  check(ids.size === points.length, FN, 'unique point ids', points.map((p) => p.id).join(', '));
  const unknown = (o.points ?? []).filter((id) => !ids.has(id));
  check(unknown.length === 0, FN, `points among the preset's: ${[...ids].join(', ')}`, unknown.join(', '));
  const trains = (p: ReproPoint) => !o.finishedOnly && (!o.points?.length || o.points.includes(p.id));
  const ctx: ReproContext<P> = { preset, seeds, command, dataset: data.name, label: data.label, shape, points };
  if (!o.worker) writeFileSync(join(summaryDir, 'plan.json'), JSON.stringify({ preset, seeds, command, points: points.map(({ experiment, ...p }) => ({ ...p, hidden: experiment.model.kind === 'mlp' ? experiment.model.hidden : null })) }, null, 2) + '\n');
  const priority = (p: ReproPoint) => def.priority?.(p, preset) ?? 0;
  const trainedPoints = points.filter((p) => !p.aliasOf).map((p, i) => ({ p, i })).sort((a, b) => priority(a.p) - priority(b.p) || a.i - b.i).map((x) => x.p);
  const seedsOf = (p: ReproPoint) => Math.min(p.seeds ?? seeds, seeds);
  const total = trainedPoints.reduce((n, p) => n + seedsOf(p), 0);
  // the runs this invocation will train (its points', not yet finished or diverged): what the ETA counts, so that
  // `--points` or a resumed sweep does not extrapolate over runs it only reads back
  const pending = new Set<string>();
  const finishedRun = (key: string) => {
    const cut = key.lastIndexOf('/');
    const dir = seedDir(join(outDir, 'points', key.slice(0, cut)), Number(key.slice(cut + 1)));
    return existsSync(runPath(dir, 'final')) || existsSync(runPath(dir, 'diverged'));
  };
  for (const p of trainedPoints) {
    if (!trains(p)) continue;
    for (let i = 0; i < seedsOf(p); i++) {
      const key = `${p.id}/${p.experiment.seed + i}`;
      if (!finishedRun(key)) pending.add(key);
    }
  }
  log(`[reproduce] ${data.name} preset ${preset.name}: ${trainedPoints.length} points × ${seeds} seeds${total < trainedPoints.length * seeds ? ' (fewer for some)' : ''} = ${total} runs (${points.length - trainedPoints.length} alias point(s): ${points.filter((p) => p.aliasOf).map((p) => `${p.id} = ${p.aliasOf}`).join(', ') || 'none'}) → ${outDir}`);
  log(`[reproduce] ${preset.description}`);
  if (!o.finishedOnly) log(`[reproduce] ${pending.size} of the ${total} runs to train${o.worker ? ', shared among the jobs' : ' here'}${o.points?.length ? ` (points ${o.points.join(', ')})` : ''}, the others read back`);

  // --- every (point, seed) ---
  const picture = def.picture?.(ctx) ?? null;
  const records: RunRecord[] = [];
  let k = 0;
  let trained = 0;
  let trainedSeconds = 0;
  const record = (p: ReproPoint, r: SeedOutcome): RunRecord => {
    if (r.final) {
      const c = r.final.parameters;
      return { point: p.id, seed: r.seed, testError: r.final.testError, paperFraction: c.paper.fraction, wholeNetworkFraction: c.wholeNetwork.fraction, learned: c.wholeNetwork.trainable, seconds: r.final.seconds, dir: r.dir };
    }
    const c = (def.expectedCounts ?? noCounts)(p, shape);
    return { point: p.id, seed: r.seed, testError: null, paperFraction: c.paper, wholeNetworkFraction: c.whole, learned: c.learned, seconds: r.diverged?.seconds ?? r.seconds, dir: r.dir };
  };
  for (const p of trainedPoints) {
    await runSeeds(p.experiment, {
      seeds: seedsOf(p),
      outDir: join(outDir, 'points', p.id),
      resume: o.resume || !trains(p),
      finishedOnly: !trains(p),
      data,
      progress: o.progress ?? 'lines',
      figures: (i) => p.id === picture?.point && i === 0,
      onDiverged: 'record',
      busy: o.worker ? 'skip' : 'throw',
      onBusy: (seed, _dir, h) => {
        pending.delete(`${p.id}/${seed}`); // another worker's to train: not in this one's ETA
        log(`[reproduce] ${p.id} seed ${seed}: trained by pid ${h.pid} (another job), skipped`);
      },
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
        pending.delete(`${p.id}/${r.seed}`);
        // a worker: the runs other workers finished meanwhile are not left, and those left are shared among the workers
        if (o.worker) for (const key of pending) if (finishedRun(key)) pending.delete(key);
        const eta = pending.size === 0 ? 0 : trained ? (trainedSeconds / trained) * Math.ceil(pending.size / Math.max(1, o.workers ?? 1)) : NaN;
        const err = rec.testError === null ? 'diverged' : `${rec.testError.toFixed(2)} %`;
        const done = !r.trained;
        log(`[reproduce ${k}/${total}] ${p.id} seed ${r.seed}: test error ${err}, dynamic ${(100 * rec.paperFraction).toFixed(1)} % (paper convention)${done ? ' (done before)' : `, ${fmtSeconds(r.seconds)}`}; elapsed ${fmtSeconds((performance.now() - t0) / 1000)}, ${pending.size} run${pending.size === 1 ? '' : 's'} left${o.worker ? ' to the jobs' : ''}, ETA ${fmtSeconds(eta)}`);
      },
    });
  }

  if (o.worker) {
    const wallSeconds = (performance.now() - t0) / 1000;
    log(`[reproduce] worker done in ${fmtSeconds(wallSeconds)}: ${trained} run(s) trained`);
    return { outDir, summaryDir, rows: [], claims: [], records, wallSeconds, trained };
  }

  // --- summary, figures, claims ---
  const rows = summarise(points, records, (p) => def.matched?.(p, ctx) ?? null);
  const partial = records.length < total;
  // the unfinished runs a live process trains now (run_lock.ts), with how far they are
  const inProgress = trainedPoints.flatMap((p) => Array.from({ length: seedsOf(p) }, (_, i) => p.experiment.seed + i).flatMap((seed) => {
    if (records.some((r) => r.point === p.id && r.seed === seed)) return [];
    const dir = seedDir(join(outDir, 'points', p.id), seed);
    const holder = liveHolder(dir);
    return holder ? [`${p.id} seed ${seed} (pid ${holder.pid}, ${readMetrics(dir).length} of ${p.experiment.epochs} epochs)`] : [];
  }));
  if (inProgress.length) log(`[reproduce] in progress: ${inProgress.join('; ')}`);
  // a claim needs every seed of the run and at least the preset's own count: `--seeds 1` on a 3-seed preset
  // (a first look at paper scale) trains and summarises, but claims nothing
  const claimSeeds = Math.max(seeds, preset.seeds);
  // Precision of the finished runs (run.json, also across resumes): claims from bf16 runs never enter
  // results/claims.json, whose ids name the fp32 results, and their folder is <dataset>-<preset>-bf16.
  const precisions = new Map<string, number>();
  for (const r of records) if (r.testError !== null) precisions.set(runPrecision(r.dir), (precisions.get(runPrecision(r.dir)) ?? 0) + 1);
  const lowPrecision = getPrecision() !== 'fp32' || precisions.has('bf16') || precisions.has('mixed');
  const claims = def.claims(rows, ctx).filter((c) => (!partial && seeds >= preset.seeds) || c.n_seeds >= claimSeeds);
  const wallSeconds = (performance.now() - t0) / 1000 + (o.jobs?.seconds ?? 0);
  trained += o.jobs?.trained ?? 0;
  const load1 = loadavg();
  const notes = [
    `Made by \`${command}\`; ${seeds} seeds per point (seed 1…${seeds}); the finished runs' own time ${fmtSeconds(records.reduce((n, r) => n + r.seconds, 0))} in all (each final.json's); wall time of this invocation ${fmtSeconds(wallSeconds)} (${trained} runs trained${o.jobs ? ` by ${o.jobs.count} jobs at once` : ''}, ${records.length - trained} read back); ${cpus().length} CPU cores, load average ${load0[0].toFixed(1)} at start, ${load1[0].toFixed(1)} at the end.`,
    ...(seeds < preset.seeds ? [`**${seeds} seed(s) per point, fewer than the preset's ${preset.seeds}: no claims are made from this invocation** (continue with \`--seeds ${preset.seeds} --resume\`).`] : []),
    ...(precisions.size > 1 ? [`**Mixed precisions**: ${[...precisions].map(([p, n]) => `${n} run(s) ${p}`).join(', ')} (run.json \`versions.precision\`).`] : []),
    ...(lowPrecision ? [`Products and convolutions in **${[...precisions.keys()].join(' / ') || getPrecision()}** precision: these results are kept apart from the fp32 claims in results/claims.json.`] : []),
    ...(partial ? [`**Partial: ${records.length} of ${total} runs have finished** (the sweep is resumable: \`${command} --resume\`); points with fewer than ${seeds} seeds are shown with the seeds they have, and only claims whose points have all ${seeds} seeds are made.${inProgress.length ? ` In training when this summary was written: ${inProgress.join('; ')}.` : ''}`] : []),
    `Preset ${preset.name}: ${preset.description}`,
    ...def.notes(ctx),
  ];
  const title = def.title(ctx);
  const md = summaryMarkdown(rows, { title, notes }) + '\n' + (def.tables?.(rows, ctx) ?? '');
  writeFileSync(join(summaryDir, 'runs.json'), JSON.stringify(records, null, 2) + '\n');
  // the last invocation that trained runs here, kept across read-back summaries (--finished-only), whose own wall time says nothing of the training
  const lastTraining: TrainingInvocation | null = trained > 0 ? { date: new Date().toISOString().slice(0, 10), commit: gitCommit(), wallSeconds, trained } : lastTrainingIn(summaryDir);
  writeSummaryJson(summaryDir, { preset: preset.name, command, seeds, wallSeconds, loadAverage: { start: load0[0], end: load1[0] }, lastTraining }, rows);
  writeFileSync(join(summaryDir, 'summary.md'), md);
  writeFileSync(join(summaryDir, 'claims.json'), JSON.stringify(claims, null, 2) + '\n');
  // the convergence control: validation error per epoch and per training second of the named nets
  const convergence: ConvergenceCurveLike[] = [];
  for (const [id, label] of def.convergence?.(ctx) ?? []) {
    const runs = records.filter((r) => r.point === id && r.testError !== null).map((r) => readMetrics(r.dir).map((m) => ({ validError: m.validError, seconds: m.seconds })));
    if (runs.length) convergence.push({ label, runs });
  }
  const figures = await def.figures(rows, { ...ctx, convergence });
  for (const [name, svg] of Object.entries(figures)) writeFileSync(join(summaryDir, name), svg);
  const fig1 = picture ? join(outDir, 'points', picture.point, `seed-${points[0].experiment.seed}`, 'pictures', 'fig1.png') : null;
  const hasFig1 = fig1 !== null && existsSync(fig1);

  if (o.resultsDir !== null) {
    const resultsDir = o.resultsDir ?? 'results';
    const dest = join(resultsDir, `${data.name}-${preset.name}${lowPrecision ? '-bf16' : ''}`);
    mkdirSync(dest, { recursive: true });
    for (const f of ['summary.md', 'summary.json', 'claims.json', ...Object.keys(figures)]) copyFileSync(join(summaryDir, f), join(dest, f));
    if (hasFig1) copyFileSync(fig1, join(dest, picture!.file));
    const claimsPath = join(resultsDir, 'claims.json');
    const merges = preset.makesClaims && !lowPrecision;
    if (merges) {
      const old = existsSync(claimsPath) ? readJson<Claim[]>(claimsPath) : [];
      writeFileSync(claimsPath, JSON.stringify(mergeClaims(old, claims), null, 2) + '\n');
    }
    writeFileSync(join(dest, 'README.md'), readme(def.readme({ ...ctx, picture: hasFig1 }), { title, command, preset, wallSeconds, trained, records, load0: load0[0], load1: load1[0], claims, md, lastTraining }));
    log(`[reproduce] results copied to ${dest}; ${merges ? `claims merged into ${claimsPath}` : `${lowPrecision ? 'bf16 runs' : 'a smoke look'}: its claims stay in ${dest}/claims.json, out of ${claimsPath}`}`);
  }
  log(`[reproduce] done in ${fmtSeconds(wallSeconds)}: ${join(summaryDir, 'summary.md')}`);
  return { outDir, summaryDir, rows, claims, records, wallSeconds, trained };
}

/** An invocation that trained runs into a summary folder: when, at which commit, its wall time and how many runs it trained. */
export interface TrainingInvocation {
  date: string;
  commit: string | null;
  wallSeconds: number;
  trained: number;
}

/** The last training invocation recorded in `<dir>/summary.json` (null if none, or unreadable). */
function lastTrainingIn(dir: string): TrainingInvocation | null {
  const p = join(dir, 'summary.json');
  if (!existsSync(p)) return null;
  try {
    const t = readJson<{ lastTraining?: Partial<TrainingInvocation> | null }>(p).lastTraining;
    return t && typeof t.date === 'string' && typeof t.wallSeconds === 'number' && typeof t.trained === 'number' ? { date: t.date, commit: typeof t.commit === 'string' ? t.commit : null, wallSeconds: t.wallSeconds, trained: t.trained } : null;
  } catch {
    return null;
  }
}

function readme(parts: { intro: string; fields: string; files: string; paper: string }, o: { title: string; command: string; preset: PresetBase; wallSeconds: number; trained: number; records: RunRecord[]; load0: number; load1: number; claims: Claim[]; md: string; lastTraining: TrainingInvocation | null }): string {
  const commit = gitCommit();
  const runSeconds = o.records.reduce((s, r) => s + r.seconds, 0);
  return [
    `# ${o.title}`,
    '',
    parts.intro,
    '',
    '```',
    `PARAMPRED_DATA=/path/to/data ${o.command}`,
    '```',
    '',
    `on ${new Date().toISOString().slice(0, 10)}${commit ? ` at commit ${commit}` : ''}: wall time ${fmtSeconds(o.wallSeconds)} for this invocation (${o.trained} runs trained here), ${fmtSeconds(runSeconds)} summed over the ${o.records.length} runs' own time; ${cpus().length} CPU cores shared with other jobs (load average ${o.load0.toFixed(1)} at the start, ${o.load1.toFixed(1)} at the end).${o.trained === 0 && o.lastTraining ? ` The last invocation that trained runs here: wall time ${fmtSeconds(o.lastTraining.wallSeconds)} for ${o.lastTraining.trained} run(s), on ${o.lastTraining.date}${o.lastTraining.commit ? ` at commit ${o.lastTraining.commit}` : ''}.` : ''}`,
    '',
    `Preset \`${o.preset.name}\`: ${o.preset.description}`,
    '',
    parts.fields,
    '',
    parts.files,
    '',
    '## Claims',
    '',
    parts.paper,
    '',
    ...o.claims.map(claimLine),
    '',
    '## Summary',
    '',
    o.md.split('\n').slice(1).join('\n'),
  ].join('\n');
}
