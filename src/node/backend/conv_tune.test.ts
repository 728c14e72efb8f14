import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConvPrecisionTuner, TUNE_TRIALS, setBf16ConvPolicy, bf16ConvPolicy, shapeLabel } from './conv_tune.js';

/** A tuner on a fake clock, and a fake kernel whose call takes `ms(bf16, call)` fake milliseconds. */
function fake(ms: (bf16: boolean, call: number) => number, ok: (bf16: boolean) => boolean = () => true) {
  let t = 0, call = 0;
  const tuner = new ConvPrecisionTuner(() => t);
  const calls: boolean[] = [];
  const run = (bf16: boolean) => {
    calls.push(bf16);
    if (!ok(bf16)) return false;
    t += ms(bf16, call++);
    return true;
  };
  return { tuner, run, calls };
}
const P = [64, 12, 12, 48, 5, 5, 64, 8, 8, 1, 1, 1, 1, 0, 0, 0, 0, 1];

test('auto: alternates precisions, ignores each one\'s first (compiling) call, then keeps the faster', () => {
  // bf16 is faster except on its first call, which is very slow (primitive creation).
  const f = fake((bf16, call) => (call === 0 ? 1000 : bf16 ? 1 : 3));
  const n = 2 + 2 * TUNE_TRIALS;
  for (let i = 0; i < n + 4; i++) assert.equal(f.tuner.run('backwardWeights', P, f.run), true);
  assert.deepEqual(f.calls.slice(0, n), Array.from({ length: n }, (_, i) => i % 2 === 0));
  assert.deepEqual(f.calls.slice(n), [true, true, true, true]);
  const [c] = f.tuner.choices();
  assert.equal(c.choice, 'bf16');
  assert.equal(c.bf16_ms, 1);
  assert.equal(c.fp32_ms, 3);
  assert.equal(c.shape, shapeLabel(P));
  assert.equal(c.shape, '64×12×12×48 → 5×5×64, 8×8');
});

test('auto: fp32 wins when it is faster; passes and shapes are tuned separately', () => {
  const f = fake((bf16) => (bf16 ? 5 : 2));
  const Q = P.map((v, i) => (i === 0 ? 32 : v));
  for (let i = 0; i < 12; i++) {
    f.tuner.run('forward', P, f.run);
    f.tuner.run('forward', Q, f.run);
    f.tuner.run('backwardData', P, f.run);
  }
  const ch = f.tuner.choices();
  assert.equal(ch.length, 3);
  for (const c of ch) assert.equal(c.choice, 'fp32');
  assert.deepEqual(f.calls.slice(-3), [false, false, false]);
});

test('auto: a case oneDNN declines in bf16 runs in fp32 at once and stays there; declined in both, it reports false', () => {
  const f = fake(() => 1, (bf16) => !bf16);
  assert.equal(f.tuner.run('forward', P, f.run), true);
  assert.deepEqual(f.calls, [true, false]);
  assert.equal(f.tuner.run('forward', P, f.run), true);
  assert.deepEqual(f.calls, [true, false, false]);
  const [c] = f.tuner.choices();
  assert.equal(c.choice, 'fp32');
  assert.equal(c.bf16_unsupported, true);
  const g = fake(() => 1, () => false);
  g.tuner.run('forward', P, g.run); // bf16 declined → fp32 for good
  assert.equal(g.tuner.run('forward', P, g.run), false);
});

test('policy names are checked', () => {
  const before = bf16ConvPolicy();
  assert.equal(setBf16ConvPolicy('all'), 'all');
  assert.throws(() => setBf16ConvPolicy('fast'), /policy.*"auto".*got "fast"/s);
  setBf16ConvPolicy(before);
});
