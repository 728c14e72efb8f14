/**
 * Named float32/int32 arrays on disk: `<base>.bin` (the values back to back, little-endian) and
 * `<base>.json` (name, shape, dtype, byte offset of each). Every file is fsynced before it is closed.
 */
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ParampredError } from '../../core/errors.js';

export interface NamedArray {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  data: Float32Array | Int32Array;
}

interface Entry {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  offset: number;
  length: number;
}

/** Writes `bytes` to `path` and fsyncs it (the building block of atomic checkpoints). */
export function writeFileSynced(path: string, bytes: Uint8Array | string): void {
  const fd = openSync(path, 'w');
  try {
    const buf = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** fsyncs a directory so that renames and new entries in it are durable. */
export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes arrays as `<dir>/<base>.bin` + `<dir>/<base>.json`. */
export function writeArrays(dir: string, base: string, arrays: readonly NamedArray[]): void {
  const entries: Entry[] = [];
  let offset = 0;
  for (const a of arrays) {
    entries.push({ name: a.name, shape: a.shape, dtype: a.dtype, offset, length: a.data.length });
    offset += a.data.byteLength;
  }
  const bin = new Uint8Array(offset);
  arrays.forEach((a, i) => bin.set(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength), entries[i].offset));
  writeFileSynced(join(dir, `${base}.bin`), bin);
  writeFileSynced(join(dir, `${base}.json`), JSON.stringify({ bytes: offset, arrays: entries }, null, 1));
}

/** Reads arrays written by writeArrays; throws ParampredError when the files are missing or truncated. */
export function readArrays(dir: string, base: string, fn = 'readArrays'): NamedArray[] {
  let manifest: { bytes: number; arrays: Entry[] };
  let bin: Buffer;
  try {
    manifest = JSON.parse(readFileSync(join(dir, `${base}.json`), 'utf8')) as typeof manifest;
    bin = readFileSync(join(dir, `${base}.bin`));
  } catch (e) {
    throw new ParampredError(fn, `expected readable ${base}.json and ${base}.bin in ${dir}, got ${(e as Error).message}`);
  }
  if (bin.length !== manifest.bytes) throw new ParampredError(fn, `expected ${manifest.bytes} bytes in ${join(dir, base)}.bin, got ${bin.length}`);
  const copy = new Uint8Array(bin); // aligned copy
  return manifest.arrays.map((e) => ({
    name: e.name,
    shape: e.shape,
    dtype: e.dtype,
    data: e.dtype === 'int32' ? new Int32Array(copy.buffer, e.offset, e.length).slice() : new Float32Array(copy.buffer, e.offset, e.length).slice(),
  }));
}
