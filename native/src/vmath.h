// Inline float exp/log that GCC vectorises (Cephes expf/logf polynomials, ≈1–2 ulp), with IEEE
// special values: exp overflows to +Inf and underflows through denormals to 0; log(0) = −Inf,
// log(x < 0) = NaN, log(+Inf) = +Inf; NaN propagates. libm's scalar calls do not vectorise without
// -ffast-math, and these are the hot transcendental ops (Exp, Sigmoid, Tanh, Softmax, Log).
#pragma once
#include <cstdint>
#include <limits>

namespace pp {

inline float bitsToFloat(uint32_t u) { return __builtin_bit_cast(float, u); }
inline uint32_t floatToBits(float f) { return __builtin_bit_cast(uint32_t, f); }

// c ? a : b as a bit blend: GCC then keeps both arms computed and vectorises (with -ftrapping-math it
// will not speculate an arm's multiply or divide out of a plain ?:).
inline float sel(bool c, float a, float b) {
  const uint32_t m = 0u - static_cast<uint32_t>(c);
  return bitsToFloat((floatToBits(a) & m) | (floatToBits(b) & ~m));
}

inline float vexp(float x) {
  const float xc = sel(x != x, 0.f, sel(x < -104.f, -104.f, sel(x > 88.8f, 88.8f, x)));
  // n = floor(x·log2(e) + 1/2) by truncation and a fix-up (floorf does not vectorise under -ftrapping-math)
  const float t = xc * 1.44269504088896341f + 0.5f;
  const int32_t ti = static_cast<int32_t>(t);
  const int32_t n = ti - static_cast<int32_t>(t < static_cast<float>(ti));
  const float fx = static_cast<float>(n);
  float z = xc - fx * 0.693359375f;
  z -= fx * -2.12194440e-4f;
  float y = 1.9875691500E-4f;
  y = y * z + 1.3981999507E-3f;
  y = y * z + 8.3334519073E-3f;
  y = y * z + 4.1665795894E-2f;
  y = y * z + 1.6666665459E-1f;
  y = y * z + 5.0000001201E-1f;
  y = y * z * z + z + 1.0f;
  const int32_t h = n / 2;  // 2^n as two normal factors reaches denormals
  const float r = y * bitsToFloat(static_cast<uint32_t>(h + 127) << 23) * bitsToFloat(static_cast<uint32_t>(n - h + 127) << 23);
  const float big = sel(x > 88.72283935546875f, std::numeric_limits<float>::infinity(), r);
  return sel(x != x, x, big);
}

inline float vlog(float x) {
  const bool tiny = x < 1.17549435e-38f;  // denormal (or ≤ 0): scale into the normal range
  const float xs = sel(tiny, x * 33554432.f, x);  // 2^25
  const uint32_t ix = floatToBits(xs);
  int32_t e = static_cast<int32_t>((ix >> 23) & 0xff) - 126 - 25 * static_cast<int32_t>(tiny);
  float m = bitsToFloat((ix & 0x807fffffu) | 0x3f000000u);  // [0.5, 1)
  const bool lo = m < 0.707106781186547524f;
  e -= static_cast<int32_t>(lo);
  m = sel(lo, m + m, m) - 1.0f;
  const float z = m * m;
  float y = 7.0376836292E-2f;
  y = y * m - 1.1514610310E-1f;
  y = y * m + 1.1676998740E-1f;
  y = y * m - 1.2420140846E-1f;
  y = y * m + 1.4249322787E-1f;
  y = y * m - 1.6668057665E-1f;
  y = y * m + 2.0000714765E-1f;
  y = y * m - 2.4999993993E-1f;
  y = y * m + 3.3333331174E-1f;
  y = y * m * z;
  const float fe = static_cast<float>(e);
  y += -2.12194440e-4f * fe;
  y += -0.5f * z;
  float r = m + y + 0.693359375f * fe;
  constexpr float inf = std::numeric_limits<float>::infinity();
  r = sel(x == inf, inf, r);
  r = sel(x == 0.f, -inf, r);
  r = sel(x < 0.f, std::numeric_limits<float>::quiet_NaN(), r);
  return sel(x != x, x, r);
}

// tanh: Cephes' odd polynomial for |x| < 0.625, else 1 − 2/(exp(2|x|) + 1) with x's sign.
inline float vtanh(float x) {
  const float ax = __builtin_fabsf(x);
  const float z = x * x;
  float p = -5.70498872745E-3f;
  p = p * z + 2.06390887954E-2f;
  p = p * z - 5.37397155531E-2f;
  p = p * z + 1.33314422036E-1f;
  p = p * z - 3.33332819422E-1f;
  p = p * z * x + x;
  const float t = 1.f - 2.f / (vexp(ax + ax) + 1.f);
  const float big = __builtin_copysignf(t, x);
  return sel(ax < 0.625f, p, big);
}

}  // namespace pp
