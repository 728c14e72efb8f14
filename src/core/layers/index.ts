/** Predicted layers and their helpers (docs/method.md §1). */
export { Dense, dense, fusedDense } from './dense.js';
export { PredictedDense } from './predicted_dense.js';
export type { PredictedDenseArgs, PredictedCommonArgs, InputGeometry } from './predicted_dense.js';
export { PredictedConv2D, convOutSize } from './predicted_conv2d.js';
export type { PredictedConv2DArgs } from './predicted_conv2d.js';
export { evalOrders, chooseOrder, denseOrderCosts, convOrderCosts } from './eval_order.js';
export type { EvalOrder, ConcreteOrder, DenseCostShape, ConvCostShape } from './eval_order.js';
export { calibrateScale } from './calibrate.js';
export type { CalibrationStep } from './calibrate.js';
export type { DictionarySpecLike } from './columns.js';
export type { SamplerSpecLike } from './alpha.js';
export { activationNames } from './activation.js';
export type { ActivationName } from './activation.js';
