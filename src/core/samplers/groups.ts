/** Helpers shared by samplers: units per coordinate group and a proportional split of n_α over groups. */
import type { Rng } from '../rng.js';
import type { Coords } from '../dictionaries/types.js';

/** Unit indices of each group, groups in ascending id order (one group when coords have no groups). */
export function groupMembers(coords: Coords, nIn: number): number[][] {
  if (!coords.groups) return [Array.from({ length: nIn }, (_, i) => i)];
  const byId = new Map<number, number[]>();
  for (let i = 0; i < nIn; i++) {
    const g = coords.groups[i];
    const m = byId.get(g);
    if (m) m.push(i);
    else byId.set(g, [i]);
  }
  return [...byId.keys()].sort((a, b) => a - b).map((g) => byId.get(g)!);
}

/** Splits q over groups of the given sizes in proportion to size (largest remainder; ties broken at random). */
export function splitQuota(sizes: number[], q: number, rng: Rng): number[] {
  const total = sizes.reduce((a, b) => a + b, 0);
  const exact = sizes.map((s) => (s * q) / total);
  const out = exact.map(Math.floor);
  let left = q - out.reduce((a, b) => a + b, 0);
  const jitter = sizes.map(() => rng.uniform());
  const order = sizes.map((_, g) => g).sort((a, b) => exact[b] - out[b] - (exact[a] - out[a]) || jitter[a] - jitter[b]);
  for (const g of order) {
    if (left === 0) break;
    if (out[g] < sizes[g]) { out[g]++; left--; }
  }
  return out;
}
