/** `parampred bench <engine|layers>`: the shipped benchmarks. */
import type { Command } from 'commander';

export default function register(program: Command): void {
  const bench = program.command('bench').description('benchmarks that print measured figures and ratios to the peer');
  bench
    .command('engine')
    .description('GEMM GFLOP/s and MLP/convnet training-step times, native backend vs PyTorch CPU vs pure TF.js cpu')
    .option('--json', 'print one JSON object on stdout')
    .option('--precision <p>', 'bf16 (default where the CPU has it): bf16 rows beside fp32; fp32: fp32 rows only')
    .action(async (opts: { json?: boolean; precision?: string }) => {
      const { reportingInputErrors } = await import('../errors.js');
      await reportingInputErrors(async () => {
        const { PRECISIONS } = await import('../../node/backend/precision.js');
        const { unknownName } = await import('../../core/errors.js');
        if (opts.precision !== undefined && !PRECISIONS.includes(opts.precision as 'fp32')) throw unknownName('parampred bench engine', '--precision', opts.precision, PRECISIONS);
        const { benchEngine } = await import('../../node/bench/engine.js');
        await benchEngine({ json: opts.json, precision: opts.precision as 'fp32' | 'bf16' | undefined });
      });
    });
  bench
    .command('layers')
    .description('training-step times: MNIST MLP dense vs predicted (0.05–0.5, 10 columns), CIFAR convnet dense vs predicted convs (0.25, 0.5)')
    .option('--json', 'print one JSON object on stdout')
    .option('--steps <n>', 'timed steps per measurement', (v) => Number(v), 20)
    .option('--no-conv', 'skip the convnet')
    .option('--precision <p>', 'fp32 (default) or bf16 products and convolutions (see `parampred run --precision`)')
    .action(async (opts: { json?: boolean; steps: number; conv: boolean; precision?: string }) => {
      if (opts.precision !== undefined) {
        const { applyPrecisionFlag } = await import('../../node/backend/precision.js');
        console.error(`parampred bench layers: precision ${applyPrecisionFlag(opts.precision)}`);
      }
      const { benchLayers } = await import('../../node/bench/layers.js');
      await benchLayers({ json: opts.json, steps: opts.steps, noConv: !opts.conv });
    });
  bench
    .command('cifar')
    .description('training-step time and seconds per epoch of the CIFAR reproduction\'s nets side by side: full, SE-predicted and downsized at 50 and 75 % predicted')
    .option('--json', 'print one JSON object on stdout')
    .option('--steps <n>', 'timed steps per net', (v) => Number(v), 10)
    .option('--points <ids>', 'comma-separated point ids of `reproduce cifar --preset full` (default: full,se-f0.5000,downsized-f0.5000,se-f0.2500,downsized-f0.2500)')
    .option('--precision <list>', 'fp32 (default), bf16, or fp32,bf16: each net timed in each, in the same rounds')
    .action(async (opts: { json?: boolean; steps: number; points?: string; precision?: string }) => {
      const { reportingInputErrors } = await import('../errors.js');
      await reportingInputErrors(async () => {
        const { benchCifarNets } = await import('../../node/bench/cifar_nets.js');
        const { PRECISIONS } = await import('../../node/backend/precision.js');
        const { unknownName } = await import('../../core/errors.js');
        const precisions = opts.precision?.split(',').map((s) => s.trim()).filter(Boolean);
        for (const p of precisions ?? []) if (!PRECISIONS.includes(p as 'fp32')) throw unknownName('parampred bench cifar', '--precision', p, PRECISIONS);
        await benchCifarNets({ json: opts.json, steps: opts.steps, points: opts.points?.split(',').map((s) => s.trim()).filter(Boolean), precisions: precisions as ('fp32' | 'bf16')[] | undefined });
      });
    });
  bench
    .command('dictionaries')
    .description('seconds to build the paper\'s nets\' dictionaries (MNIST se/emp/pca, CIFAR se), JS vs native LAPACK linear algebra')
    .option('--json', 'print one JSON object on stdout')
    .option('--reps <n>', 'builds per variant (median)', (v) => Number(v), 3)
    .option('--thresholds', 'also time each routine at small sizes, JS vs native')
    .option('--filter <s>', 'only cases whose label contains s')
    .action(async (opts: { json?: boolean; reps: number; thresholds?: boolean; filter?: string }) => {
      const { benchDictionaries } = await import('../../node/bench/dictionaries.js');
      await benchDictionaries(opts);
    });
}
