/**
 * `strided`: α on a regular lattice (the original code's strided variant, docs/method.md §1). With coords:
 * per group, a lattice over the group's bounding box with near-equal spacing per axis and ≥ n_α points, surplus lattice points dropped at random, each snapped to the nearest unused unit;
 * n_α is split over groups in proportion to their sizes. Without coords: α_k = ⌊(k + o)·n_v/n_α⌋.
 */
import { z } from 'zod';
import type { Rng } from '../rng.js';
import { defineSampler, sortedIndices } from './types.js';
import { groupMembers, splitQuota } from './groups.js';

export default defineSampler({
  name: 'strided',
  summary: 'α on a regular lattice over the coordinates (per group), or α_k = ⌊(k+o)·n_v/n_α⌋ by index',
  needs: { coords: false },
  options: z.object({
    /** Random lattice offset o ∈ [0,1) per draw (default) or the centred offset o = 0.5. */
    jitter: z.boolean().default(true),
  }).strict(),
  sample({ nIn, nAlpha, rng, coords }, { jitter }) {
    if (!coords) {
      const o = jitter ? rng.uniform() : 0.5;
      return Int32Array.from({ length: nAlpha }, (_, k) => Math.floor(((k + o) * nIn) / nAlpha));
    }
    const members = groupMembers(coords, nIn);
    const quota = splitQuota(members.map((m) => m.length), nAlpha, rng);
    const out: number[] = [];
    members.forEach((m, g) => out.push(...lattice(m, quota[g], coords.points, jitter ? rng.uniform() : 0.5, rng)));
    return sortedIndices(out);
  },
});

/** q units of `units` closest to a regular lattice over their bounding box. */
function lattice(units: number[], q: number, points: number[][], o: number, rng: Rng): number[] {
  if (q === 0) return [];
  const d = points[units[0]].length;
  const lo = new Array<number>(d).fill(Infinity);
  const hi = new Array<number>(d).fill(-Infinity);
  for (const i of units) for (let k = 0; k < d; k++) { lo[k] = Math.min(lo[k], points[i][k]); hi[k] = Math.max(hi[k], points[i][k]); }
  const ext = lo.map((l, k) => hi[k] - l + 1);
  const counts = latticeCounts(ext, q);
  const total = counts.reduce((a, b) => a * b, 1);
  const keep = rng.permutation(total).subarray(0, q).sort();
  const used = new Set<number>();
  const out: number[] = [];
  for (const flat of keep) {
    let rem = flat;
    const target = new Array<number>(d);
    for (let k = d - 1; k >= 0; k--) {
      const j = rem % counts[k];
      rem = Math.floor(rem / counts[k]);
      target[k] = lo[k] - 0.5 + ((j + o) * ext[k]) / counts[k];
    }
    let best = -1;
    let bestD = Infinity;
    for (const i of units) {
      if (used.has(i)) continue;
      let s = 0;
      for (let k = 0; k < d; k++) s += (points[i][k] - target[k]) ** 2;
      if (s < bestD) { bestD = s; best = i; }
    }
    used.add(best);
    out.push(best);
  }
  return out;
}

/** Points per axis: near-equal spacings e_d/g_d and ≥ q points (2-D: the fewest points among g_0 within ±1 of √(q·e_0/e_1)). */
function latticeCounts(ext: number[], q: number): number[] {
  const d = ext.length;
  if (d === 1) return [q];
  if (d === 2) {
    let best = [1, q];
    let bestKey = [Infinity, Infinity];
    const s = Math.sqrt((q * ext[0]) / ext[1]);
    for (let g0 = Math.max(1, Math.floor(s) - 1); g0 <= Math.min(q, Math.ceil(s) + 1); g0++) {
      const g1 = Math.ceil(q / g0);
      const key = [g0 * g1, Math.abs(Math.log(ext[0] / g0 / (ext[1] / g1)))];
      if (key[0] < bestKey[0] || (key[0] === bestKey[0] && key[1] < bestKey[1])) { best = [g0, g1]; bestKey = key; }
    }
    return best;
  }
  const vol = ext.reduce((a, b) => a * b, 1);
  let t = Math.pow(q / vol, 1 / d);
  let counts = ext.map((e) => Math.max(1, Math.ceil(e * t)));
  while (counts.reduce((a, b) => a * b, 1) < q) {
    t *= 1.05;
    counts = ext.map((e) => Math.max(1, Math.ceil(e * t)));
  }
  return counts;
}
