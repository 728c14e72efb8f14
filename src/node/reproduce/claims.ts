/**
 * Claims declared as data: each a statistic of named points' per-seed test errors (summary rows).
 * - 'error'    : mean ± sample sd of the point's test error % over its finished seeds;
 * - 'accuracy' : 100 − that mean, same sd (% test accuracy);
 * - 'paired'   : a − b of two points' test errors, paired by seed over the seeds both finished (mean ±
 *                sample sd of the per-seed differences; each seed trains both nets from the same seed).
 * A claim whose points have no finished seed is left out. Pure functions.
 */
import { pairedDifference, type Claim, type SummaryRow } from './summary.js';

export type ClaimSpec =
  | { id: string; kind: 'error' | 'accuracy'; point: string; description: string }
  | { id: string; kind: 'paired'; a: string; b: string; description: string };

/** The claims of `specs` from `rows` (by point id), each tagged with the preset and the command. */
export function declaredClaims(specs: readonly ClaimSpec[], rows: readonly SummaryRow[], o: { command: string; preset: string; dataset: string }): Claim[] {
  const row = (id: string) => rows.find((r) => r.point === id);
  const out: Claim[] = [];
  const common = { dataset: o.dataset, command: o.command };
  const tag = `(${o.preset} preset)`;
  for (const s of specs) {
    if (s.kind === 'paired') {
      const a = row(s.a), b = row(s.b);
      const d = a && b ? pairedDifference(a, b) : null;
      if (d) out.push({ id: s.id, description: `${s.description} ${tag}`, value: d.mean, sd: d.sd, n_seeds: d.n, unit: 'percentage points of test error', ...common });
      continue;
    }
    const r = row(s.point);
    if (!r || r.mean === null) continue;
    const acc = s.kind === 'accuracy';
    out.push({ id: s.id, description: `${s.description} ${tag}`, value: acc ? 100 - r.mean : r.mean, sd: r.sd, n_seeds: r.n, unit: acc ? '% test accuracy' : '% test error', ...common });
  }
  return out;
}
