/**
 * Bench (issue 14): the CIFAR convnet's conv2 (64 filters 8×8 over 48 channels, 16×16, 'same') and conv3
 * (64 filters 5×5 over 64 channels, 8×8, 'same'), relu, random weights, at batch 1 and 128: the dense
 * Conv2D vs its bicluster approximation (two GroupedConv2D layers, k-means groups of the random kernel,
 * so unequal input groups) run by the per-group TF.js ops ('ops', the path before the native kernel) and
 * by the native kernel ('kernel'), on the native backend. Each figure is the minimum over interleaved
 * repeats (dense, ops, kernel, dense, …) of one inference call with its output read back.
 * Run: npx tsx src/node/bench/grouped_conv.ts [repeats] (PARAMPRED_THREADS sets the threads).
 */
import * as tf from '@tensorflow/tfjs';
import { pathToFileURL } from 'node:url';
import { useNativeBackend } from '../backend/register.js';
import bicluster from '../../core/compress/bicluster.js';
import { layerCost } from '../../core/compress/cost.js';
import { GROUPED_CONV2D_KERNEL } from '../../core/compress/grouped_conv2d.js';
import { rng } from '../../core/rng.js';

interface LayerSpec { name: string; hw: number; c: number; f: number; k: number }
const LAYERS: LayerSpec[] = [{ name: 'conv2', hw: 16, c: 48, f: 64, k: 8 }, { name: 'conv3', hw: 8, c: 64, f: 64, k: 5 }];
/** [G, H, K]: G = H = 4 with K for ≈2× and ≈4× fewer multiply-adds, and G = H = 2 likewise. */
const CONFIGS: [number, number, number][] = [[4, 4, 8], [4, 4, 4], [2, 2, 16], [2, 2, 8]];

/** Milliseconds of one call of `f` with its output read back. */
function once(f: () => tf.Tensor): number {
  const t0 = performance.now();
  const y = tf.tidy(f);
  y.dataSync();
  const ms = performance.now() - t0;
  y.dispose();
  return ms;
}

/** Runs `f` with GROUPED_CONV2D_KERNEL unregistered on the native backend (the layer then uses its TF.js ops). */
function withoutKernel(f: () => tf.Tensor): tf.Tensor {
  const k = tf.getKernel(GROUPED_CONV2D_KERNEL, 'native');
  if (!k) return f();
  tf.unregisterKernel(GROUPED_CONV2D_KERNEL, 'native');
  try {
    return f();
  } finally {
    tf.registerKernel(k);
  }
}

/** Prints the table; returns its rows. */
export async function benchGroupedConv(repeats = 30): Promise<Record<string, unknown>[]> {
  const backend = await useNativeBackend({ quiet: true });
  if (backend !== 'native') throw new Error('grouped_conv bench: the native addon is not built');
  const rows: Record<string, unknown>[] = [];
  console.log(`backend native, threads ${(tf.backend() as unknown as { addon: { getNumThreads(): number } }).addon.getNumThreads()}, min of ${repeats} interleaved repeats, ms`);
  console.log('layer  batch  G×H K   MACs dense/bic  dense   ops(before)  kernel(after)  dense/kernel');
  for (const spec of LAYERS) {
    const inputShape = [spec.hw, spec.hw, spec.c];
    const dense = tf.layers.conv2d({ filters: spec.f, kernelSize: spec.k, padding: 'same', activation: 'relu', name: spec.name });
    dense.apply(tf.input({ shape: inputShape }));
    const r = rng(14).fork(spec.name);
    dense.setWeights([tf.tensor(r.normals(spec.k * spec.k * spec.c * spec.f, 0.05), [spec.k, spec.k, spec.c, spec.f]), tf.tensor(r.normals(spec.f, 0.1))]);
    const macs = layerCost(dense, inputShape).multiplyAdds;
    for (const [G, H, K] of CONFIGS) {
      const ap = bicluster.approximate({ layer: dense, inputShape }, { inputGroups: G, outputGroups: H, rank: K, seed: 0, iterations: 20 }, 'bench');
      const [l1, l2] = ap.layers;
      const mid = l1.computeOutputShape([null, ...inputShape]) as number[];
      const bicMacs = layerCost(l1, inputShape).multiplyAdds + layerCost(l2, mid.slice(1)).multiplyAdds;
      for (const batch of [1, 128]) {
        const x = tf.tensor(r.fork(`x${G}${K}${batch}`).normals(batch * spec.hw * spec.hw * spec.c), [batch, ...inputShape]);
        const runDense = () => dense.apply(x) as tf.Tensor;
        const runBic = () => l2.apply(l1.apply(x)) as tf.Tensor;
        const t = { dense: Infinity, ops: Infinity, kernel: Infinity };
        for (let i = 0; i < repeats + 2; i++) {
          const d = once(runDense), o = once(() => withoutKernel(runBic)), k = once(runBic);
          if (i < 2) continue; // warm-up: primitive creation
          t.dense = Math.min(t.dense, d);
          t.ops = Math.min(t.ops, o);
          t.kernel = Math.min(t.kernel, k);
        }
        x.dispose();
        const row = { layer: spec.name, batch, G, H, K, macsRatio: macs / bicMacs, groups: l1.getConfig().inputGroups, ...t };
        rows.push(row);
        console.log(`${spec.name}  ${String(batch).padStart(5)}  ${G}×${H} ${String(K).padStart(2)}  ${(macs / bicMacs).toFixed(2).padStart(14)}  ${t.dense.toFixed(3).padStart(7)}  ${t.ops.toFixed(3).padStart(11)}  ${t.kernel.toFixed(3).padStart(13)}  ${(t.dense / t.kernel).toFixed(2).padStart(12)}`);
      }
    }
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = Number(process.argv[2]);
  await benchGroupedConv(Number.isInteger(n) && n > 0 ? n : undefined);
}
