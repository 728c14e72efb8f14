/**
 * The `native` TF.js backend: the cpu backend's class and kernels, with the hot kernels replaced by
 * native ones (oneDNN through the N-API addon). Kernels that meet a case they do not handle natively
 * call the cpu kernel instead.
 */
import * as tf from '@tensorflow/tfjs';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { NativeAddon } from './binding.js';
import { BufferPool } from './pool.js';

export class NativeBackend extends MathBackendCPU {
  readonly pool = new BufferPool();
  constructor(readonly addon: NativeAddon) {
    super();
    // The cpu backend's first write prints "install tfjs-node to speed things up": not true of this backend.
    (this as unknown as { firstUse: boolean }).firstUse = false;
  }

  /** A tensor on this backend whose values come from the pool; `fill` writes them. */
  makeOutputFromPool(shape: number[], fill: (out: Float32Array) => void): tf.TensorInfo {
    const size = shape.reduce((a, b) => a * b, 1);
    const out = this.pool.acquire(size);
    fill(out);
    return this.makeTensorInfo(shape, 'float32', out);
  }

  /**
   * Like makeOutputFromPool, for kernels that may decline: `fill` returns false when it did not
   * write the output (the buffer goes back to the pool) and the result is null.
   */
  tryOutputFromPool(shape: number[], fill: (out: Float32Array) => boolean): tf.TensorInfo | null {
    const size = shape.reduce((a, b) => a * b, 1);
    const out = this.pool.acquire(size);
    if (!fill(out)) {
      this.pool.release(out);
      return null;
    }
    return this.makeTensorInfo(shape, 'float32', out);
  }

  /**
   * True when `t`'s values may be overwritten in place: one tensor holds them (no clone, no view) and
   * they are a pooled array that never escaped to user code (dataSync) — no one else can see a change.
   */
  exclusive(t: tf.TensorInfo): boolean {
    return this.refCount(t.dataId) === 1 && this.pool.isOwned(this.data.get(t.dataId)?.values);
  }

  /** A second handle on `t`'s data, as a kernel output (for kernels that updated `t` in place). */
  sameData(t: tf.TensorInfo): tf.TensorInfo {
    this.pool.written(this.data.get(t.dataId)?.values);
    this.incRef(t.dataId);
    return { dataId: t.dataId, shape: t.shape, dtype: t.dtype };
  }

  /**
   * `v` as bf16 for a bf16 product's operand `slot` (0, 1, …): cached for pooled arrays until their
   * values change (BufferPool.bf16), else converted into the slot's scratch buffer.
   */
  bf16(v: Float32Array, slot: number): Uint16Array {
    return this.pool.bf16(v, slot, (src, dst) => this.addon.toBf16(src, dst));
  }

  /** Values of a float32 tensor as a Float32Array (no copy when they already are one). */
  f32(t: tf.TensorInfo): Float32Array {
    const v = this.data.get(t.dataId).values;
    return v instanceof Float32Array ? v : Float32Array.from(v as ArrayLike<number>);
  }

  override write(values: tf.backend_util.BackendValues, shape: number[], dtype: tf.DataType): object {
    this.pool.claim(values);
    return super.write(values, shape, dtype);
  }

  override move(dataId: object, values: tf.backend_util.BackendValues, shape: number[], dtype: tf.DataType, refCount: number): void {
    this.pool.claim(values);
    super.move(dataId, values, shape, dtype, refCount);
  }

  override readSync(dataId: object): tf.backend_util.BackendValues {
    const v = super.readSync(dataId);
    if (this.pool.isOwned(v)) this.pool.disown(v);
    return v;
  }

  override disposeData(dataId: object, force = false): boolean {
    // `has` first: DataStorage.get of an id this backend never held (a kernel's or makeTensorFromDataId's
    // own dataId) asks the engine to move the data here, which reads it back through this backend:
    // endless recursion. The cpu backend checks `has` the same way.
    const entry = this.data.has(dataId) ? this.data.get(dataId) : undefined;
    const values = entry?.values;
    const freed = super.disposeData(dataId, force);
    if (freed && entry && this.pool.isOwned(values)) this.pool.release(values);
    return freed;
  }

  override dispose(): void {
    this.pool.clear();
    super.dispose();
  }
}
