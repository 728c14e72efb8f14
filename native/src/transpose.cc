// Transpose of a float32 tensor by any permutation: out[j0..jr) = x at input index i[perm[k]] = j[k].
// Size-1 dims are dropped and input dims that stay adjacent in the output are merged first; then
// (a) the last dim stays last: rows copied with memcpy; (b) the input's last dim becomes the
// output's second-to-last: batched cache-blocked 2-D transpose; (c) otherwise a strided loop.
#include <omp.h>
#include <algorithm>
#include <cstring>
#include "common.h"
#include "threads.h"

namespace pp {

constexpr int kMaxRank = 8;
constexpr int64_t kTile = 32;

// Output dims after collapsing: size os[k] and input stride is[k] (elements) of output dim k.
struct Geo {
  int r = 0;
  int64_t os[kMaxRank];
  int64_t is[kMaxRank];
};

static Geo collapse(const int32_t* shape, const int32_t* perm, int rank) {
  // Input dims kept (size > 1), renumbered; perm restricted to them.
  int newIdx[kMaxRank];
  int64_t s[kMaxRank];
  int n = 0;
  for (int d = 0; d < rank; d++) {
    newIdx[d] = shape[d] > 1 ? n : -1;
    if (shape[d] > 1) s[n++] = shape[d];
  }
  int p[kMaxRank];
  int m = 0;
  for (int k = 0; k < rank; k++)
    if (newIdx[perm[k]] >= 0) p[m++] = newIdx[perm[k]];
  // Merge runs of output dims whose input dims are consecutive (p[k+1] == p[k] + 1).
  int64_t ms[kMaxRank];  // merged input dim sizes, indexed by first input dim of the run
  int head[kMaxRank];    // output-run heads (input dim of run start)
  int runs = 0;
  for (int k = 0; k < m; k++) {
    if (k > 0 && p[k] == p[k - 1] + 1) {
      ms[head[runs - 1]] *= s[p[k]];
    } else {
      head[runs++] = p[k];
      ms[p[k]] = s[p[k]];
    }
  }
  // Input strides of the merged dims: walk input dims in order from the last.
  bool isHead[kMaxRank] = {};
  for (int k = 0; k < runs; k++) isHead[head[k]] = true;
  int64_t stride[kMaxRank];
  int64_t acc = 1;
  for (int d = n - 1; d >= 0; d--) {
    if (isHead[d]) {
      stride[d] = acc;
      acc *= ms[d];
    }
  }
  Geo g;
  g.r = runs;
  for (int k = 0; k < runs; k++) {
    g.os[k] = ms[head[k]];
    g.is[k] = stride[head[k]];
  }
  return g;
}

// Input offset of the output row `row` over output dims [0, nd).
static inline int64_t offsetOf(const Geo& g, int nd, int64_t row) {
  int64_t off = 0;
  for (int k = nd - 1; k >= 0; k--) {
    off += (row % g.os[k]) * g.is[k];
    row /= g.os[k];
  }
  return off;
}

// transpose(x, out, shape, perm): x of `shape` (Int32Array, rank ≤ 8), out of the permuted shape.
static Napi::Value Transpose(const Napi::CallbackInfo& info) {
  const float* x = ptr<float>(info, 0);
  float* out = ptr<float>(info, 1);
  const int32_t* shape = ptr<int32_t>(info, 2);
  const int32_t* perm = ptr<int32_t>(info, 3);
  const int rank = static_cast<int>(len(info, 2));
  if (rank > kMaxRank || static_cast<int>(len(info, 3)) != rank) {
    Napi::Error::New(info.Env(), "transpose: expected rank ≤ 8 and perm of the same length").ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
  int64_t n = 1;
  for (int d = 0; d < rank; d++) n *= shape[d];
  if (n == 0) return info.Env().Undefined();
  const Geo g = collapse(shape, perm, rank);
  const int r = g.r;
  const bool par = n >= kSmallElems;
  if (r <= 1) {
    std::memcpy(out, x, n * sizeof(float));
    return info.Env().Undefined();
  }
  if (g.is[r - 1] == 1) {
    // (a) Contiguous rows of length inner.
    const int64_t inner = g.os[r - 1], rows = n / inner;
#pragma omp parallel for schedule(static) if (par && rows > 1)
    for (int64_t t = 0; t < rows; t++) std::memcpy(out + t * inner, x + offsetOf(g, r - 1, t), inner * sizeof(float));
  } else if (g.is[r - 2] == 1) {
    // (b) Per batch: out[i, j] = x[base + i + j·ld], i < R, j < C, tiled kTile × kTile.
    const int64_t R = g.os[r - 2], C = g.os[r - 1], ld = g.is[r - 1];
    const int64_t batches = n / (R * C), rt = (R + kTile - 1) / kTile, jobs = batches * rt;
#pragma omp parallel for schedule(static) if (par && jobs > 1)
    for (int64_t t = 0; t < jobs; t++) {
      const int64_t bi = t / rt, i0 = (t % rt) * kTile, i1 = std::min(R, i0 + kTile);
      const float* xb = x + offsetOf(g, r - 2, bi);
      float* ob = out + bi * R * C;
      for (int64_t j0 = 0; j0 < C; j0 += kTile) {
        const int64_t j1 = std::min(C, j0 + kTile);
        for (int64_t i = i0; i < i1; i++) {
          const float* xi = xb + i;
          float* oi = ob + i * C;
          for (int64_t j = j0; j < j1; j++) oi[j] = xi[j * ld];
        }
      }
    }
  } else {
    // (c) Strided rows.
    const int64_t inner = g.os[r - 1], st = g.is[r - 1], rows = n / inner;
#pragma omp parallel for schedule(static) if (par && rows > 1)
    for (int64_t t = 0; t < rows; t++) {
      const float* xr = x + offsetOf(g, r - 1, t);
      float* o = out + t * inner;
      for (int64_t j = 0; j < inner; j++) o[j] = xr[j * st];
    }
  }
  return info.Env().Undefined();
}
PP_EXPORT("transpose", Transpose);

}  // namespace pp
