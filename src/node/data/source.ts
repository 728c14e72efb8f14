/** Byte sources for the parsers: a file on disk, optionally gunzipped, with zlib failures turned into DataFormatError. */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { DataFormatError } from './errors.js';

/** Chunks of a file, `highWaterMark` 1 MiB. */
export function fileChunks(path: string): AsyncIterable<Uint8Array> {
  return createReadStream(path, { highWaterMark: 1 << 20 });
}

/** Gunzips `src` as a stream; corrupt or truncated gzip data throws DataFormatError(fn, file, "gzip data", zlib's message). */
export async function* gunzipChunks(src: AsyncIterable<Uint8Array>, fn: string, file: string): AsyncGenerator<Uint8Array> {
  const gz = createGunzip({ chunkSize: 1 << 18 });
  const input = Readable.from(src, { objectMode: false });
  input.on('error', (e) => gz.destroy(e));
  input.pipe(gz);
  try {
    for await (const c of gz) yield c as Buffer;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (typeof err.code === 'string' && (err.code.startsWith('Z_') || err.code === 'ERR_ZLIB_INITIALIZATION_FAILED')) {
      throw new DataFormatError(fn, file, 'valid gzip data', `${err.message} (after ${gz.bytesWritten} compressed bytes)`);
    }
    throw e;
  } finally {
    input.unpipe(gz);
    input.destroy();
    gz.destroy();
  }
}

/** True for a gzip stream (magic 1f 8b). */
export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}
