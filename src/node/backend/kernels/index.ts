/** Every native kernel: one list per kernel family file. */
import type * as tf from '@tensorflow/tfjs';
import { matmulKernels } from './matmul.js';
import { fusedMatmulKernels } from './fused_matmul.js';
import { conv2dKernels } from './conv2d.js';
import { fusedConv2dKernels } from './fused_conv2d.js';
import { conv2dBackpropInputKernels } from './conv2d_backprop_input.js';
import { conv2dBackpropFilterKernels } from './conv2d_backprop_filter.js';
import { depthwiseConv2dKernels } from './depthwise_conv2d.js';
import { maxPoolKernels } from './max_pool.js';
import { avgPoolKernels } from './avg_pool.js';
import { binaryKernels } from './binary.js';
import { compareKernels } from './compare.js';
import { unaryKernels } from './unary.js';
import { reduceKernels } from './reduce.js';
import { softmaxKernels } from './softmax.js';
import { gatherKernels } from './gather.js';
import { castKernels } from './cast.js';
import { addNKernels } from './add_n.js';
import { transposeKernels } from './transpose.js';
import { fusedTrainKernels } from './fused_train.js';
import { xentKernels } from './xent.js';
import { groupedConv2dKernels } from './grouped_conv2d.js';

export const nativeKernels: tf.KernelConfig[] = [...matmulKernels, ...fusedMatmulKernels, ...conv2dKernels, ...fusedConv2dKernels, ...conv2dBackpropInputKernels, ...conv2dBackpropFilterKernels, ...depthwiseConv2dKernels, ...maxPoolKernels, ...avgPoolKernels, ...binaryKernels, ...compareKernels, ...unaryKernels, ...reduceKernels, ...softmaxKernels, ...gatherKernels, ...castKernels, ...addNKernels, ...transposeKernels, ...fusedTrainKernels, ...xentKernels, ...groupedConv2dKernels];
