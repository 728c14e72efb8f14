import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { positiveIntFlag } from './errors.js';

const main = join(dirname(fileURLToPath(import.meta.url)), 'main.ts');

test('parampred --help promises only commands that exist', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', main, '--help'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const listed = [...r.stdout.split('Commands:')[1].matchAll(/^ {2}([a-z][\w-]*)/gm)].map((m) => m[1]);
  for (const c of ['run', 'experiments', 'reproduce', 'demo', 'bench', 'data']) assert.ok(listed.includes(c), `${c} in ${listed}`);
  // the description names compression only when the command is there
  assert.equal(/compress/i.test(r.stdout.split('Options:')[0]), listed.includes('compress'));
});

test('reproduce refuses a worker count that is not a positive integer, naming the flag (it used to fall back to 1)', () => {
  for (const [flag, value] of [['--jobs', '0'], ['--worker-of', 'two'], ['--worker-of', '0']]) {
    const args = flag === '--worker-of' ? ['--worker', flag, value] : [flag, value];
    const r = spawnSync(process.execPath, ['--import', 'tsx', main, 'reproduce', 'cifar', '--preset', 'quick', ...args], { encoding: 'utf8', env: { ...process.env, PARAMPRED_DATA: '/nonexistent' } });
    assert.notEqual(r.status, 0, `${flag} ${value}: ${r.stdout}`);
    assert.match(r.stderr, new RegExp(`expected ${flag} a positive integer, got "${value}"`), `${flag} ${value}`);
  }
});

test('a positive-integer flag (--jobs, --seeds, --repeats, --finetune …) refuses zero, fractions, words and blanks, naming the flag', () => {
  assert.equal(positiveIntFlag('parampred x', '--seeds', undefined), undefined);
  assert.equal(positiveIntFlag('parampred x', '--seeds', '4'), 4);
  for (const raw of ['0', '-3', '1.5', 'two', '', ' ', 'NaN', 'Infinity']) {
    assert.throws(() => positiveIntFlag('parampred x', '--seeds', raw), (e: Error) => e.message.includes(`expected --seeds a positive integer, got ${JSON.stringify(raw)}`), JSON.stringify(raw));
  }
  assert.throws(() => positiveIntFlag('parampred x', '--finetune', '0', 'epochs'), /expected --finetune a positive integer \(epochs\), got "0"/);
  // and through a command: `run` with --seeds 1.5 ends with the error, not a run
  const r = spawnSync(process.execPath, ['--import', 'tsx', main, 'run', 'mnist-mlp-full', '--seeds', '1.5'], { encoding: 'utf8', env: { ...process.env, PARAMPRED_DATA: '/nonexistent' } });
  assert.equal(r.status, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /expected --seeds a positive integer, got "1.5"/);
});
