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
