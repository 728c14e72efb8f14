import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withoutJobs, workerThreads } from './jobs.js';

test('the workers\' command line: the parent\'s without --jobs (either spelling), everything else kept in order', () => {
  assert.deepEqual(withoutJobs(['reproduce', 'cifar', '--jobs', '2', '--preset', 'full', '--jobs=3', '--resume']), ['reproduce', 'cifar', '--preset', 'full', '--resume']);
  assert.deepEqual(withoutJobs(['reproduce', 'mnist', '--points', 'a,b']), ['reproduce', 'mnist', '--points', 'a,b']);
});

test('the workers\' threads: PARAMPRED_THREADS when set, else the cores shared out, at least one each', () => {
  assert.equal(workerThreads(2, {}, 2), '1');
  assert.equal(workerThreads(2, {}, 8), '4');
  assert.equal(workerThreads(3, {}, 8), '2');
  assert.equal(workerThreads(4, {}, 2), '1');
  assert.equal(workerThreads(2, { PARAMPRED_THREADS: '3' }, 2), '3');
});
