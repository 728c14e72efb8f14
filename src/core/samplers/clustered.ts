/**
 * `clustered`: α in small spatial clumps (the original code's clustered variant, docs/method.md §1): repeatedly
 * pick a uniformly random unused unit as a centre and take it plus its nearest unused units of the same
 * group (Euclidean over coords; |i − j| by index without coords), `clusterSize` units per clump.
 */
import { z } from 'zod';
import { defineSampler, sortedIndices } from './types.js';

export default defineSampler({
  name: 'clustered',
  summary: 'α = clumps of clusterSize nearest units around uniformly drawn centres',
  needs: { coords: false },
  options: z.object({ clusterSize: z.number().int().positive().default(4) }).strict(),
  sample({ nIn, nAlpha, rng, coords }, { clusterSize }) {
    const used = new Uint8Array(nIn);
    const out: number[] = [];
    const dist2 = (i: number, j: number): number => {
      if (!coords) return (i - j) ** 2;
      if (coords.groups && coords.groups[i] !== coords.groups[j]) return Infinity;
      const a = coords.points[i];
      const b = coords.points[j];
      let s = 0;
      for (let k = 0; k < a.length; k++) s += (a[k] - b[k]) ** 2;
      return s;
    };
    while (out.length < nAlpha) {
      let c = rng.int(nIn - out.length);
      let centre = 0;
      for (; ; centre++) if (!used[centre] && c-- === 0) break;
      const cands: number[] = [];
      for (let j = 0; j < nIn; j++) if (!used[j] && dist2(centre, j) < Infinity) cands.push(j);
      cands.sort((a, b) => dist2(centre, a) - dist2(centre, b) || a - b);
      for (const j of cands.slice(0, Math.min(clusterSize, nAlpha - out.length))) {
        used[j] = 1;
        out.push(j);
      }
    }
    return sortedIndices(out);
  },
});
