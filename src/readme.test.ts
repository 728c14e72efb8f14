/**
 * The README's TypeScript examples, taken from README.md itself so that they cannot drift (issue 11):
 * every ```ts block is a whole module; each is type-checked (tsc, this repository's strict settings)
 * and run, with 'parampred' and 'parampred/node' pointing at src/ (the package's exports map them to
 * the same modules built into dist/).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { packageRoot } from './node/package_root.js';

const root = packageRoot();

interface Block { line: number; code: string }

/** The ```ts blocks of a markdown text, with the line of their opening fence. */
export function tsBlocks(md: string): Block[] {
  const out: Block[] = [];
  const lines = md.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== '```ts') continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i].trim() !== '```'; i++) body.push(lines[i]);
    assert.ok(i < lines.length, `README.md:${start + 1}: expected a closing fence`);
    out.push({ line: start + 1, code: body.join('\n') });
  }
  return out;
}

test('tsBlocks finds fenced ts blocks only', () => {
  assert.deepEqual(tsBlocks('x\n```ts\na\nb\n```\n```sh\nc\n```\n```ts\nd\n```'), [{ line: 2, code: 'a\nb' }, { line: 9, code: 'd' }]);
});

test("the README's TypeScript examples type-check and run", () => {
  const blocks = tsBlocks(readFileSync(join(root, 'README.md'), 'utf8'));
  assert.ok(blocks.length >= 4, `expected the README's examples, found ${blocks.length} ts blocks`);
  // Inside the repository, so that '@tensorflow/tfjs' resolves from its node_modules as in a user's project.
  const dir = join(root, 'node_modules', '.cache', `parampred-readme-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  try {
    const spec = (p: string) => relative(dir, join(root, p)).split('\\').join('/');
    const files = blocks.map((b, k) => {
      for (const m of b.code.matchAll(/from '([^']+)'|import '([^']+)'/g)) {
        const name = m[1] ?? m[2];
        assert.ok(['parampred', 'parampred/node', '@tensorflow/tfjs'].includes(name), `README.md:${b.line}: unexpected import '${name}'`);
      }
      const code = b.code
        .replace(/'parampred\/node'/g, `'${spec('src/node/index.js')}'`)
        .replace(/'parampred'/g, `'${spec('src/core/index.js')}'`);
      const f = `block${k}_line${b.line}.mts`;
      writeFileSync(join(dir, f), `// README.md:${b.line}\n${code}\nexport {};\n`);
      return f;
    });
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      extends: relative(dir, join(root, 'tsconfig.json')),
      compilerOptions: { noEmit: true, rootDir: relative(dir, root), sourceMap: false, declaration: false },
      include: [], files,
    }));
    const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], { encoding: 'utf8' });
    assert.equal(tsc.status, 0, `expected the README's examples to type-check:\n${tsc.stdout}${tsc.stderr}`);
    // Run them in order, in one process (each a module, as a user would write them).
    writeFileSync(join(dir, 'run.mjs'), files.map((f) => `console.log('## ${f}'); await import('./${f}');`).join('\n') + '\n');
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(dir, 'run.mjs')], { cwd: root, encoding: 'utf8' });
    assert.equal(run.status, 0, `expected the README's examples to run:\n${run.stdout}${run.stderr}`);
    assert.equal((run.stdout.match(/^## /gm) ?? []).length, files.length, run.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
