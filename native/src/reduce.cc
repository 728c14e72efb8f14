// Reductions of x viewed as [outer, r, inner] to out [outer, inner] without transposes: contiguous
// rows (inner = 1) or strided columns (inner > 1). Sums accumulate in double, as TF.js's JS numbers do;
// Max/Min return NaN when the reduced slice holds one (TF.js cpu semantics).
#pragma GCC optimize("no-trapping-math")  // JS never traps; lets GCC if-convert NaN-aware selects
#include <omp.h>
#include <cmath>
#include <limits>
#include <vector>
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

// The softmax cross-entropy kernels (and Softmax of short rows) work on blocks of kXentRows rows. Per
// block: the row maxima m and log Σ exp(x − m), and the per-element terms through arrays of the
// block's size, so that exp runs as one vectorised loop over the block even when rows are short (10 classes: a loop per row would run
// AVX-512's masked tail only, 13 µs for 128 × 10 against 2 µs).
constexpr int64_t kXentRows = 256;

// lse[r] = m + log Σ_c exp(x_rc − m) for the block's rows, m the row max (NaN when the row holds one
// or m is ±Inf, as TF.js's logSumExp), the sum in double rounded to float before the log as TF.js's
// is; rep[j] = the row's lse for each element j. e: scratch of rows·n.
// rep[j] = the max of element j's row, e[j] = exp(x[j] − rep[j]), over a block of rows (one vectorised
// exp loop for the whole block).
static void blockShiftedExp(const float* x, int64_t rows, int64_t n, float* rep, float* e) {
  for (int64_t r = 0; r < rows; r++) {
    const float m = rowReduce(RMAX, x + r * n, n);
    for (int64_t c = 0; c < n; c++) rep[r * n + c] = m;
  }
  const int64_t len = rows * n;
#pragma omp simd
  for (int64_t j = 0; j < len; j++) e[j] = vexp(x[j] - rep[j]);
}

static void blockLogSumExp(const float* x, int64_t rows, int64_t n, float* lse, float* rep, float* e) {
  blockShiftedExp(x, rows, n, rep, e);
  for (int64_t r = 0; r < rows; r++) {
    double s = 0;
    for (int64_t c = 0; c < n; c++) s += e[r * n + c];
    lse[r] = static_cast<float>(s);
  }
#pragma omp simd
  for (int64_t r = 0; r < rows; r++) lse[r] = rep[r * n] + vlog(lse[r]);
  for (int64_t r = 0; r < rows; r++)
    for (int64_t c = 0; c < n; c++) rep[r * n + c] = lse[r];
}

// Runs f(firstRow, rows, lse, rep, e) over blocks of kXentRows rows, in parallel when large.
template <typename F>
static void xentBlocks(int64_t rows, int64_t n, F f) {
  const int64_t blocks = (rows + kXentRows - 1) / kXentRows;
#pragma omp parallel if (rows * n >= kParMin / 4 && blocks > 1)
  {
    thread_local std::vector<float> lse, rep, e;
    lse.resize(kXentRows);
    rep.resize(static_cast<size_t>(kXentRows * n));
    e.resize(static_cast<size_t>(kXentRows * n));
#pragma omp for schedule(static)
    for (int64_t b = 0; b < blocks; b++) {
      const int64_t r0 = b * kXentRows, nr = rows - r0 < kXentRows ? rows - r0 : kXentRows;
      f(r0, nr, lse.data(), rep.data(), e.data());
    }
  }
}

// softmax(x, out, rows, n): out = exp(x − m) / Σ exp(x − m) along the last axis, m the row max (NaN
// rows give NaN), as TF.js's cpu kernel: the sum in double rounded to float, then one division per
// element. Short rows (n < kSoftmaxRowLoop) go in blocks of kXentRows rows, each step one vectorised
// loop over the block as in the loss kernels: a loop per row of 10 classes runs the vector tail only
// (128 × 10 and 1000 × 10: blocks take 0.5–0.6× the per-row loop's time, paired rounds in one
// process). Long rows loop per row: from n = 24 blocks gained nothing, at n = 100–1000 they were
// 1.1–1.5× slower.
constexpr int64_t kSoftmaxRowLoop = 16;

static void softmaxRow(const float* x, float* out, int64_t n) {
  const float m = rowReduce(RMAX, x, n);
#pragma omp simd
  for (int64_t k = 0; k < n; k++) out[k] = vexp(x[k] - m);
  double s = 0;
#pragma omp simd reduction(+ : s)
  for (int64_t k = 0; k < n; k++) s += out[k];
  const float sf = static_cast<float>(s);
#pragma omp simd
  for (int64_t k = 0; k < n; k++) out[k] = out[k] / sf;
}

static Napi::Value Softmax(const Napi::CallbackInfo& info) {
  const float* x = ptr<float>(info, 0);
  float* out = ptr<float>(info, 1);
  const int64_t rows = i64(info, 2), n = i64(info, 3);
  if (n >= kSoftmaxRowLoop) {
#pragma omp parallel for schedule(static) if (rows * n >= kParMin / 4 && rows > 1)
    for (int64_t i = 0; i < rows; i++) softmaxRow(x + i * n, out + i * n, n);
    return info.Env().Undefined();
  }
  xentBlocks(rows, n, [&](int64_t r0, int64_t nr, float* /*lse*/, float* rep, float* /*e*/) {
    const float* xb = x + r0 * n;
    float* ob = out + r0 * n;
    blockShiftedExp(xb, nr, n, rep, ob);
    const int64_t len = nr * n;
    for (int64_t r = 0; r < nr; r++) {
      double s = 0;
      for (int64_t c = 0; c < n; c++) s += ob[r * n + c];
      const float sf = static_cast<float>(s);
      for (int64_t c = 0; c < n; c++) rep[r * n + c] = sf;
    }
#pragma omp simd
    for (int64_t j = 0; j < len; j++) ob[j] = ob[j] / rep[j];
  });
  return info.Env().Undefined();
}
PP_EXPORT("softmax", Softmax);

// softmaxXent(logits, labels, rows, n) → Σ_i Σ_c −y_ic·(x_ic − lse_i) / rows (double): the mean
// softmax cross-entropy over rows, each term x − lse rounded to float as TF.js's logResult is.
static Napi::Value SoftmaxXent(const Napi::CallbackInfo& info) {
  const float* x = ptr<float>(info, 0);
  const float* y = ptr<float>(info, 1);
  const int64_t rows = i64(info, 2), n = i64(info, 3);
  double total = 0;
  xentBlocks(rows, n, [&](int64_t r0, int64_t nr, float* lse, float* rep, float* e) {
    const float* xb = x + r0 * n;
    const float* yb = y + r0 * n;
    blockLogSumExp(xb, nr, n, lse, rep, e);
    double s = 0;
    const int64_t len = nr * n;
#pragma omp simd reduction(+ : s)
    for (int64_t j = 0; j < len; j++) s -= static_cast<double>(yb[j]) * static_cast<float>(xb[j] - rep[j]);
#pragma omp atomic
    total += s;
  });
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
  xentBlocks(rows, n, [&](int64_t r0, int64_t nr, float* lse, float* rep, float* e) {
    const float* xb = x + r0 * n;
    const float* yb = y + r0 * n;
    float* ob = out + r0 * n;
    blockLogSumExp(xb, nr, n, lse, rep, e);
    const int64_t len = nr * n;
#pragma omp simd
    for (int64_t j = 0; j < len; j++) ob[j] = scale * (vexp(xb[j] - rep[j]) - yb[j]);
  });
  return info.Env().Undefined();
}
PP_EXPORT("softmaxXentGrad", SoftmaxXentGrad);

}  // namespace pp
