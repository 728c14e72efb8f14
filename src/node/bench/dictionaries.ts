/**
 * `parampred bench dictionaries`: seconds to build every column's dictionary of the paper's nets' predicted
 * layers (issue 13: each must build in < 5 s), with the JS linear algebra (the browser's) and with the
 * native LAPACK provider, alternating in one process, median of `reps` builds each:
 * - MNIST MLP layer 1: se over the 28×28 grid, 784 inputs, 10 columns, fractions 0.05, 0.25, 0.5, 1;
 * - MNIST MLP layer 2: emp on 500 inputs from a 5000-row sample, 10 columns, fractions 0.05, 0.5; pca
 *   on the same sample (one 500 × 500 eigendecomposition shared by the columns), 0.5;
 * - CIFAR convnet: se over an 8×8 filter (tied across channels: n_v = 64), 1 column, 0.25 and 0.5; the
 *   dense layer's se over an 8×8×64 grid (per-channel blocks), 5 columns, 0.5.
 * The data sample is synthetic (ReLU of a rank-50 projection plus noise): the cost does not depend on
 * the values. `thresholds` times each routine at small sizes, to place the provider's minSize.
 */
import { cpus } from 'node:os';
import '../index.js';
import { buildColumnDictionaries, type ColumnSetup } from '../../core/layers/columns.js';
import { resolveNAlpha } from '../../core/layers/columns.js';
import { gridCoords } from '../../core/geometry.js';
import { mat, solveSpd, svd, symEig, type Mat } from '../../core/linalg.js';
import { linalgProvider, setLinalgProvider, type LinalgProvider } from '../../core/linalg_provider.js';
import { covariance } from '../../core/data_matrix.js';
import type { DataMatrix } from '../../core/dictionaries/types.js';
import { Rng } from '../../core/rng.js';
import { median } from './timing.js';

export interface BenchDictionariesOptions {
  json?: boolean;
  /** Builds per variant (default 3); the JS builds of the largest cases take tens of seconds each. */
  reps?: number;
  /** Also time the routines at small sizes (JS vs native) to place the thresholds. */
  thresholds?: boolean;
  /** Only cases whose label contains this. */
  filter?: string;
}

export interface DictionaryCase {
  label: string;
  size: string;
  /** Median wall seconds. */
  js_s: number;
  native_s: number;
  /** Median CPU seconds of the process (user + system, all threads): on a shared machine the wall time
   * grows with the load, the CPU time much less (an idle machine's wall time is ≤ it). */
  js_cpu_s: number;
  native_cpu_s: number;
}

export interface BenchDictionariesResult {
  provider: string | null;
  threads: number;
  reps: number;
  cases: DictionaryCase[];
  thresholds?: { routine: string; n: number; js_ms: number; native_ms: number }[];
}

/** A ReLU'd rank-50 projection plus noise, rows × cols (the shape of a hidden layer's inputs). */
function syntheticSample(rows: number, cols: number, seed: number): DataMatrix {
  const r = new Rng(seed);
  const z = r.normals(rows * 50);
  const g = r.normals(50 * cols, 1 / Math.sqrt(50));
  const noise = r.normals(rows * cols, 0.1);
  const values = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      let s = noise[i * cols + j];
      for (let k = 0; k < 50; k++) s += z[i * 50 + k] * g[k * cols + j];
      values[i * cols + j] = Math.max(0, s);
    }
  }
  return { rows, cols, values };
}

interface Case {
  label: string;
  size: string;
  setup: () => ColumnSetup;
}

function cases(): Case[] {
  const out: Case[] = [];
  const mnist1 = gridCoords(28, 28);
  for (const f of [0.05, 0.25, 0.5, 1]) {
    const nAlpha = resolveNAlpha(784, undefined, f, 'bench');
    out.push({ label: `mnist L1 se f=${f}`, size: `784 × ${nAlpha}, 10 cols`, setup: () => ({ nIn: 784, nAlpha, columns: 10, seed: 1, dictionary: { method: 'se' }, coords: mnist1 }) });
  }
  const sample = syntheticSample(5000, 500, 7);
  // A fresh DataMatrix object per build: the covariance and eigenvector caches are keyed by it.
  const fresh = (): DataMatrix => ({ ...sample });
  for (const f of [0.05, 0.5]) {
    const nAlpha = resolveNAlpha(500, undefined, f, 'bench');
    out.push({ label: `mnist L2 emp f=${f}`, size: `500 × ${nAlpha}, 10 cols, N=5000`, setup: () => ({ nIn: 500, nAlpha, columns: 10, seed: 2, dictionary: { method: 'emp' }, data: fresh() }) });
  }
  out.push({ label: 'mnist L2 pca f=0.5', size: '500 × 250, 10 cols, N=5000', setup: () => ({ nIn: 500, nAlpha: 250, columns: 10, seed: 3, dictionary: { method: 'pca' }, data: fresh() }) });
  const filter = gridCoords(8, 8);
  for (const f of [0.25, 0.5]) {
    const nAlpha = resolveNAlpha(64, undefined, f, 'bench');
    out.push({ label: `cifar conv8x8 se f=${f}`, size: `64 × ${nAlpha}, 1 col`, setup: () => ({ nIn: 64, nAlpha, columns: 1, seed: 4, dictionary: { method: 'se' }, coords: filter }) });
  }
  const grid = gridCoords(8, 8, 64);
  out.push({ label: 'cifar dense se f=0.5', size: '4096 × 2048 (64 blocks), 5 cols', setup: () => ({ nIn: 4096, nAlpha: 2048, columns: 5, seed: 5, dictionary: { method: 'se' }, coords: grid }) });
  return out;
}

function seconds(fn: () => void): number {
  return wallCpu(fn)[0];
}

/** [wall, CPU] seconds of fn. */
function wallCpu(fn: () => void): [number, number] {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const c = process.cpuUsage(c0);
  return [(performance.now() - t0) / 1000, (c.user + c.system) / 1e6];
}

/** Median ms of `fn` over runs filling ≥ 200 ms (at least 3). */
function msPerCall(fn: () => void): number {
  const times: number[] = [];
  const t0 = performance.now();
  while (times.length < 3 || performance.now() - t0 < 200) times.push(seconds(fn) * 1000);
  return median(times);
}

function thresholdTimes(native: LinalgProvider): NonNullable<BenchDictionariesResult['thresholds']> {
  const out: NonNullable<BenchDictionariesResult['thresholds']> = [];
  const r = new Rng(11);
  const forced: LinalgProvider = { ...native, minSize: { solve: 1, eig: 1, svd: 1, gram: 1 } };
  for (const n of [8, 16, 32, 48, 64, 96, 128]) {
    const g = mat(n, n, Float64Array.from(r.normals(n * n)));
    const a = mat(n, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) a.data[i * n + j] += g.data[i * n + k] * g.data[j * n + k];
    for (let i = 0; i < n; i++) a.data[i * n + i] += n;
    const b: Mat = mat(n, 32, Float64Array.from(r.normals(n * 32)));
    const d: DataMatrix = { rows: 2000, cols: n, values: r.normals(2000 * n) };
    const routines: [string, () => void][] = [
      ['solve (m=32)', () => solveSpd(a, b)],
      ['symEig', () => symEig(a)],
      ['svd', () => svd(g)],
      ['covariance (N=2000)', () => covariance(d)],
    ];
    for (const [routine, fn] of routines) {
      const ms: number[] = [];
      for (const p of [null, forced]) {
        setLinalgProvider(p);
        ms.push(msPerCall(fn));
      }
      out.push({ routine, n, js_ms: ms[0], native_ms: ms[1] });
    }
  }
  setLinalgProvider(native);
  return out;
}

/** Runs the benchmark; prints a table (or JSON) and returns the figures. */
export async function benchDictionaries(opts: BenchDictionariesOptions = {}): Promise<BenchDictionariesResult> {
  const reps = opts.reps ?? 3;
  const native = linalgProvider();
  const result: BenchDictionariesResult = { provider: native?.name ?? null, threads: cpus().length, reps, cases: [] };
  if (!native) console.warn('parampred bench dictionaries: no native LAPACK provider (addon or LAPACK missing); timing JS only');
  const log = (s: string): void => { if (!opts.json) console.log(s); };
  log(`provider: ${result.provider ?? 'none'}; median of ${reps} builds, JS and native alternating`);
  log(`${'case'.padEnd(24)} ${'size'.padEnd(34)} ${'JS s'.padStart(8)} ${'native s'.padStart(9)} ${'ratio'.padStart(7)} ${'JS cpu s'.padStart(9)} ${'native cpu s'.padStart(13)}`);
  try {
    for (const c of cases().filter((k) => !opts.filter || k.label.includes(opts.filter))) {
      const t: Record<'js' | 'native', number[]> = { js: [], native: [] };
      const cpu: Record<'js' | 'native', number[]> = { js: [], native: [] };
      for (let i = 0; i < reps; i++) {
        for (const v of (i % 2 ? ['native', 'js'] : ['js', 'native']) as ('js' | 'native')[]) {
          if (v === 'native' && !native) continue;
          setLinalgProvider(v === 'js' ? null : native);
          const s = c.setup();
          const [wall, used] = wallCpu(() => buildColumnDictionaries(s, 'bench'));
          t[v].push(wall);
          cpu[v].push(used);
        }
      }
      const row: DictionaryCase = {
        label: c.label, size: c.size, js_s: median(t.js), native_s: native ? median(t.native) : NaN,
        js_cpu_s: median(cpu.js), native_cpu_s: native ? median(cpu.native) : NaN,
      };
      result.cases.push(row);
      log(`${row.label.padEnd(24)} ${row.size.padEnd(34)} ${row.js_s.toFixed(3).padStart(8)} ${row.native_s.toFixed(3).padStart(9)} ${(row.js_s / row.native_s).toFixed(1).padStart(6)}× ${row.js_cpu_s.toFixed(3).padStart(9)} ${row.native_cpu_s.toFixed(3).padStart(13)}`);
    }
    if (opts.thresholds && native) {
      result.thresholds = thresholdTimes(native);
      log('\nroutine                n     JS ms  native ms');
      for (const r of result.thresholds) log(`${r.routine.padEnd(20)} ${String(r.n).padStart(4)} ${r.js_ms.toFixed(3).padStart(9)} ${r.native_ms.toFixed(3).padStart(10)}`);
    }
  } finally {
    setLinalgProvider(native);
  }
  if (opts.json) console.log(JSON.stringify(result));
  return result;
}
