/** `parampred data list | verify [name] | download <name>`: the datasets in the data directory (--data-dir, $PARAMPRED_DATA, ./data). */
import type { Command } from 'commander';
import { datasetNames, datasetInfo } from '../../node/data/registry.js';
import { resolveDataDir } from '../../node/data/data_dir.js';
import { listDataset, verifyDataset } from '../../node/data/inventory.js';
import { downloadDataset, type Progress } from '../../node/data/download.js';

const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;

/** The text of `data list`: per dataset, each layout's files present / missing with sizes. */
export async function dataList(dataDir: string): Promise<string> {
  const out = [`data directory: ${dataDir}`];
  for (const name of datasetNames) {
    const { spec, layouts } = await listDataset(name, dataDir);
    const present = layouts.flatMap((l) => l.files).filter((f) => f.bytes !== undefined);
    const total = present.reduce((a, f) => a + (f.bytes ?? 0), 0);
    out.push(`${name.padEnd(8)} ${spec.label.padEnd(26)} ${present.length ? `${present.length} file(s), ${mb(total)}` : 'not present'}`);
    for (const { layout, files } of layouts) {
      const have = files.filter((f) => f.bytes !== undefined).length;
      if (have === 0 && layouts.length > 1) continue;
      out.push(`  [${layout.id}] ${layout.description}: ${have}/${files.length} present`);
      for (const f of files) out.push(`    ${f.bytes !== undefined ? 'ok     ' : 'missing'} ${f.spec.path}${f.bytes !== undefined ? `  ${f.bytes} bytes` : f.spec.optional ? '  (optional)' : ''}`);
    }
  }
  return out.join('\n');
}

/** The text of `data verify` and whether every present file matched (a named dataset with no file present fails too). */
export async function dataVerify(name: string | undefined, dataDir: string): Promise<{ text: string; ok: boolean }> {
  const names = name === undefined ? datasetNames : [datasetInfo(name, 'data verify').name];
  const out: string[] = [];
  let ok = true;
  for (const n of names) {
    const { checks, missing } = await verifyDataset(n, dataDir);
    if (checks.length === 0) {
      out.push(`${n}: no files in ${dataDir}`);
      if (name !== undefined) ok = false;
      continue;
    }
    for (const c of checks) {
      if (c.mismatches.length === 0) out.push(`${n}: ok       ${c.path}`);
      else {
        ok = false;
        for (const m of c.mismatches) out.push(`${n}: MISMATCH ${c.path}: expected ${m.expected}, found ${m.found}`);
      }
    }
    for (const p of missing) out.push(`${n}: missing  ${p}`);
  }
  return { text: out.join('\n'), ok };
}

/** Progress lines on stderr, at most 4 per second per file, and one at completion. */
function progress(): Progress {
  let last = 0;
  return (file, received, total) => {
    const now = Date.now();
    const done = total !== undefined && received >= total;
    if (!done && now - last < 250) return;
    last = now;
    const pct = total ? ` (${((100 * received) / total).toFixed(1)}%)` : '';
    process.stderr.write(`${process.stderr.isTTY ? '\r' : ''}${file}: ${mb(received)}${total ? ` / ${mb(total)}` : ''}${pct}${process.stderr.isTTY && !done ? '' : '\n'}`);
  };
}

export default function register(program: Command): void {
  const data = program.command('data').description('datasets: list, verify checksums, download from the official sources');
  data
    .command('list')
    .description('each dataset, its files present or missing, and their sizes')
    .option('--data-dir <dir>', 'data directory (default $PARAMPRED_DATA, else ./data)')
    .action(async (opts: { dataDir?: string }) => {
      console.log(await dataList(resolveDataDir(opts.dataDir)));
    });
  data
    .command('verify [name]')
    .description('check sizes and checksums of the files present; exits 1 on any mismatch')
    .option('--data-dir <dir>', 'data directory (default $PARAMPRED_DATA, else ./data)')
    .action(async (name: string | undefined, opts: { dataDir?: string }) => {
      const r = await dataVerify(name, resolveDataDir(opts.dataDir));
      console.log(r.text);
      if (!r.ok) process.exitCode = 1;
    });
  data
    .command('download <name>')
    .description(`download a dataset (${datasetNames.join(', ')}) from its official source, resumable, verified before it is kept`)
    .option('--data-dir <dir>', 'data directory (default $PARAMPRED_DATA, else ./data)')
    .option('--mirror <url>', 'base URL holding the data-directory layout, instead of the official sources (default $PARAMPRED_MIRROR)')
    .action(async (name: string, opts: { dataDir?: string; mirror?: string }) => {
      datasetInfo(name, 'data download');
      const res = await downloadDataset(name, { dataDir: opts.dataDir, mirror: opts.mirror, onProgress: progress() });
      for (const r of res) console.log(`${r.status === 'present' ? 'already verified' : 'downloaded, verified'}: ${r.path}`);
    });
}
