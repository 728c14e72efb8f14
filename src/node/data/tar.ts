/**
 * A streaming reader for ustar archives (POSIX "ustar\0" and GNU "ustar  "), enough for the official
 * dataset tarballs: regular files, directories, GNU long names ('L'), pax path records ('x'); other
 * entry types are skipped. Header checksums are checked; any malformed header throws DataFormatError.
 */
import type { ByteReader } from './byte_reader.js';
import { DataFormatError } from './errors.js';

/** One archive member: full path, size in bytes, type flag ('0' file, '5' directory, …). */
export interface TarEntry {
  name: string;
  size: number;
  type: string;
}

/** Bounded reads of the current member's body. */
export interface TarBody {
  remaining(): number;
  read(n: number): Promise<Buffer>;
}

const BLOCK = 512;
/** Largest member accepted (1 TiB): guards against absurd sizes in a corrupt header. */
const MAX_SIZE = 2 ** 40;

function cstr(b: Buffer, off: number, len: number): string {
  const s = b.subarray(off, off + len);
  const z = s.indexOf(0);
  return s.subarray(0, z < 0 ? len : z).toString('utf8');
}

function octal(b: Buffer, off: number, len: number, fn: string, file: string, what: string): number {
  const f = b.subarray(off, off + len);
  if (f[0] & 0x80) {
    // GNU base-256: big-endian magnitude in the remaining bytes.
    let v = f[0] & 0x3f;
    for (let i = 1; i < len; i++) v = v * 256 + f[i];
    if (f[0] & 0x40 || v > MAX_SIZE) throw new DataFormatError(fn, file, `tar ${what} in [0, 2^40]`, 'a negative or huge base-256 value');
    return v;
  }
  const s = cstr(b, off, len).trim();
  if (!/^[0-7]*$/.test(s)) throw new DataFormatError(fn, file, `tar ${what} as octal digits`, JSON.stringify(s));
  return s === '' ? 0 : parseInt(s, 8);
}

function headerSum(h: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
  return sum;
}

/** Calls `visit` for each member in order; bytes of the body that `visit` leaves unread are skipped. */
export async function walkTar(reader: ByteReader, fn: string, file: string, visit: (e: TarEntry, body: TarBody) => Promise<void>): Promise<void> {
  let longName: string | undefined;
  let entries = 0;
  for (;;) {
    const at = reader.pos;
    const h = await reader.read(BLOCK);
    if (h.length === 0 && entries > 0) return; // archive without end-of-archive blocks
    if (h.length < BLOCK) throw new DataFormatError(fn, file, `a ${BLOCK}-byte tar header at offset ${at}`, `${h.length} bytes (truncated)`);
    if (h.every((x) => x === 0)) {
      if (entries === 0) throw new DataFormatError(fn, file, 'at least one tar member', 'an empty archive');
      return;
    }
    const magic = h.subarray(257, 265).toString('latin1');
    const posix = magic === 'ustar\u000000';
    if (!posix && magic !== 'ustar  \u0000') throw new DataFormatError(fn, file, `ustar magic at offset ${at + 257}`, JSON.stringify(magic));
    const sum = octal(h, 148, 8, fn, file, 'header checksum');
    if (sum !== headerSum(h)) throw new DataFormatError(fn, file, `tar header checksum ${sum} at offset ${at}`, `${headerSum(h)}`);
    const size = octal(h, 124, 12, fn, file, 'member size');
    const type = String.fromCharCode(h[156] || 0x30);
    let name = cstr(h, 0, 100);
    if (posix) {
      const prefix = cstr(h, 345, 155);
      if (prefix) name = `${prefix}/${name}`;
    }
    const hasBody = type !== '5' && type !== '1' && type !== '2';
    const bodySize = hasBody ? size : 0;
    let left = bodySize;
    const body: TarBody = {
      remaining: () => left,
      read: async (n) => {
        const want = Math.min(n, left);
        const b = await reader.read(want);
        left -= b.length;
        if (b.length < want) throw new DataFormatError(fn, `${file}:${name}`, `${bodySize} bytes of tar member data`, `the archive ending after ${bodySize - left}`);
        return b;
      },
    };
    entries++;
    if (type === 'L' || type === 'x') {
      if (bodySize > 1 << 20) throw new DataFormatError(fn, file, 'a long-name/pax record under 1 MiB', `${bodySize} bytes`);
      const text = (await body.read(bodySize)).toString('utf8');
      if (type === 'L') longName = text.replace(/\0+$/, '');
      else {
        const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(text);
        if (m) longName = m[1];
      }
    } else if (type === 'g') {
      await body.read(bodySize);
    } else {
      if (longName !== undefined) name = longName;
      longName = undefined;
      await visit({ name, size: bodySize, type }, body);
    }
    const pad = (BLOCK - (bodySize % BLOCK)) % BLOCK;
    const rest = left + pad;
    const skipped = await reader.skip(rest);
    if (skipped < left) throw new DataFormatError(fn, `${file}:${name}`, `${bodySize} bytes of tar member data`, `the archive ending after ${bodySize - left + skipped}`);
    if (skipped < rest) throw new DataFormatError(fn, file, `tar padding to a ${BLOCK}-byte boundary after ${name}`, 'the archive ending early');
  }
}

/** The last path component of a member name. */
export function baseName(name: string): string {
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  return parts.length ? parts[parts.length - 1] : '';
}
