/**
 * A size-keyed pool of Float32Array output buffers for native kernels. Only arrays that the pool
 * handed out come back to it, and never one that `dataSync()` exposed (see NativeBackend.readSync),
 * so reuse cannot alias memory a user still holds. Cuts the full GC per convnet step (ENGINE.md).
 */
export class BufferPool {
  private readonly free = new Map<number, Float32Array[]>();
  private readonly owned = new WeakSet<Float32Array>();
  private pooledBytes = 0;

  constructor(
    /** Upper bound on bytes kept idle in the pool; beyond it released arrays go to the GC. */
    readonly maxBytes = 512 * 1024 * 1024,
  ) {}

  /** A Float32Array of exactly `size` elements, contents undefined. */
  acquire(size: number): Float32Array {
    const list = this.free.get(size);
    const a = list?.pop();
    if (a) {
      this.pooledBytes -= a.byteLength;
      return a;
    }
    const fresh = new Float32Array(size);
    this.owned.add(fresh);
    return fresh;
  }

  /** Gives an array back; ignored unless it came from this pool. */
  release(a: Float32Array): void {
    if (!this.owned.has(a) || this.pooledBytes + a.byteLength > this.maxBytes) return;
    let list = this.free.get(a.length);
    if (!list) this.free.set(a.length, (list = []));
    list.push(a);
    this.pooledBytes += a.byteLength;
  }

  /** Forget an array for good (it escaped to user code). */
  disown(a: Float32Array): void {
    this.owned.delete(a);
  }

  isOwned(a: unknown): a is Float32Array {
    return a instanceof Float32Array && this.owned.has(a);
  }

  /** Number of idle arrays and their bytes. */
  stats(): { arrays: number; bytes: number } {
    let arrays = 0;
    for (const l of this.free.values()) arrays += l.length;
    return { arrays, bytes: this.pooledBytes };
  }

  clear(): void {
    this.free.clear();
    this.pooledBytes = 0;
  }
}
