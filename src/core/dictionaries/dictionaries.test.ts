import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDictionary, dictionaries, dictionaryNames, resolveDictionaryOptions, type DictionarySpec } from './index.js';
import { gridCoords } from '../geometry.js';
import { rng } from '../rng.js';
import { sampleAlpha } from '../samplers/index.js';
import { correlatedData, toData } from './test_reference.js';

const coords = gridCoords(4, 4);
const data = toData(correlatedData(60, 16, 4, 1));
const alpha = sampleAlpha(undefined, 16, 5, rng(1));

test('every registered dictionary builds U of shape n_v × n_α with finite entries', () => {
  for (const name of dictionaryNames) {
    const d = buildDictionary({ method: name }, { nIn: 16, alpha, coords, data, rng: rng(2).fork(name) });
    assert.equal(d.nIn, 16, name);
    assert.equal(d.nAlpha, 5, name);
    assert.equal(d.u.length, 16 * 5, name);
    assert.ok(d.u.every(Number.isFinite), `${name}: finite`);
    assert.ok(d.u.some((v) => v !== 0), `${name}: not all zero`);
  }
});

test('every method has a summary, and options that parse {} to defaults', () => {
  for (const name of dictionaryNames) {
    const m = dictionaries[name];
    assert.equal(m.name, name);
    assert.ok(m.summary.length > 10, name);
    assert.doesNotThrow(() => resolveDictionaryOptions({ method: name }), name);
  }
  assert.equal(dictionaries.lowrank.trainable, true);
  assert.deepEqual(dictionaryNames.filter((n) => dictionaries[n].trainable), ['lowrank']);
  assert.deepEqual(resolveDictionaryOptions({ method: 'se' }), { lambda: 0.1, lengthScale: 'auto', lengthScaleFactor: 0.8, variant: 'ridge' });
  assert.deepEqual(resolveDictionaryOptions({ method: 'emp2' }), { lambdaRel: 0.001, kernel: 'cov-of-squares' });
});

test('builds are seeded-deterministic', () => {
  for (const name of ['rand', 'lowrank', 'kmeans', 'ae', 'se'] as const) {
    const a = buildDictionary({ method: name }, { nIn: 16, alpha, coords, data, rng: rng(3) });
    const b = buildDictionary({ method: name }, { nIn: 16, alpha, coords, data, rng: rng(3) });
    assert.deepEqual(a.u, b.u, name);
  }
});

test('errors name the function and what was expected', () => {
  const input = { nIn: 16, alpha, coords, data, rng: rng(1) };
  assert.throws(() => buildDictionary({ method: 'nope' } as unknown as DictionarySpec, input), /buildDictionary: expected dictionary method to be one of "rand", "randcon", "se", .*"dct", got "nope"/);
  for (const name of ['emp', 'emp2', 'ae', 'kmeans', 'pca'] as const) {
    assert.throws(() => buildDictionary({ method: name }, { ...input, data: undefined }), new RegExp(`buildDictionary: expected a data sample for data-driven dictionary '${name}', got none`));
  }
  for (const name of ['se', 'dct'] as const) {
    assert.throws(() => buildDictionary({ method: name }, { ...input, coords: undefined }), new RegExp(`expected input coordinates for dictionary '${name}', got none`));
  }
  const bad = { ...data, values: Float32Array.from(data.values) };
  bad.values[3 * 16 + 7] = NaN;
  assert.throws(() => buildDictionary({ method: 'emp' }, { ...input, data: bad }), /expected finite data, got NaN at row 3, column 7/);
  // a caller that checked the sample itself (a predicted layer, once for all its columns) skips the scan; shapes are still checked
  assert.doesNotThrow(() => buildDictionary({ method: 'rand' }, { ...input, data: bad }, 'b', { trustedData: true }));
  assert.throws(() => buildDictionary({ method: 'emp' }, { ...input, data: { ...bad, rows: 5 } }, 'b', { trustedData: true }), /b: expected data values of length rows·cols/);
  assert.throws(() => buildDictionary({ method: 'rand' }, { ...input, alpha: Int32Array.from({ length: 17 }, (_, i) => i) }), /buildDictionary: expected between 1 and nIn=16 sampled units α, got 17/);
  assert.throws(() => buildDictionary({ method: 'se', lengthScale: -1 }, input), /buildDictionary: expected valid options for dictionary 'se': lengthScale: /);
  assert.throws(() => buildDictionary({ method: 'emp2', kernel: 'cube' }, input), /expected valid options for dictionary 'emp2': kernel: /);
  assert.throws(() => buildDictionary({ method: 'pca', whiten: true }, input), /expected valid options for dictionary 'pca': \(options\): .*whiten/);
  assert.throws(() => buildDictionary({ method: 'emp' }, { ...input, data: toData(correlatedData(60, 15, 4, 1)) }), /expected data with 16 columns, got 15/);
  assert.throws(() => buildDictionary({ method: 'se' }, { ...input, coords: gridCoords(3, 5) }), /expected coordinates for nIn=16 units, got 15/);
});
