/**
 * Test helper (run as a child process by runner.test.ts): trains the `smoke` experiment for 4 epochs
 * into argv[2]. argv[3] = 'full' | 'pause' | 'resume'. With 'pause' it prints "paused" in the middle of
 * epoch 2 (after the epoch-1 checkpoint exists) and waits, so that the parent can kill -9 it there.
 */
import { applyOverrides } from '../../core/experiments/index.js';
import { getExperiment } from '../experiments/index.js';
import { runExperiment } from './runner.js';

const [outDir, mode] = process.argv.slice(2);
const exp = applyOverrides(getExperiment('smoke'), ['epochs=4', 'earlyStopping={"patience":2}']);
await runExperiment(exp, {
  outDir,
  resume: mode === 'resume',
  progress: 'none',
  figures: false,
  onProgress: async (e) => {
    if (mode === 'pause' && e.kind === 'step' && e.epoch === 1 && e.batch === 7) {
      process.stdout.write('paused\n');
      await new Promise((r) => setTimeout(r, 60_000));
    }
  },
});
process.stdout.write('done\n');
