/** Strict parsers for the ASCII tabular datasets (Letter CSV, MADELON whitespace tables); bad input throws DataFormatError naming the line. */
import { DataFormatError } from './errors.js';

/** Lines of a text file: LF (or CRLF) separated; one trailing newline allowed; no blank lines inside. */
export function textLines(b: Uint8Array, fn: string, file: string): string[] {
  const text = Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) throw new DataFormatError(fn, file, 'at least one line', 'an empty file');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].endsWith('\r')) lines[i] = lines[i].slice(0, -1);
    if (lines[i] === '') throw new DataFormatError(fn, file, 'no blank lines', `a blank line ${i + 1}`);
  }
  return lines;
}

const INT = /^-?\d{1,9}$/;

/** A non-negative integer field in [lo, hi]. */
export function intField(s: string, lo: number, hi: number, fn: string, file: string, where: string): number {
  if (!INT.test(s)) throw new DataFormatError(fn, file, `an integer in ${lo}..${hi} at ${where}`, JSON.stringify(s.slice(0, 40)));
  const v = Number(s);
  if (v < lo || v > hi) throw new DataFormatError(fn, file, `an integer in ${lo}..${hi} at ${where}`, `${v}`);
  return v;
}

/** UCI Letter Recognition rows "L,f1,…,f16": class A–Z → 0..25, 16 integer features 0..15. */
export function parseLetter(b: Uint8Array, fn: string, file: string): { x: Float32Array; y: Int32Array } {
  const lines = textLines(b, fn, file);
  const x = new Float32Array(lines.length * 16), y = new Int32Array(lines.length);
  lines.forEach((line, i) => {
    const f = line.split(',');
    if (f.length !== 17) throw new DataFormatError(fn, file, `17 comma-separated fields on line ${i + 1}`, `${f.length}`);
    if (!/^[A-Z]$/.test(f[0])) throw new DataFormatError(fn, file, `a class letter A–Z on line ${i + 1}`, JSON.stringify(f[0].slice(0, 40)));
    y[i] = f[0].charCodeAt(0) - 65;
    for (let j = 0; j < 16; j++) x[i * 16 + j] = intField(f[j + 1], 0, 15, fn, file, `line ${i + 1} field ${j + 2}`);
  });
  return { x, y };
}

/** MADELON data rows: `d` integers 0..999 separated by single spaces (trailing space allowed). */
export function parseMadelonData(b: Uint8Array, d: number, fn: string, file: string): Float32Array {
  const lines = textLines(b, fn, file);
  const x = new Float32Array(lines.length * d);
  lines.forEach((line, i) => {
    const f = (line.endsWith(' ') ? line.slice(0, -1) : line).split(' ');
    if (f.length !== d) throw new DataFormatError(fn, file, `${d} space-separated values on line ${i + 1}`, `${f.length}`);
    for (let j = 0; j < d; j++) x[i * d + j] = intField(f[j], 0, 999, fn, file, `line ${i + 1} value ${j + 1}`);
  });
  return x;
}

/** MADELON labels, one "1" or "-1" per line → 1 / 0. */
export function parseMadelonLabels(b: Uint8Array, fn: string, file: string): Int32Array {
  const lines = textLines(b, fn, file);
  const y = new Int32Array(lines.length);
  lines.forEach((l, i) => {
    const t = l.trim();
    if (t !== '1' && t !== '-1') throw new DataFormatError(fn, file, `a label 1 or -1 on line ${i + 1}`, JSON.stringify(l.slice(0, 40)));
    y[i] = t === '1' ? 1 : 0;
  });
  return y;
}
