// 2-D max and average pooling (NHWC): forward and average backward on oneDNN primitives, max
// backward by hand (one pass, the cpu kernel's routing).
//
// Parameters p (Int32Array): N, IH, IW, C, OH, OW, KH, KW, SH, SW, PT, PL, PB, PR.
// alg: 0 max, 1 average over the in-bounds part of the window (TF.js AvgPool), 2 average over the
// whole window (TF.js's AvgPoolGrad divides by KH·KW). Entries return false when oneDNN has no
// implementation for the case, so the JS kernel can delegate to the cpu kernel. The max-pooling forward
// also returns false when some window's maximum is −FLT_MAX or NaN: oneDNN starts from −FLT_MAX where
// TF.js starts from −Infinity and skips NaN, so a window of NaN/−Inf only (or one holding −FLT_MAX)
// would differ from the cpu kernel; these rare cases go to it whole. The max-pooling backward is
// parampred's own and follows the cpu kernel in every case.
#include <algorithm>
#include <limits>
#include <vector>
#include "dnnl_ctx.h"
#include "threads.h"
#include "window2d.h"

namespace pp {
using dnnl::memory;
using dt = memory::data_type;
using tag = memory::format_tag;

namespace {

struct P : Window2D {
  using Window2D::Window2D;
  bool small() const { return N * IH * IW * C < kSmallElems; }
  memory::desc src() const { return memory::desc({N, C, IH, IW}, dt::f32, tag::nhwc); }
  memory::desc dst() const { return memory::desc({N, C, OH, OW}, dt::f32, tag::nhwc); }
  dnnl::pooling_forward::desc fwd(dnnl::prop_kind pk, dnnl::algorithm a) const {
    return dnnl::pooling_forward::desc(pk, a, src(), dst(), {SH, SW}, {KH, KW}, {PT, PL}, {PB, PR});
  }
  dnnl::pooling_backward::desc bwd(dnnl::algorithm a) const {
    return dnnl::pooling_backward::desc(a, src(), dst(), {SH, SW}, {KH, KW}, {PT, PL}, {PB, PR});
  }
};

dnnl::algorithm algOf(int alg) {
  return alg == 0 ? dnnl::algorithm::pooling_max
                  : alg == 1 ? dnnl::algorithm::pooling_avg_exclude_padding : dnnl::algorithm::pooling_avg_include_padding;
}

memory none(const memory::desc& md) { return memory(md, eng(), DNNL_MEMORY_NONE); }

// True when a max-pool output holds −FLT_MAX (oneDNN's start value: no element above it) or NaN.
bool maxUnlikeCpu(const float* y, int64_t n) {
  constexpr float lowest = std::numeric_limits<float>::lowest();
  int bad = 0;
#pragma omp simd reduction(| : bad)
  for (int64_t i = 0; i < n; i++) bad |= (y[i] == lowest) | (y[i] != y[i]);
  return bad != 0;
}

struct Fwd {
  dnnl::pooling_forward prim;
  memory src, dst;
};
struct AvgBwd {
  dnnl::pooling_backward bwd;
  memory diffDst, diffSrc;
};

thread_local Cache<Fwd> fwdCache;
thread_local Cache<AvgBwd> avgBwdCache;

}  // namespace

// pool2dForward(x, y, p, alg) -> bool.
static Napi::Value Pool2dForward(const Napi::CallbackInfo& info) {
  return guarded(info, "pool2dForward", [&]() -> Napi::Value {
    Key key = params(info, 2);
    const P p(key);
    SingleThreadIf single(p.small());
    const int alg = i32(info, 3);
    key.insert(key.end(), {alg, omp_get_max_threads()});
    Fwd* e = fwdCache.get(key, [&] {
      auto e = std::make_unique<Fwd>();
      dnnl::pooling_forward::primitive_desc pd(p.fwd(dnnl::prop_kind::forward_inference, algOf(alg)), eng());
      e->prim = dnnl::pooling_forward(pd);
      e->src = none(p.src());
      e->dst = none(p.dst());
      return e;
    });
    if (!e) return Napi::Boolean::New(info.Env(), false);
    e->src.set_data_handle(ptr<float>(info, 0));
    e->dst.set_data_handle(ptr<float>(info, 1));
    e->prim.execute(strm(), {{DNNL_ARG_SRC, e->src}, {DNNL_ARG_DST, e->dst}});
    strm().wait();
    if (alg == 0 && maxUnlikeCpu(ptr<float>(info, 1), p.N * p.OH * p.OW * p.C)) return Napi::Boolean::New(info.Env(), false);
    return Napi::Boolean::New(info.Env(), true);
  });
}
PP_EXPORT("pool2dForward", Pool2dForward);

// maxPool2dBackward(x, dy, dx, p) -> true: routes each window's dy to the first element (window rows
// in order, then columns) strictly above all before it, starting from −Infinity, as TF.js's cpu
// kernel does (maxPoolPositions): NaN never wins and a window of NaN/−Inf only drops its dy. One pass
// over x per image, where oneDNN needs its forward again (for the workspace) and then its backward.
// Images in parallel, so overlapping windows, whose dy add up in dx in the cpu kernel's order (output
// rows, then columns), never race.
static Napi::Value MaxPool2dBackward(const Napi::CallbackInfo& info) {
  return guarded(info, "maxPool2dBackward", [&]() -> Napi::Value {
    const P p(params(info, 3));
    const float* x = ptr<float>(info, 0);
    const float* dy = ptr<float>(info, 1);
    float* dx = ptr<float>(info, 2);
    const int64_t C = p.C, inImage = p.IH * p.IW * C, outImage = p.OH * p.OW * C;
#pragma omp parallel if (!p.small() && p.N > 1)
    {
      std::vector<float> best(static_cast<size_t>(C));
      std::vector<int32_t> at(static_cast<size_t>(C));
      float* const bst = best.data();
      int32_t* const pos = at.data();
#pragma omp for schedule(static)
      for (int64_t n = 0; n < p.N; n++) {
        const float* xn = x + n * inImage;
        const float* dyn = dy + n * outImage;
        float* dxn = dx + n * inImage;
        std::fill(dxn, dxn + inImage, 0.f);
        for (int64_t oh = 0; oh < p.OH; oh++) {
          const int64_t r0 = oh * p.SH - p.PT, rLo = std::max<int64_t>(r0, 0), rHi = std::min(r0 + p.KH, p.IH);
          for (int64_t ow = 0; ow < p.OW; ow++) {
            const int64_t c0 = ow * p.SW - p.PL, cLo = std::max<int64_t>(c0, 0), cHi = std::min(c0 + p.KW, p.IW);
            std::fill(bst, bst + C, -std::numeric_limits<float>::infinity());
            std::fill(pos, pos + C, -1);
            for (int64_t r = rLo; r < rHi; r++) {
              for (int64_t c = cLo; c < cHi; c++) {
                const int32_t here = static_cast<int32_t>(r * p.IW + c);
                const float* v = xn + here * C;
#pragma omp simd
                for (int64_t ch = 0; ch < C; ch++) {
                  const bool above = v[ch] > bst[ch];
                  bst[ch] = above ? v[ch] : bst[ch];
                  pos[ch] = above ? here : pos[ch];
                }
              }
            }
            const float* g = dyn + (oh * p.OW + ow) * C;
            for (int64_t ch = 0; ch < C; ch++) {
              if (pos[ch] >= 0) dxn[pos[ch] * C + ch] += g[ch];
            }
          }
        }
      }
    }
    return Napi::Boolean::New(info.Env(), true);
  });
}
PP_EXPORT("maxPool2dBackward", MaxPool2dBackward);

// avgPool2dBackward(dy, dx, p, alg) -> bool.
static Napi::Value AvgPool2dBackward(const Napi::CallbackInfo& info) {
  return guarded(info, "avgPool2dBackward", [&]() -> Napi::Value {
    Key key = params(info, 2);
    const P p(key);
    SingleThreadIf single(p.small());
    const int alg = i32(info, 3);
    key.insert(key.end(), {alg, omp_get_max_threads()});
    AvgBwd* e = avgBwdCache.get(key, [&] {
      auto e = std::make_unique<AvgBwd>();
      dnnl::pooling_forward::primitive_desc fpd(p.fwd(dnnl::prop_kind::forward_training, algOf(alg)), eng());
      dnnl::pooling_backward::primitive_desc bpd(p.bwd(algOf(alg)), eng(), fpd);
      e->bwd = dnnl::pooling_backward(bpd);
      e->diffDst = none(p.dst());
      e->diffSrc = none(p.src());
      return e;
    });
    if (!e) return Napi::Boolean::New(info.Env(), false);
    e->diffDst.set_data_handle(ptr<float>(info, 0));
    e->diffSrc.set_data_handle(ptr<float>(info, 1));
    e->bwd.execute(strm(), {{DNNL_ARG_DIFF_DST, e->diffDst}, {DNNL_ARG_DIFF_SRC, e->diffSrc}});
    strm().wait();
    return Napi::Boolean::New(info.Env(), true);
  });
}
PP_EXPORT("avgPool2dBackward", AvgPool2dBackward);

}  // namespace pp
