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
import type { Claim } from './node/reproduce/summary.js';

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

/**
 * Where the README names a claim of results/claims.json (`id` in backticks), the text around the name must
 * show that claim's committed value, and its sd where it has one, to the README's 1–3 decimals (an accuracy
 * claim may be shown as its error, 100 − value), so that a re-run that moves a claim cannot leave the README
 * telling the old number. Returns one message per claim that does not; ids not in claims.json are not claims.
 */
export function staleClaims(md: string, claims: readonly Claim[]): string[] {
  const byId = new Map(claims.map((c) => [c.id, c]));
  const shown = (x: number, text: string) => [1, 2, 3].some((d) => text.includes(Math.abs(x).toFixed(d)));
  const out: string[] = [];
  for (const m of md.matchAll(/`([a-z0-9][a-z0-9_-]*(?:\.[a-z0-9_.-]+){2,})`/g)) {
    const c = byId.get(m[1]);
    if (!c || c.value === null) continue;
    const line = md.slice(0, m.index).split('\n').length;
    const near = md.slice(Math.max(0, m.index - 300), m.index + m[0].length + 120);
    const values = c.unit.startsWith('%') && c.id.endsWith('accuracy') ? [c.value, 100 - c.value] : [c.value];
    if (!values.some((v) => shown(v, near))) out.push(`README.md:${line}: \`${c.id}\` is ${c.value} in results/claims.json, not shown beside it`);
    else if (c.sd !== null && ![1, 2, 3].some((d) => near.includes(`± ${c.sd!.toFixed(d)}`))) out.push(`README.md:${line}: \`${c.id}\` has sd ${c.sd} in results/claims.json, not shown beside it`);
  }
  return out;
}

test('staleClaims: a claim shown with another value or without its sd is named; an accuracy may be shown as its error', () => {
  const c = (id: string, value: number, sd: number | null, unit = '% test accuracy'): Claim => ({ id, description: '', value, sd, n_seeds: 3, unit, dataset: 'd', command: 'c' });
  const claims = [c('a.b.test_accuracy', 77.597, 0.702), c('a.b.speedup', 2.94, null, '×'), c('a.c.test_accuracy', 81.02, 0.19)];
  assert.deepEqual(staleClaims('**77.60 ± 0.70 %** | `a.b.test_accuracy`\n\n**2.94×** (`a.b.speedup`)\n\n**18.98 ± 0.19** (error) `a.c.test_accuracy`', claims), []);
  assert.deepEqual(staleClaims('**77.40 ± 0.70 %** | `a.b.test_accuracy`', claims), ['README.md:1: `a.b.test_accuracy` is 77.597 in results/claims.json, not shown beside it']);
  assert.deepEqual(staleClaims('x\n**77.60 %** | `a.b.test_accuracy`', claims), ['README.md:2: `a.b.test_accuracy` has sd 0.702 in results/claims.json, not shown beside it']);
  assert.deepEqual(staleClaims('`tf.train.adam` and `x.y.z`', claims), []);
});

test("every claim the README names shows results/claims.json's value and sd", () => {
  const claims = JSON.parse(readFileSync(join(root, 'results', 'claims.json'), 'utf8')) as Claim[];
  const md = readFileSync(join(root, 'README.md'), 'utf8');
  assert.ok((md.match(/`[a-z]+\.[a-z0-9_.-]+_(?:accuracy|error|pp|1pp)`/g) ?? []).length >= 10, 'expected the README to name its claims');
  assert.deepEqual(staleClaims(md, claims), []);
});
