/**
 * The two evaluation orders of a predicted layer (poster, "Two perspectives"; docs/method.md §1):
 * feature completion h = v(UV) ('complete') and pooling h = (vU)V ('pool'). Costs are
 * multiply-adds of one training step (forward + backward), weighted where a kind of product runs
 * slower per multiply-add (FORM_WEIGHT, DEPTHWISE_WEIGHT), so 'auto' picks the cheaper per call.
 */
export const evalOrders = ['auto', 'complete', 'pool'] as const;
export type EvalOrder = (typeof evalOrders)[number];
export type ConcreteOrder = Exclude<EvalOrder, 'auto'>;

/** Shape of one predicted dense layer: W (n_v × n_h) in J columns, each W_j = U_j V_j with n_α atoms. */
export interface DenseCostShape {
  batch: number;
  nIn: number;
  units: number;
  nAlpha: number;
  columns: number;
  /** Whether backprop must reach the layer's input (false for a first layer fed by data). */
  inputGrad: boolean;
  /** Whether U is trained too (lowrank). */
  trainableU?: boolean;
}

/**
 * Weight of the multiply-adds that form W = U·V and its gradient ∂V = Uᵀ∂W in the 'complete' order
 * (J products of n×n_α by n_α×(u/J), plus reshapes) against plain products. Measured here on the
 * MNIST MLP's layers (batch 128, 10 columns, fractions 0.05–0.5): 'complete' ran at 90–105 GFLOP/s
 * where 'pool' ran at 120–150, and plain counts chose 'complete' for the 784→500 layer at 0.5 where
 * pooling was 27 % faster; weights 1.2–2.2 choose the faster order in all eight cases.
 * (Fitted 2026-12-01; current step times: results/bench-layers.json.)
 */
export const FORM_WEIGHT = 1.6;

/**
 * Costs of one forward+backward step in each order, in multiply-adds, those forming W and ∂V weighted
 * by FORM_WEIGHT (b batch, n = n_v, a = n_α, J columns, u = n_h):
 * complete: form W (J·n·a·u/J) + x·W (b·n·u) + ∂W (b·n·u) + ∂V = U_jᵀ∂W_j (n·a·u) [+ ∂x b·n·u] [+ ∂U n·a·u];
 * pool:     x·U (b·n·J·a) + (xU)·V (b·a·u) + ∂V (b·a·u) + ∂(xU) (b·a·u) [+ ∂x b·n·J·a] [+ ∂U b·n·J·a].
 */
export function denseOrderCosts(s: DenseCostShape): Record<ConcreteOrder, number> {
  const { batch: b, nIn: n, units: u, nAlpha: a, columns: J } = s;
  const complete = FORM_WEIGHT * 2 * n * a * u + 2 * b * n * u + (s.inputGrad ? b * n * u : 0) + (s.trainableU ? n * a * u : 0);
  const pool = b * n * J * a + 3 * b * a * u + (s.inputGrad ? b * n * J * a : 0) + (s.trainableU ? b * n * J * a : 0);
  return { complete, pool };
}

/** Shape of one predicted conv layer: filters (kh, kw, c_in, c_out), output positions per image. */
export interface ConvCostShape {
  batch: number;
  /** kh·kw: the spatial positions U_s spans. */
  positions: number;
  cIn: number;
  cOut: number;
  nAlpha: number;
  columns: number;
  /** Output height × width. */
  outPixels: number;
  inputGrad: boolean;
  trainableU?: boolean;
}

/**
 * Weight of a depthwise-conv multiply-add against a dense conv's or matrix product's. The depthwise
 * stage of 'pool' (c_in·J·n_α channels) is memory-bound: on the native backend here it ran at 3–88
 * GFLOP/s where the same layers' dense convs ran at 15–165. Fitted to both orders' measured
 * forward+backward times of the CIFAR convnet's three convs at fractions 0.05–0.5: weights 5–10 pick
 * the faster order in 10 of 12 cases (5 ms lost in all), weight 1 (plain counts) in 8 (46 ms lost).
 * (Fitted 2026-12-01; refit if the kernels change. Current step times: results/bench-layers.json.)
 */
export const DEPTHWISE_WEIGHT = 6;

/**
 * Costs of one forward+backward step in multiply-adds, the depthwise ones weighted by DEPTHWISE_WEIGHT
 * (P = kh·kw, a = n_α, Q = b·outPixels, J columns):
 * complete: form W (P·a·c_in·c_out) + conv (Q·P·c_in·c_out) + ∂W (Q·P·c_in·c_out) + ∂V (P·a·c_in·c_out) [+ ∂x Q·P·c_in·c_out];
 * pool: depthwise (Q·P·c_in·J·a) + 1×1 conv (Q·c_in·J·a·c_out) + ∂V and ∂(depthwise out) (2·Q·c_in·J·a·c_out)
 *       [+ ∂x Q·P·c_in·J·a] [+ ∂U Q·P·c_in·J·a]. With J > 1 the 1×1 conv runs on a block-masked V (J× its size).
 */
export function convOrderCosts(s: ConvCostShape): Record<ConcreteOrder, number> {
  const { batch, positions: P, cIn, cOut, nAlpha: a, columns: J, outPixels } = s;
  const Q = batch * outPixels;
  const conv = Q * P * cIn * cOut;
  const complete = 2 * P * a * cIn * cOut + 2 * conv + (s.inputGrad ? conv : 0) + (s.trainableU ? P * a * cIn * cOut : 0);
  const depthwise = Q * P * cIn * J * a;
  const depthwiseAll = depthwise * (1 + (s.inputGrad ? 1 : 0) + (s.trainableU ? 1 : 0));
  const pool = DEPTHWISE_WEIGHT * depthwiseAll + 3 * Q * cIn * J * a * cOut;
  return { complete, pool };
}

/** The order to run: `order` itself unless 'auto', then the cheaper of the two costs (ties: complete). */
export function chooseOrder(order: EvalOrder, costs: Record<ConcreteOrder, number>): ConcreteOrder {
  if (order !== 'auto') return order;
  return costs.pool < costs.complete ? 'pool' : 'complete';
}

/**
 * The same for a 'patch' dictionary (U over kh·kw·c_in, V [a, c_out]; n_v = P·c_in), both orders dense convs:
 * complete: form W (n_v·a·c_out) + conv + ∂W (2·Q·n_v·c_out) + ∂V (n_v·a·c_out) [+ ∂x Q·n_v·c_out];
 * pool: conv with U (Q·n_v·J·a) + 1×1 conv (Q·J·a·c_out) + ∂V and ∂(pooled) (2·Q·J·a·c_out)
 *       [+ ∂x Q·n_v·J·a] [+ ∂U Q·n_v·J·a]. With J > 1 the 1×1 conv runs on a block-masked V (J·a × c_out).
 */
export function patchConvOrderCosts(s: ConvCostShape): Record<ConcreteOrder, number> {
  const { batch, positions: P, cIn, cOut, nAlpha: a, columns: J, outPixels } = s;
  const Q = batch * outPixels;
  const nv = P * cIn;
  const conv = Q * nv * cOut;
  const complete = 2 * nv * a * cOut + 2 * conv + (s.inputGrad ? conv : 0) + (s.trainableU ? nv * a * cOut : 0);
  const first = Q * nv * J * a;
  const pool = first * (1 + (s.inputGrad ? 1 : 0) + (s.trainableU ? 1 : 0)) + 3 * Q * J * a * cOut;
  return { complete, pool };
}
