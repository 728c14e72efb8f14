/** Size and checksum checks of a dataset's files against their published values. */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ChecksumError } from './errors.js';
import { hashFile, type HashKind } from './hash.js';
import type { FileSpec } from './types.js';

/** One difference between a file and its spec. */
export interface Mismatch {
  what: 'size' | HashKind;
  expected: string;
  found: string;
}

/** Result of checking one file. */
export interface FileCheck {
  spec: FileSpec;
  path: string;
  present: boolean;
  bytes?: number;
  mismatches: Mismatch[];
}

const KINDS: HashKind[] = ['md5', 'sha256', 'gitSha1'];

/** Size in bytes, or undefined when the file is absent. */
export async function fileSize(path: string): Promise<number | undefined> {
  try {
    const s = await stat(path);
    return s.isFile() ? s.size : undefined;
  } catch {
    return undefined;
  }
}

/** Checks one file (size first; checksums only when the size matches or is unknown). */
export async function checkFile(dataDir: string, spec: FileSpec): Promise<FileCheck> {
  const path = join(dataDir, spec.path);
  const bytes = await fileSize(path);
  const res: FileCheck = { spec, path, present: bytes !== undefined, bytes, mismatches: [] };
  if (bytes === undefined) return res;
  if (spec.bytes !== undefined && bytes !== spec.bytes) {
    res.mismatches.push({ what: 'size', expected: `${spec.bytes} bytes`, found: `${bytes} bytes` });
    return res;
  }
  const kinds = KINDS.filter((k) => spec[k] !== undefined);
  if (kinds.length === 0) return res;
  const got = await hashFile(path, kinds);
  for (const k of kinds) if (got[k] !== spec[k]) res.mismatches.push({ what: k, expected: `${k} ${spec[k]}`, found: `${k} ${got[k]}` });
  return res;
}

/** Throws ChecksumError naming the file, expected and found value for the first mismatch among present files. */
export async function requireChecksums(dataDir: string, specs: FileSpec[], fn: string): Promise<void> {
  for (const s of specs) {
    const c = await checkFile(dataDir, s);
    const m = c.mismatches[0];
    if (m) throw new ChecksumError(fn, c.path, m.expected, m.found);
  }
}
