import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkExperiment, defineExperiment } from '../../core/experiments/index.js';
import { experimentNames, experiments, getExperiment } from './index.js';

const here = dirname(fileURLToPath(import.meta.url));

test('every experiment file is registered under its file name, and file name = experiment name', () => {
  const files = readdirSync(here).filter((f) => f.endsWith('.ts') && f !== 'index.ts' && !f.endsWith('.test.ts')).map((f) => f.slice(0, -3)).sort();
  assert.deepEqual([...experimentNames].sort(), files);
  for (const [key, exp] of Object.entries(experiments)) assert.equal(exp.name, key);
});

test('every experiment is a fixed point of defineExperiment and passes checkExperiment', () => {
  for (const exp of Object.values(experiments)) {
    assert.deepEqual(defineExperiment(JSON.parse(JSON.stringify(exp))), exp);
    checkExperiment(exp);
  }
});

test('every literal in an experiment file carries a reason (a trailing comment)', () => {
  for (const name of experimentNames) {
    const src = readFileSync(join(here, `${name}.ts`), 'utf8');
    const body = src.slice(src.indexOf('defineExperiment({'));
    for (const line of body.split('\n')) {
      // a line setting a key to a literal: number, string, boolean, null, or an array of numbers
      if (/^\s*[\w']+:\s*(-?[\d.e-]+|'[^']*'|true|false|null|\[[\d.,\s]*\])\s*,?\s*(\/\/.*)?$/.test(line) && !/^\s*(name|why):/.test(line)) {
        assert.match(line, /\/\/ \S/, `${name}.ts: literal without a reason: ${line.trim()}`);
      }
    }
  }
});

test('mnist-mlp-downsized learns as many parameters as mnist-mlp-se-emp (within 1 %)', () => {
  const se = getExperiment('mnist-mlp-se-emp');
  const ds = getExperiment('mnist-mlp-downsized');
  assert.ok(se.model.kind === 'mlp' && ds.model.kind === 'mlp');
  // reference count from the spec: Σ n_α·n_h/J·J (V) + biases + softmax
  let nIn = 784;
  let learned = 0;
  se.model.hidden.forEach((h, i) => {
    const l = se.model.kind === 'mlp' ? se.model.layers[i] : null;
    learned += (l ? Math.round(l.fraction * nIn) * h : nIn * h) + h;
    nIn = h;
  });
  learned += nIn * 10 + 10;
  let dense = 0;
  nIn = 784;
  for (const h of ds.model.hidden) {
    dense += nIn * h + h;
    nIn = h;
  }
  dense += nIn * 10 + 10;
  assert.ok(Math.abs(dense - learned) / learned < 0.01, `${dense} vs ${learned}`);
});

test('getExperiment lists the known names', () => {
  assert.throws(() => getExperiment('nope'), /getExperiment: expected experiment to be one of "smoke", .*got "nope"/);
});
