/**
 * `parampred demo [--epochs N] [--train N] [--fresh] [--out DIR] [--data-dir DIR]` (`npm start`): the full
 * MLP vs the 10-column se-emp MLP with 95 % of its first two layers predicted, in minutes.
 */
import type { Command } from 'commander';
import { reportingInputErrors } from '../errors.js';

interface DemoFlags {
  epochs: string;
  train: string;
  fresh?: boolean;
  out?: string;
  dataDir?: string;
  progress?: string;
}

export default function register(program: Command): void {
  program
    .command('demo')
    .description('train the full MNIST MLP and one with 95 % of its first two layers predicted (10 columns); print both test errors and write Fig. 1-style pictures')
    .option('--epochs <n>', 'epochs per run (2 took 12 s for both runs here, 2 cores)', '15')
    .option('--train <n>', 'training images (the last 5000 of the 60k validate)', '50000')
    .option('--fresh', 'retrain instead of reusing finished runs in the output folder')
    .option('--out <dir>', 'output folder', 'runs/demo')
    .option('--data-dir <dir>', 'dataset folder (default $PARAMPRED_DATA, else ./data)')
    .option('--progress <mode>', 'bar, lines or none (default: bar on a terminal)')
    .action(async (flags: DemoFlags) => {
      const { ParampredError } = await import('../../core/errors.js');
      await reportingInputErrors(async () => {
        if (flags.progress && !['bar', 'lines', 'none'].includes(flags.progress)) throw new ParampredError('parampred demo', `expected --progress to be one of "bar", "lines", "none", got ${JSON.stringify(flags.progress)}`);
        const { runDemo } = await import('../../node/reproduce/index.js');
        await runDemo({ epochs: Number(flags.epochs), train: Number(flags.train), fresh: flags.fresh, outDir: flags.out, dataDir: flags.dataDir, progress: flags.progress as 'bar' | 'lines' | 'none' | undefined });
      });
    });
}
