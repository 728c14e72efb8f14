// Reductions of x viewed as [outer, r, inner] to out [outer, inner] without transposes: contiguous
// rows (inner = 1) or strided columns (inner > 1). Sums accumulate in double, as TF.js's JS numbers do;
// Max/Min return NaN when the reduced slice holds one (TF.js cpu semantics).
#pragma GCC optimize("no-trapping-math")  // JS never traps; lets GCC if-convert NaN-aware selects
#include <omp.h>
#include <cmath>
#include <limits>
#include "common.h"
#include "vmath.h"

namespace pp {

enum RedOp { SUM, MEAN, RMAX, RMIN };

constexpr int64_t kParMin = 1 << 18;  // elements read below which one thread does all
constexpr int64_t kCol = 256;         // columns per task in the strided case

static inline float rowReduce(int op, const float* x, int64_t r) {
  if (op == SUM || op == MEAN) {
    double s = 0;
#pragma omp simd reduction(+ : s)
    for (int64_t k = 0; k < r; k++) s += x[k];
    return static_cast<float>(op == MEAN ? s / static_cast<double>(r) : s);
  }
  int nan = 0;
  if (op == RMAX) {
    float m = -std::numeric_limits<float>::infinity();
#pragma omp simd reduction(max : m) reduction(| : nan)
    for (int64_t k = 0; k < r; k++) m = m > x[k] ? m : x[k], nan |= x[k] != x[k];
    return nan ? std::numeric_limits<float>::quiet_NaN() : m;
  }
  float m = std::numeric_limits<float>::infinity();
#pragma omp simd reduction(min : m) reduction(| : nan)
  for (int64_t k = 0; k < r; k++) m = m < x[k] ? m : x[k], nan |= x[k] != x[k];
  return nan ? std::numeric_limits<float>::quiet_NaN() : m;
}

// out[j] for j in [0, w) = reduce_k x[k·inner + j]
static inline void colReduce(int op, const float* x, float* out, int64_t r, int64_t inner, int64_t w) {
  if (op == SUM || op == MEAN) {
    double acc[kCol];
    for (int64_t j = 0; j < w; j++) acc[j] = 0;
    for (int64_t k = 0; k < r; k++) {
      const float* row = x + k * inner;
#pragma omp simd
      for (int64_t j = 0; j < w; j++) acc[j] += row[j];
    }
    const double scale = op == MEAN ? 1.0 / static_cast<double>(r) : 1.0;
    for (int64_t j = 0; j < w; j++) out[j] = static_cast<float>(op == MEAN ? acc[j] * scale : acc[j]);
    return;
  }
  const bool isMax = op == RMAX;
  for (int64_t j = 0; j < w; j++) out[j] = x[j];
  for (int64_t k = 1; k < r; k++) {
    const float* row = x + k * inner;
#pragma omp simd
    for (int64_t j = 0; j < w; j++) {
      const float v = row[j], m = out[j];
      // keep NaN once seen; take any NaN that comes
      out[j] = (m != m) ? m : ((v != v) ? v : (isMax ? (v > m ? v : m) : (v < m ? v : m)));
    }
  }
}

// reduce(op, x, out, outer, r, inner)
static Napi::Value Reduce(const Napi::CallbackInfo& info) {
  const int op = i32(info, 0);
  const float* x = ptr<float>(info, 1);
  float* out = ptr<float>(info, 2);
  const int64_t outer = i64(info, 3), r = i64(info, 4), inner = i64(info, 5);
  const bool par = outer * r * inner >= kParMin;
  if (inner == 1) {
#pragma omp parallel for schedule(static) if (par && outer > 1)
    for (int64_t o = 0; o < outer; o++) out[o] = rowReduce(op, x + o * r, r);
  } else {
    const int64_t blocks = (inner + kCol - 1) / kCol, tasks = outer * blocks;
#pragma omp parallel for schedule(static) if (par && tasks > 1)
    for (int64_t t = 0; t < tasks; t++) {
      const int64_t o = t / blocks, j0 = (t % blocks) * kCol;
      const int64_t w = inner - j0 < kCol ? inner - j0 : kCol;
      colReduce(op, x + o * r * inner + j0, out + o * inner + j0, r, inner, w);
    }
  }
  return info.Env().Undefined();
}
PP_EXPORT("reduce", Reduce);

// softmax(x, out, rows, n): out = exp(x − max) / Σ exp(x − max) along the last axis.
static Napi::Value Softmax(const Napi::CallbackInfo& info) {
  const float* x = ptr<float>(info, 0);
  float* out = ptr<float>(info, 1);
  const int64_t rows = i64(info, 2), n = i64(info, 3);
#pragma omp parallel for schedule(static) if (rows * n >= kParMin / 4 && rows > 1)
  for (int64_t i = 0; i < rows; i++) {
    const float* xi = x + i * n;
    float* oi = out + i * n;
    const float m = rowReduce(RMAX, xi, n);
#pragma omp simd
    for (int64_t k = 0; k < n; k++) oi[k] = vexp(xi[k] - m);
    double s = 0;
#pragma omp simd reduction(+ : s)
    for (int64_t k = 0; k < n; k++) s += oi[k];
    const float inv = static_cast<float>(1.0 / s);
#pragma omp simd
    for (int64_t k = 0; k < n; k++) oi[k] *= inv;
  }
  return info.Env().Undefined();
}
PP_EXPORT("softmax", Softmax);

// Row i's log Σ_c exp(x_ic): m + log Σ exp(x − m) with m the row max, the sum in double, rounded to
// float as TF.js's logSumExp is (NaN when the row holds one, or when m is ±Inf).
static inline float rowLogSumExp(const float* xi, int64_t n) {
  const float m = rowReduce(RMAX, xi, n);
  double s = 0;
#pragma omp simd reduction(+ : s)
  for (int64_t k = 0; k < n; k++) s += vexp(xi[k] - m);
  return m + static_cast<float>(std::log(s));
}

// softmaxXent(logits, labels, rows, n) → Σ_i Σ_c −y_ic·(x_ic − lse_i) / rows (double): the mean
// softmax cross-entropy over rows, each term x − lse rounded to float as TF.js's logResult is.
static Napi::Value SoftmaxXent(const Napi::CallbackInfo& info) {
  const float* x = ptr<float>(info, 0);
  const float* y = ptr<float>(info, 1);
  const int64_t rows = i64(info, 2), n = i64(info, 3);
  double total = 0;
#pragma omp parallel for schedule(static) reduction(+ : total) if (rows * n >= kParMin / 4 && rows > 1)
  for (int64_t i = 0; i < rows; i++) {
    const float* xi = x + i * n;
    const float* yi = y + i * n;
    const float lse = rowLogSumExp(xi, n);
    double s = 0;
#pragma omp simd reduction(+ : s)
    for (int64_t k = 0; k < n; k++) s -= static_cast<double>(yi[k]) * static_cast<float>(xi[k] - lse);
    total += s;
  }
  return Napi::Number::New(info.Env(), total / static_cast<double>(rows));
}
PP_EXPORT("softmaxXent", SoftmaxXent);

// softmaxXentGrad(logits, labels, out, rows, n, scale): out = scale·(softmax(x) − y) row-wise, with
// softmax = exp(x − lse) as TF.js's gradient computes it (scale = dy / rows).
static Napi::Value SoftmaxXentGrad(const Napi::CallbackInfo& info) {
  const float* x = ptr<float>(info, 0);
  const float* y = ptr<float>(info, 1);
  float* out = ptr<float>(info, 2);
  const int64_t rows = i64(info, 3), n = i64(info, 4);
  const float scale = f32(info, 5);
#pragma omp parallel for schedule(static) if (rows * n >= kParMin / 4 && rows > 1)
  for (int64_t i = 0; i < rows; i++) {
    const float* xi = x + i * n;
    const float* yi = y + i * n;
    float* oi = out + i * n;
    const float lse = rowLogSumExp(xi, n);
#pragma omp simd
    for (int64_t k = 0; k < n; k++) oi[k] = scale * (vexp(xi[k] - lse) - yi[k]);
  }
  return info.Env().Undefined();
}
PP_EXPORT("softmaxXentGrad", SoftmaxXentGrad);

}  // namespace pp
