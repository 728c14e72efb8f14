/**
 * Wall-clock timing of inference on the active backend: the median over `repeats` calls (after warm-up
 * calls), each call's output read back (dataSync) so that asynchronous backends are timed to completion.
 */
import * as tf from '@tensorflow/tfjs';

/** The median of `v` (sorted in place). */
function median(v: number[]): number {
  v.sort((p, q) => p - q);
  const h = v.length >> 1;
  return v.length % 2 ? v[h] : (v[h - 1] + v[h]) / 2;
}

/** Median milliseconds of `f()` over `repeats` timed calls after `warmup` untimed ones. */
export function medianMs(f: () => tf.Tensor | tf.Tensor[], repeats: number, warmup = 2): number {
  const times: number[] = [];
  for (let i = 0; i < warmup + repeats; i++) {
    const t0 = performance.now();
    const out = tf.tidy(f);
    for (const t of Array.isArray(out) ? out : [out]) t.dataSync();
    const ms = performance.now() - t0;
    tf.dispose(out);
    if (i >= warmup) times.push(ms);
  }
  return median(times);
}

/** Applies `layers` in order to `x` (inference mode). */
export function applyChain(layers: readonly tf.layers.Layer[], x: tf.Tensor): tf.Tensor {
  return layers.reduce<tf.Tensor>((h, l) => l.apply(h, { training: false }) as tf.Tensor, x);
}

/** Before / after medians in ms and their ratio (speed-up = before / after). */
export interface TimingPair {
  beforeMs: number;
  afterMs: number;
  speedup: number;
}

/** Times `before()` and `after()` interleaved (repeats alternate), so that load changes hit both alike. */
export function timePair(before: () => tf.Tensor | tf.Tensor[], after: () => tf.Tensor | tf.Tensor[], repeats: number): TimingPair {
  const b: number[] = [], a: number[] = [];
  medianMs(before, 0); // warm-up
  medianMs(after, 0);
  for (let i = 0; i < repeats; i++) {
    b.push(medianMs(before, 1, 0));
    a.push(medianMs(after, 1, 0));
  }
  const beforeMs = median(b), afterMs = median(a);
  return { beforeMs, afterMs, speedup: beforeMs / afterMs };
}

/**
 * The fastest of `repeats` interleaved calls of `before` and `after` (ms, each output read back), after one
 * warm-up call each: on a machine shared with other jobs the fastest call is the closest to a net's own
 * cost, where a median still carries the others' load.
 */
export function fastestPair(before: () => tf.Tensor | tf.Tensor[], after: () => tf.Tensor | tf.Tensor[], repeats: number): { before: number; after: number } {
  medianMs(before, 0);
  medianMs(after, 0);
  let tb = Infinity, ta = Infinity;
  for (let i = 0; i < repeats; i++) {
    tb = Math.min(tb, medianMs(before, 1, 0));
    ta = Math.min(ta, medianMs(after, 1, 0));
  }
  return { before: tb, after: ta };
}
