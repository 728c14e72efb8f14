/**
 * `parampred reproduce <name> [--preset NAME] [--out DIR] [--resume] [--finished-only] [--seeds N]
 * [--points ID,…] [--data-dir DIR] [--jobs N]`: a registered reproduction (src/node/reproduce/registry.ts: mnist, letter, madelon,
 * cifar, …), each its points × seeds, resumable, summarised with claims; `--jobs N` trains N runs at once
 * in worker processes (../jobs.ts). Exit codes: 0 ok, 1 a worker failed, 2 bad input.
 */
import { Option, type Command } from 'commander';
import { positiveIntFlag, reportingInputErrors } from '../errors.js';
import type { JobsReport } from '../jobs.js';

interface ReproduceFlags {
  preset: string;
  out?: string;
  resume?: boolean;
  finishedOnly?: boolean;
  seeds?: string;
  dataDir?: string;
  results?: string | false;
  progress?: string;
  precision?: string;
  net?: string;
  points?: string;
  jobs?: string;
  worker?: boolean;
  workerOf?: string;
}

export default function register(program: Command): void {
  program
    .command('reproduce')
    .description('reproduce a paper experiment: `mnist` = the MNIST MLP sweep (methods × fractions × columns, baseline, downsized net; mean ± sd over seeds); `letter`, `madelon` = the no-topology MLPs (emp/emp2/pca/rand vs downsized); `cifar` = the CIFAR-10 convnet (JPEG-75 copy); `rica` = RICA with k features vs RICA-50 % with 2k (CIFAR-10, equal dynamic parameters)')
    .argument('<experiment>', 'what to reproduce: mnist, letter, madelon, cifar (src/node/reproduce/registry.ts), compress or rica')
    .option('--preset <name>', 'quick (a smoke look, 2 seeds (cifar: 1); never a claim) or full (paper scale, 3 seeds); cifar also controls (the reviewers\' controls at 50 % predicted), long (SE-50 % and its downsized net for 40 epochs) and central (the same two nets at 20 epochs with 5 seeds), rica also large (k = 200 vs 400) and converged (seed 1 of full with longer classifier fits)', 'quick')
    .option('--out <dir>', 'output folder (default runs/reproduce-<experiment>-<preset>)')
    .option('--resume', 'skip finished runs, continue half-done ones from their checkpoint')
    .option('--finished-only', 'train nothing: summarise the runs finished so far (a sweep still running); claims only for points with every seed')
    .option('--seeds <n>', "seeds per point (default: the preset's)")
    .option('--points <ids>', 'train only these points (comma-separated ids from the sweep\'s plan.json, e.g. full,se-f0.5000); the others are read back as far as they have finished')
    .option('--data-dir <dir>', 'dataset folder (default $PARAMPRED_DATA, else ./data)')
    .option('--results <dir>', 'where claims.json and <dataset>-<preset>/ are written (default results)')
    .option('--no-results', 'do not touch the results folder')
    .option('--progress <mode>', 'per-epoch progress of each run: bar, lines or none (default lines)', 'lines')
    .option('--net <net>', 'compress only: the trained net to approximate, mlp (the MNIST MLP: svd vs predict; default) or cifar (the CIFAR-10 convnet: monochromatic, separable, bicluster, svd)', 'mlp')
    .option('--precision <p>', 'fp32 (default) or bf16 products and convolutions (native backend; see `parampred run --precision`)')
    .option('--jobs <n>', 'train n runs at once, each in its own process at PARAMPRED_THREADS = cores / n (default 1; one run per core trains more steps per second on few cores); with --resume continues a sweep whatever its runs\' state')
    .addOption(new Option('--worker', 'one of --jobs\'s processes: train what no other process holds, no summary').hideHelp())
    .addOption(new Option('--worker-of <n>', 'a worker: how many workers share the sweep (for its ETA)').hideHelp())
    .action(async (what: string, flags: ReproduceFlags) => {
      const { ParampredError } = await import('../../core/errors.js');
      await reportingInputErrors(async () => {
        if (flags.precision !== undefined) {
          const { applyPrecisionFlag } = await import('../../node/backend/precision.js');
          console.error(`parampred reproduce: precision ${applyPrecisionFlag(flags.precision)}`);
        }
        const jobs = positiveIntFlag('parampred reproduce', '--jobs', flags.jobs) ?? 1;
        if (jobs > 1 && (what === 'compress' || what === 'rica')) throw new ParampredError('parampred reproduce', `expected --jobs with a sweep of training runs (mnist, letter, madelon, cifar), got ${what}`);
        if (what === 'compress' && flags.net === 'cifar') return (await import('../../node/reproduce/compress_conv.js')).reproduceCompressConvCommand(flags); // Denton et al.'s conv approximations on the CIFAR convnet (issue 14)
        if (what === 'compress' && flags.net !== 'mlp') throw new ParampredError('parampred reproduce compress', `expected --net to be one of "mlp", "cifar", got ${JSON.stringify(flags.net)}`);
        if (what === 'compress') return (await import('../../node/reproduce/compress.js')).reproduceCompressCommand(flags); // svd vs predict on the MNIST MLP (issue 14)
        if (what === 'rica') return (await import('../../node/reproduce/rica.js')).reproduceRicaCommand(flags); // RICA vs RICA-50 % with 2k features on CIFAR-10 (issue 13)
        const { getReproduction, runReproduction, presetOf, defaultOutDir, firstRunIn, claimConsoleLine } = await import('../../node/reproduce/index.js');
        const { runWorkers, WORKER_REPORT } = await import('../jobs.js');
        const def = getReproduction(what, 'parampred reproduce');
        const preset = presetOf(def, flags.preset, 'parampred reproduce');
        const seeds = positiveIntFlag('parampred reproduce', '--seeds', flags.seeds);
        if (!['bar', 'lines', 'none'].includes(flags.progress ?? 'lines')) throw new ParampredError('parampred reproduce', `expected --progress to be one of "bar", "lines", "none", got ${JSON.stringify(flags.progress)}`);
        if (jobs > 1 && flags.finishedOnly) throw new ParampredError('parampred reproduce', 'expected --jobs or --finished-only (which trains nothing), got both');
        const options = {
          preset, seeds, outDir: flags.out, resume: flags.resume, finishedOnly: flags.finishedOnly, dataDir: flags.dataDir,
          points: flags.points?.split(',').map((x) => x.trim()).filter((x) => x),
          resultsDir: flags.results === false ? null : (flags.results ?? 'results'),
          progress: flags.progress as 'bar' | 'lines' | 'none',
        };
        if (flags.worker) {
          const workers = positiveIntFlag('parampred reproduce', '--worker-of', flags.workerOf) ?? 1;
          const r = await runReproduction(def, { ...options, worker: true, workers });
          console.log(`${WORKER_REPORT}${JSON.stringify({ trained: r.trained, seconds: r.wallSeconds })}`);
          return;
        }
        let jobsReport: JobsReport | null = null;
        if (jobs > 1) {
          const outDir = flags.out ?? defaultOutDir(def, preset);
          const existing = flags.resume ? null : firstRunIn(outDir);
          if (existing) throw new ParampredError('parampred reproduce', `expected an empty sweep folder or --resume, got existing results in ${existing}`);
          jobsReport = await runWorkers(jobs, ['--worker', '--worker-of', String(jobs), '--resume', '--progress', flags.progress === 'none' ? 'none' : 'lines'], (l) => console.error(l));
        }
        const r = await runReproduction(def, jobsReport ? { ...options, finishedOnly: true, jobs: { count: jobs, trained: jobsReport.trained, seconds: jobsReport.seconds } } : options);
        console.log(`\n${r.rows.length} rows, wall time ${r.wallSeconds.toFixed(0)} s → ${r.summaryDir}/summary.md`);
        for (const c of r.claims) console.log(claimConsoleLine(c));
        if (jobsReport?.failures.length) {
          for (const f of jobsReport.failures) console.error(`error: ${f}`);
          console.error(`error: ${jobsReport.failures.length} of ${jobs} jobs failed; the summary above holds the runs that finished (continue with --resume)`);
          process.exitCode = 1;
        }
      });
    });
}
