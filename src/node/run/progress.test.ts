import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fmtSeconds } from './progress.js';

test('fmtSeconds: rounds once, then splits into minutes and seconds (never "m60s"); decimals under a minute', () => {
  assert.equal(fmtSeconds(4139.6), '69m00s'); // printed "68m60s" before
  assert.equal(fmtSeconds(65), '1m05s');
  assert.equal(fmtSeconds(42.4), '42s');
  assert.equal(fmtSeconds(59.6), '1m00s');
  assert.equal(fmtSeconds(42.44, 1), '42.4s');
  assert.equal(fmtSeconds(59.96, 1), '1m00s');
  assert.equal(fmtSeconds(119.6, 1), '2m00s');
  assert.equal(fmtSeconds(Number.NaN), '?');
  assert.equal(fmtSeconds(Infinity), '?');
});
