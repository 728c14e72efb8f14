/**
 * Summaries of a reproduction: per point mean ± sample sd of the test error over seeds, the claims the
 * paper makes (as numbers with their spread), merging claims into results/claims.json by id, and the
 * markdown table. Pure functions (no files), so the tests can check them against a reference.
 */
import type { ReproPoint } from './points.js';
import { seedStats, type SeedRow } from '../run/seed_stats.js';

export { meanSd } from '../run/seed_stats.js';

/** One finished (or diverged) run of a point with one seed. */
export interface RunRecord {
  point: string;
  seed: number;
  /** Test error %; null when the run diverged. */
  testError: number | null;
  /** Dynamic fraction, paper convention (Σ n_α·n_h / Σ n_v·n_h over the hidden layers), measured on the model. */
  paperFraction: number;
  /** Trainable parameters / those of the same network all dense (biases and softmax included). */
  wholeNetworkFraction: number;
  /** Learned (trainable) parameters of the whole network. */
  learned: number;
  seconds: number;
  dir: string;
}

/** A row of the reproduction's summary: the common multi-seed row (SeedRow) plus the reproduction's own fields. */
export interface SummaryRow extends SeedRow {
  /** α/n_v (for 'downsized': of the predicted net it is matched to); null for 'full'. */
  nominalFraction: number | null;
  hidden: number[];
  /** For 'downsized': the paper-convention fraction of the predicted net it is matched to (its plot position). */
  matchedFraction: number | null;
  wholeNetworkFraction: number;
  learned: number;
  aliasOf?: string;
}

/** One row per point (aliases repeat their target's numbers). `matched` gives a downsized point's plot fraction. */
export function summarise(points: readonly ReproPoint[], records: readonly RunRecord[], matched: (p: ReproPoint) => number | null = () => null): SummaryRow[] {
  return points.map((p) => {
    const src = p.aliasOf ?? p.id;
    const rs = records.filter((r) => r.point === src).sort((a, b) => a.seed - b.seed);
    return {
      point: p.id,
      method: p.method,
      nominalFraction: p.nominalFraction,
      columns: p.columns,
      hidden: p.experiment.model.kind === 'mlp' ? [...p.experiment.model.hidden] : [],
      fraction: rs[0]?.paperFraction ?? NaN,
      matchedFraction: p.method === 'downsized' ? matched(p) : null,
      wholeNetworkFraction: rs[0]?.wholeNetworkFraction ?? NaN,
      learned: rs[0]?.learned ?? NaN,
      ...seedStats(rs),
      ...(p.aliasOf ? { aliasOf: p.aliasOf } : {}),
    };
  });
}

/** One entry of results/claims.json. */
export interface Claim {
  id: string;
  description: string;
  value: number | null;
  sd: number | null;
  n_seeds: number;
  unit: string;
  dataset: string;
  command: string;
}

const near = (a: number | null, b: number) => a !== null && Math.abs(a - b) < 1e-9;

/** The predicted-net row of `method` at `columns` and α/n_v = `fraction`, if any. */
export function findRow(rows: readonly SummaryRow[], method: string, columns: number | null, fraction: number | null): SummaryRow | undefined {
  return rows.find((r) => r.method === method && r.columns === columns && (fraction === null ? r.nominalFraction === null : near(r.nominalFraction, fraction)));
}

/**
 * The smallest paper-convention fraction among `candidates` whose mean error is at most `baseline + pp`
 * (percentage points); null when none is.
 */
export function bestFractionWithin(candidates: readonly SummaryRow[], baseline: number, pp: number): SummaryRow | null {
  const ok = candidates.filter((r) => r.mean !== null && r.mean - baseline <= pp + 1e-12).sort((a, b) => a.fraction - b.fraction);
  return ok[0] ?? null;
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

/** The claims the rows support (claims whose rows are missing are left out). */
export function computeClaims(rows: readonly SummaryRow[], o: { command: string; preset: string; dataset?: string; headline?: number }): Claim[] {
  const dataset = o.dataset ?? 'mnist';
  const f05 = o.headline ?? 0.05;
  const tag = `(${o.preset} preset)`;
  const claims: Claim[] = [];
  const err = (id: string, description: string, r: SummaryRow | undefined) => {
    if (!r || r.mean === null) return;
    claims.push({ id, description: `${description} ${tag}`, value: r.mean, sd: r.sd, n_seeds: r.n, unit: '% test error', dataset, command: o.command });
  };
  const base = findRow(rows, 'full', null, null);
  err(`${dataset}.full.test_error`, 'Test error of the fully learned 784-500-500-10 MLP (every weight dynamic), mean ± sd over seeds', base);
  const cols10 = rows.filter((r) => r.method === 'se-emp' && r.columns === 10 && !r.aliasOf);
  if (base && base.mean !== null && cols10.length) {
    const best = bestFractionWithin(cols10, base.mean, 0.2);
    const tried = [...cols10].sort((a, b) => a.fraction - b.fraction).map((r) => r.fraction.toFixed(4)).join(', ');
    claims.push({
      id: `${dataset}.cols10.best_fraction_within_0.2pp`,
      description: best
        ? `Smallest dynamic fraction (paper convention: Σ n_α·n_h / Σ n_v·n_h over the two hidden layers) of the se-emp MLP with 10 columns whose mean test error is within 0.2 pp of the full baseline's (${best.mean!.toFixed(2)} % vs ${base.mean.toFixed(2)} %); fractions tried: ${tried} ${tag}`
        : `No dynamic fraction tried (${tried}, paper convention) brings the se-emp MLP with 10 columns within 0.2 pp of the full baseline's ${base.mean.toFixed(2)} % ${tag}`,
      value: best ? best.fraction : null,
      sd: null,
      n_seeds: best ? best.n : Math.min(...cols10.map((r) => r.n)),
      unit: 'fraction of dynamic parameters (paper convention)',
      dataset,
      command: o.command,
    });
  }
  const r05 = findRow(rows, 'se-emp', 10, f05);
  err(`${dataset}.cols10.frac05.test_error`, `Test error of the se-emp MLP (SE kernel in layer 1, empirical covariance in layer 2), 10 columns, α/n_v = ${f05} (${r05 ? pct(r05.fraction) : '?'} dynamic, paper convention)`, r05);
  const d05 = findRow(rows, 'downsized', 10, f05);
  err(`${dataset}.downsized.frac05.test_error`, `Test error of the naively downsized dense MLP (784-${d05?.hidden.join('-') ?? '?'}-10) learning as many parameters as the se-emp net with 10 columns at α/n_v = ${f05}`, d05);
  for (const c of [1, 5]) err(`${dataset}.cols${c}.frac05.test_error`, `Test error of the se-emp MLP with ${c} column${c > 1 ? 's' : ''} at α/n_v = ${f05}`, findRow(rows, 'se-emp', c, f05));
  for (const m of ['se-emp2', 'rand', 'randcon', 'lowrank']) {
    const r = findRow(rows, m, 10, f05); // lowrank learns U too: its dynamic fraction is far above α/n_v
    err(`${dataset}.${m}.cols10.frac05.test_error`, `Test error of the ${m} MLP with 10 columns at α/n_v = ${f05} (${r ? pct(r.fraction) : '?'} dynamic, paper convention)`, r);
  }
  return claims;
}

/** Claims merged by id: entries of `update` replace those with the same id (in place), new ids are appended. */
export function mergeClaims(existing: readonly Claim[], update: readonly Claim[]): Claim[] {
  const byId = new Map(update.map((c) => [c.id, c]));
  const out = existing.map((c) => byId.get(c.id) ?? c);
  for (const c of update) if (!existing.some((e) => e.id === c.id)) out.push(c);
  return out;
}

const fmt = (x: number | null, d = 2) => (x === null || !Number.isFinite(x) ? '—' : x.toFixed(d));

/** The summary table as markdown. */
export function summaryMarkdown(rows: readonly SummaryRow[], o: { title: string; notes: readonly string[] }): string {
  const lines = [
    `# ${o.title}`,
    '',
    ...o.notes.map((n) => `- ${n}`),
    '',
    '| method | columns | α/n_v | dynamic fraction (paper) | whole-network fraction | hidden | learned params | test error % (mean ± sd) | n | per seed |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const method = r.aliasOf ? `${r.method} (= ${r.aliasOf})` : r.method;
    const frac = r.method === 'downsized' ? `1 (matched to ${fmt(r.matchedFraction, 4)})` : fmt(r.fraction, 4);
    const err = r.mean === null ? 'diverged' : `${fmt(r.mean)} ± ${fmt(r.sd)}`;
    const div = r.diverged ? ` (+${r.diverged} diverged)` : '';
    lines.push(`| ${method} | ${r.columns ?? '—'} | ${fmt(r.nominalFraction, 4)} | ${frac} | ${fmt(r.wholeNetworkFraction, 4)} | ${r.hidden.join('-')} | ${r.learned} | ${err} | ${r.n}${div} | ${r.errors.map((e) => e.toFixed(2)).join(', ')} |`);
  }
  return lines.join('\n') + '\n';
}
