import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const main = join(dirname(fileURLToPath(import.meta.url)), 'main.ts');

test('parampred --help promises only commands that exist', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', main, '--help'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const listed = [...r.stdout.split('Commands:')[1].matchAll(/^ {2}([a-z][\w-]*)/gm)].map((m) => m[1]);
  for (const c of ['run', 'experiments', 'reproduce', 'demo', 'bench', 'data']) assert.ok(listed.includes(c), `${c} in ${listed}`);
  // the description names compression only when the command is there
  assert.equal(/compress/i.test(r.stdout.split('Options:')[0]), listed.includes('compress'));
});
