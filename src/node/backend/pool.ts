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

  constructor(
    /** Upper bound on bytes kept idle in the pool; beyond it released arrays go to the GC. */
    readonly maxBytes = 512 * 1024 * 1024,
  ) {}

  /** A Float32Array of exactly `size` elements, contents undefined. */
  acquire(size: number): Float32Array {
    const a = this.free.get(size)?.pop();
    if (a) {
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
    else this.owned.delete(values.buffer);
  }

  /** Gives an array back (its tensor was disposed, or a kernel did not use it); ignored unless pooled. */
  release(a: Float32Array): void {
    if (!this.isOwned(a)) return;
    this.live.delete(a.buffer);
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
    this.pooledBytes = 0;
    this.pooledArrays = 0;
  }

  private isWhole(a: Float32Array): boolean {
    return a.byteOffset === 0 && a.byteLength === a.buffer.byteLength;
  }
}
