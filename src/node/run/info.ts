/** What every run records about the software and the machine it ran on (STYLE.md §8). */
import * as tf from '@tensorflow/tfjs';
import { cpus, totalmem, platform, arch } from 'node:os';
import { packageVersion } from '../package_root.js';
import { loadAddon } from '../backend/binding.js';
import { bf16Active } from '../backend/precision.js';

export interface Versions {
  parampred: string;
  tfjs: string;
  node: string;
  backend: string;
  /** oneDNN version when the native backend is active. */
  onednn: string | null;
  /** Products and convolutions: fp32, or bf16 inputs with fp32 accumulation (native backend, issue 15). */
  precision: 'fp32' | 'bf16';
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  platform: string;
  arch: string;
  threads: number | null;
}

/** Versions of parampred, TF.js, Node, the active backend and oneDNN. */
export function versions(): Versions {
  const backend = tf.getBackend();
  let onednn: string | null = null;
  if (backend === 'native') {
    try {
      onednn = loadAddon()?.version().dnnl ?? null;
    } catch {
      onednn = null;
    }
  }
  return { parampred: packageVersion(), tfjs: tf.version['tfjs-core'], node: process.version, backend, onednn, precision: backend === 'native' && bf16Active() ? 'bf16' : 'fp32' };
}

/** CPU model, core count, memory and the addon's thread count. */
export function machine(): Machine {
  const c = cpus();
  let threads: number | null;
  try {
    threads = tf.getBackend() === 'native' ? (loadAddon()?.getNumThreads() ?? null) : null;
  } catch {
    threads = null;
  }
  return { cpu: c[0]?.model ?? 'unknown', cores: c.length, memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10, platform: platform(), arch: arch(), threads };
}
