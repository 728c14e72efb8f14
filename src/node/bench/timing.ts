/** Wall times (ms) of n runs of a synchronous step. */
export function stepTimes(step: () => void, n: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    step();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return times;
}

/** Median of a non-empty list. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median wall time of a synchronous step, in ms, after warm-up runs. */
export function medianMs(step: () => void, steps: number, warmup: number): number {
  for (let i = 0; i < warmup; i++) step();
  return median(stepTimes(step, steps));
}

/** Default warm-up time of warmUp, and its step cap. */
export const WARMUP_MS = 2000;
const WARMUP_MAX = 300;

/**
 * Warm-up before timing: V8 compiles TF.js's JS (tape, engine, layers) over the first steps, so
 * early steps are slow (measured 2026-12-01, MLP step medians per 25 steps: 6.5, 5.6, 4.4 … 3.7 ms by
 * step 200; current step times in results/bench-engine.json). Runs
 * steps until `ms` have passed, at least `min` and (after `min`) at most WARMUP_MAX; returns how many
 * ran (the peer warms up with as many).
 */
export function warmUp(step: () => void, min: number, ms = WARMUP_MS): number {
  const t0 = performance.now();
  let n = 0;
  while (n < min || (n < WARMUP_MAX && performance.now() - t0 < ms)) {
    step();
    n++;
  }
  return n;
}
