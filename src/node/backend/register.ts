/**
 * Registers the `native` backend and makes it active. If the addon cannot load, stays on `cpu` and
 * warns once with the command that builds it.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import { BUILD_COMMAND, addonLoadError, loadAddon } from './binding.js';
import { NativeBackend } from './native_backend.js';
import { nativeKernels } from './kernels/index.js';

let registered = false;
let warned = false;

export interface NativeOptions {
  /** OpenMP threads for oneDNN and the addon's loops; default: all cores (PARAMPRED_THREADS overrides). */
  threads?: number;
  /** Silence the fallback warning. */
  quiet?: boolean;
}

/** Registers `native` (once) and sets it as the backend. Returns the active backend's name. */
export async function useNativeBackend(opts: NativeOptions = {}): Promise<'native' | 'cpu'> {
  const ok = registerNativeBackend(opts);
  await tf.setBackend(ok ? 'native' : 'cpu');
  await tf.ready();
  return ok ? 'native' : 'cpu';
}

/** Synchronous registration; true when the native backend is available. */
export function registerNativeBackend(opts: NativeOptions = {}): boolean {
  // OpenMP threads sleep instead of spinning between kernels unless the user chose otherwise: on the
  // shared 2-core machine spinning workers took the cores from the JS thread (convnet step cpu time
  // ≈165 → ≈100 ms, wall 190–380 → 120–220 ms under load). Read by libgomp when the addon loads.
  process.env.OMP_WAIT_POLICY ??= 'passive';
  const addon = loadAddon();
  if (!addon) {
    if (!warned && !opts.quiet) {
      warned = true;
      console.warn(`parampred: native backend unavailable (${addonLoadError()}); using the slow 'cpu' backend. Build it with: ${BUILD_COMMAND}`);
    }
    return false;
  }
  const envThreads = Number(process.env.PARAMPRED_THREADS);
  const threads = opts.threads ?? (Number.isInteger(envThreads) && envThreads > 0 ? envThreads : undefined);
  if (threads !== undefined) addon.setNumThreads(threads);
  if (!registered) {
    registered = true;
    tf.registerBackend('native', () => new NativeBackend(addon), 3);
    tf.copyRegisteredKernels('cpu', 'native');
    for (const k of nativeKernels) {
      tf.unregisterKernel(k.kernelName, 'native');
      tf.registerKernel(k);
    }
  }
  return true;
}
