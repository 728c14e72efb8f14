// 2-D max and average pooling (NHWC) on oneDNN primitives, forward and backward.
//
// Parameters p (Int32Array): N, IH, IW, C, OH, OW, KH, KW, SH, SW, PT, PL, PB, PR.
// alg: 0 max, 1 average over the in-bounds part of the window (TF.js AvgPool), 2 average over the
// whole window (TF.js's AvgPoolGrad divides by KH·KW). Entries return false when oneDNN has no
// implementation for the case, so the JS kernel can delegate to the cpu kernel. Max pooling also
// returns false when some window's maximum is −FLT_MAX or NaN: oneDNN starts from −FLT_MAX where TF.js
// starts from −Infinity and skips NaN, so a window of NaN/−Inf only (or one holding −FLT_MAX) would
// differ from the cpu kernel, value and gradient route alike; these rare cases go to it whole.
#include <limits>
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
struct MaxBwd {
  dnnl::pooling_forward fwd;
  dnnl::pooling_backward bwd;
  memory src, dstScratch, ws, diffDst, diffSrc;
};
struct AvgBwd {
  dnnl::pooling_backward bwd;
  memory diffDst, diffSrc;
};

thread_local Cache<Fwd> fwdCache;
thread_local Cache<MaxBwd> maxBwdCache;
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

// maxPool2dBackward(x, dy, dx, p) -> bool: routes dy to the (first) maximum of each window, found by
// a forward pass with workspace.
static Napi::Value MaxPool2dBackward(const Napi::CallbackInfo& info) {
  return guarded(info, "maxPool2dBackward", [&]() -> Napi::Value {
    Key key = params(info, 3);
    const P p(key);
    SingleThreadIf single(p.small());
    key.push_back(omp_get_max_threads());
    MaxBwd* e = maxBwdCache.get(key, [&] {
      auto e = std::make_unique<MaxBwd>();
      dnnl::pooling_forward::primitive_desc fpd(p.fwd(dnnl::prop_kind::forward_training, dnnl::algorithm::pooling_max),
                                                eng());
      dnnl::pooling_backward::primitive_desc bpd(p.bwd(dnnl::algorithm::pooling_max), eng(), fpd);
      e->fwd = dnnl::pooling_forward(fpd);
      e->bwd = dnnl::pooling_backward(bpd);
      e->src = none(p.src());
      e->dstScratch = memory(fpd.dst_desc(), eng());
      e->ws = memory(fpd.workspace_desc(), eng());
      e->diffDst = none(p.dst());
      e->diffSrc = none(p.src());
      return e;
    });
    if (!e) return Napi::Boolean::New(info.Env(), false);
    e->src.set_data_handle(ptr<float>(info, 0));
    e->diffDst.set_data_handle(ptr<float>(info, 1));
    e->diffSrc.set_data_handle(ptr<float>(info, 2));
    e->fwd.execute(strm(), {{DNNL_ARG_SRC, e->src}, {DNNL_ARG_DST, e->dstScratch}, {DNNL_ARG_WORKSPACE, e->ws}});
    strm().wait();
    if (maxUnlikeCpu(static_cast<const float*>(e->dstScratch.get_data_handle()), p.N * p.OH * p.OW * p.C)) {
      return Napi::Boolean::New(info.Env(), false);
    }
    e->bwd.execute(strm(), {{DNNL_ARG_DIFF_DST, e->diffDst}, {DNNL_ARG_DIFF_SRC, e->diffSrc}, {DNNL_ARG_WORKSPACE, e->ws}});
    strm().wait();
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
