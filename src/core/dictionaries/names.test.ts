/** The registry's name union reaches the public types (a typo is a compile error) while JSON names are still checked at run time. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dictionaries, dictionaryMethod, dictionaryNameSchema, isDictionaryName, type DictionarySpec } from './index.js';
import type { DictionarySpecLike } from '../layers/columns.js';

test('isDictionaryName is true exactly for the registry keys', () => {
  for (const k of Object.keys(dictionaries)) assert.equal(isDictionaryName(k), true, k);
  for (const v of ['nope', 'SE', '', 'toString', 'constructor', 3, null, undefined]) assert.equal(isDictionaryName(v), false, String(v));
});

test('the JSON schema takes any non-empty string; the registry check names the known methods', () => {
  assert.equal(dictionaryNameSchema.parse('se'), 'se');
  const typo = dictionaryNameSchema.parse('sse');
  assert.throws(() => dictionaryMethod(typo, 'f'), /f: expected dictionary method to be one of "rand", .*got "sse"/);
  assert.equal(dictionaryNameSchema.safeParse('').success, false);
  assert.equal(dictionaryNameSchema.safeParse(3).success, false);
});

test('a misspelt method is a compile error in the public spec types', () => {
  const ok: DictionarySpecLike = { method: 'se', lengthScale: 2 };
  // @ts-expect-error: 'sse' is not a registered dictionary method
  const bad: DictionarySpec = { method: 'sse' };
  assert.equal(ok.method, 'se');
  assert.equal(isDictionaryName(bad.method), false);
});
