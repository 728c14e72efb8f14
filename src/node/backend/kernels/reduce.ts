/**
 * Reductions Sum, Mean, Max, Min over TF.js axis attrs (keepDims included), float32 only. The reduced
 * axes must form one block once size-1 dims are ignored — x is then [outer, r, inner] and the native
 * loop reads it in place (rows when inner = 1, strided columns otherwise); other axis sets, other
 * dtypes and empty tensors go to the cpu kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { NativeBackend } from '../native_backend.js';
import type { KernelArgs } from './broadcast.js';
import { cpuKernel } from './cpu.js';

/** Opcodes of native/src/reduce.cc (enum RedOp). */
const REDUCE_OPS = { [tf.Sum]: 0, [tf.Mean]: 1, [tf.Max]: 2, [tf.Min]: 3 } as const;

/** [outer, r, inner] when the axes form one block of x's non-unit dims, else null. */
export function reductionBlock(shape: number[], axes: number[]): [number, number, number] | null {
  let outer = 1, r = 1, inner = 1;
  let phase = 0; // 0: before the block, 1: inside, 2: after
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (d === 1) continue;
    const reduced = axes.includes(i);
    if (reduced) {
      if (phase === 2) return null;
      phase = 1;
      r *= d;
    } else if (phase === 0) outer *= d;
    else {
      phase = 2;
      inner *= d;
    }
  }
  return [outer, r, inner];
}

function reduceKernel(name: keyof typeof REDUCE_OPS): tf.KernelConfig {
  const cpu = cpuKernel(name);
  const op = REDUCE_OPS[name];
  const kernelFunc = (args: KernelArgs<NativeBackend>): tf.TensorInfo => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const attrs = args.attrs as { axis?: number | number[]; reductionIndices?: number | number[]; keepDims: boolean };
    if (x.dtype !== 'float32' || tf.util.sizeFromShape(x.shape) === 0) return cpu(args as never);
    const axes = tf.util.parseAxisParam((name === tf.Max ? attrs.reductionIndices : attrs.axis) ?? x.shape.map((_, i) => i), x.shape);
    const block = reductionBlock(x.shape, axes);
    if (!block) return cpu(args as never);
    const [outShape] = tf.backend_util.computeOutAndReduceShapes(x.shape, axes);
    const shape = attrs.keepDims ? tf.backend_util.expandShapeToKeepDim(outShape, axes) : outShape;
    const be = args.backend;
    const xv = be.f32(x);
    return be.makeOutputFromPool(shape, (out) => be.addon.reduce(op, xv, out, block[0], block[1], block[2]));
  };
  return { kernelName: name, backendName: 'native', kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}

export const reduceKernels: tf.KernelConfig[] = (Object.keys(REDUCE_OPS) as (keyof typeof REDUCE_OPS)[]).map(reduceKernel);
