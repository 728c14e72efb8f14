import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { assertSameOnBoth, randn } from './test_util.js';
import { loadAddon } from '../binding.js';
import { rng, type Rng } from '../../../core/rng.js';
import { GROUPED_CONV2D_KERNEL, GroupedConv2D, type GroupedConv2DAttrs } from '../../../core/compress/grouped_conv2d.js';

// |native − cpu| ≤ 1e-4·(1 + |cpu|): float32 sums of a few hundred terms in different orders.
const RTOL = 1e-4;

interface Case {
  shape: [number, number, number, number];
  kernelSize: [number, number];
  strides: [number, number];
  padding: 'valid' | 'same';
  inputGroups: number[][];
  groupFilters: number[];
  outputOrder: number[] | null;
  activation: string;
  useBias: boolean;
}

/** A random case: unequal (possibly overlapping, permuted) or equal groups, a partition like bicluster's, or all channels in order; outputOrder none, a permutation or a selection. */
function randomCase(r: Rng, i: number): Case {
  const c = 3 + r.int(10);
  const kind = i % 4;
  let inputGroups: number[][];
  if (kind === 0) { // a partition of a permutation (bicluster's stage 1): unequal groups
    const perm = Array.from(r.permutation(c));
    const g = 2 + r.int(Math.min(3, c - 1));
    const cuts = [0, ...Array.from(r.permutation(c - 1)).slice(0, g - 1).map((v) => v + 1).sort((a, b) => a - b), c];
    inputGroups = cuts.slice(1).map((e, k) => perm.slice(cuts[k], e));
  } else if (kind === 1) { // equal groups, permuted (bicluster's stage 2)
    const g = [2, 3, 4][r.int(3)], per = 1 + r.int(3);
    const perm = Array.from(r.permutation(g * per)).map((v) => v % c);
    inputGroups = Array.from({ length: g }, (_, k) => perm.slice(k * per, (k + 1) * per));
    if (new Set(perm).size !== perm.length) inputGroups = Array.from({ length: g }, (_, k) => Array.from({ length: per }, (_v, j) => (k * per + j) % c));
  } else if (kind === 2) { // arbitrary overlapping subsets
    inputGroups = Array.from({ length: 1 + r.int(3) }, () => Array.from(r.permutation(c)).slice(0, 1 + r.int(c)));
  } else inputGroups = [Array.from({ length: c }, (_, k) => k)]; // one whole group: a plain conv
  const equalF = kind === 1 || r.int(2) === 0;
  const f0 = 1 + r.int(5);
  const groupFilters = inputGroups.map(() => (equalF ? f0 : 1 + r.int(5)));
  const joined = groupFilters.reduce((s, v) => s + v, 0);
  const o = r.int(3);
  const outputOrder = o === 0 ? null : Array.from(r.permutation(joined)).slice(0, o === 1 ? joined : Math.max(1, joined - 1 - r.int(joined)));
  const kernelSize: [number, number] = [1 + r.int(3), 1 + r.int(3)];
  const strides: [number, number] = [[1, 1], [2, 2], [2, 1]][r.int(3)] as [number, number];
  const padding = r.int(2) === 0 ? 'same' : 'valid';
  const h = Math.max(kernelSize[0], 2 + r.int(7)), w = Math.max(kernelSize[1], 2 + r.int(7));
  const activation = ['linear', 'relu', 'elu', 'sigmoid', 'tanh'][r.int(5)];
  return { shape: [1 + r.int(3), h, w, c], kernelSize, strides, padding, inputGroups, groupFilters, outputOrder, activation, useBias: r.int(3) > 0 };
}

/** A built GroupedConv2D with seeded weights (values scaled by 3 so relu6 and sigmoid see varied inputs). */
function layerOf(k: Case, seed: number, trainable = true): GroupedConv2D {
  const l = new GroupedConv2D({ kernelSize: k.kernelSize, strides: k.strides, padding: k.padding, inputGroups: k.inputGroups, groupFilters: k.groupFilters, outputOrder: k.outputOrder, activation: k.activation, useBias: k.useBias, trainable });
  l.apply(tf.input({ shape: k.shape.slice(1) }));
  l.setWeights(l.weights.map((w, i) => tf.mul(tf.tensor(randn(w.shape as number[], seed + i), w.shape as number[]), 3)));
  return l;
}

/** An independent reference: gather, conv2d per group, concat, outputOrder, + bias, activation (plain TF.js ops). */
function reference(x: tf.Tensor4D, ws: tf.Tensor4D[], bias: tf.Tensor | null, a: GroupedConv2DAttrs): tf.Tensor {
  let at = 0;
  const parts = ws.map((w, g) => {
    const ch = a.channels.slice(at, at + a.groupChannels[g]);
    at += a.groupChannels[g];
    return tf.conv2d(tf.gather(x, ch, 3), w, a.strides, a.pad);
  });
  let y: tf.Tensor = tf.concat(parts, 3);
  if (a.outputOrder.length > 0) y = tf.gather(y, a.outputOrder, 3);
  if (bias) y = tf.add(y, bias);
  const act: Record<string, (t: tf.Tensor) => tf.Tensor> = { linear: (t) => t, relu: tf.relu, relu6: tf.relu6, elu: tf.elu, sigmoid: tf.sigmoid };
  return act[a.activation](y);
}

function attrsOf(k: Case): GroupedConv2DAttrs {
  return {
    strides: k.strides, pad: k.padding, channels: k.inputGroups.flat(), groupChannels: k.inputGroups.map((g) => g.length),
    groupFilters: k.groupFilters, outputOrder: k.outputOrder ?? [], activation: k.activation === 'tanh' ? 'linear' : k.activation,
  };
}

/** Calls of addon.groupedConvForward while `fn` runs. */
async function kernelCalls(fn: () => Promise<void> | void): Promise<number> {
  const addon = loadAddon() as unknown as { groupedConvForward: (...a: unknown[]) => boolean };
  const saved = addon.groupedConvForward;
  let n = 0;
  addon.groupedConvForward = (...a: unknown[]) => { n++; return saved(...a); };
  try {
    await fn();
  } finally {
    addon.groupedConvForward = saved;
  }
  return n;
}

const CASES = Array.from({ length: 24 }, (_, i) => randomCase(rng(7).fork(i), i));

test('GroupedConv2D on native (one grouped_conv.cc call) equals its TF.js ops on cpu: unequal / equal / overlapping / whole groups, outputOrder none / permutation / selection, strides 1/2, same/valid, bias on/off, linear/relu/elu/sigmoid/tanh', async () => {
  const calls = await kernelCalls(async () => {
    for (const [i, k] of CASES.entries()) {
      const xv = randn(k.shape, 100 + i);
      await assertSameOnBoth(`case ${i} ${JSON.stringify(k)}`, () => layerOf(k, 200 + 10 * i).apply(tf.tensor(xv, k.shape)) as tf.Tensor, RTOL);
    }
  });
  assert.equal(calls, CASES.length, 'every native apply ran the kernel once');
});

test('GroupedConv2D kernel: the bicluster shapes (partitioned unequal stage 1, equal permuted stage 2 with a selecting outputOrder) at batch 4 equal the cpu reference', async () => {
  const r = rng(11);
  const perm = Array.from(r.permutation(48));
  const g1 = [perm.slice(0, 9), perm.slice(9, 21), perm.slice(21, 34), perm.slice(34)];
  const stage1: Case = { shape: [4, 16, 16, 48], kernelSize: [8, 8], strides: [1, 1], padding: 'same', inputGroups: g1, groupFilters: [16, 16, 16, 16], outputOrder: null, activation: 'linear', useBias: false };
  const mid = Array.from({ length: 4 }, (_, h) => Array.from({ length: 4 }, (_g, g) => Array.from({ length: 4 }, (_k, kk) => g * 16 + h * 4 + kk)).flat());
  const order = Array.from(r.permutation(4 * 18)).filter((v) => v % 18 < 16).slice(0, 64);
  const stage2: Case = { shape: [4, 16, 16, 64], kernelSize: [1, 1], strides: [1, 1], padding: 'valid', inputGroups: mid, groupFilters: [18, 18, 18, 18], outputOrder: order, activation: 'relu', useBias: true };
  for (const [name, k] of [['stage1', stage1], ['stage2', stage2]] as const) {
    const xv = randn(k.shape, 5);
    await assertSameOnBoth(name, () => layerOf(k, 50).apply(tf.tensor(xv, k.shape)) as tf.Tensor, RTOL);
  }
});

test('GroupedConv2D kernel gradient (frozen layer under trainable ones: dx, and the kernels\' and bias\'s own gradients) (activations linear/relu/relu6/elu/sigmoid) equals the cpu reference\'s', async () => {
  for (const [i, k] of CASES.slice(0, 12).entries()) {
    const a = { ...attrsOf(k), ...(i % 4 === 3 ? { activation: 'relu6' } : {}) };
    const G = k.groupFilters.length, F = a.outputOrder.length || k.groupFilters.reduce((s, v) => s + v, 0);
    const wShapes = k.inputGroups.map((g, j) => [...k.kernelSize, g.length, k.groupFilters[j]]);
    const vals = [randn(k.shape, 300 + i), ...wShapes.map((s, j) => randn(s, 400 + 10 * i + j)), randn([F], 500 + i), randn([k.shape[0], 1, 1, F], 600 + i)];
    await assertSameOnBoth(`grad case ${i}`, () => {
      const [x, ...rest] = [tf.tensor(vals[0], k.shape), ...wShapes.map((s, j) => tf.tensor(vals[1 + j], s))];
      const b = tf.tensor(vals[1 + G], [F]), probe = tf.tensor(vals[2 + G], [k.shape[0], 1, 1, F]);
      const onNative = tf.getBackend() === 'native';
      const f = (...t: tf.Tensor[]) => {
        const ws = t.slice(1, 1 + G) as tf.Tensor4D[], bias = k.useBias ? t[1 + G] : null;
        const ins = [t[0], ...ws, ...(bias ? [bias] : [])] as unknown as tf.NamedTensorMap;
        const y = onNative ? tf.engine().runKernel(GROUPED_CONV2D_KERNEL, ins, a as unknown as tf.NamedAttrMap) as tf.Tensor : reference(t[0] as tf.Tensor4D, ws, bias, a);
        return tf.sum(tf.mul(y, probe));
      };
      return tf.grads(f)(k.useBias ? [x, ...rest, b] : [x, ...rest]);
    }, RTOL);
  }
});

test('GroupedConv2D uses the native kernel for inference and for a frozen layer, its TF.js ops when a trainable layer is differentiated; both gradients equal cpu\'s', async () => {
  const k = CASES[0];
  const xv = randn(k.shape, 9);
  const dxOf = (trainable: boolean) => () => {
    const l = layerOf(k, 70, trainable);
    return tf.grad((t: tf.Tensor) => tf.sum(tf.square(l.apply(t) as tf.Tensor)))(tf.tensor(xv, k.shape));
  };
  const weightGrads = () => {
    const l = layerOf(k, 70);
    const x = tf.tensor(xv, k.shape);
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(l.apply(x) as tf.Tensor)) as tf.Scalar, l.trainableWeights.map((w) => w.read() as tf.Variable));
    return [value, ...Object.values(grads)];
  };
  await tf.setBackend('native');
  assert.equal(await kernelCalls(() => { tf.tidy(() => layerOf(k, 70).apply(tf.tensor(xv, k.shape)) as tf.Tensor); }), 1, 'inference');
  assert.equal(await kernelCalls(() => { tf.tidy(() => { tf.grad((t: tf.Tensor) => tf.sum(layerOf(k, 70).apply(t) as tf.Tensor))(tf.tensor(xv, k.shape)); }); }), 0, 'trainable, differentiated');
  assert.equal(await kernelCalls(() => { tf.tidy(() => { tf.grad((t: tf.Tensor) => tf.sum(layerOf(k, 70, false).apply(t) as tf.Tensor))(tf.tensor(xv, k.shape)); }); }), 1, 'frozen, differentiated');
  await assertSameOnBoth('trainable dx', dxOf(true), RTOL);
  await assertSameOnBoth('trainable weight grads', weightGrads, RTOL);
  await assertSameOnBoth('frozen dx', dxOf(false), RTOL);
});
