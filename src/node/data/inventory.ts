/** What is on disk for each dataset: presence and sizes (`data list`), sizes and checksums (`data verify`). */
import { join } from 'node:path';
import { checkFile, fileSize, type FileCheck } from './checksums.js';
import { datasetInfo } from './registry.js';
import type { DatasetSpec, FileSpec, Layout } from './types.js';

/** A file of a layout and its size on disk (undefined when absent). */
export interface FilePresence {
  spec: FileSpec;
  path: string;
  bytes?: number;
}

/** Presence of every file of every layout of `name`. */
export async function listDataset(name: string, dataDir: string): Promise<{ spec: DatasetSpec; layouts: { layout: Layout; files: FilePresence[] }[] }> {
  const spec = datasetInfo(name, 'listDataset');
  const layouts = await Promise.all(
    spec.layouts.map(async (layout) => ({
      layout,
      files: await Promise.all(layout.files.map(async (f) => ({ spec: f, path: join(dataDir, f.path), bytes: await fileSize(join(dataDir, f.path)) }))),
    })),
  );
  return { spec, layouts };
}

/** Size and checksum checks of every present file of `name`; `missing` lists absent files of layouts that are partly present. */
export async function verifyDataset(name: string, dataDir: string): Promise<{ spec: DatasetSpec; checks: FileCheck[]; missing: string[] }> {
  const { spec, layouts } = await listDataset(name, dataDir);
  const checks: FileCheck[] = [];
  const missing: string[] = [];
  for (const { files } of layouts) {
    if (!files.some((f) => f.bytes !== undefined)) continue;
    for (const f of files) {
      if (f.bytes === undefined) missing.push(f.path);
      else checks.push(await checkFile(dataDir, f.spec));
    }
  }
  return { spec, checks, missing };
}
