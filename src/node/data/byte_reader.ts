/** Exact-length reads over a stream of chunks (a file, a gunzip stream, a tar member), without loading the whole stream. */

export class ByteReader {
  private readonly it: AsyncIterator<Uint8Array>;
  private chunks: Buffer[] = [];
  private head = 0;
  private buffered = 0;
  private done = false;
  /** Bytes consumed so far (read or skipped). */
  pos = 0;

  constructor(src: AsyncIterable<Uint8Array>) {
    this.it = src[Symbol.asyncIterator]();
  }

  private async pull(): Promise<boolean> {
    if (this.done) return false;
    const r = await this.it.next();
    if (r.done) {
      this.done = true;
      return false;
    }
    const v = r.value;
    if (v.byteLength > 0) {
      this.chunks.push(Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength));
      this.buffered += v.byteLength;
    }
    return true;
  }

  private async fill(n: number): Promise<void> {
    while (this.buffered < n && (await this.pull()));
  }

  /** The next min(n, bytes left) bytes; fewer than n only at the end of the stream. */
  async read(n: number): Promise<Buffer> {
    await this.fill(n);
    const take = Math.min(n, this.buffered);
    const first = this.chunks[this.head];
    let out: Buffer;
    if (take === 0) out = Buffer.alloc(0);
    else if (first.length >= take) {
      out = first.subarray(0, take);
      this.consumeFront(take);
    } else {
      const parts: Buffer[] = [];
      let left = take;
      while (left > 0) {
        const c = this.chunks[this.head];
        const k = Math.min(left, c.length);
        parts.push(c.subarray(0, k));
        this.consumeFront(k);
        left -= k;
      }
      out = Buffer.concat(parts, take);
    }
    return out;
  }

  /** Drops up to n bytes; returns how many were dropped (fewer than n only at the end of the stream). */
  async skip(n: number): Promise<number> {
    let left = n;
    while (left > 0) {
      if (this.buffered === 0 && !(await this.pull())) break;
      if (this.buffered === 0) continue;
      const k = Math.min(left, this.chunks[this.head].length);
      this.consumeFront(k);
      left -= k;
    }
    return n - left;
  }

  /** True when no byte is left. */
  async atEnd(): Promise<boolean> {
    await this.fill(1);
    return this.buffered === 0;
  }

  /** Stops the underlying stream (early exit). */
  async close(): Promise<void> {
    this.chunks = [];
    this.head = 0;
    this.buffered = 0;
    if (!this.done) {
      this.done = true;
      await this.it.return?.();
    }
  }

  private consumeFront(k: number): void {
    const c = this.chunks[this.head];
    if (k === c.length) {
      this.head++;
      if (this.head > 1024) {
        this.chunks = this.chunks.slice(this.head);
        this.head = 0;
      }
    } else this.chunks[this.head] = c.subarray(k);
    this.buffered -= k;
    this.pos += k;
  }
}
