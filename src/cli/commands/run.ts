/**
 * `parampred run <experiment|file> [--set k=v …] [--seeds N] [--out DIR] [--resume] [--data-dir DIR]`
 * and `parampred experiments`. <file>: a .json/.js/.mjs/.ts experiment file (node/run/experiment_file.ts).
 * Seeds run through the multi-seed loop (node/run/seeds.ts); with several, <out>/summary.json holds
 * mean ± sd. Exit codes: 0 ok, 2 bad input, 3 diverged.
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
  precision?: string;
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
    .description('train a named experiment or an experiment file (one run directory per seed, resumable)')
    .argument('[experiment]', 'experiment name (see `parampred experiments`), or a file ./my-experiment.{json,js,mjs,ts} (.ts needs tsx installed)')
    .option('--set <key=value>', 'override a field of the experiment (repeatable), e.g. --set optimizer.lr=0.01', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--seeds <n>', 'number of seeds (seed, seed+1, …); default: the experiment\'s `seeds`')
    .option('--out <dir>', 'output folder (default runs/<experiment>[-<hash of --set>])')
    .option('--resume', 'continue from the last checkpoint in the output folder')
    .option('--data-dir <dir>', 'dataset folder (default $PARAMPRED_DATA, else ./data)')
    .option('--progress <mode>', 'bar, lines or none (default: bar on a terminal)')
    .option('--precision <p>', 'fp32 (default) or bf16: matrix products and convolutions with bf16 inputs, fp32 accumulation and weights (native backend; falls back to fp32 where the CPU lacks bf16)')
    .option('--list', 'list the experiments and exit')
    .action(async (name: string | undefined, flags: RunFlags) => {
      if (flags.list || !name) return listExperiments();
      const { ParampredError } = await import('../../core/errors.js');
      const { positiveIntFlag } = await import('../errors.js');
      const { applyOverrides } = await import('../../core/experiments/index.js');
      const { getExperiment } = await import('../../node/experiments/index.js');
      const { isExperimentFile, loadExperimentFile } = await import('../../node/run/experiment_file.js');
      const { DivergedError } = await import('../../node/run/runner.js');
      const { runSeeds, seedRow, writeSummaryJson } = await import('../../node/run/seeds.js');
      try {
        const base = isExperimentFile(name) ? await loadExperimentFile(name, 'parampred run') : getExperiment(name, 'parampred run');
        const exp = applyOverrides(base, flags.set, 'parampred run');
        if (flags.precision !== undefined) {
          const { applyPrecisionFlag } = await import('../../node/backend/precision.js');
          console.error(`parampred run: precision ${applyPrecisionFlag(flags.precision)}`);
        }
        const n = positiveIntFlag('parampred run', '--seeds', flags.seeds) ?? exp.seeds;
        if (flags.progress && !['bar', 'lines', 'none'].includes(flags.progress)) {
          throw new ParampredError('parampred run', `expected --progress to be one of "bar", "lines", "none", got ${JSON.stringify(flags.progress)}`);
        }
        const tag = flags.set.length ? '-' + createHash('sha1').update(JSON.stringify(flags.set)).digest('hex').slice(0, 8) : '';
        const out = flags.out ?? join('runs', exp.name + tag);
        const outcomes = await runSeeds(exp, {
          seeds: n, outDir: out, resume: flags.resume, dataDir: flags.dataDir, progress: flags.progress,
          onSeed: ({ seed, final, dir }) => {
            if (final) console.log(`${exp.name} seed ${seed}: test error ${final.testError.toFixed(2)}% (loss ${final.testLoss.toFixed(4)}; ${final.parameters.paper.dynamic} dynamic parameters, ${(100 * final.parameters.paper.fraction).toFixed(1)}% of the predicted layers' weights) → ${dir}`);
          },
        });
        if (n > 1) {
          const row = seedRow(exp.name, exp, outcomes);
          writeSummaryJson(out, { experiment: exp.name, seeds: n, command: ['parampred', ...process.argv.slice(2)].join(' ') }, [row]);
          console.log(`${exp.name}: test error ${row.mean!.toFixed(2)} ± ${row.sd!.toFixed(2)}% (mean ± sd over ${n} seeds) → ${join(out, 'summary.json')}`);
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
