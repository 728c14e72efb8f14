/**
 * GatherV2 with batchDims 0 and int32 indices: x [outer, dim, slice] → [outer, ...indices.shape, slice]
 * by row copies (float32, int32 or bool x). Out-of-range indices and other cases go to the cpu kernel,
 * which raises TF.js's own error.
 */
import * as tf from '@tensorflow/tfjs';
import type { NativeBackend } from '../native_backend.js';
import type { KernelArgs } from './broadcast.js';
import { cpuKernel } from './cpu.js';

const cpuGather = cpuKernel(tf.GatherV2);

function gatherV2(args: KernelArgs<NativeBackend>): tf.TensorInfo {
  const { x, indices } = args.inputs as { x: tf.TensorInfo; indices: tf.TensorInfo };
  const { axis, batchDims } = args.attrs as unknown as tf.GatherV2Attrs;
  const be = args.backend;
  const xv = be.data.get(x.dataId).values, iv = be.data.get(indices.dataId).values;
  const elemOk = (x.dtype === 'float32' && xv instanceof Float32Array) || (x.dtype === 'int32' && xv instanceof Int32Array)
    || (x.dtype === 'bool' && xv instanceof Uint8Array);
  if (!elemOk || !(iv instanceof Int32Array) || (batchDims ?? 0) !== 0 || x.shape.length === 0) return cpuGather(args as never);
  const ax = tf.util.parseAxisParam(axis, x.shape)[0];
  const outer = tf.util.sizeFromShape(x.shape.slice(0, ax)), dim = x.shape[ax];
  const slice = tf.util.sizeFromShape(x.shape.slice(ax + 1));
  const shape = [...x.shape.slice(0, ax), ...indices.shape, ...x.shape.slice(ax + 1)];
  const size = tf.util.sizeFromShape(shape);
  if (size === 0) return cpuGather(args as never);
  const vals = xv as Float32Array | Int32Array | Uint8Array;
  if (x.dtype === 'float32') {
    let bad = -1;
    const res = be.makeOutputFromPool(shape, (out) => {
      bad = be.addon.gather(vals, iv, out, outer, dim, iv.length, slice, 4);
    });
    if (bad < 0) return res;
    be.disposeIntermediateTensorInfo(res);
    return cpuGather(args as never);
  }
  const out = x.dtype === 'int32' ? new Int32Array(size) : new Uint8Array(size);
  if (be.addon.gather(vals, iv, out, outer, dim, iv.length, slice, out.BYTES_PER_ELEMENT) >= 0) return cpuGather(args as never);
  return be.makeTensorInfo(shape, x.dtype, out);
}

export const gatherKernels: tf.KernelConfig[] = [
  { kernelName: tf.GatherV2, backendName: 'native', kernelFunc: gatherV2 as unknown as tf.KernelFunc },
];
