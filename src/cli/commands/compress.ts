/**
 * `parampred compress <run-or-model-dir> --layer <name> [--layer …] --method <m> [--rank t] [--out DIR]
 * [--repeats N] [--finetune EPOCHS [--finetune-lr LR] [--finetune-train above|all]] [--data-dir DIR]`: replaces trained layers by cheaper approximations (Denton et al. 2014;
 * docs/method.md §3; methods in src/core/compress) and writes <out>/model.json + weights.bin (loadable with
 * tf.loadLayersModel) and <out>/report.json: parameters, multiply-adds, measured time per layer and for
 * the whole net at batch 1 and 128, test error before, after, and after fine-tuning. Nothing is written unless it completed.
 */
import type { Command } from 'commander';
import { reportingInputErrors } from '../errors.js';
import { basename, join, resolve } from 'node:path';

interface CompressFlags {
  layer: string[];
  method: string;
  rank?: string;
  out?: string;
  repeats?: string;
  dataDir?: string;
  finetune?: string;
  finetuneLr?: string;
  finetuneTrain?: string;
}

const FN = 'parampred compress';

export default function register(program: Command): void {
  program
    .command('compress')
    .description('replace trained layers by low-rank approximations (Denton et al. 2014) and measure the speed-up and accuracy cost')
    .argument('<source>', 'a run directory (runs/<experiment>/seed-N) or a TF.js model folder (model.json + weights)')
    .option('--layer <name>', 'layer to approximate (repeatable; an unknown name lists the layers)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--method <m>', 'approximation method: svd (dense layers)', 'svd')
    .option('--rank <t>', 'svd: the rank t kept')
    .option('--out <dir>', 'output folder, must not exist (default runs/compress/<source>-<layers>-<method>[-r<t>])')
    .option('--repeats <n>', 'timed repeats per measurement (median; default 15)')
    .option('--finetune <epochs>', 'then fine-tune the compressed model on the run\'s training data for this many epochs (Adam; the saved model is the fine-tuned one)')
    .option('--finetune-lr <lr>', 'fine-tuning learning rate (default 1e-4)')
    .option('--finetune-train <which>', 'layers fine-tuned: above (the layers after the approximated ones, Denton et al.; default) or all')
    .option('--data-dir <dir>', 'dataset folder for a run\'s test error (default $PARAMPRED_DATA, else ./data)')
    .action(async (source: string, flags: CompressFlags) => {
      const { ParampredError } = await import('../../core/errors.js');
      const { useNativeBackend } = await import('../../node/backend/register.js');
      const { compressSaved } = await import('../../node/compress/compress.js');
      await reportingInputErrors(async () => {
        if (flags.layer.length === 0) throw new ParampredError(FN, 'expected --layer <name> (one or more), got none');
        const repeats = flags.repeats === undefined ? undefined : Number(flags.repeats);
        if (repeats !== undefined && !(Number.isInteger(repeats) && repeats >= 1)) throw new ParampredError(FN, `expected --repeats a positive integer, got ${JSON.stringify(flags.repeats)}`);
        const epochs = flags.finetune === undefined ? undefined : Number(flags.finetune);
        if (epochs !== undefined && !(Number.isInteger(epochs) && epochs >= 1)) throw new ParampredError(FN, `expected --finetune a positive integer (epochs), got ${JSON.stringify(flags.finetune)}`);
        const lr = flags.finetuneLr === undefined ? undefined : Number(flags.finetuneLr);
        if (lr !== undefined && !(lr > 0 && Number.isFinite(lr))) throw new ParampredError(FN, `expected --finetune-lr a number > 0, got ${JSON.stringify(flags.finetuneLr)}`);
        if (flags.finetuneTrain !== undefined && !['above', 'all'].includes(flags.finetuneTrain)) throw new ParampredError(FN, `expected --finetune-train to be one of "above", "all", got ${JSON.stringify(flags.finetuneTrain)}`);
        if (epochs === undefined && (lr !== undefined || flags.finetuneTrain !== undefined)) throw new ParampredError(FN, 'expected --finetune <epochs> with --finetune-lr / --finetune-train, got none');
        const finetune = epochs === undefined ? undefined : { epochs, lr, train: flags.finetuneTrain as 'above' | 'all' | undefined };
        const options = flags.rank === undefined ? {} : { rank: Number(flags.rank) };
        const tag = `${basename(resolve(source))}-${flags.layer.join('+')}-${flags.method}${flags.rank === undefined ? '' : `-r${flags.rank}`}`;
        const out = flags.out ?? join('runs', 'compress', tag);
        await useNativeBackend();
        const { report } = await compressSaved({ source, out, dataDir: flags.dataDir, repeats, finetune, fn: FN, specs: flags.layer.map((layer) => ({ layer, method: flags.method, options })) });
        for (const l of report.layers) {
          const t = Object.entries(l.time).map(([b, p]) => `${b} ${p.beforeMs.toFixed(3)} → ${p.afterMs.toFixed(3)} ms (${p.speedup.toFixed(2)}×)`).join(', ');
          console.log(`${l.layer} (${l.className}) ${l.method}: ${l.before.parameters} → ${l.after.parameters} parameters, ${l.before.multiplyAdds} → ${l.after.multiplyAdds} multiply-adds (${(l.before.multiplyAdds / l.after.multiplyAdds).toFixed(2)}× fewer), relative error ${l.error.relative.toPrecision(3)}; ${t}`);
        }
        const n = report.network;
        console.log(`network: ${n.before.multiplyAdds} → ${n.after.multiplyAdds} multiply-adds; ${Object.entries(n.time).map(([b, p]) => `${b} ${p.speedup.toFixed(2)}×`).join(', ')} on ${report.backend}`);
        if (report.test) console.log(`test error ${report.test.before.error.toFixed(2)}% → ${report.test.after.error.toFixed(2)}%${report.test.finetuned ? ` → ${report.test.finetuned.error.toFixed(2)}% after fine-tuning ${report.finetune!.epochs} epoch(s) (${report.finetune!.trainedLayers.join(', ')} trained)` : ''} on ${report.dataset!.name} (${report.dataset!.examples} examples)`);
        console.log(`→ ${out}`);
      });
    });
}
