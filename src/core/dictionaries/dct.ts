/**
 * `dct`: U = the n_α lowest-frequency DCT-II basis functions over the coordinate grid (the rebuttal's
 * Fourier/DCT control, docs/method.md §1; the original code's DCTDictionary). Over a group whose points span
 * [lo_d, lo_d + e_d) on each axis d, atom k = Π_d c_d cos(π(x_d − lo_d + ½)k_d/e_d) with orthonormal
 * scaling c_d = √(1/e_d) for k_d = 0 and √(2/e_d) otherwise, frequencies ordered by Σ_d (k_d/e_d)² (ties: by
 * k lexicographically). With several groups (channels) each atom lives in one group: columns go
 * round-robin over groups, frequency by frequency. On full grids the columns are orthonormal.
 */
import { z } from 'zod';
import { ParampredError } from '../errors.js';
import { defineDictionary, type Coords } from './types.js';

export default defineDictionary({
  name: 'dct',
  summary: 'U = n_α lowest-frequency DCT-II atoms Π_d cos(π(x_d+½)k_d/e_d) over the grid, per group',
  needs: { data: false, coords: true },
  trainable: false,
  options: z.object({}).strict(),
  build({ nIn, alpha, coords }) {
    if (!coords) throw new ParampredError('dct', 'expected input coordinates, got none');
    const m = alpha.length;
    const u = new Float32Array(nIn * m);
    const groups = groupsOf(coords, nIn).map((units) => ({ units, ...frequencies(units, coords) }));
    let col = 0;
    for (let f = 0; col < m; f++) {
      for (const g of groups) {
        if (col === m) break;
        if (f >= g.freqs.length) continue;
        const k = g.freqs[f];
        for (const i of g.units) {
          let v = 1;
          for (let d = 0; d < k.length; d++) {
            const e = g.ext[d];
            const c = k[d] === 0 ? Math.sqrt(1 / e) : Math.sqrt(2 / e);
            v *= c * Math.cos((Math.PI * (coords.points[i][d] - g.lo[d] + 0.5) * k[d]) / e);
          }
          u[i * m + col] = v;
        }
        col++;
      }
    }
    return { nIn, nAlpha: m, u };
  },
});

function groupsOf(coords: Coords, nIn: number): number[][] {
  const byId = new Map<number, number[]>();
  for (let i = 0; i < nIn; i++) {
    const g = coords.groups ? coords.groups[i] : 0;
    const list = byId.get(g);
    if (list) list.push(i);
    else byId.set(g, [i]);
  }
  return [...byId.keys()].sort((a, b) => a - b).map((g) => byId.get(g)!);
}

/** The group's bounding box and its first |units| frequency vectors, lowest first. */
function frequencies(units: number[], coords: Coords): { lo: number[]; ext: number[]; freqs: number[][] } {
  const d = coords.points[units[0]].length;
  const lo = new Array<number>(d).fill(Infinity);
  const hi = new Array<number>(d).fill(-Infinity);
  for (const i of units) for (let k = 0; k < d; k++) { lo[k] = Math.min(lo[k], coords.points[i][k]); hi[k] = Math.max(hi[k], coords.points[i][k]); }
  const ext = lo.map((l, k) => Math.round(hi[k] - l) + 1);
  const freqs: number[][] = [[]];
  for (let k = 0; k < d; k++) {
    const next: number[][] = [];
    for (const f of freqs) for (let j = 0; j < ext[k]; j++) next.push([...f, j]);
    freqs.splice(0, freqs.length, ...next);
  }
  const key = (f: number[]): number => f.reduce((s, x, k) => s + (x / ext[k]) ** 2, 0);
  freqs.sort((a, b) => key(a) - key(b) || cmp(a, b));
  return { lo, ext, freqs: freqs.slice(0, units.length) };
}

function cmp(a: number[], b: number[]): number {
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return a[k] - b[k];
  return 0;
}
