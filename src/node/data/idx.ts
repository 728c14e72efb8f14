/**
 * IDX files (LeCun's MNIST format): big-endian u32 magic 0x0000 08 nd (type 0x08 = ubyte, nd dims),
 * nd big-endian u32 dims (the first is the item count), then count × prod(dims[1:]) bytes.
 */
import type { ByteReader } from './byte_reader.js';
import { DataFormatError } from './errors.js';

/** What a file must hold: its magic (2051 images, 2049 labels), the per-item dims, and the largest count accepted. */
export interface IdxExpect {
  magic: number;
  itemDims: number[];
  maxCount: number;
}

/** A checked header: item count and bytes per item. */
export interface IdxHeader {
  count: number;
  itemBytes: number;
  headerBytes: number;
}

/** Reads and checks the header; with `fileBytes` (an uncompressed file) also checks the total size up front. */
export async function readIdxHeader(reader: ByteReader, fn: string, file: string, expect: IdxExpect, fileBytes?: number): Promise<IdxHeader> {
  const nd = expect.itemDims.length + 1;
  const m = await reader.read(4);
  if (m.length < 4) throw new DataFormatError(fn, file, `IDX magic ${expect.magic}`, `a ${m.length}-byte file`);
  const magic = m.readUInt32BE(0);
  if (magic !== expect.magic) throw new DataFormatError(fn, file, `IDX magic ${expect.magic} (0x${expect.magic.toString(16).padStart(8, '0')})`, `${magic} (0x${magic.toString(16).padStart(8, '0')})`);
  const d = await reader.read(4 * nd);
  if (d.length < 4 * nd) throw new DataFormatError(fn, file, `${nd} IDX dimensions`, `the file ending after ${4 + d.length} bytes`);
  const dims = Array.from({ length: nd }, (_, i) => d.readUInt32BE(4 * i));
  const got = dims.slice(1);
  if (got.some((v, i) => v !== expect.itemDims[i])) throw new DataFormatError(fn, file, `item dims [${expect.itemDims.join(', ')}]`, `[${got.join(', ')}]`);
  const count = dims[0];
  if (count > expect.maxCount) throw new DataFormatError(fn, file, `at most ${expect.maxCount} items`, `count ${count}`);
  const itemBytes = expect.itemDims.reduce((a, b) => a * b, 1);
  const headerBytes = 4 + 4 * nd;
  if (fileBytes !== undefined && fileBytes !== headerBytes + count * itemBytes) {
    throw new DataFormatError(fn, file, `${headerBytes + count * itemBytes} bytes (${headerBytes} header + ${count} × ${itemBytes})`, `${fileBytes} bytes`);
  }
  return { count, itemBytes, headerBytes };
}

/** Reads item rows [start, end) for each sorted, disjoint range; when the last range reaches `count`, also checks that nothing follows. */
export async function readIdxRows(reader: ByteReader, fn: string, file: string, h: IdxHeader, ranges: [number, number][]): Promise<Buffer[]> {
  const out: Buffer[] = [];
  let at = 0;
  const total = h.headerBytes + h.count * h.itemBytes;
  for (const [s, e] of ranges) {
    const skip = (s - at) * h.itemBytes;
    const skipped = await reader.skip(skip);
    const b = skipped < skip ? Buffer.alloc(0) : await reader.read((e - s) * h.itemBytes);
    if (skipped < skip || b.length < (e - s) * h.itemBytes) {
      throw new DataFormatError(fn, file, `${total} bytes (${h.count} items of ${h.itemBytes})`, `the data ending after ${reader.pos} bytes (truncated)`);
    }
    out.push(b);
    at = e;
  }
  if (at === h.count && !(await reader.atEnd())) throw new DataFormatError(fn, file, `${total} bytes (${h.count} items of ${h.itemBytes})`, 'more bytes after the last item');
  return out;
}

/** Reads a whole IDX stream: header plus all items as one buffer. */
export async function readIdx(reader: ByteReader, fn: string, file: string, expect: IdxExpect, fileBytes?: number): Promise<{ count: number; data: Buffer }> {
  const h = await readIdxHeader(reader, fn, file, expect, fileBytes);
  const [data] = await readIdxRows(reader, fn, file, h, [[0, h.count]]);
  return { count: h.count, data };
}
