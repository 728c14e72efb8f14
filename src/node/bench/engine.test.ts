import { test } from 'node:test';
import assert from 'node:assert/strict';
import { benchEngine } from './engine.js';

test('bench engine --json (quick, no peer) prints exactly one JSON object with positive figures', async () => {
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((c: string | Uint8Array) => (chunks.push(String(c)), true)) as typeof process.stdout.write;
  let r;
  try {
    r = await benchEngine({ json: true, quick: true, peer: false });
  } finally {
    process.stdout.write = write;
  }
  const out = chunks.join('').trim();
  assert.equal(out.split('\n').length, 1, `one line on stdout, got: ${out.slice(0, 200)}`);
  const j = JSON.parse(out) as typeof r;
  assert.deepEqual(j, JSON.parse(JSON.stringify(r)));
  for (const k of ['gemm_gflops', 'mlp_step_ms', 'conv_step_ms', 'ratio_mlp', 'ratio_conv', 'threads', 'machine', 'fused_training']) assert.ok(k in j, `key ${k}`);
  for (const v of [j.gemm_gflops['512x784x500'], j.gemm_gflops['1024x1024x1024'], j.mlp_step_ms.parampred, j.mlp_step_ms.tfjs_cpu, j.mlp_step_ms.tfjs_layers,
    j.conv_step_ms.parampred, j.mlp_adam_step_ms.parampred, j.threads]) assert.ok(Number.isFinite(v) && v > 0, `positive: ${v}`);
  assert.equal(j.mlp_step_ms.pytorch, null);
  assert.equal(j.ratio_mlp, null);
  assert.equal(j.ratio_conv, null);
  assert.match(j.notes.join(' '), /PyTorch peer skipped/);
  assert.ok(j.machine.length > 0);
  // bf16 rows where the CPU has bf16 (precision.ts), else the reason; never a silent gap.
  assert.equal(typeof j.bf16.available, 'boolean');
  assert.ok(j.bf16.isa.length > 0);
  if (j.bf16.available) {
    for (const v of [j.bf16.gemm_gflops!['512x784x500'].bf16, j.bf16.gemm_gflops!['1024x1024x1024'].bf16, j.bf16.mlp_step_ms!, j.bf16.mlp_adam_step_ms!, j.bf16.conv_step_ms!, j.bf16.ratio_mlp!, j.bf16.ratio_conv!]) {
      assert.ok(Number.isFinite(v) && v > 0, `positive bf16 figure: ${v}`);
    }
    assert.match(j.bf16.matmul_impl, /bf16/);
    assert.equal(j.gemm_gflops['512x784x500'], j.bf16.gemm_gflops!['512x784x500'].fp32);
  } else {
    assert.ok(j.bf16.reason.length > 0);
    assert.equal(j.bf16.mlp_step_ms, null);
  }
});
