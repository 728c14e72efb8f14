/**
 * Downloads with resume and verification: bytes go to `<file>.part` (resumed with an HTTP Range request
 * when it exists), which is fsynced, checked against the published size and checksums, and only then
 * renamed to `<file>` — the final name never holds a partial or unverified file. A checksum mismatch
 * deletes the .part file; an interrupted transfer keeps it for the next run.
 */
import { mkdir, open, rename, truncate, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { checkFile, fileSize } from './checksums.js';
import { ChecksumError, DownloadError } from './errors.js';
import { datasetInfo } from './registry.js';
import { resolveDataDir } from './data_dir.js';
import type { FileSpec } from './types.js';

const FN = 'download';

/** Progress of one file: bytes on disk so far and the expected total (when known). */
export type Progress = (file: string, received: number, total: number | undefined) => void;

export interface DownloadOptions {
  onProgress?: Progress;
}

async function fetchInto(url: string, part: string, total: number | undefined, file: string, onProgress?: Progress): Promise<void> {
  let have = (await fileSize(part)) ?? 0;
  if (total !== undefined && have > total) {
    await truncate(part, 0);
    have = 0;
  }
  if (total !== undefined && have === total) return;
  let res: Response;
  try {
    res = await fetch(url, { headers: have > 0 ? { Range: `bytes=${have}-` } : {}, redirect: 'follow' });
  } catch (e) {
    throw new DownloadError(FN, url, `request failed: ${(e as Error).cause ?? (e as Error).message}`);
  }
  let append = false;
  if (res.status === 206) {
    const cr = res.headers.get('content-range') ?? '';
    const m = /^bytes (\d+)-\d+\/(?:\d+|\*)$/.exec(cr);
    if (!m || Number(m[1]) !== have) {
      await res.body?.cancel();
      throw new DownloadError(FN, url, `expected Content-Range "bytes ${have}-…", got ${JSON.stringify(cr)}`);
    }
    append = true;
  } else if (res.status === 416 && have > 0 && total === undefined) {
    await res.body?.cancel();
    return; // nothing beyond what we have: the .part is complete; the checksum decides
  } else if (res.status === 200) {
    have = 0;
  } else {
    await res.body?.cancel();
    throw new DownloadError(FN, url, `expected HTTP 200 or 206, got ${res.status} ${res.statusText}`);
  }
  if (!res.body) throw new DownloadError(FN, url, 'expected a response body, got none');
  const len = res.headers.get('content-length');
  const expectEnd = len !== null ? have + Number(len) : total;
  const fh = await open(part, append ? 'a' : 'w');
  let received = have;
  try {
    try {
      for await (const chunk of res.body) {
        await fh.write(chunk as Uint8Array);
        received += (chunk as Uint8Array).length;
        onProgress?.(file, received, total ?? expectEnd);
      }
    } catch (e) {
      throw new DownloadError(FN, url, `transfer interrupted after ${received} bytes (${(e as Error).message}); ${part} is kept: run the download again to resume`);
    }
    await fh.sync();
  } finally {
    await fh.close();
  }
  if (len !== null && received !== expectEnd) throw new DownloadError(FN, url, `expected ${expectEnd} bytes, got ${received}; ${part} is kept: run the download again to resume`);
}

/** Downloads `urls` (tried in order) to `dest`, verifying size and checksums of `spec`; returns "present" when `dest` already verifies. */
export async function downloadFile(urls: string[], dest: string, spec: Omit<FileSpec, 'path'>, opts: DownloadOptions = {}): Promise<'downloaded' | 'present'> {
  const check = () => checkFile('', { ...spec, path: dest });
  if ((await fileSize(dest)) !== undefined) {
    const c = await check();
    if (c.mismatches.length === 0) return 'present';
    const m = c.mismatches[0];
    throw new ChecksumError(FN, dest, m.expected, `${m.found} (remove the file to download it again)`);
  }
  await mkdir(dirname(dest), { recursive: true });
  const part = `${dest}.part`;
  const errors: string[] = [];
  let ok = false;
  for (const url of urls) {
    try {
      await fetchInto(url, part, spec.bytes, dest, opts.onProgress);
      ok = true;
      break;
    } catch (e) {
      if (!(e instanceof DownloadError)) throw e;
      errors.push(e.message);
    }
  }
  if (!ok) throw new DownloadError(FN, urls.join(' | '), `every source failed:\n  ${errors.join('\n  ')}`);
  const c = await checkFile('', { ...spec, path: part });
  const m = c.mismatches[0];
  if (m) {
    await unlink(part);
    throw new ChecksumError(FN, dest, m.expected, `${m.found} in the downloaded file, which was deleted`);
  }
  await rename(part, dest);
  const dir = await open(dirname(dest), 'r');
  try {
    await dir.sync();
  } catch {
    // some file systems cannot fsync a directory
  } finally {
    await dir.close();
  }
  return 'downloaded';
}

/** The sources of a dataset's files: the official URLs, or `${mirror}/${path}` when a mirror (option or $PARAMPRED_MIRROR) is set. */
export function sourceUrls(name: string, mirror = process.env.PARAMPRED_MIRROR): { spec: FileSpec; urls: string[] }[] {
  return datasetInfo(name, 'download').downloads.map(({ urls, ...spec }) => ({ spec, urls: mirror ? [`${mirror.replace(/\/+$/, '')}/${spec.path}`] : urls }));
}

/** Downloads every file of `name` into the data directory (skipping files that already verify). */
export async function downloadDataset(name: string, opts: DownloadOptions & { dataDir?: string; mirror?: string } = {}): Promise<{ path: string; status: 'downloaded' | 'present' }[]> {
  const dataDir = resolveDataDir(opts.dataDir);
  const out: { path: string; status: 'downloaded' | 'present' }[] = [];
  for (const { spec, urls } of sourceUrls(name, opts.mirror ?? process.env.PARAMPRED_MIRROR)) {
    const path = join(dataDir, spec.path);
    out.push({ path, status: await downloadFile(urls, path, spec, opts) });
  }
  return out;
}
