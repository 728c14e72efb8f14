import { test } from 'node:test';
import assert from 'node:assert/strict';
import { benchCifarNets } from './cifar_nets.js';
import { cifarDownsizedWidths } from '../experiments/cifar-convnet-downsized.js';

test('bench cifar: the reproduction\'s nets as built (learned parameters by formula), one JSON line, unknown ids named', async () => {
  await assert.rejects(benchCifarNets({ points: ['full', 'se-f0.3000'] }), /point id of the CIFAR full preset to be one of .*"se-f0\.5000".*got "se-f0\.3000"/);
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((c: string | Uint8Array) => (chunks.push(String(c)), true)) as typeof process.stdout.write;
  let r;
  try {
    r = await benchCifarNets({ json: true, steps: 1, points: ['downsized-f0.1000'] });
  } finally {
    process.stdout.write = write;
  }
  assert.deepEqual(JSON.parse(chunks.join('').trim()), JSON.parse(JSON.stringify(r)));
  const [row] = r.rows;
  // the 90 %-predicted point's downsized net: convs 8×8×3, 8×8, 5×5 ('same', three 2×2 pools: a 4×4 grid), dense, softmax 10
  const { filters: [a, b, c], units } = cifarDownsizedWidths(0.1);
  const byFormula = 64 * 3 * a + a + 64 * a * b + b + 25 * b * c + c + 16 * c * units + units + units * 10 + 10;
  assert.equal(row.point, 'downsized-f0.1000');
  assert.equal(row.learned, byFormula);
  assert.ok(row.stepMs > 0 && Math.abs(row.epochSeconds - (row.stepMs * 450) / 1000) < 1e-9);
  assert.ok(Number.isNaN(row.ratioToFull), 'no full net timed: no ratio');
});

test('bench cifar --precision: bf16 refused with the reason where the backend or CPU lacks it; fp32 rows carry no bf16 ratio', async () => {
  const tf = await import('@tensorflow/tfjs');
  const before = tf.getBackend();
  await tf.setBackend('cpu');
  try {
    await assert.rejects(benchCifarNets({ steps: 1, points: ['downsized-f0.1000'], precisions: ['bf16'] }), /native backend with bf16 for --precision bf16.*got .*cpu/s);
  } finally {
    await tf.setBackend(before);
  }
  const r = await benchCifarNets({ json: false, steps: 1, points: ['downsized-f0.1000'], precisions: ['fp32'] });
  assert.equal(r.rows[0].precision, 'fp32');
  assert.equal(r.rows[0].ratioToFp32, null);
  assert.equal(r.bf16Conv, null);
});
