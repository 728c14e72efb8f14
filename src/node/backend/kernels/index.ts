/** Every native kernel: one list per kernel family file. */
import type * as tf from '@tensorflow/tfjs';
import { matmulKernels } from './matmul.js';

export const nativeKernels: tf.KernelConfig[] = [...matmulKernels];
