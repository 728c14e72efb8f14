// Activations of TF.js's fused kernels (_FusedMatMul, FusedConv2D, FusedDepthwiseConv2D), by code:
// 0 linear, 1 relu, 2 relu6, 3 elu, 4 sigmoid, 5 leakyrelu(alpha), 6 prelu(per-column weights).
// Definitions follow tfjs-backend-cpu: elu x>=0 ? x : e^x-1; leakyrelu/prelu x<0 ? a·x : x.
#pragma once
#include <oneapi/dnnl/dnnl.hpp>
#include <cmath>
#include <cstdint>
#include "threads.h"
#include "vmath.h"

namespace pp {

enum Act : int { kLinear = 0, kRelu = 1, kRelu6 = 2, kElu = 3, kSigmoid = 4, kLeaky = 5, kPrelu = 6 };

// True for the activations a primitive's output gets in a pass of ours (actPass, biasAct) rather than
// as a oneDNN post-op: oneDNN's relu and clip kernels map NaN to 0 (x86 max/min return their second
// operand on NaN), where TF.js (and PyTorch) keep NaN, so a diverged run would read as finite; prelu
// has no post-op.
inline bool actAfter(int act) { return act == kRelu || act == kRelu6 || act == kPrelu; }

// Appends the oneDNN post-op for `act` (none for those of actAfter); false when none exists.
inline bool appendActPostOp(dnnl::post_ops& po, int act, float alpha) {
  using A = dnnl::algorithm;
  switch (act) {
    case kLinear: return true;
    case kRelu: return true;
    case kRelu6: return true;
    case kElu: po.append_eltwise(1.f, A::eltwise_elu, 1.f, 0.f); return true;
    case kSigmoid: po.append_eltwise(1.f, A::eltwise_logistic, 0.f, 0.f); return true;
    case kLeaky: po.append_eltwise(1.f, A::eltwise_relu, alpha, 0.f); return true;
    default: return false;
  }
}

// y[r, c] = act(y[r, c] + bias[c]) in place over rows×cols; bias/prelu may be null; prelu has `cols`
// weights or, with preluCols == 1, one.
inline void biasAct(float* y, int64_t rows, int64_t cols, const float* bias, int act, float alpha, const float* prelu,
                    int64_t preluCols) {
#pragma omp parallel for schedule(static) if (rows * cols > 65536)
  for (int64_t r = 0; r < rows; r++) {
    float* row = y + r * cols;
    if (bias)
      for (int64_t c = 0; c < cols; c++) row[c] += bias[c];
    switch (act) {
      case kRelu: for (int64_t c = 0; c < cols; c++) row[c] = row[c] < 0.f ? 0.f : row[c]; break;
      case kRelu6: for (int64_t c = 0; c < cols; c++) row[c] = row[c] < 0.f ? 0.f : (row[c] > 6.f ? 6.f : row[c]); break;
      case kElu: for (int64_t c = 0; c < cols; c++) row[c] = row[c] >= 0.f ? row[c] : std::expm1(row[c]); break;
      case kSigmoid: for (int64_t c = 0; c < cols; c++) row[c] = 1.f / (1.f + std::exp(-row[c])); break;
      case kLeaky: for (int64_t c = 0; c < cols; c++) row[c] = row[c] < 0.f ? alpha * row[c] : row[c]; break;
      case kPrelu:
        for (int64_t c = 0; c < cols; c++) {
          float a = prelu[preluCols == 1 ? 0 : c];
          row[c] = row[c] < 0.f ? a * row[c] : row[c];
        }
        break;
      default: break;
    }
  }
}

// y = relu(y) or relu6(y) in place, n values, with TF.js's NaN: x < 0 ? 0 : x (then min 6); NaN stays.
inline void actPass(float* y, int64_t n, int act) {
  constexpr int64_t kBlock = 16384;
#pragma omp parallel for schedule(static) if (n >= parMin())
  for (int64_t b0 = 0; b0 < n; b0 += kBlock) {
    float* p = y + b0;
    const int64_t m = n - b0 < kBlock ? n - b0 : kBlock;
    if (act == kRelu) {
#pragma omp simd
      for (int64_t i = 0; i < m; i++) p[i] = sel(p[i] < 0.f, 0.f, p[i]);
    } else {
#pragma omp simd
      for (int64_t i = 0; i < m; i++) {
        const float v = sel(p[i] < 0.f, 0.f, p[i]);
        p[i] = sel(v > 6.f, 6.f, v);
      }
    }
  }
}

}  // namespace pp
