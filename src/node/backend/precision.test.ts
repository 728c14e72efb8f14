import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { loadAddon } from './binding.js';
import { registerNativeBackend } from './register.js';
import { bf16Support, getPrecision, resetPrecisionWarning, setPrecision } from './precision.js';
import { convTuner, setBf16ConvPolicy, TUNE_TRIALS } from './conv_tune.js';
import type { NativeBackend } from './native_backend.js';
import { versions } from '../run/info.js';
import { randn } from './kernels/test_util.js';

/*
 * Tolerances. bf16 keeps 8 significant bits: rounding an input to nearest even changes it by at most
 * 2⁻⁹ of its magnitude, so a product of two rounded inputs is within 2⁻⁸ (+2⁻¹⁸) of the exact one and
 *   |C_bf16 − C_exact| ≤ 2⁻⁸·Σ_k |a_ik|·|b_kj|            (BF16_TOL, the stated tolerance)
 * against the float32 inputs. Against a float64 reference computed from the bf16-rounded inputs only
 * float32 accumulation error remains, ≤ k·2⁻²⁴·Σ|a||b| in the worst case and far less in practice:
 *   |C_bf16 − C_ref(bf16 inputs)| ≤ 1e-5·Σ|a||b|         (ACC_TOL)
 * which fp32 inputs fail (their difference from the bf16-rounded reference is ≈ 2⁻⁹·Σ|a||b|/√k):
 * the tests assert that too, so they show the kernels really round to bf16.
 */
const BF16_TOL = 2 ** -8;
const ACC_TOL = 1e-5;

const addon = loadAddon();
const support = addon ? bf16Support(addon) : null;
const skip = !support?.ok && `bf16 unavailable here: ${support?.reason ?? 'addon not built'}`;

/**
 * Round-to-nearest-even float32 → bf16 → float32: the reference rounding. NaN stays NaN; subnormal
 * inputs become ±0, as AVX512-BF16's vcvtneps2bf16 (and oneDNN's own conversion) treats denormals as zero.
 */
function bf(x: number): number {
  const f = new Float32Array([x]), u = new Uint32Array(f.buffer);
  if (Number.isNaN(f[0])) return NaN;
  if ((u[0] & 0x7f800000) === 0) return (u[0] & 0x80000000) !== 0 ? -0 : 0;
  u[0] = (u[0] + 0x7fff + ((u[0] >>> 16) & 1)) & 0xffff0000;
  return f[0];
}
const bfAll = (v: Float32Array): Float64Array => Float64Array.from(v, bf);

/** Float64 C = op(A)·op(B) and Σ|a||b| per element; A, B row-major. */
function refMatMul(a: ArrayLike<number>, b: ArrayLike<number>, m: number, n: number, k: number, tA: boolean, tB: boolean): { c: Float64Array; abs: Float64Array } {
  const c = new Float64Array(m * n), abs = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0, t = 0;
    for (let p = 0; p < k; p++) {
      const x = a[tA ? p * m + i : i * k + p], y = b[tB ? j * k + p : p * n + j];
      s += x * y;
      t += Math.abs(x * y);
    }
    c[i * n + j] = s;
    abs[i * n + j] = t;
  }
  return { c, abs };
}

/** Asserts got ≈ ref (|d| ≤ tol·abs + 1e-30) elementwise; returns max |d|/abs. */
function within(label: string, got: ArrayLike<number>, ref: ArrayLike<number>, abs: ArrayLike<number>, tol: number): number {
  assert.equal(got.length, ref.length, `${label}: length`);
  let worst = 0;
  for (let i = 0; i < ref.length; i++) {
    const d = Math.abs(got[i] - ref[i]);
    assert.ok(d <= tol * abs[i] + 1e-30, `${label} @${i}: ${got[i]} vs ${ref[i]} (|d| ${d}, allowed ${tol * abs[i]})`);
    worst = Math.max(worst, d / (abs[i] || 1));
  }
  return worst;
}

/** Largest |got − ref|/abs: how far fp32-exact values sit from the bf16-rounded reference. */
function maxRel(got: ArrayLike<number>, ref: ArrayLike<number>, abs: ArrayLike<number>): number {
  let w = 0;
  for (let i = 0; i < ref.length; i++) w = Math.max(w, Math.abs(got[i] - ref[i]) / (abs[i] || 1));
  return w;
}

async function inBf16<T>(fn: () => T): Promise<T> {
  assert.ok(registerNativeBackend(), 'native addon must be built (npm run build:native)');
  await tf.setBackend('native');
  assert.equal(setPrecision('bf16'), 'bf16');
  try {
    return fn();
  } finally {
    setPrecision('fp32');
  }
}

test('toBf16 rounds to nearest even like the reference, NaN, ±Inf, ±0, subnormals and ties included', { skip }, () => {
  const special = [NaN, Infinity, -Infinity, 0, -0, 1e-40, -3e-39, 3.4028235e38, 1 + 2 ** -8, 1 + 3 * 2 ** -8, 1 + 2 ** -8 + 2 ** -20, -(1 + 2 ** -8)];
  const v = new Float32Array([...special, ...randn([1000], 1).map((x, i) => x * 10 ** ((i % 60) - 30))]);
  const big = new Float32Array(70001).map((_, i) => v[i % v.length] * (1 + i * 1e-7));
  for (const src of [v, big]) {
    const dst = new Uint16Array(src.length);
    addon!.toBf16(src, dst);
    const back = new Float32Array(new Uint32Array(Uint32Array.from(dst, (h) => h << 16)).buffer);
    for (let i = 0; i < src.length; i++) {
      const r = bf(src[i]);
      if (Number.isNaN(r)) assert.ok(Number.isNaN(back[i]), `@${i}: NaN`);
      else assert.ok(Object.is(back[i], r), `@${i}: ${src[i]} → ${back[i]}, expected ${r}`);
    }
  }
});

test('bf16 matMul matches the bf16-rounded float64 reference to float32 accumulation, over transposes and sizes', { skip }, async () => {
  for (const [m, n, k] of [[37, 29, 200], [261, 250, 130], [5, 3, 40]]) for (const tA of [false, true]) for (const tB of [false, true]) {
    const sa = tA ? [k, m] : [m, k], sb = tB ? [n, k] : [k, n];
    const av = randn(sa, m + k), bv = randn(sb, n + k + 1);
    const got = await inBf16(() => tf.tidy(() => tf.matMul(tf.tensor(av, sa), tf.tensor(bv, sb), tA, tB).dataSync().slice()));
    const r = refMatMul(bfAll(av), bfAll(bv), m, n, k, tA, tB);
    const exact = refMatMul(av, bv, m, n, k, tA, tB);
    const label = `${m}×${n}×${k} ${tA} ${tB}`;
    within(`${label} vs bf16 reference`, got, r.c, r.abs, ACC_TOL);
    within(`${label} vs exact`, got, exact.c, exact.abs, BF16_TOL);
    assert.ok(maxRel(exact.c, r.c, r.abs) > 3 * ACC_TOL, `${label}: fp32 inputs would pass too; the test could not tell`);
  }
});

test('bf16 keeps small-k products, prelu and batched products in fp32 (bit for bit the fp32 kernel)', { skip }, async () => {
  const fp32 = (f: () => tf.Tensor) => tf.tidy(() => f().dataSync().slice());
  const cases: [string, () => tf.Tensor][] = [
    ['k = 10', () => tf.matMul(tf.tensor(randn([128, 10], 1), [128, 10]), tf.tensor(randn([10, 64], 2), [10, 64]))],
    ['batched', () => tf.matMul(tf.tensor(randn([3, 20, 40], 3), [3, 20, 40]), tf.tensor(randn([3, 40, 7], 4), [3, 40, 7]))],
    ['prelu', () => tf.fused.matMul({ a: tf.tensor(randn([20, 40], 5), [20, 40]), b: tf.tensor(randn([40, 7], 6), [40, 7]), activation: 'prelu', preluActivationWeights: tf.tensor(randn([7], 7)) })],
  ];
  registerNativeBackend();
  await tf.setBackend('native');
  for (const [label, f] of cases) assert.deepEqual(await inBf16(() => fp32(f)), fp32(f), label);
});

test('bf16 _FusedMatMul applies bias and relu in float32 after the bf16 product', { skip }, async () => {
  const [m, n, k] = [33, 21, 64];
  const av = randn([m, k], 1), bv = randn([k, n], 2), bias = randn([n], 3);
  const got = await inBf16(() => tf.tidy(() => tf.fused.matMul({ a: tf.tensor(av, [m, k]), b: tf.tensor(bv, [k, n]), bias: tf.tensor(bias), activation: 'relu' }).dataSync().slice()));
  const r = refMatMul(bfAll(av), bfAll(bv), m, n, k, false, false);
  const ref = r.c.map((c, i) => Math.max(0, c + bias[i % n]));
  within('fused relu', got, ref, r.abs.map((x) => x + 1e-2), ACC_TOL);
});

test('bf16 matMul gradients: ∂a = g·bᵀ and ∂b = aᵀ·g from bf16-rounded operands', { skip }, async () => {
  const [m, n, k] = [40, 50, 60];
  const av = randn([m, k], 4), bv = randn([k, n], 5), gv = randn([m, n], 6);
  const [da, db] = await inBf16(() => tf.tidy(() => {
    const f = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.matMul(a, b), tf.tensor(gv, [m, n]))));
    return f([tf.tensor(av, [m, k]), tf.tensor(bv, [k, n])]).map((t) => t.dataSync().slice());
  }));
  const ra = refMatMul(bfAll(gv), bfAll(bv), m, k, n, false, true);
  const rb = refMatMul(bfAll(av), bfAll(gv), k, n, m, true, false);
  within('∂a', da, ra.c, ra.abs, ACC_TOL);
  within('∂b', db, rb.c, rb.abs, ACC_TOL);
  const ea = refMatMul(gv, bv, m, k, n, false, true);
  within('∂a vs exact', da, ea.c, ea.abs, BF16_TOL);
});

test('cached bf16 copies follow in-place optimizer updates and pooled-buffer reuse', { skip }, async () => {
  const [m, n, k] = [16, 64, 64];
  const xv = randn([m, k], 7);
  await inBf16(() => {
    const be = tf.backend() as NativeBackend;
    const w = tf.variable(tf.tensor(randn([k, n], 8), [k, n]));
    const x = tf.mul(tf.tensor(xv, [m, k]), 1); // a native kernel's output: a pooled array, cacheable
    const opt = tf.train.sgd(0.5);
    const arrays = new Set<Float32Array>();
    let inPlace = 0;
    for (let step = 0; step < 4; step++) {
      const y = tf.matMul(x, w);
      // The weights' values without dataSync (which would hand the array to user code and end in-place updates).
      const wArr = be.f32(w), wv = wArr.slice();
      if (step > 0 && be.pool.hasBf16(wArr)) inPlace += arrays.has(wArr) ? 1 : 0;
      arrays.add(wArr);
      const r = refMatMul(bfAll(xv), bfAll(wv), m, n, k, false, false);
      within(`step ${step}`, y.dataSync(), r.c, r.abs, ACC_TOL);
      y.dispose();
      opt.applyGradients({ [w.name]: tf.mul(tf.onesLike(w), step + 1) });
    }
    // From the second update on the weights were updated in their own array, whose bf16 copy existed.
    assert.ok(inPlace >= 2, `in-place updates of a cached array seen: ${inPlace}`);
    assert.ok(be.pool.hasBf16(be.f32(x)), 'x has a cached bf16 copy');
    // Reuse: dispose a pooled operand, make another of the same size (it gets the same array back).
    const xa = be.f32(x);
    x.dispose();
    const x2v = randn([m, k], 9);
    const x2 = tf.mul(tf.tensor(x2v, [m, k]), 1);
    assert.equal(be.f32(x2), xa, 'the pool handed the same array out again');
    const r = refMatMul(bfAll(x2v), bfAll(be.f32(w).slice()), m, n, k, false, false);
    within('after reuse', tf.matMul(x2, w).dataSync(), r.c, r.abs, ACC_TOL);
    tf.dispose([x2, w]);
    opt.dispose();
  });
});

test('optimizer updates write the bf16 copy of a weight a bf16 product read, in their own pass (sgd, momentum, adam; small and multi-threaded sizes)', { skip }, async () => {
  await inBf16(() => {
    const be = tf.backend() as NativeBackend;
    for (const [k, n] of [[40, 48], [256, 160]]) {
      for (const [name, make] of [['sgd', () => tf.train.sgd(0.1)], ['momentum', () => tf.train.momentum(0.1, 0.9)], ['adam', () => tf.train.adam(0.01)]] as const) {
        const w = tf.variable(tf.tensor(randn([k, n], 21), [k, n]));
        const x = tf.mul(tf.tensor(randn([8, k], 22), [8, k]), 1);
        const opt = make();
        let fused = 0;
        for (let step = 0; step < 3; step++) {
          tf.matMul(x, w).dispose(); // makes (or reuses) the weight's bf16 copy
          opt.applyGradients({ [w.name]: tf.mul(tf.onesLike(w), 0.5 + step) });
          const wArr = be.f32(w);
          if (!be.pool.hasBf16(wArr)) continue;
          fused++;
          const copy = be.bf16(wArr, 0), want = bfAll(wArr);
          for (let i = 0; i < copy.length; i++) {
            const got = new Float32Array(new Uint32Array([copy[i] << 16]).buffer)[0];
            if (!Object.is(got, want[i])) assert.fail(`${name} ${k}×${n} step ${step}: element ${i} copy ${got}, bf16(w) ${want[i]}`);
          }
        }
        assert.ok(fused >= 2, `${name} ${k}×${n}: updates that refreshed the copy: ${fused}`);
        tf.dispose([w, x]);
        opt.dispose();
      }
    }
  });
});

/** Float64 NHWC valid convolution, stride s, filter HWIO: y, dx (from g), dw (from g) and Σ|·| of each. */
function refConv(x: ArrayLike<number>, w: ArrayLike<number>, g: ArrayLike<number>, [N, H, W, C]: number[], [KH, KW, , O]: number[], s: number) {
  const OH = Math.floor((H - KH) / s) + 1, OW = Math.floor((W - KW) / s) + 1;
  const y = new Float64Array(N * OH * OW * O), ya = new Float64Array(y.length);
  const dx = new Float64Array(N * H * W * C), dxa = new Float64Array(dx.length);
  const dw = new Float64Array(KH * KW * C * O), dwa = new Float64Array(dw.length);
  for (let n = 0; n < N; n++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) for (let o = 0; o < O; o++) {
    const yi = ((n * OH + oh) * OW + ow) * O + o;
    for (let kh = 0; kh < KH; kh++) for (let kw = 0; kw < KW; kw++) for (let c = 0; c < C; c++) {
      const xi = ((n * H + oh * s + kh) * W + ow * s + kw) * C + c, wi = ((kh * KW + kw) * C + c) * O + o;
      y[yi] += x[xi] * w[wi];
      ya[yi] += Math.abs(x[xi] * w[wi]);
      dx[xi] += g[yi] * w[wi];
      dxa[xi] += Math.abs(g[yi] * w[wi]);
      dw[wi] += x[xi] * g[yi];
      dwa[wi] += Math.abs(x[xi] * g[yi]);
    }
  }
  return { y, ya, dx, dxa, dw, dwa, outShape: [N, OH, OW, O] };
}

/** The conv test's problem: x, w, the output gradient g, and float64 references from exact and bf16-rounded inputs. */
function convProblem() {
  const xs = [4, 12, 12, 8], ws = [5, 5, 8, 16], s = 1;
  const xv = randn(xs, 11), wv = randn(ws, 12);
  const outShape = refConv(xv, wv, new Float64Array(0), [1, ...xs.slice(1)], ws, s).outShape.map((d, i) => (i === 0 ? xs[0] : d));
  const gv = randn(outShape, 13);
  return { xs, ws, s, xv, wv, gv, outShape, rg: refConv(bfAll(xv), bfAll(wv), bfAll(gv), xs, ws, s), exact: refConv(xv, wv, gv, xs, ws, s) };
}

/** y = conv(x, w) and its gradients for the output gradient g, on the active backend, as arrays. */
function convRun(c: ReturnType<typeof convProblem>): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.tensor4d(c.xv, c.xs as [number, number, number, number]), w = tf.tensor4d(c.wv, c.ws as [number, number, number, number]);
    const yy = tf.conv2d(x, w, c.s, 'valid');
    const f = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.s, 'valid'), tf.tensor(c.gv, c.outShape))));
    return [yy, ...f([x, w])].map((t) => t.dataSync().slice() as Float32Array);
  });
}

for (const backward of [false, true]) {
  const title = backward
    ? 'bf16 conv2d, policy all: forward, backward data and backward weights all match the bf16-rounded float64 reference'
    : 'bf16 conv2d, policy forward: forward matches the bf16-rounded float64 reference, both backward passes stay fp32';
  test(title, { skip }, async () => {
    const c = convProblem(), { rg, exact } = c;
    setBf16ConvPolicy(backward ? 'all' : 'forward');
    const [y, dx, dw] = await inBf16(() => convRun(c)).finally(() => setBf16ConvPolicy('auto'));
    within('conv forward', y, rg.y, rg.ya, ACC_TOL);
    within('conv forward vs exact', y, exact.y, exact.ya, BF16_TOL);
    assert.ok(maxRel(exact.y, rg.y, rg.ya) > 3 * ACC_TOL, 'fp32 inputs would pass too');
    const ref = backward ? rg : exact; // fp32 backward: float32 accuracy against the exact reference
    within('conv backward data', dx, ref.dx, ref.dxa, ACC_TOL);
    within('conv backward weights', dw, ref.dw, ref.dwa, ACC_TOL);
    within('conv backward weights vs exact', dw, exact.dw, exact.dwa, BF16_TOL);
    assert.ok(maxRel(exact.dw, rg.dw, rg.dwa) > 3 * ACC_TOL && maxRel(exact.dx, rg.dx, rg.dxa) > 3 * ACC_TOL, 'bf16 and fp32 backward would both pass');
  });
}

test('bf16 conv2d, policy auto: each pass settles on one precision after its trials, and then computes in it', { skip }, async () => {
  const c = convProblem(), { rg, exact } = c;
  convTuner.reset();
  const runs = 2 + 2 * TUNE_TRIALS;
  let last: Float32Array[] = [];
  await inBf16(() => {
    for (let i = 0; i <= runs; i++) last = convRun(c);
  });
  const choices = convTuner.choices();
  assert.deepEqual(choices.map((ch) => ch.pass).sort(), ['backwardData', 'backwardWeights', 'forward']);
  for (const ch of choices) {
    assert.ok(ch.choice === 'bf16' || ch.choice === 'fp32', `${ch.pass} decided`);
    assert.ok(ch.bf16_ms! > 0 && ch.fp32_ms! > 0, `${ch.pass} timed in both`);
    assert.equal(ch.choice, ch.bf16_ms! < ch.fp32_ms! ? 'bf16' : 'fp32', `${ch.pass} took the faster`);
  }
  const [y, dx, dw] = last;
  const pick = (pass: string) => (choices.find((ch) => ch.pass === pass)!.choice === 'bf16' ? rg : exact);
  within('auto forward', y, pick('forward').y, pick('forward').ya, ACC_TOL);
  within('auto backward data', dx, pick('backwardData').dx, pick('backwardData').dxa, ACC_TOL);
  within('auto backward weights', dw, pick('backwardWeights').dw, pick('backwardWeights').dwa, ACC_TOL);
  convTuner.reset();
});

test('fp32 stays the default and bit for bit the fp32 kernel, also after a bf16 spell', async () => {
  assert.ok(registerNativeBackend(), 'native addon must be built (npm run build:native)');
  await tf.setBackend('native');
  assert.equal(getPrecision(), process.env.PARAMPRED_PRECISION === 'bf16' && support?.ok ? 'bf16' : 'fp32');
  setPrecision('fp32');
  const [m, n, k] = [50, 40, 300];
  const av = randn([m, k], 21), bv = randn([k, n], 22);
  const direct = new Float32Array(m * n);
  assert.ok(addon!.matmul(false, false, m, n, k, av, bv, direct, null, 0, 0));
  const viaTf = () => tf.tidy(() => tf.matMul(tf.tensor(av, [m, k]), tf.tensor(bv, [k, n])).dataSync().slice());
  assert.deepEqual(viaTf(), direct);
  if (support?.ok) {
    setPrecision('bf16');
    assert.notDeepEqual(viaTf(), direct);
    setPrecision('fp32');
  }
  assert.deepEqual(viaTf(), direct);
});

test('bf16 where unsupported falls back to fp32 with one warning', () => {
  const warnings: string[] = [];
  const saved = console.warn;
  console.warn = (msg: string) => warnings.push(msg);
  try {
    resetPrecisionWarning();
    const none = { ok: false, isa: 'avx2', matmulImpl: '', reason: 'the CPU lacks AVX512-BF16' };
    assert.equal(setPrecision('bf16', { support: none }), 'fp32');
    assert.equal(setPrecision('bf16', { support: none }), 'fp32');
    assert.equal(getPrecision(), 'fp32');
  } finally {
    console.warn = saved;
  }
  assert.deepEqual(warnings, ['parampred: bf16 precision unavailable (the CPU lacks AVX512-BF16); using fp32']);
  assert.throws(() => setPrecision('fp16'), /expected precision to be one of "fp32", "bf16", got "fp16"/);
});

test('forcing a pre-bf16 ISA (DNNL_MAX_CPU_ISA=AVX512_CORE) makes detection refuse bf16 and training run in fp32', { skip: !addon && 'addon not built' }, () => {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const code = `
    import * as tf from '@tensorflow/tfjs';
    import { useNativeBackend } from '${here}register.ts';
    import { getPrecision, bf16Support } from '${here}precision.ts';
    import { loadAddon } from '${here}binding.ts';
    await useNativeBackend({ precision: 'bf16' });
    const y = tf.matMul(tf.ones([8, 64]), tf.ones([64, 8])).dataSync()[0];
    console.log(JSON.stringify({ p: getPrecision(), s: bf16Support(loadAddon()), y }));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    env: { ...process.env, DNNL_MAX_CPU_ISA: 'AVX512_CORE', PARAMPRED_PRECISION: '' }, encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { p: string; s: { ok: boolean; isa: string; reason: string }; y: number };
  // the cap lowers an AVX-512 machine to avx512_core; a machine below it (e.g. an AVX2-only CPU) keeps its own
  // ISA; a CPU without AVX512-BF16 is refused for that in the first place
  const own = support!.isa;
  const belowCap = !own.startsWith('avx512');
  assert.equal(out.s.ok, false);
  assert.equal(out.s.isa, belowCap ? own : 'avx512_core');
  assert.equal(out.p, 'fp32');
  assert.equal(out.y, 64);
  assert.equal(r.stderr.match(/bf16 precision unavailable/g)?.length, 1, r.stderr);
  assert.match(r.stderr, support!.reason.startsWith('the CPU lacks') ? /the CPU lacks AVX512-BF16/ : /oneDNN's ISA is avx512_core/);
});

test('run.json records the precision the products ran in: bf16 only while it is active, fp32 after', { skip }, async () => {
  assert.equal(await inBf16(() => versions().precision), 'bf16');
  assert.equal(versions().precision, 'fp32');
  // a forced fallback (no bf16 support) records fp32, not the asked-for bf16
  setPrecision('bf16', { quiet: true, support: { ok: false, isa: 'test', matmulImpl: 'test', reason: 'forced' } });
  assert.equal(versions().precision, 'fp32');
});
