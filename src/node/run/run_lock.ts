/**
 * One trainer per run directory: `<dir>/lock.json` ({pid, host, since}), created exclusively (O_EXCL)
 * before a run reads or writes its state and removed when it ends. Two processes resuming one run
 * would interleave epochs and overwrite each other's checkpoint; with the lock the second one gets a
 * RunBusyError naming the holder, and `reproduce --jobs` workers skip the runs their siblings hold.
 * A lock left by a process that is gone (kill -9, power loss) is taken over: on the same host, by
 * checking that its pid is still alive; a lock from another host (a shared file system) is never
 * taken over, and the error says which file to delete once that process is known to be gone. This
 * process taking the lock twice (two concurrent runs of one directory in one process) is busy too.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmdirSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ParampredError } from '../../core/errors.js';
import { runFiles } from './run_dir.js';

/** The lock file's name inside a run directory. */
export const LOCK_FILE = runFiles.lock;

/** Who holds a run directory. */
export interface LockHolder {
  pid: number;
  host: string;
  /** ISO time the holder took the lock. */
  since: string;
}

/** Thrown when another live process holds the run directory. */
export class RunBusyError extends ParampredError {
  constructor(
    fn: string,
    readonly dir: string,
    readonly holder: LockHolder,
  ) {
    super(fn, `expected no other process training ${dir}, got pid ${holder.pid} on ${holder.host} holding it since ${holder.since} (wait for it, stop it, or delete ${join(dir, LOCK_FILE)} if that process is gone)`);
    this.name = 'RunBusyError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by another user
  }
}

function readHolder(path: string): LockHolder | null {
  try {
    const h = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
    return typeof h.pid === 'number' && typeof h.host === 'string' ? { pid: h.pid, host: h.host, since: String(h.since ?? '?') } : null;
  } catch {
    return null; // unreadable or half-written (stale once it has been so for 10 s)
  }
}

/** Milliseconds since the unreadable lock `path` was last written: one being written now is not stale. */
function unreadableFor(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return Infinity; // gone meanwhile
  }
}

/** The live holder of run directory `dir`'s lock, or null (none, or stale: a gone process on this host). */
export function liveHolder(dir: string): LockHolder | null {
  const path = join(dir, LOCK_FILE);
  if (!existsSync(path)) return null;
  const h = readHolder(path);
  if (h === null) return unreadableFor(path) > 10_000 ? null : { pid: -1, host: '?', since: 'now (being written)' };
  return h.host !== hostname() || alive(h.pid) ? h : null;
}

const sameHolder = (a: LockHolder | null, b: LockHolder | null) => (a === null ? b === null : b !== null && a.pid === b.pid && a.host === b.host && a.since === b.since);

/**
 * Removes the stale lock `path` (whose holder was read as `stale`) so that the caller can try to create
 * its own. Two processes that find one stale lock at once (the workers of `reproduce --jobs` restarting a
 * killed sweep) must not both remove it, or the second would remove the first one's new lock: only the
 * one that creates the directory <lock>.takeover (atomic) removes it, and only if it still holds what
 * was read; the other one reports the run busy (it was about to be taken).
 */
function takeOver(path: string, stale: LockHolder | null, fn: string, dir: string): void {
  const guard = `${path}.takeover`;
  try {
    mkdirSync(guard);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    throw new RunBusyError(fn, dir, stale ?? { pid: -1, host: '?', since: '?' });
  }
  try {
    if (sameHolder(readHolder(path), stale)) {
      try {
        unlinkSync(path);
      } catch (u) {
        if ((u as NodeJS.ErrnoException).code !== 'ENOENT') throw u;
      }
    }
  } finally {
    rmdirSync(guard);
  }
}

/**
 * Takes the lock of run directory `dir` (which must exist) for this process, and returns its release
 * function (idempotent; also called on process exit). Throws RunBusyError when another live process
 * holds it.
 */
export function lockRunDir(dir: string, fn: string): () => void {
  const path = join(dir, LOCK_FILE);
  const me: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = readHolder(path);
      const stale = holder === null ? unreadableFor(path) > 10_000 : holder.host === me.host && holder.pid !== process.pid && !alive(holder.pid);
      if (!stale || attempt >= 2) throw new RunBusyError(fn, dir, holder ?? { pid: -1, host: '?', since: '?' });
      takeOver(path, holder, fn, dir);
      continue;
    }
    try {
      writeSync(fd, JSON.stringify(me) + '\n');
    } finally {
      closeSync(fd);
    }
    break;
  }
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    const h = readHolder(path);
    if (h && h.pid === me.pid && h.host === me.host) {
      try {
        unlinkSync(path);
      } catch {
        /* already gone */
      }
    }
  };
  process.on('exit', release);
  return release;
}
