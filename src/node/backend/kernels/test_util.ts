/** Test helpers: run the same computation on the `cpu` and `native` backends and compare (not shipped). */
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { registerNativeBackend } from '../register.js';
import { rng } from '../../../core/rng.js';

/** Seeded float32 normals of a shape, as plain values to build tensors on either backend. */
export function randn(shape: number[], seed: number): Float32Array {
  return rng(seed).normals(shape.reduce((a, b) => a * b, 1));
}

/** Values of `fn()` (tensors made inside it) on cpu and on native; `fn` must build its inputs itself. */
export async function onBoth(fn: () => tf.Tensor | tf.Tensor[]): Promise<{ cpu: tf.TypedArray[]; native: tf.TypedArray[]; dtypes: string[][]; shapes: number[][][] }> {
  assert.ok(registerNativeBackend(), 'native addon must be built (npm run build:native)');
  const run = async (name: string) => {
    await tf.setBackend(name);
    return tf.tidy(() => {
      const r = fn();
      const ts = Array.isArray(r) ? r : [r];
      return { vals: ts.map((t) => t.dataSync().slice()), dtypes: ts.map((t) => t.dtype as string), shapes: ts.map((t) => t.shape) };
    });
  };
  const c = await run('cpu');
  const n = await run('native');
  return { cpu: c.vals, native: n.vals, dtypes: [c.dtypes, n.dtypes], shapes: [c.shapes, n.shapes] };
}

/** Asserts native ≈ cpu elementwise: |n − c| ≤ rtol·(1 + |c|), NaN where cpu has NaN, same dtypes and shapes. */
export async function assertSameOnBoth(label: string, fn: () => tf.Tensor | tf.Tensor[], rtol = 1e-5): Promise<void> {
  const r = await onBoth(fn);
  assert.deepEqual(r.dtypes[1], r.dtypes[0], `${label}: dtypes`);
  assert.deepEqual(r.shapes[1], r.shapes[0], `${label}: shapes`);
  for (let k = 0; k < r.cpu.length; k++) {
    const c = r.cpu[k], n = r.native[k];
    assert.equal(n.length, c.length, `${label}[${k}]: length`);
    for (let i = 0; i < c.length; i++) {
      if (Number.isNaN(c[i])) assert.ok(Number.isNaN(n[i]), `${label}[${k}] @${i}: ${n[i]} vs NaN`);
      else assert.ok(n[i] === c[i] || Math.abs(n[i] - c[i]) <= rtol * (1 + Math.abs(c[i])), `${label}[${k}] @${i}: native ${n[i]} vs cpu ${c[i]}`);
    }
  }
}

/** Runs `fn` and returns how many times it called the native addon's kernel entry points. */
export async function nativeCalls(fn: () => Promise<void> | void): Promise<number> {
  const { loadAddon } = await import('../binding.js');
  const addon = loadAddon() as unknown as Record<string, unknown>;
  assert.ok(addon, 'native addon must be built (npm run build:native)');
  let calls = 0;
  const saved = new Map<string, unknown>();
  for (const [k, v] of Object.entries(addon)) {
    if (typeof v !== 'function' || k === 'getNumThreads' || k === 'setNumThreads' || k === 'version') continue;
    saved.set(k, v);
    addon[k] = (...a: unknown[]) => {
      calls++;
      return (v as (...x: unknown[]) => unknown)(...a);
    };
  }
  try {
    await fn();
  } finally {
    for (const [k, v] of saved) addon[k] = v;
  }
  return calls;
}
