// Fused training kernels: the parameter updates of TF.js's SGD, momentum and Adam optimizers and the
// ReLU and sigmoid gradients, each one pass over memory where TF.js runs a chain of element-wise ops
// (SGD: 2 ops per variable, momentum: 4, Adam: 12, ReLU's gradient: 3). Each computes TF.js's own
// sequence of float32 operations in the same order, with no multiply-add contraction, so results are
// bit for bit those of the unfused ops (src/node/backend/fused_training.test.ts checks it).
// JS never traps on FP exceptions; without no-trapping-math GCC will not if-convert ReLU's select.
#pragma GCC optimize("fp-contract=off", "no-trapping-math")
#include <omp.h>
#include <cmath>
#include <immintrin.h>
#include "bf16.h"
#include "common.h"
#include "threads.h"

namespace pp {

constexpr int64_t kBlock = 4096;

// Runs body(begin, end) over [0, n) in blocks, on all threads from parMin() elements on. (A
// `parallel for simd if(...)` loop is left unvectorised by GCC: hence blocks with simd inside.)
template <typename F>
static void blocks(int64_t n, F body) {
  if (n < parMin()) {
    body(int64_t{0}, n);
    return;
  }
#pragma omp parallel for schedule(static)
  for (int64_t c = 0; c < n; c += kBlock) body(c, c + kBlock < n ? c + kBlock : n);
}

// Optional bf16 copy of an update's new parameter values (the Uint16Array argument at i, when given and
// of the parameter's length): written block by block right after the block is updated, while it is in
// cache, so that bf16 precision's products need no separate conversion pass (bf16.h). *h = nullptr when
// absent; false (a JS TypeError raised) when the argument is not such an array.
static bool optHalf(const Napi::CallbackInfo& info, size_t i, size_t n, uint16_t** h) {
  *h = nullptr;
  if (info.Length() <= i || info[i].IsUndefined() || info[i].IsNull()) return true;
  if (!info[i].IsTypedArray() || info[i].As<Napi::TypedArray>().TypedArrayType() != napi_uint16_array || len(info, i) != n) {
    Napi::TypeError::New(info.Env(), "expected the bf16 copy to be a Uint16Array of the parameter's length").ThrowAsJavaScriptException();
    return false;
  }
  *h = ptr<uint16_t>(info, i);
  return true;
}

// sgdUpdate(value, grad, out, c, out16?): out = c·grad + value, c = −learning rate (TF.js SGDOptimizer:
// add(mul(c, gradient), value)). out may be value itself (an in-place update); out16: bf16(out).
static Napi::Value SgdUpdate(const Napi::CallbackInfo& info) {
  const float* v = ptr<float>(info, 0);
  const float* __restrict g = ptr<float>(info, 1);
  float* o = ptr<float>(info, 2);
  const float c = f32(info, 3);
  uint16_t* h;
  if (!optHalf(info, 4, len(info, 2), &h)) return info.Env().Undefined();
  blocks(static_cast<int64_t>(len(info, 2)), [=](int64_t b, int64_t e) {
#pragma omp simd
    for (int64_t i = b; i < e; i++) o[i] = c * g[i] + v[i];
    if (h) toBf16Serial(o + b, h + b, e - b);
  });
  return info.Env().Undefined();
}
PP_EXPORT("sgdUpdate", SgdUpdate);

// momentumUpdate(value, acc, grad, outValue, outAcc, c, m, nesterov, outValue16?): TF.js MomentumOptimizer,
// c = −learning rate: acc' = m·acc + g; value' = c·acc' + value, or with Nesterov c·(g + acc'·m) + value.
// The outputs may be their inputs (in place).
static Napi::Value MomentumUpdate(const Napi::CallbackInfo& info) {
  const float* w = ptr<float>(info, 0);
  const float* a = ptr<float>(info, 1);
  const float* __restrict g = ptr<float>(info, 2);
  float* ow = ptr<float>(info, 3);
  float* oa = ptr<float>(info, 4);
  const float c = f32(info, 5), m = f32(info, 6);
  const bool nesterov = b(info, 7);
  uint16_t* h;
  if (!optHalf(info, 8, len(info, 3), &h)) return info.Env().Undefined();
  blocks(static_cast<int64_t>(len(info, 3)), [=](int64_t lo, int64_t hi) {
    if (nesterov) {
#pragma omp simd
      for (int64_t i = lo; i < hi; i++) {
        const float na = m * a[i] + g[i];
        oa[i] = na;
        ow[i] = c * (g[i] + na * m) + w[i];
      }
    } else {
#pragma omp simd
      for (int64_t i = lo; i < hi; i++) {
        const float na = m * a[i] + g[i];
        oa[i] = na;
        ow[i] = c * na + w[i];
      }
    }
    if (h) toBf16Serial(ow + lo, h + lo, hi - lo);
  });
  return info.Env().Undefined();
}
PP_EXPORT("momentumUpdate", MomentumUpdate);

// adamUpdate(value, m, v, grad, outValue, outM, outV, s, outValue16?): s = Float32Array [beta1, 1−beta1, beta2,
// 1−beta2, 1−beta1^t, 1−beta2^t, −learning rate, epsilon], each already rounded to float32 as TF.js
// rounds its scalars. TF.js AdamOptimizer.applyGradients, per element:
//   m' = m·b1 + g·(1−b1);  v' = v·b2 + g²·(1−b2)
//   value' = ((m'/(1−b1^t)) / (sqrt(v'/(1−b2^t)) + eps))·(−lr) + value
// (AVX sqrt, IEEE-exact like std::sqrt but without libm's errno branch that blocks vectorisation.)
static Napi::Value AdamUpdate(const Napi::CallbackInfo& info) {
  const float* w = ptr<float>(info, 0);
  const float* m = ptr<float>(info, 1);
  const float* v = ptr<float>(info, 2);
  const float* g = ptr<float>(info, 3);
  float* ow = ptr<float>(info, 4);
  float* om = ptr<float>(info, 5);
  float* ov = ptr<float>(info, 6);
  const float* s = ptr<float>(info, 7);
  const float b1 = s[0], omb1 = s[1], b2 = s[2], omb2 = s[3], c1 = s[4], c2 = s[5], negLr = s[6], eps = s[7];
  uint16_t* h;
  if (!optHalf(info, 8, len(info, 4), &h)) return info.Env().Undefined();
  blocks(static_cast<int64_t>(len(info, 4)), [=](int64_t b, int64_t e) {
    int64_t i = b;
    const __m256 B1 = _mm256_set1_ps(b1), OMB1 = _mm256_set1_ps(omb1), B2 = _mm256_set1_ps(b2), OMB2 = _mm256_set1_ps(omb2);
    const __m256 C1 = _mm256_set1_ps(c1), C2 = _mm256_set1_ps(c2), NL = _mm256_set1_ps(negLr), EPS = _mm256_set1_ps(eps);
    for (; i + 8 <= e; i += 8) {
      const __m256 gi = _mm256_loadu_ps(g + i);
      const __m256 nm = _mm256_add_ps(_mm256_mul_ps(_mm256_loadu_ps(m + i), B1), _mm256_mul_ps(gi, OMB1));
      const __m256 nv = _mm256_add_ps(_mm256_mul_ps(_mm256_loadu_ps(v + i), B2), _mm256_mul_ps(_mm256_mul_ps(gi, gi), OMB2));
      const __m256 den = _mm256_add_ps(_mm256_sqrt_ps(_mm256_div_ps(nv, C2)), EPS);
      const __m256 step = _mm256_mul_ps(_mm256_div_ps(_mm256_div_ps(nm, C1), den), NL);
      _mm256_storeu_ps(om + i, nm);
      _mm256_storeu_ps(ov + i, nv);
      _mm256_storeu_ps(ow + i, _mm256_add_ps(step, _mm256_loadu_ps(w + i)));
    }
    for (; i < e; i++) {
      const float gi = g[i];
      const float nm = m[i] * b1 + gi * omb1;
      const float nv = v[i] * b2 + (gi * gi) * omb2;
      const float den = _mm_cvtss_f32(_mm_sqrt_ss(_mm_set_ss(nv / c2))) + eps;
      om[i] = nm;
      ov[i] = nv;
      ow[i] = ((nm / c1) / den) * negLr + w[i];
    }
    if (h) toBf16Serial(ow + b, h + b, e - b);
  });
  return info.Env().Undefined();
}
PP_EXPORT("adamUpdate", AdamUpdate);

// An activation gradient (dy, s, out): out[i] = f(dy[i], s[i]), s the saved input or output.
template <typename F>
static Napi::Value activationGrad(const Napi::CallbackInfo& info, F f) {
  const float* __restrict dy = ptr<float>(info, 0);
  const float* __restrict s = ptr<float>(info, 1);
  float* __restrict o = ptr<float>(info, 2);
  blocks(static_cast<int64_t>(len(info, 2)), [=](int64_t b, int64_t e) {
    const F g = f;  // a private copy: calls through the captured one are not vectorised
#pragma omp simd
    for (int64_t i = b; i < e; i++) o[i] = g(dy[i], s[i]);
  });
  return info.Env().Undefined();
}

// reluGrad(dy, x, out): out = dy·step(x), step(x) = 1 for x > 0, NaN for NaN x, else 0 (TF.js Relu
// gradient: mul(dy, cast(step(x), 'float32'))).
static Napi::Value ReluGrad(const Napi::CallbackInfo& info) {
  return activationGrad(info, [](float d, float x) { return d * (x == x ? (x > 0.f ? 1.f : 0.f) : x); });
}
PP_EXPORT("reluGrad", ReluGrad);

// sigmoidGrad(dy, y, out): out = dy·(y·(1 − y)), y the sigmoid's output (TF.js Sigmoid gradient).
static Napi::Value SigmoidGrad(const Napi::CallbackInfo& info) {
  return activationGrad(info, [](float d, float y) { return d * (y * (1.f - y)); });
}
PP_EXPORT("sigmoidGrad", SigmoidGrad);

}  // namespace pp
