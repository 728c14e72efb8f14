/** Errors in one form: "fn: expected …, got …". Thrown at public entry points only; kernels assume valid input. */
export class ParampredError extends Error {
  constructor(
    /** The public function, method or CLI command that rejected its input. */
    readonly fn: string,
    message: string,
  ) {
    super(`${fn}: ${message}`);
    this.name = 'ParampredError';
  }
}

/** Throws ParampredError(fn, `expected ${expected}, got ${got}`) unless `ok`. */
export function check(ok: boolean, fn: string, expected: string, got: unknown): asserts ok {
  if (!ok) throw new ParampredError(fn, `expected ${expected}, got ${describe(got)}`);
}

/** A short printable description of a value for error messages (shapes for tensors, JSON otherwise). */
export function describe(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (v !== null && typeof v === 'object' && 'shape' in v && Array.isArray((v as { shape: unknown }).shape)) {
    return `tensor of shape [${(v as { shape: number[] }).shape.join(', ')}]`;
  }
  try {
    const s = JSON.stringify(v);
    return s.length > 200 ? s.slice(0, 200) + '…' : s;
  } catch {
    return String(v);
  }
}

/** Error for an unknown registry name, listing the known ones. */
export function unknownName(fn: string, what: string, got: string, known: readonly string[]): ParampredError {
  return new ParampredError(fn, `expected ${what} to be one of ${known.map((k) => JSON.stringify(k)).join(', ')}, got ${JSON.stringify(got)}`);
}
