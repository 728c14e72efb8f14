/** Streaming file checksums (md5, sha256, git blob sha1 = sha1("blob <size>\0" + bytes)), cached per (path, size, mtime) within the process. */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

export type HashKind = 'md5' | 'sha256' | 'gitSha1';
export type Digests = Partial<Record<HashKind, string>>;

const cache = new Map<string, Digests>();

/** Incremental hasher for several kinds at once; `size` is needed up front for gitSha1. */
export function hasher(kinds: readonly HashKind[], size: number): { update(b: Uint8Array): void; digest(): Digests } {
  const hs: [HashKind, Hash][] = kinds.map((k) => {
    if (k === 'gitSha1') return [k, createHash('sha1').update(`blob ${size}\0`)];
    return [k, createHash(k)];
  });
  return {
    update: (b) => hs.forEach(([, h]) => h.update(b)),
    digest: () => Object.fromEntries(hs.map(([k, h]) => [k, h.digest('hex')])) as Digests,
  };
}

/** Digests of a file for the requested kinds, reading it once. */
export async function hashFile(path: string, kinds: readonly HashKind[]): Promise<Digests> {
  const st = await stat(path);
  const key = `${path}\0${st.size}\0${st.mtimeMs}`;
  const have = cache.get(key) ?? {};
  const need = kinds.filter((k) => have[k] === undefined);
  if (need.length > 0) {
    const h = hasher(need, st.size);
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
    Object.assign(have, h.digest());
    cache.set(key, have);
  }
  return Object.fromEntries(kinds.map((k) => [k, have[k]])) as Digests;
}
