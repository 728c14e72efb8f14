import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAddon } from './binding.js';
import { packageRoot } from '../package_root.js';

// oneDNN's JIT GEMM kernels (before oneDNN 3.12) move rsp into the heap while they run, so a signal handled
// on that thread writes its frame over heap memory (oneDNN issue #4845). The addon holds asynchronous
// signals back during its calls (native/src/addon.cc). Without that, this child process aborted with
// "corrupted size vs. prev_size" here (AVX2: matmul is gemm:jit; sgemm is the JIT GEMM on every ISA).
const child = (addon: string) => `
const a = require(${JSON.stringify(addon)});
const M = 100, K = 1024, N = 500;
const A = new Float32Array(M * K).fill(0.5), B = new Float32Array(K * N).fill(0.25), C = new Float32Array(M * N);
for (let r = 0; r < 150; r++) {
  if (!a.matmul(false, false, M, N, K, A, B, C, null, 0, 0)) throw new Error('matmul unsupported');
  a.sgemm(false, false, M, N, K, 1, A, K, B, N, 0, C, N);
  if (Math.abs(C[M * N - 1] - K * 0.125) > 1e-3) throw new Error('wrong product ' + C[M * N - 1]);
  if (r % 10 === 0) Array.from({ length: 500 }, (_, i) => new Float64Array(i % 200)); // heap traffic
}
console.log('ok');
`;

test('native kernels survive signals while they run: 300 GEMMs under the V8 CPU profiler (SIGPROF at 100 µs)', { skip: loadAddon() === null ? 'native addon not built' : false }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'pp-signals-'));
  try {
    const addon = join(packageRoot(), 'native', 'build', 'Release', 'parampred_native.node');
    const r = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '100', '-e', child(addon)], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, OMP_NUM_THREADS: '1' } });
    assert.equal(r.signal, null, `child killed by ${r.signal}: ${r.stderr.slice(-300)}`);
    assert.equal(r.status, 0, r.stderr.slice(-300));
    assert.equal(r.stdout.trim(), 'ok');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
