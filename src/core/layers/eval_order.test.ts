import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEPTHWISE_WEIGHT, FORM_WEIGHT, chooseOrder, convOrderCosts, denseOrderCosts } from './eval_order.js';

describe('evaluation-order costs', () => {
  it('dense: per-matmul counts of both orders (hand-derived) and the auto choice', () => {
    const s = { batch: 4, nIn: 6, units: 10, nAlpha: 3, columns: 2, inputGrad: true };
    // complete: W_j = U_j V_j for 2 columns (6·3·5 each), x·W (4·6·10), ∂W = xᵀ∂h (4·6·10), ∂V_j = U_jᵀ∂W_j (6·3·5 each), ∂x (4·10·6);
    // forming W and ∂V weighted
    const complete = FORM_WEIGHT * (2 * 90 + 2 * 90) + 240 + 240 + 240;
    // pool: x·U (4·6·6), per column p_j·V_j (4·3·5) ×2, ∂V_j (3·4·5) ×2, ∂p_j (4·5·3) ×2, ∂x = ∂p·Uᵀ (4·6·6)
    const pool = 144 + 120 + 120 + 120 + 144;
    assert.deepEqual(denseOrderCosts(s), { complete, pool });
    assert.equal(chooseOrder('auto', { complete, pool }), 'pool');
    assert.equal(chooseOrder('complete', { complete, pool }), 'complete');
  });

  it('at 5 % with 10 columns the MNIST first layer costs less than the dense layer in the chosen order', () => {
    const c = denseOrderCosts({ batch: 128, nIn: 784, units: 500, nAlpha: 39, columns: 10, inputGrad: false });
    const dense = 2 * 128 * 784 * 500; // forward + ∂W, no ∂x for a first layer
    assert.ok(Math.min(c.complete, c.pool) < dense / 2, JSON.stringify(c));
    assert.equal(chooseOrder('auto', c), 'pool');
  });

  it('dense: the MNIST MLP\'s layers (10 columns, batch 128) pool at 0.05–0.5 but for the 500→500 layer at 0.5', () => {
    // Measured forward+backward here (complete / pool ms): 784→500 at 0.5: 8.8 / 6.4; 500→500 at 0.5: 4.3 / 5.3; at 0.1: 5.1 / 2.5 and 3.4 / 2.1.
    const first = { batch: 128, nIn: 784, units: 500, columns: 10, inputGrad: false };
    const second = { batch: 128, nIn: 500, units: 500, columns: 10, inputGrad: true };
    for (const f of [0.05, 0.1, 0.25, 0.5]) assert.equal(chooseOrder('auto', denseOrderCosts({ ...first, nAlpha: Math.round(f * 784) })), 'pool', `784→500 at ${f}`);
    assert.equal(chooseOrder('auto', denseOrderCosts({ ...second, nAlpha: Math.round(0.1 * 500) })), 'pool');
    assert.equal(chooseOrder('auto', denseOrderCosts({ ...second, nAlpha: Math.round(0.5 * 500) })), 'complete');
  });

  it('conv: counts of both orders (depthwise ones weighted), pooling cheaper only for small n_α', () => {
    const s = { batch: 2, positions: 9, cIn: 3, cOut: 4, nAlpha: 2, columns: 1, outPixels: 5, inputGrad: false };
    const Q = 10;
    const complete = 2 * 9 * 2 * 3 * 4 + 2 * Q * 9 * 3 * 4;
    const pool = DEPTHWISE_WEIGHT * Q * 9 * 3 * 2 + 3 * Q * 3 * 2 * 4;
    assert.deepEqual(convOrderCosts(s), { complete, pool });
    // ∂x and ∂U are depthwise passes too.
    const dx = convOrderCosts({ ...s, inputGrad: true, trainableU: true });
    assert.equal(dx.pool, 3 * DEPTHWISE_WEIGHT * Q * 9 * 3 * 2 + 3 * Q * 3 * 2 * 4);
    const big = convOrderCosts({ ...s, nAlpha: 9 });
    assert.equal(chooseOrder('auto', big), 'complete');
  });

  it('conv: the CIFAR convnet\'s second conv (12×12×48 → 64, 8×8, batch 64) pools at 5 % and completes at 25 % and 50 %', () => {
    // Measured forward+backward here: complete 12.6 / 11.5 / 12.5 ms, pool 9.1 / 21.8 / 43.4 ms at n_α = 3 / 16 / 32.
    const s = { batch: 64, positions: 64, cIn: 48, cOut: 64, columns: 1, outPixels: 25, inputGrad: true };
    assert.equal(chooseOrder('auto', convOrderCosts({ ...s, nAlpha: 3 })), 'pool');
    assert.equal(chooseOrder('auto', convOrderCosts({ ...s, nAlpha: 16 })), 'complete');
    assert.equal(chooseOrder('auto', convOrderCosts({ ...s, nAlpha: 32 })), 'complete');
  });
});
