/**
 * Per-kernel wall time on a backend: wraps every registered kernel with a timer (nested kernels,
 * e.g. a delegate calling cpu code, count inside their caller only). For finding what dominates a step.
 */
import * as tf from '@tensorflow/tfjs';

export interface KernelTime { kernel: string; calls: number; ms: number }

/** Starts timing the backend's kernels; `stop()` restores them and returns totals, largest first. */
export function profileKernels(backendName: string): { stop(): KernelTime[] } {
  const totals = new Map<string, { calls: number; ms: number }>();
  const originals = tf.getKernelsForBackend(backendName);
  let depth = 0;
  for (const k of originals) {
    const f = k.kernelFunc;
    const timed = ((args: Parameters<tf.KernelFunc>[0]) => {
      if (depth > 0) return f(args);
      depth++;
      const t0 = performance.now();
      try {
        return f(args);
      } finally {
        depth--;
        const e = totals.get(k.kernelName) ?? { calls: 0, ms: 0 };
        e.calls++;
        e.ms += performance.now() - t0;
        totals.set(k.kernelName, e);
      }
    }) as tf.KernelFunc;
    tf.unregisterKernel(k.kernelName, backendName);
    tf.registerKernel({ ...k, kernelFunc: timed });
  }
  return {
    stop() {
      for (const k of originals) {
        tf.unregisterKernel(k.kernelName, backendName);
        tf.registerKernel(k);
      }
      return [...totals].map(([kernel, v]) => ({ kernel, ...v })).sort((a, b) => b.ms - a.ms);
    },
  };
}
