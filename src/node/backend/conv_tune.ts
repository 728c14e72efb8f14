/**
 * Which convolution passes run in bf16 when bf16 precision is on (precision.ts). oneDNN 2.6.3's bf16
 * convolutions are much faster than fp32 on some shapes and slower on others, and no simple rule
 * separates them. Measured with its AMX kernels (jit/brgconv:avx512_core_amx_bf16), 2 threads, idle:
 *   - the CIFAR reproduction's conv 64@8×8 over 16×16×48 (same padding, batch 100): forward 56.5 → 5.3 ms,
 *     backward-data 56.1 → 4.3 ms, backward-weights 41.3 → 19.5 ms;
 *   - its conv 48@8×8 over 32×32×3: forward 7.4 → 1.9 ms but backward-weights 7.9 → 10.6 ms (slower);
 *   - the bench's 64@5×5 over 5×5×64 with a 1×1 output: backward-data 0.20 → 1.34 ms (slower).
 *
 * Policies (PARAMPRED_BF16_CONV, or setBf16ConvPolicy):
 *   - 'auto' (default): each pass of each convolution shape is timed in both precisions on its first
 *     calls and then runs in the faster one for the rest of the process (as cuDNN's benchmark mode
 *     picks algorithms). The first call in each precision is not timed (it creates and JIT-compiles the
 *     primitive); then TUNE_TRIALS calls each, alternating; the faster median wins. So the first
 *     2 + 2·TUNE_TRIALS calls of a shape mix precisions, and the choice depends on timings: bf16 runs
 *     are not bit-reproducible from run to run (fp32 runs are unaffected: this applies only in bf16).
 *   - 'forward': forward passes in bf16, backward passes in fp32 (the default before the tuner).
 *   - 'all': every pass in bf16 (PARAMPRED_BF16_CONV_BACKWARD=1, the older switch, means this).
 * Depthwise convolutions always stay fp32 (memory-bound). A pass oneDNN has no bf16 implementation for
 * runs in fp32.
 */
import { unknownName } from '../../core/errors.js';

export type ConvPass = 'forward' | 'backwardData' | 'backwardWeights';
export type ConvPolicy = 'auto' | 'forward' | 'all';
export const CONV_POLICIES: readonly ConvPolicy[] = ['auto', 'forward', 'all'];

/** Timed calls per precision before 'auto' decides (after one untimed call each). */
export const TUNE_TRIALS = 3;

/** One tuned (pass, shape): its timings so far and, once decided, the precision it runs in. */
export interface ConvChoice {
  pass: ConvPass;
  /** Readable geometry: N×H×W×C → OH×OW×OC, KH×KW kernel. */
  shape: string;
  /** 'bf16' or 'fp32' once decided; null while timing. */
  choice: 'bf16' | 'fp32' | null;
  /** Median timed milliseconds per precision (null before any timed call). */
  bf16_ms: number | null;
  fp32_ms: number | null;
  /** True when oneDNN declined the bf16 case (then fp32 without timing). */
  bf16_unsupported: boolean;
}

interface Entry extends ConvChoice {
  calls: number;
  times: { bf16: number[]; fp32: number[] };
}

const median = (a: number[]): number | null => {
  if (!a.length) return null;
  const s = [...a].sort((x, y) => x - y), h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};

/** Readable geometry from convParams' p (N, IH, IW, IC, OH, OW, OC, KH, KW, …). */
export function shapeLabel(p: ArrayLike<number>): string {
  return `${p[0]}×${p[1]}×${p[2]}×${p[3]} → ${p[4]}×${p[5]}×${p[6]}, ${p[7]}×${p[8]}`;
}

/** Per-(pass, shape) timing and choice of precision ('auto'); the clock is injectable for tests. */
export class ConvPrecisionTuner {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = () => performance.now(), private readonly trials = TUNE_TRIALS) {}

  /**
   * Runs a convolution entry `run(bf16)` (false: oneDNN declined that case) in the precision chosen
   * for `pass` on the geometry `p`, timing it while the choice is open. Returns false only when the
   * fp32 call declined too (the caller delegates to the cpu kernel).
   */
  run(pass: ConvPass, p: ArrayLike<number>, run: (bf16: boolean) => boolean): boolean {
    const key = `${pass}:${Array.prototype.join.call(p, ',')}`;
    let e = this.entries.get(key);
    if (!e) {
      e = { pass, shape: shapeLabel(p), choice: null, bf16_ms: null, fp32_ms: null, bf16_unsupported: false, calls: 0, times: { bf16: [], fp32: [] } };
      this.entries.set(key, e);
    }
    if (e.choice === 'fp32') return run(false);
    if (e.choice === 'bf16') return run(true) || run(false);
    const bf16 = e.calls % 2 === 0;
    const t0 = this.now();
    const ok = run(bf16);
    const ms = this.now() - t0;
    if (!ok) {
      if (!bf16) return false;
      e.bf16_unsupported = true;
      e.choice = 'fp32';
      return run(false);
    }
    if (e.calls >= 2) e.times[bf16 ? 'bf16' : 'fp32'].push(ms);
    e.calls++;
    e.bf16_ms = median(e.times.bf16);
    e.fp32_ms = median(e.times.fp32);
    if (e.times.bf16.length >= this.trials && e.times.fp32.length >= this.trials) e.choice = e.bf16_ms! < e.fp32_ms! ? 'bf16' : 'fp32';
    return true;
  }

  /** Every (pass, shape) seen, in first-seen order. */
  choices(): ConvChoice[] {
    return [...this.entries.values()].map(({ calls: _c, times: _t, ...c }) => ({ ...c }));
  }

  /** Forgets all choices (they are re-timed on the next calls). */
  reset(): void {
    this.entries.clear();
  }
}

/** The process's tuner ('auto' policy). */
export const convTuner = new ConvPrecisionTuner();

function policyFromEnv(): ConvPolicy {
  const v = process.env.PARAMPRED_BF16_CONV;
  if (v !== undefined && v !== '') {
    if (!CONV_POLICIES.includes(v as ConvPolicy)) throw unknownName('PARAMPRED_BF16_CONV', 'policy', v, CONV_POLICIES);
    return v as ConvPolicy;
  }
  return process.env.PARAMPRED_BF16_CONV_BACKWARD === '1' ? 'all' : 'auto';
}

let policy: ConvPolicy = policyFromEnv();

/** Which convolution passes run in bf16 when bf16 precision is on. */
export function bf16ConvPolicy(): ConvPolicy {
  return policy;
}

/** Sets the policy (see the module's comment); throws on an unknown name. */
export function setBf16ConvPolicy(p: string): ConvPolicy {
  if (!CONV_POLICIES.includes(p as ConvPolicy)) throw unknownName('setBf16ConvPolicy', 'policy', p, CONV_POLICIES);
  policy = p as ConvPolicy;
  return policy;
}

/** The 'auto' policy's choices so far (empty under the other policies or in fp32). */
export function convPrecisionChoices(): ConvChoice[] {
  return convTuner.choices();
}
