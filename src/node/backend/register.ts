/**
 * Registers the `native` backend and makes it active. If the addon cannot load, stays on `cpu` and
 * warns once with the command that builds it.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import { fallbackMessage, loadAddon } from './binding.js';
import { NativeBackend } from './native_backend.js';
import { nativeKernels } from './kernels/index.js';
import { installFusedTraining } from './fused_training.js';
import { installNativeLinalg } from './linalg.js';
import { setPrecision, type Precision } from './precision.js';

/** libgomp busy-wait iterations before a worker sleeps (see registerNativeBackend). */
export const SPIN_COUNT = spinCount(process.env.PARAMPRED_SPIN);

/**
 * PARAMPRED_SPIN as a count (0 = sleep at once), else the default: 100000 iterations, measured here as
 * ≈40 ms of one core after the last kernel (a pause instruction in this VM costs ≈0.4 µs), long
 * enough that a training step's kernels never find a sleeping worker.
 */
export function spinCount(v: string | undefined): number {
  const n = Number(v);
  return v !== undefined && v.trim() !== '' && Number.isInteger(n) && n >= 0 ? n : 100000;
}

let registered = false;
let warned = false;

export interface NativeOptions {
  /** OpenMP threads for oneDNN and the addon's loops; default: all cores (PARAMPRED_THREADS overrides). */
  threads?: number;
  /** Silence the fallback warnings. */
  quiet?: boolean;
  /**
   * Precision of matrix products and convolutions: 'fp32' or 'bf16' (mixed: bf16 inputs, fp32
   * accumulation, fp32 tensors; precision.ts); default PARAMPRED_PRECISION, else 'fp32'. bf16 on a
   * CPU without it warns once and stays fp32.
   */
  precision?: Precision;
}

/** Registers `native` (once) and sets it as the backend. Returns the active backend's name. */
export async function useNativeBackend(opts: NativeOptions = {}): Promise<'native' | 'cpu'> {
  const ok = registerNativeBackend(opts);
  await tf.setBackend(ok ? 'native' : 'cpu');
  await tf.ready();
  return ok ? 'native' : 'cpu';
}

/**
 * Silences the cpu backend's "install tfjs-node to speed things up" banner: parampred's own warning
 * already says how to get the fast backend.
 */
function quietCpu(): void {
  const cpu = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null;
  if (cpu) cpu.firstUse = false;
}

/** Synchronous registration; true when the native backend is available. */
export function registerNativeBackend(opts: NativeOptions = {}): boolean {
  // OpenMP workers spin a bounded while after each parallel region, then sleep, unless the user chose
  // a policy. Sleeping at once (OMP_WAIT_POLICY=passive) made every 2-thread sgemm as slow as one
  // thread (128×784·784×500: 0.96 ms vs 0.51 ms spinning), since each region waits for a woken
  // worker; spinning forever (active) steals a core from whatever runs next (the PyTorch peer's step
  // went 3.5 → 10–16 ms). Read by libgomp when the addon loads.
  if (process.env.OMP_WAIT_POLICY === undefined && process.env.GOMP_SPINCOUNT === undefined) {
    process.env.GOMP_SPINCOUNT = String(SPIN_COUNT);
  }
  const addon = loadAddon();
  if (!addon) {
    if (!warned && !opts.quiet) {
      warned = true;
      console.warn(fallbackMessage());
    }
    quietCpu();
    return false;
  }
  const envThreads = Number(process.env.PARAMPRED_THREADS);
  const threads = opts.threads ?? (Number.isInteger(envThreads) && envThreads > 0 ? envThreads : undefined);
  if (threads !== undefined) addon.setNumThreads(threads);
  const precision = opts.precision ?? (process.env.PARAMPRED_PRECISION?.trim() || undefined);
  if (precision !== undefined) setPrecision(precision, { quiet: opts.quiet }, addon);
  if (!registered) {
    registered = true;
    tf.registerBackend('native', () => new NativeBackend(addon), 3);
    tf.copyRegisteredKernels('cpu', 'native');
    for (const k of nativeKernels) {
      if (tf.getKernel(k.kernelName, 'native')) tf.unregisterKernel(k.kernelName, 'native');
      tf.registerKernel(k);
    }
    installFusedTraining();
    installNativeLinalg(addon); // dictionaries' float64 solves/eigen/SVD on LAPACK when one opens
  }
  return true;
}
