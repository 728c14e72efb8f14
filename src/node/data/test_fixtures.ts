/** Test-only fixture writers: small files in the exact on-disk formats, with pixel values given by a formula (pix) the tests check against. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** A fresh temporary directory. */
export const tmp = (tag: string): string => mkdtempSync(join(tmpdir(), `pp-${tag}-`));

/** Writes `data` at dir/rel, creating folders. */
export function put(dir: string, rel: string, data: Uint8Array | string): string {
  const p = join(dir, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, data);
  return p;
}

/** The reference pixel value of image i at (row, col, channel). */
export const pix = (i: number, r: number, c: number, ch: number): number => (i * 31 + r * 7 + c * 13 + ch * 101) & 255;

/** An IDX file: magic, dims (big-endian u32), then bytes. */
export function idx(magic: number, dims: number[], data: Uint8Array): Buffer {
  const h = Buffer.alloc(4 + 4 * dims.length);
  h.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => h.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([h, data]);
}

/** MNIST-style images (pix channel 0) and labels ((i·3+k) mod 10) for n items starting at image index k. */
export function mnistPair(n: number, k = 0): { images: Buffer; labels: Buffer } {
  const im = new Uint8Array(n * 784), lb = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    lb[i] = (i * 3 + k) % 10;
    for (let r = 0; r < 28; r++) for (let c = 0; c < 28; c++) im[i * 784 + r * 28 + c] = pix(i + k, r, c, 0);
  }
  return { images: idx(2051, [n, 28, 28], im), labels: idx(2049, [n], lb) };
}

/** A fixture mnist/ folder: nTrain + nTest items, gzipped or raw. */
export function writeMnist(dir: string, nTrain: number, nTest: number, gz = true): void {
  const tr = mnistPair(nTrain), te = mnistPair(nTest, 1000);
  const z = (b: Buffer) => (gz ? gzipSync(b) : b);
  const s = gz ? '.gz' : '';
  put(dir, `mnist/train-images-idx3-ubyte${s}`, z(tr.images));
  put(dir, `mnist/train-labels-idx1-ubyte${s}`, z(tr.labels));
  put(dir, `mnist/t10k-images-idx3-ubyte${s}`, z(te.images));
  put(dir, `mnist/t10k-labels-idx1-ubyte${s}`, z(te.labels));
}

/** A CIFAR binary batch of n records for images k..k+n−1: label (i mod 10), then R, G, B planes of pix. */
export function cifarBatch(n: number, k: number): Buffer {
  const b = Buffer.alloc(n * 3073);
  for (let i = 0; i < n; i++) {
    b[i * 3073] = (i + k) % 10;
    for (let ch = 0; ch < 3; ch++) for (let r = 0; r < 32; r++) for (let c = 0; c < 32; c++) b[i * 3073 + 1 + ch * 1024 + r * 32 + c] = pix(i + k, r, c, ch);
  }
  return b;
}

/** STL-10 images k..k+n−1: per image 3 planes of 96×96, each column-major (byte ch·9216 + col·96 + row = pix). */
export function stlX(n: number, k: number): Buffer {
  const b = Buffer.alloc(n * 27648);
  for (let i = 0; i < n; i++) for (let ch = 0; ch < 3; ch++) for (let c = 0; c < 96; c++) for (let r = 0; r < 96; r++) b[i * 27648 + ch * 9216 + c * 96 + r] = pix(i + k, r, c, ch);
  return b;
}

/** STL-10 labels 1..10 for images k..k+n−1: ((i mod 10) + 1). */
export function stlY(n: number, k: number): Buffer {
  return Buffer.from(Array.from({ length: n }, (_, i) => ((i + k) % 10) + 1));
}

/** A POSIX ustar archive (names ≤ 100 bytes) with two zero blocks at the end. */
export function ustar(entries: { name: string; data: Uint8Array; type?: string }[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const h = Buffer.alloc(512);
    h.write(e.name, 0, 100, 'utf8');
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(e.data.length.toString(8).padStart(11, '0') + '\0', 124);
    h.write('00000000000\0', 136);
    h.write('        ', 148);
    h.write(e.type ?? '0', 156);
    h.write('ustar\u000000', 257, 'latin1');
    let sum = 0;
    for (const x of h) sum += x;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    parts.push(h, Buffer.from(e.data), Buffer.alloc((512 - (e.data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** Letter-recognition CSV rows: class (i mod 26), feature j = (i·(j+1) + j) mod 16. */
export function letterCsv(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(65 + (i % 26)) + ',' + Array.from({ length: 16 }, (_, j) => (i * (j + 1) + j) % 16).join(',') + '\n';
  return s;
}

/** MADELON-style data (d values (i·7 + j·3) mod 1000, trailing space) and ±1 labels (1 when i is odd). */
export function madelonText(n: number, d = 500, k = 0): { data: string; labels: string } {
  let data = '', labels = '';
  for (let i = k; i < k + n; i++) {
    data += Array.from({ length: d }, (_, j) => (i * 7 + j * 3) % 1000).join(' ') + ' \n';
    labels += (i % 2 ? '1' : '-1') + '\n';
  }
  return { data, labels };
}
