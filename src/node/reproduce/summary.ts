/**
 * Summaries of a reproduction: per point mean ± sample sd of the test error over seeds, MNIST's claims
 * (computeClaims; other reproductions declare theirs with claims.ts), merging claims into
 * results/claims.json by id, and the markdown tables. Pure functions (no files), so the tests can check
 * them against a reference.
 */
import type { ReproPoint } from './reproduction.js';
import { intervalText, meanSd, seedStats, tInterval95, type SeedRow } from '../run/seed_stats.js';

export { intervalText, meanSd, tInterval95 } from '../run/seed_stats.js';

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
  /** Widths of the hidden layers: an MLP's hidden units; a convnet's conv filters then dense units (e.g. 34-45-45-359). */
  hidden: number[];
  /** For 'downsized': the paper-convention fraction of the predicted net it is matched to (its plot position). */
  matchedFraction: number | null;
  wholeNetworkFraction: number;
  learned: number;
  /** Layer 1's SE length scale where the point sets one (the ℓ control). */
  lengthScale?: number | 'auto';
  aliasOf?: string;
}

/** An MLP's hidden units; a convnet's conv filters then its dense units; nothing for other models. */
function hiddenWidths(m: ReproPoint['experiment']['model']): number[] {
  if (m.kind === 'mlp') return [...m.hidden];
  if (m.kind === 'convnet') return [...m.spec.convLayers.map(([filters]) => filters), m.spec.denseUnits];
  return [];
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
      hidden: hiddenWidths(p.experiment.model),
      fraction: rs[0]?.paperFraction ?? NaN,
      matchedFraction: p.method === 'downsized' ? matched(p) : null,
      wholeNetworkFraction: rs[0]?.wholeNetworkFraction ?? NaN,
      learned: rs[0]?.learned ?? NaN,
      ...seedStats(rs),
      ...(p.lengthScale !== undefined ? { lengthScale: p.lengthScale } : {}),
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

/** The row of `method` at `columns` and α/n_v = `fraction` on the default length scale (not an ℓ-control point), if any. */
export function findRow(rows: readonly SummaryRow[], method: string, columns: number | null, fraction: number | null): SummaryRow | undefined {
  return rows.find((r) => r.method === method && r.columns === columns && r.lengthScale === undefined && (fraction === null ? r.nominalFraction === null : near(r.nominalFraction, fraction)));
}

/**
 * The paired difference a − b of two rows' test errors over the seeds both finished (each seed trains
 * both nets from the same seed): mean and sample sd of the per-seed differences, and n.
 */
export function pairedDifference(a: SummaryRow, b: SummaryRow): { mean: number; sd: number | null; n: number; ci95: [number, number] | null } | null {
  const diffs: number[] = [];
  a.seeds.forEach((seed, i) => {
    const j = b.seeds.indexOf(seed);
    if (j >= 0) diffs.push(a.errors[i] - b.errors[j]);
  });
  if (!diffs.length) return null;
  const { mean, sd } = meanSd(diffs);
  const sdOrNull = diffs.length > 1 ? sd : null;
  return { mean, sd: sdOrNull, n: diffs.length, ci95: tInterval95(mean, sdOrNull, diffs.length) };
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
  const cols10 = rows.filter((r) => r.method === 'se-emp' && r.columns === 10 && !r.aliasOf && r.lengthScale === undefined);
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
  const r025 = findRow(rows, 'se-emp', 10, 0.025);
  err(`${dataset}.cols10.frac025.test_error`, `Test error of the se-emp MLP, 10 columns, α/n_v = 0.025 (${r025 ? pct(r025.fraction) : '?'} dynamic, paper convention: 97.5 % of the two hidden layers predicted)`, r025);
  for (const [key, r] of [['frac05', r05], ['frac025', r025]] as const) {
    const d = base && r ? pairedDifference(r, base) : null;
    if (d) {
      claims.push({
        id: `${dataset}.cols10.${key}.cost_pp`,
        description: `What predicting costs: the se-emp MLP's test error (10 columns, ${pct(r!.fraction)} dynamic, paper convention) minus the full MLP's, paired by seed (mean ± sd of the per-seed differences) ${tag}`,
        value: d.mean,
        sd: d.sd,
        n_seeds: d.n,
        unit: 'percentage points of test error',
        dataset,
        command: o.command,
      });
    }
  }
  const d05 = findRow(rows, 'downsized', 10, f05);
  err(`${dataset}.downsized.frac05.test_error`, `Test error of the naively downsized dense MLP (784-${d05?.hidden.join('-') ?? '?'}-10) learning as many parameters as the se-emp net with 10 columns at α/n_v = ${f05}`, d05);
  for (const c of [1, 5]) err(`${dataset}.cols${c}.frac05.test_error`, `Test error of the se-emp MLP with ${c} column${c > 1 ? 's' : ''} at α/n_v = ${f05}`, findRow(rows, 'se-emp', c, f05));
  for (const m of ['se-emp2', 'rand', 'randcon', 'pca']) {
    const r = findRow(rows, m, 10, f05);
    err(`${dataset}.${m}.cols10.frac05.test_error`, `Test error of the ${m} MLP with 10 columns at α/n_v = ${f05} (${r ? pct(r.fraction) : '?'} dynamic, paper convention)`, r);
  }
  const lr = findRow(rows, 'lowrank', 10, f05);
  err(`${dataset}.lowrank.cols10.frac05.test_error`, `Test error of the lowrank MLP (U and V both learned, one column, each layer's rank chosen so that it learns as many weights as se-emp's V at α/n_v = ${f05}; ${lr ? pct(lr.fraction) : '?'} dynamic, paper convention, U counted)`, lr);
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
    const err = r.mean !== null ? `${fmt(r.mean)} ± ${fmt(r.sd)}` : r.diverged ? 'diverged' : 'not run yet';
    const div = r.diverged ? ` (+${r.diverged} diverged)` : '';
    const ls = r.lengthScale === undefined ? '' : `, ℓ = ${r.lengthScale} px`;
    lines.push(`| ${method}${ls} | ${r.columns ?? '—'} | ${fmt(r.nominalFraction, 4)} | ${frac} | ${fmt(r.wholeNetworkFraction, 4)} | ${r.hidden.join('-')} | ${Number.isFinite(r.learned) ? r.learned : '—'} | ${err} | ${r.n}${div} | ${r.errors.map((e) => e.toFixed(2)).join(', ')} |`);
  }
  return lines.join('\n') + '\n';
}

/**
 * The reviewers' controls as markdown: se-emp (10 columns) against the downsized dense net with as many
 * learned parameters at each fraction (the margin counts as clear when it exceeds two sd of the
 * difference, √(sd_pred² + sd_down²)); and layer 1's SE length scale at the fractions where it was swept.
 */
export function controlsMarkdown(rows: readonly SummaryRow[]): string {
  return [...downsizedLines(rows, 'se-emp', 'se-emp, 10 columns'), ...lengthScaleLines(rows)].join('\n');
}

/** The predicted-vs-downsized table (markdown lines) of one predicted method; see controlsMarkdown. */
export function downsizedLines(rows: readonly SummaryRow[], method: string, label: string): string[] {
  const lines: string[] = [];
  const pairs = rows
    .filter((r) => r.method === 'downsized' && r.mean !== null && r.nominalFraction !== null)
    .map((d) => ({ d, p: findRow(rows, method, d.columns ?? 10, d.nominalFraction) }))
    .filter((x): x is { d: SummaryRow; p: SummaryRow } => x.p !== undefined && x.p.mean !== null);
  if (pairs.length) {
    lines.push('## Predicted vs downsized (same number of learned parameters)', '');
    lines.push(`| α/n_v | dynamic fraction (paper) | ${label} | downsized dense (hidden) | downsized − predicted (pp) | two sd of the difference | predicted clearly better |`);
    lines.push('|---|---|---|---|---|---|---|');
    for (const { d, p } of pairs) {
      const diff = d.mean! - p.mean!;
      const sd2 = 2 * Math.sqrt((p.sd ?? 0) ** 2 + (d.sd ?? 0) ** 2);
      lines.push(`| ${fmt(d.nominalFraction, 4)} | ${fmt(p.fraction, 4)} | ${fmt(p.mean)} ± ${fmt(p.sd)} | ${fmt(d.mean)} ± ${fmt(d.sd)} (${d.hidden.join('-')}) | ${fmt(diff)} | ${fmt(sd2)} | ${diff > sd2 ? 'yes' : 'no'} |`);
    }
    lines.push('');
  }
  return lines;
}

/**
 * Every predicted method against the downsized dense net matched to it, per fraction (markdown): the
 * methods' mean ± sd and the paired difference downsized − method over the seeds both finished (mean ±
 * sd of the per-seed differences; positive = predicting is better).
 */
export function versusDownsizedMarkdown(rows: readonly SummaryRow[], methods: readonly string[], columns: number): string {
  const downs = rows.filter((r) => r.method === 'downsized' && r.mean !== null && r.nominalFraction !== null);
  if (!downs.length) return '';
  const cell = (r: SummaryRow | undefined) => (r && r.mean !== null ? `${fmt(r.mean)} ± ${fmt(r.sd)}` : '—');
  const lines = ['## Predicted vs downsized (same number of learned parameters; test error %, mean ± sd)', ''];
  lines.push(`| α/n_v | downsized dense (hidden) | ${methods.map((m) => `${m} | downsized − ${m} (pp, paired)`).join(' | ')} |`);
  lines.push(`|---|---|${methods.map(() => '---|---|').join('')}`);
  for (const d of downs) {
    const cells = methods.map((m) => {
      const p = findRow(rows, m, columns, d.nominalFraction);
      const diff = p && p.mean !== null ? pairedDifference(d, p) : null;
      return `${cell(p)} | ${diff ? pairedCell(diff) : '—'}`;
    });
    lines.push(`| ${fmt(d.nominalFraction, 4)} | ${cell(d)} (${d.hidden.join('-')}) | ${cells.join(' | ')} |`);
  }
  return lines.join('\n') + '\n';
}

/** The SE length-scale table (markdown lines): layer 1's ℓ at the fractions where it was swept. */
export function lengthScaleLines(rows: readonly SummaryRow[]): string[] {
  const lines: string[] = [];
  const ls = rows.filter((r) => r.lengthScale !== undefined && r.nominalFraction !== null);
  if (ls.length) {
    const fractions = [...new Set(ls.map((r) => r.nominalFraction as number))].sort((a, b) => a - b);
    const scales = [...new Set(ls.map((r) => String(r.lengthScale)))];
    lines.push('## SE length scale of layer 1 (se-emp, 10 columns; test error %, mean ± sd)', '');
    lines.push(`| α/n_v | ${scales.map((l) => `ℓ = ${l} px`).join(' | ')} | ℓ = auto (the grid's points) |`);
    lines.push(`|---|${scales.map(() => '---|').join('')}---|`);
    for (const f of fractions) {
      const cell = (r: SummaryRow | undefined) => (r && r.mean !== null ? `${fmt(r.mean)} ± ${fmt(r.sd)}` : '—');
      const auto = findRow(rows, 'se-emp', 10, f);
      lines.push(`| ${fmt(f, 4)} | ${scales.map((l) => cell(ls.find((r) => r.nominalFraction === f && String(r.lengthScale) === l))).join(' | ')} | ${cell(auto)} |`);
    }
    lines.push('');
  }
  return lines;
}

/** A paired difference as a table cell: mean ± sd (n; its 95 % interval where it has one). */
export function pairedCell(d: { mean: number; sd: number | null; n: number; ci95: [number, number] | null }): string {
  return `${fmt(d.mean)} ± ${fmt(d.sd)} (n = ${d.n}${d.ci95 ? `; ${intervalText(d.ci95)}` : ''})`;
}

/** A claim's value, sd, unit and seeds as text; a difference (percentage points) also gets its 95 % t-interval over the seeds (is it clear of zero?). */
function claimFigures(c: Claim, digits: number): string {
  const ci = c.value !== null && c.unit.startsWith('percentage points') ? tInterval95(c.value, c.sd, c.n_seeds) : null;
  return `${c.value === null ? 'none' : c.value.toFixed(digits)}${c.sd !== null ? ` ± ${c.sd.toFixed(2)}` : ''} ${c.unit} (n = ${c.n_seeds}${ci ? `; ${intervalText(ci)}` : ''})`;
}

/** A claim as one README line. */
export function claimLine(c: Claim): string {
  return `- \`${c.id}\`: ${claimFigures(c, c.unit.startsWith('%') ? 2 : 4)} — ${c.description}`;
}

/** A claim as one line of a command's closing printout. */
export function claimConsoleLine(c: Claim): string {
  return `${c.id}: ${claimFigures(c, 4)}`;
}
