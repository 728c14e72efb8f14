/**
 * `parampred run <experiment> [--set k=v …] [--seeds N] [--out DIR] [--resume] [--data-dir DIR]` and
 * `parampred experiments`. Exit codes: 0 ok, 2 bad input, 3 diverged.
 */
import type { Command } from 'commander';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

interface RunFlags {
  set: string[];
  seeds?: string;
  out?: string;
  resume?: boolean;
  dataDir?: string;
  list?: boolean;
  progress?: 'bar' | 'lines' | 'none';
}

async function listExperiments(): Promise<void> {
  const { experiments } = await import('../../node/experiments/index.js');
  for (const [name, exp] of Object.entries(experiments)) console.log(`${name.padEnd(24)} ${exp.why}`);
}

export default function register(program: Command): void {
  program
    .command('experiments')
    .description('list the named experiments')
    .action(listExperiments);
  program
    .command('run')
    .description('train a named experiment (one run directory per seed, resumable)')
    .argument('[experiment]', 'experiment name (see `parampred experiments`)')
    .option('--set <key=value>', 'override a field of the experiment (repeatable), e.g. --set optimizer.lr=0.01', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--seeds <n>', 'number of seeds (seed, seed+1, …); default: the experiment\'s `seeds`')
    .option('--out <dir>', 'output folder (default runs/<experiment>[-<hash of --set>])')
    .option('--resume', 'continue from the last checkpoint in the output folder')
    .option('--data-dir <dir>', 'dataset folder (default $PARAMPRED_DATA, else ./data)')
    .option('--progress <mode>', 'bar, lines or none (default: bar on a terminal)')
    .option('--list', 'list the experiments and exit')
    .action(async (name: string | undefined, flags: RunFlags) => {
      if (flags.list || !name) return listExperiments();
      const { ParampredError } = await import('../../core/errors.js');
      const { applyOverrides } = await import('../../core/experiments/index.js');
      const { getExperiment } = await import('../../node/experiments/index.js');
      const { runExperiment, DivergedError } = await import('../../node/run/runner.js');
      try {
        const exp = applyOverrides(getExperiment(name, 'parampred run'), flags.set, 'parampred run');
        const n = flags.seeds === undefined ? exp.seeds : Number(flags.seeds);
        if (!Number.isInteger(n) || n < 1) throw new ParampredError('parampred run', `expected --seeds a positive integer, got ${JSON.stringify(flags.seeds)}`);
        if (flags.progress && !['bar', 'lines', 'none'].includes(flags.progress)) {
          throw new ParampredError('parampred run', `expected --progress to be one of "bar", "lines", "none", got ${JSON.stringify(flags.progress)}`);
        }
        const tag = flags.set.length ? '-' + createHash('sha1').update(JSON.stringify(flags.set)).digest('hex').slice(0, 8) : '';
        const out = flags.out ?? join('runs', exp.name + tag);
        const errors: number[] = [];
        for (let i = 0; i < n; i++) {
          const seed = exp.seed + i;
          const r = await runExperiment(exp, { seed, outDir: join(out, `seed-${seed}`), resume: flags.resume, dataDir: flags.dataDir, progress: flags.progress });
          errors.push(r.final.testError);
          console.log(`${exp.name} seed ${seed}: test error ${r.final.testError.toFixed(2)}% (loss ${r.final.testLoss.toFixed(4)}; ${r.final.parameters.paper.dynamic} dynamic parameters, ${(100 * r.final.parameters.paper.fraction).toFixed(1)}% of the predicted layers' weights) → ${r.dir}`);
        }
        if (n > 1) {
          const mean = errors.reduce((s, e) => s + e, 0) / n;
          const sd = Math.sqrt(errors.reduce((s, e) => s + (e - mean) ** 2, 0) / (n - 1));
          console.log(`${exp.name}: test error ${mean.toFixed(2)} ± ${sd.toFixed(2)}% (mean ± sd over ${n} seeds)`);
        }
      } catch (e) {
        if (e instanceof DivergedError) {
          console.error(`diverged: ${e.message}`);
          process.exitCode = 3;
          return;
        }
        if (e instanceof ParampredError) {
          console.error(`error: ${e.message}`);
          process.exitCode = 2;
          return;
        }
        throw e;
      }
    });
}
