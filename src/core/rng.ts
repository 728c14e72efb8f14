/**
 * Seeded random streams (seedrandom's Alea generator). A stream is identified by (seed, path):
 * `rng(seed).fork('layer1').fork('column3')` gives the same numbers on every run and independent
 * numbers for every path, so columns never share their α draws by accident (docs/method.md §1).
 */
import seedrandom from 'seedrandom';

export class Rng {
  private readonly gen: seedrandom.PRNG;
  constructor(
    readonly seed: number,
    readonly path: string = '',
  ) {
    this.gen = seedrandom.alea(`${seed}/${path}`);
  }
  /** An independent stream named `name` below this one. */
  fork(name: string | number): Rng {
    return new Rng(this.seed, `${this.path}/${name}`);
  }
  /** Uniform in [0, 1). */
  uniform(): number {
    return this.gen();
  }
  /** Integer uniform in [0, n). */
  int(n: number): number {
    return Math.floor(this.gen() * n);
  }
  /** Standard normal (Box–Muller). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.gen();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.gen());
  }
  /** Float32Array of n draws from N(0, std²). */
  normals(n: number, std = 1): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.normal() * std;
    return out;
  }
  /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}

/** The root stream for `seed`. */
export function rng(seed: number): Rng {
  return new Rng(seed);
}
