// Element-wise kernels: binary ops with broadcasting (as collapsed 4-d strided loops, innermost
// contiguous or broadcast), comparisons writing uint8 (TF.js bool), and unary ops. Semantics follow
// the TF.js cpu kernels (NaN propagation of Maximum/Minimum/Step, Softplus thresholds).
// JS never traps on FP exceptions; without this GCC will not if-convert selects such as LeakyRelu's.
#pragma GCC optimize("no-trapping-math")
#include <omp.h>
#include <cmath>
#include <immintrin.h>
#include <cstdlib>
#include <cstring>
#include <limits>
#include "common.h"
#include "threads.h"
#include "vmath.h"

namespace pp {

// Chunk of output elements per parallel task.
constexpr int64_t kChunk = 1 << 14;

// Opcodes shared with src/node/backend/kernels/binary.ts and unary.ts.
enum BinOp { ADD, SUB, MUL, DIV, MAX, MIN, SQDIFF, EQ, NE, LT, LE, GT, GE };
enum UnOp { RELU, STEP, NEG, EXP, LOG, SQRT, SQUARE, RSQRT, ABS, SIGMOID, TANH, RECIP, ELU, LEAKY, RELU6, SOFTPLUS };

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

struct Geo {  // collapsed broadcast geometry, d[3] innermost
  int64_t d[4], sa[4], sb[4];
};

template <typename O, typename F>
static inline void inner(const float* a, const float* b, O* o, int64_t n, int64_t sa, int64_t sb, F f) {
  if (sa == 1 && sb == 1) {
#pragma omp simd
    for (int64_t k = 0; k < n; k++) o[k] = f(a[k], b[k]);
  } else if (sa == 1 && sb == 0) {
    const float bv = b[0];
#pragma omp simd
    for (int64_t k = 0; k < n; k++) o[k] = f(a[k], bv);
  } else if (sa == 0 && sb == 1) {
    const float av = a[0];
#pragma omp simd
    for (int64_t k = 0; k < n; k++) o[k] = f(av, b[k]);
  } else {
    for (int64_t k = 0; k < n; k++) o[k] = f(a[k * sa], b[k * sb]);
  }
}

template <typename O, typename F>
static void binaryLoop(const float* a, const float* b, O* o, const Geo& g, F f) {
  const int64_t n = g.d[3], rows = g.d[0] * g.d[1] * g.d[2], total = rows * n;
  const int64_t chunks = (total + kChunk - 1) / kChunk;
#pragma omp parallel for schedule(static) if (total >= parMin() && chunks > 1)
  for (int64_t c = 0; c < chunks; c++) {
    int64_t pos = c * kChunk;
    const int64_t end = pos + kChunk < total ? pos + kChunk : total;
    int64_t r = pos / n, j = pos % n;
    while (pos < end) {
      const int64_t i2 = r % g.d[2], i1 = (r / g.d[2]) % g.d[1], i0 = r / (g.d[2] * g.d[1]);
      const int64_t oa = i0 * g.sa[0] + i1 * g.sa[1] + i2 * g.sa[2] + j * g.sa[3];
      const int64_t ob = i0 * g.sb[0] + i1 * g.sb[1] + i2 * g.sb[2] + j * g.sb[3];
      const int64_t len = (n - j) < (end - pos) ? (n - j) : (end - pos);
      inner(a + oa, b + ob, o + pos, len, g.sa[3], g.sb[3], f);
      pos += len;
      j = 0;
      r++;
    }
  }
}

template <typename O>
static bool dispatchBinary(int op, const float* a, const float* b, O* o, const Geo& g) {
  switch (op) {
    case ADD: binaryLoop(a, b, o, g, [](float x, float y) { return x + y; }); return true;
    case SUB: binaryLoop(a, b, o, g, [](float x, float y) { return x - y; }); return true;
    case MUL: binaryLoop(a, b, o, g, [](float x, float y) { return x * y; }); return true;
    case DIV: binaryLoop(a, b, o, g, [](float x, float y) { return x / y; }); return true;
    // Math.max/Math.min: NaN if either side is NaN.
    case MAX: binaryLoop(a, b, o, g, [](float x, float y) { return x != x ? x : (x >= y ? x : y); }); return true;
    case MIN: binaryLoop(a, b, o, g, [](float x, float y) { return x != x ? x : (x <= y ? x : y); }); return true;
    case SQDIFF: binaryLoop(a, b, o, g, [](float x, float y) { return (x - y) * (x - y); }); return true;
    default: return false;
  }
}

static bool dispatchCompare(int op, const float* a, const float* b, uint8_t* o, const Geo& g) {
  switch (op) {
    case EQ: binaryLoop(a, b, o, g, [](float x, float y) -> uint8_t { return x == y; }); return true;
    case NE: binaryLoop(a, b, o, g, [](float x, float y) -> uint8_t { return x != y; }); return true;
    case LT: binaryLoop(a, b, o, g, [](float x, float y) -> uint8_t { return x < y; }); return true;
    case LE: binaryLoop(a, b, o, g, [](float x, float y) -> uint8_t { return x <= y; }); return true;
    case GT: binaryLoop(a, b, o, g, [](float x, float y) -> uint8_t { return x > y; }); return true;
    case GE: binaryLoop(a, b, o, g, [](float x, float y) -> uint8_t { return x >= y; }); return true;
    default: return false;
  }
}

// binary(op, a, b, out, geo): geo = Int32Array [d0..d3, sa0..sa3, sb0..sb3]; out is a Float32Array
// for arithmetic ops and a Uint8Array for comparisons.
static Napi::Value Binary(const Napi::CallbackInfo& info) {
  const int op = i32(info, 0);
  const int32_t* gi = ptr<int32_t>(info, 4);
  Geo g;
  for (int k = 0; k < 4; k++) g.d[k] = gi[k], g.sa[k] = gi[4 + k], g.sb[k] = gi[8 + k];
  const float* a = ptr<float>(info, 1);
  const float* b = ptr<float>(info, 2);
  const bool ok = op >= EQ ? dispatchCompare(op, a, b, ptr<uint8_t>(info, 3), g)
                           : dispatchBinary(op, a, b, ptr<float>(info, 3), g);
  if (!ok) Napi::Error::New(info.Env(), "binary: unknown opcode " + std::to_string(op)).ThrowAsJavaScriptException();
  return info.Env().Undefined();
}
PP_EXPORT("binary", Binary);

// (GCC leaves `parallel for simd if(...)` loops unvectorised, 5× slower: hence the split.)
template <typename F>
static void unaryLoop(const float* __restrict x, float* __restrict o, int64_t n, int64_t minPar, F f) {
  if (n < minPar) {
#pragma omp simd
    for (int64_t i = 0; i < n; i++) o[i] = f(x[i]);
    return;
  }
#pragma omp parallel for schedule(static)
  for (int64_t c = 0; c < n; c += 4096) {
    const int64_t e = c + 4096 < n ? c + 4096 : n;
    const F g = f;  // a private copy: a capture read through the shared closure blocks vectorisation
#pragma omp simd
    for (int64_t i = c; i < e; i++) o[i] = g(x[i]);
  }
}

// sqrt (rsqrt: 1/sqrt) with AVX: libm's sqrtf keeps an errno branch that blocks vectorisation.
template <bool Recip>
static void sqrtLoop(const float* x, float* o, int64_t n) {
#pragma omp parallel for schedule(static) if (n >= parMin())
  for (int64_t c = 0; c < n; c += 4096) {
    const int64_t e = c + 4096 < n ? c + 4096 : n;
    int64_t i = c;
    const __m256 one = _mm256_set1_ps(1.f);
    for (; i + 8 <= e; i += 8) {
      const __m256 r = _mm256_sqrt_ps(_mm256_loadu_ps(x + i));
      _mm256_storeu_ps(o + i, Recip ? _mm256_div_ps(one, r) : r);
    }
    for (; i < e; i++) {
      const float r = _mm_cvtss_f32(_mm_sqrt_ss(_mm_set_ss(x[i])));
      o[i] = Recip ? 1.f / r : r;
    }
  }
}

// unary(op, x, out, alpha): out[i] = op(x[i]); alpha is Step's and LeakyRelu's attribute.
static Napi::Value Unary(const Napi::CallbackInfo& info) {
  const int op = i32(info, 0);
  const float* x = ptr<float>(info, 1);
  float* o = ptr<float>(info, 2);
  const int64_t n = static_cast<int64_t>(len(info, 2));
  const float alpha = f32(info, 3);
  const int64_t cheap = parMin(), costly = parMin() / 4;  // vectorised exp/log cost ~1 ns per element
  switch (op) {
    case RELU: unaryLoop(x, o, n, cheap, [](float v) { return v < 0.f ? 0.f : v; }); break;
    case STEP: unaryLoop(x, o, n, cheap, [alpha](float v) { const float r = v > 0.f ? 1.f : alpha; return v == v ? r : v; }); break;
    case NEG: unaryLoop(x, o, n, cheap, [](float v) { return -v; }); break;
    case EXP: unaryLoop(x, o, n, costly, [](float v) { return vexp(v); }); break;
    case LOG: unaryLoop(x, o, n, costly, [](float v) { return vlog(v); }); break;
    case SQRT: sqrtLoop<false>(x, o, n); break;
    case SQUARE: unaryLoop(x, o, n, cheap, [](float v) { return v * v; }); break;
    case RSQRT: sqrtLoop<true>(x, o, n); break;
    case ABS: unaryLoop(x, o, n, cheap, [](float v) { return std::fabs(v); }); break;
    case SIGMOID: unaryLoop(x, o, n, costly, [](float v) { return 1.f / (1.f + vexp(-v)); }); break;
    case TANH: unaryLoop(x, o, n, costly, [](float v) { return vtanh(v); }); break;
    case RECIP: unaryLoop(x, o, n, cheap, [](float v) { return 1.f / v; }); break;
    case ELU: unaryLoop(x, o, n, costly, [](float v) { return sel(v >= 0.f, v, vexp(v) - 1.f); }); break;
    case LEAKY: unaryLoop(x, o, n, cheap, [alpha](float v) { return sel(v < 0.f, alpha * v, v); }); break;
    case RELU6: unaryLoop(x, o, n, cheap, [](float v) { const float r = v < 0.f ? 0.f : v; const float c = r > 6.f ? 6.f : r; return v == v ? c : v; }); break;
    case SOFTPLUS:
      unaryLoop(x, o, n, costly, [](float v) {
        constexpr float thr = -13.942385152878742f;  // TF.js: log(2^-23) + 2
        const float e = vexp(v), l = vlog(1.f + e);  // as TF.js: log(1 + exp(x)) in the middle range
        return sel(v < thr, e, sel(v > -thr, v, l));
      });
      break;
    default:
      Napi::Error::New(info.Env(), "unary: unknown opcode " + std::to_string(op)).ThrowAsJavaScriptException();
  }
  return info.Env().Undefined();
}
PP_EXPORT("unary", Unary);

// addN(inputs[], out): out = Σ inputs (all the same length), one pass over memory.
static Napi::Value AddN(const Napi::CallbackInfo& info) {
  Napi::Array arr = info[0].As<Napi::Array>();
  const uint32_t m = arr.Length();
  std::vector<const float*> xs(m);
  for (uint32_t k = 0; k < m; k++) {
    Napi::TypedArray t = arr.Get(k).As<Napi::TypedArray>();
    xs[k] = reinterpret_cast<const float*>(static_cast<uint8_t*>(t.ArrayBuffer().Data()) + t.ByteOffset());
  }
  float* o = ptr<float>(info, 1);
  const int64_t n = static_cast<int64_t>(len(info, 1));
#pragma omp parallel for schedule(static) if (n >= parMin())
  for (int64_t c = 0; c < n; c += 4096) {
    const int64_t e = c + 4096 < n ? c + 4096 : n;
    std::memcpy(o + c, xs[0] + c, (e - c) * sizeof(float));
    for (uint32_t k = 1; k < m; k++) {
      const float* x = xs[k];
#pragma omp simd
      for (int64_t i = c; i < e; i++) o[i] += x[i];
    }
  }
  return info.Env().Undefined();
}
PP_EXPORT("addN", AddN);

}  // namespace pp
