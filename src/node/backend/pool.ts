/**
 * A size-keyed pool of Float32Array output buffers for native kernels. An array returns to the pool
 * only when the one tensor that held it is disposed; never one that `dataSync()` exposed, one that a
 * second tensor also holds, or one that another tensor views (cpu `Slice` returns subarrays), so reuse
 * cannot alias memory still in use (see NativeBackend.write/readSync). Cuts the full GC per convnet
 * step (ENGINE.md).
 */
export class BufferPool {
  private readonly free = new Map<number, Float32Array[]>();
  /** Buffers the pool made that never escaped. */
  private readonly owned = new WeakSet<ArrayBufferLike>();
  /** Owned buffers that a tensor holds right now. */
  private readonly live = new WeakSet<ArrayBufferLike>();
  private pooledBytes = 0;
  private pooledArrays = 0;
  /**
   * bf16 copies (precision.ts) of owned arrays, made on first use as a bf16 product's input and valid
   * while the array's values stay as they were. An owned array's values change only when the pool
   * hands it out again (acquire, after release) or when a kernel updates it in place (the optimizer
   * updates, kernels/fused_train.ts, which call `written`); every such path drops the copy, as does
   * losing ownership (disown: the array escaped to user code, who may write it; claim: a second
   * holder or a view). So a weight is converted once per step however many products read it, and an
   * activation or gradient once for its forward and backward products.
   */
  private readonly half = new WeakMap<Float32Array, Uint16Array>();
  private readonly freeHalf = new Map<number, Uint16Array[]>();
  private halfBytes = 0;
  /** Scratch bf16 buffers for arrays that cannot be cached (not owned), one per operand slot. */
  private readonly scratch: Uint16Array[] = [];

  constructor(
    /** Upper bound on bytes kept idle in the pool; beyond it released arrays go to the GC. */
    readonly maxBytes = 512 * 1024 * 1024,
  ) {}

  /** A Float32Array of exactly `size` elements, contents undefined. */
  acquire(size: number): Float32Array {
    const a = this.free.get(size)?.pop();
    if (a) {
      this.dropHalf(a);
      this.pooledBytes -= a.byteLength;
      this.pooledArrays--;
      return a;
    }
    const fresh = new Float32Array(size);
    if (size > 0) this.owned.add(fresh.buffer);
    return fresh;
  }

  /**
   * Notes that a tensor now holds `values`: the first holder of a whole pooled array makes it live;
   * a second holder or a view makes the pool forget the array for good.
   */
  claim(values: unknown): void {
    if (!(values instanceof Float32Array) || !this.owned.has(values.buffer)) return;
    if (this.isWhole(values) && !this.live.has(values.buffer)) this.live.add(values.buffer);
    else {
      this.owned.delete(values.buffer);
      this.dropHalf(values);
    }
  }

  /** Gives an array back (its tensor was disposed, or a kernel did not use it); ignored unless pooled. */
  release(a: Float32Array): void {
    if (!this.isOwned(a)) return;
    this.live.delete(a.buffer);
    this.dropHalf(a);
    if (this.pooledBytes + a.byteLength > this.maxBytes) return;
    let list = this.free.get(a.length);
    if (!list) this.free.set(a.length, (list = []));
    list.push(a);
    this.pooledBytes += a.byteLength;
    this.pooledArrays++;
  }

  /** Forget an array for good (it escaped to user code). */
  disown(a: Float32Array): void {
    this.owned.delete(a.buffer);
    this.dropHalf(a);
  }

  /** Notes that a kernel wrote `a`'s values in place: its bf16 copy is stale. */
  written(a: unknown): void {
    if (a instanceof Float32Array) this.dropHalf(a);
  }

  /**
   * `a`'s values as bf16, converted by `convert(src, dst)`: the cached copy of an owned array (made
   * now if missing), else a scratch buffer for operand `slot` that the next call with that slot
   * overwrites (use it before then).
   */
  bf16(a: Float32Array, slot: number, convert: (src: Float32Array, dst: Uint16Array) => void): Uint16Array {
    const cacheable: boolean = this.isOwned(a);
    if (cacheable) {
      let h = this.half.get(a);
      if (!h) {
        const reused = this.freeHalf.get(a.length)?.pop();
        if (reused) this.halfBytes -= reused.byteLength;
        h = reused ?? new Uint16Array(a.length);
        convert(a, h);
        this.half.set(a, h);
      }
      return h;
    }
    let s = this.scratch[slot];
    if (!s || s.length < a.length) s = this.scratch[slot] = new Uint16Array(a.length);
    const h = s.length === a.length ? s : s.subarray(0, a.length);
    convert(a, h);
    return h;
  }

  /**
   * Removes and returns `a`'s bf16 copy (null if none) for a kernel that rewrites `a` in place and
   * refreshes the copy in the same pass; give it back with `putBf16` after the write is noted.
   */
  takeBf16(a: Float32Array): Uint16Array | null {
    const h = this.half.get(a);
    if (!h) return null;
    this.half.delete(a);
    return h;
  }

  /** Sets `a`'s bf16 copy to `h`, which must hold bf16(a) now (from `takeBf16`). */
  putBf16(a: Float32Array, h: Uint16Array): void {
    if (this.isOwned(a) && h.length === a.length) this.half.set(a, h);
  }

  /** True when `a` has a bf16 copy now (for tests). */
  hasBf16(a: Float32Array): boolean {
    return this.half.has(a);
  }

  /** True for a whole array the pool made and still manages. */
  isOwned(a: unknown): a is Float32Array {
    return a instanceof Float32Array && this.owned.has(a.buffer) && this.isWhole(a);
  }

  /** Number of idle arrays and their bytes. */
  stats(): { arrays: number; bytes: number } {
    return { arrays: this.pooledArrays, bytes: this.pooledBytes };
  }

  clear(): void {
    this.free.clear();
    this.freeHalf.clear();
    this.halfBytes = 0;
    this.scratch.length = 0;
    this.pooledBytes = 0;
    this.pooledArrays = 0;
  }

  /** Forgets `a`'s bf16 copy, keeping the copy for reuse within the byte budget. */
  private dropHalf(a: Float32Array): void {
    const h = this.half.get(a);
    if (!h) return;
    this.half.delete(a);
    if (this.halfBytes + h.byteLength > this.maxBytes / 2) return;
    let list = this.freeHalf.get(h.length);
    if (!list) this.freeHalf.set(h.length, (list = []));
    list.push(h);
    this.halfBytes += h.byteLength;
  }

  private isWhole(a: Float32Array): boolean {
    return a.byteOffset === 0 && a.byteLength === a.buffer.byteLength;
  }
}
