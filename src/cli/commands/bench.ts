/** `parampred bench <engine|layers>`: the shipped benchmarks. */
import type { Command } from 'commander';

export default function register(program: Command): void {
  const bench = program.command('bench').description('benchmarks that print measured figures and ratios to the peer');
  bench
    .command('engine')
    .description('GEMM GFLOP/s and MLP/convnet training-step times, native backend vs PyTorch CPU vs pure TF.js cpu')
    .option('--json', 'print one JSON object on stdout')
    .action(async (opts: { json?: boolean }) => {
      const { benchEngine } = await import('../../node/bench/engine.js');
      await benchEngine(opts);
    });
}
