import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { spinCount } from './register.js';
import { peerEnv } from '../bench/peer.js';

test('PARAMPRED_SPIN parses to a non-negative integer count, anything else to the default', () => {
  assert.equal(spinCount('0'), 0);
  assert.equal(spinCount('5000'), 5000);
  for (const bad of [undefined, '', ' ', '-1', '2.5', 'many']) assert.equal(spinCount(bad), 100000, `${bad}`);
});

/** GOMP_SPINCOUNT as a fresh process sees it after registering the backend, with `env` added. */
function spinAfterRegister(env: Record<string, string>): string | null {
  const base = { ...process.env };
  for (const k of ['OMP_WAIT_POLICY', 'GOMP_SPINCOUNT', 'PARAMPRED_SPIN']) delete base[k];
  const code = "const m = await import('./src/node/backend/register.ts'); m.registerNativeBackend({ quiet: true }); console.log(JSON.stringify(process.env.GOMP_SPINCOUNT ?? null));";
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { env: { ...base, ...env }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as string | null;
}

test('registering sets a bounded OpenMP spin unless the user chose a wait policy', () => {
  assert.equal(spinAfterRegister({}), '100000');
  assert.equal(spinAfterRegister({ PARAMPRED_SPIN: '2000' }), '2000');
  assert.equal(spinAfterRegister({ OMP_WAIT_POLICY: 'passive' }), null);
  assert.equal(spinAfterRegister({ GOMP_SPINCOUNT: '77' }), '77');
});

test('the PyTorch peer runs without our OpenMP settings, under its own', () => {
  const saved = { ...process.env };
  try {
    process.env.GOMP_SPINCOUNT = '100000';
    process.env.OMP_WAIT_POLICY = 'active';
    const d = peerEnv('default'), p = peerEnv('passive');
    assert.equal(d.GOMP_SPINCOUNT, undefined);
    assert.equal(d.OMP_WAIT_POLICY, undefined);
    assert.equal(p.GOMP_SPINCOUNT, undefined);
    assert.equal(p.OMP_WAIT_POLICY, 'PASSIVE');
    assert.equal(d.OPENBLAS_CORETYPE, 'Cooperlake');
  } finally {
    process.env = saved;
  }
});
