/**
 * `parampred compress <run-or-model-dir> --layer <name> [--layer …] --method <m> [--rank t] [--colors C′]
 * [--input-groups G --output-groups H] [--opt key=value …] [--out DIR]
 * [--repeats N] [--finetune EPOCHS [--finetune-lr LR] [--finetune-train above|all]] [--data-dir DIR]`: replaces trained layers by cheaper approximations (Denton et al. 2014;
 * docs/method.md §3; methods in src/core/compress) and writes <out>/model.json + weights.bin (loadable with
 * tf.loadLayersModel) and <out>/report.json: parameters, multiply-adds, measured time per layer and for
 * the whole net at batch 1 and 128, test error before, after, and after fine-tuning. Nothing is written unless it completed.
 */
import type { Command } from 'commander';
import { positiveIntFlag, reportingInputErrors } from '../errors.js';
import { basename, join, resolve } from 'node:path';

interface CompressFlags {
  layer: string[];
  method: string;
  rank?: string;
  colors?: string;
  inputGroups?: string;
  outputGroups?: string;
  opt: string[];
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
    .option('--method <m>', 'approximation method: svd (dense layers); separable, monochromatic, bicluster (conv layers)', 'svd')
    .option('--rank <t>', 'svd, separable, bicluster: the rank kept (bicluster: per block, K)')
    .option('--colors <n>', 'monochromatic: the number C′ of colour clusters')
    .option('--input-groups <G>', 'bicluster: input channel groups G')
    .option('--output-groups <H>', 'bicluster: filter groups H')
    .option('--opt <key=value>', 'any other option of the method (repeatable; e.g. seed=1, iterations=50)', (v: string, acc: string[]) => [...acc, v], [] as string[])
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
        const repeats = positiveIntFlag(FN, '--repeats', flags.repeats);
        const epochs = positiveIntFlag(FN, '--finetune', flags.finetune, 'epochs');
        const lr = flags.finetuneLr === undefined ? undefined : Number(flags.finetuneLr);
        if (lr !== undefined && !(lr > 0 && Number.isFinite(lr))) throw new ParampredError(FN, `expected --finetune-lr a number > 0, got ${JSON.stringify(flags.finetuneLr)}`);
        if (flags.finetuneTrain !== undefined && !['above', 'all'].includes(flags.finetuneTrain)) throw new ParampredError(FN, `expected --finetune-train to be one of "above", "all", got ${JSON.stringify(flags.finetuneTrain)}`);
        if (epochs === undefined && (lr !== undefined || flags.finetuneTrain !== undefined)) throw new ParampredError(FN, 'expected --finetune <epochs> with --finetune-lr / --finetune-train, got none');
        const finetune = epochs === undefined ? undefined : { epochs, lr, train: flags.finetuneTrain as 'above' | 'all' | undefined };
        const options = methodOptions(flags, ParampredError);
        const tag = `${basename(resolve(source))}-${flags.layer.join('+')}-${flags.method}${Object.entries(options).map(([k, v]) => (k === 'rank' ? `-r${v}` : `-${k}${v}`)).join('')}`;
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

/** The method's options from --rank / --colors / --input-groups / --output-groups and --opt key=value (numbers, true/false, else strings); the method's schema validates them. */
function methodOptions(flags: CompressFlags, Err: typeof import('../../core/errors.js').ParampredError): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  const set = (key: string, raw: string, flag: string) => {
    if (Object.hasOwn(options, key)) throw new Err(FN, `expected option ${key} once, got it again from ${flag}`);
    options[key] = raw === 'true' ? true : raw === 'false' ? false : raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  };
  const named: [keyof CompressFlags, string, string][] = [['rank', 'rank', '--rank'], ['colors', 'colors', '--colors'], ['inputGroups', 'inputGroups', '--input-groups'], ['outputGroups', 'outputGroups', '--output-groups']];
  for (const [flag, key, name] of named) if (flags[flag] !== undefined) set(key, flags[flag] as string, name);
  for (const kv of flags.opt) {
    const at = kv.indexOf('=');
    if (at <= 0) throw new Err(FN, `expected --opt key=value, got ${JSON.stringify(kv)}`);
    set(kv.slice(0, at), kv.slice(at + 1), `--opt ${kv}`);
  }
  return options;
}
