/** Every native kernel: one list per kernel family file. */
import type * as tf from '@tensorflow/tfjs';
import { matmulKernels } from './matmul.js';
import { binaryKernels } from './binary.js';
import { compareKernels } from './compare.js';
import { unaryKernels } from './unary.js';
import { reduceKernels } from './reduce.js';
import { softmaxKernels } from './softmax.js';
import { gatherKernels } from './gather.js';
import { castKernels } from './cast.js';
import { addNKernels } from './add_n.js';

export const nativeKernels: tf.KernelConfig[] = [...matmulKernels, ...binaryKernels, ...compareKernels, ...unaryKernels, ...reduceKernels, ...softmaxKernels, ...gatherKernels, ...castKernels, ...addNKernels];
