// 2-D convolutions (NHWC data, TF.js filter layouts) on oneDNN primitives: forward with bias and
// activation post-ops, backward data, backward weights. Plain (groups 1, filter HWIO) and depthwise
// (groups = in channels, filter [KH, KW, C, M], out channel c·M + m) convolutions.
//
// Parameters p (Int32Array): N, IH, IW, IC, OH, OW, OC, KH, KW, SH, SW, DH, DW, PT, PL, PB, PR, G
// with TF.js dilations (1 = none; oneDNN's are one less). Every entry returns false when oneDNN has
// no implementation for the case, so the JS kernel can delegate to the cpu kernel.
#include <cstdlib>
#include <cstring>
#include "activation.h"
#include "dnnl_ctx.h"
#include "threads.h"

namespace pp {
using dnnl::memory;
using dt = memory::data_type;
using tag = memory::format_tag;

namespace {

// Activation layout the primitives are created with: nhwc (the user layout, no reorders) or, with
// PP_CONV_LAYOUT=any, whatever oneDNN prefers (blocked), with reorders around each call.
bool anyLayout() {
  static const bool v = [] {
    const char* e = std::getenv("PP_CONV_LAYOUT");
    return e && std::strcmp(e, "any") == 0;
  }();
  return v;
}

struct P {
  int64_t N, IH, IW, IC, OH, OW, OC, KH, KW, SH, SW, DH, DW, PT, PL, PB, PR, G;
  // Type of the primitive's inputs (src, weights, diff_dst): f32, or bf16 in bf16 precision (bf16.h),
  // the user's f32 buffers then reordered into bf16 (with any layout change, one pass). Outputs f32.
  dt in = dt::f32;
  explicit P(const std::vector<int64_t>& v)
      : N(v[0]), IH(v[1]), IW(v[2]), IC(v[3]), OH(v[4]), OW(v[5]), OC(v[6]), KH(v[7]), KW(v[8]), SH(v[9]), SW(v[10]),
        DH(v[11]), DW(v[12]), PT(v[13]), PL(v[14]), PB(v[15]), PR(v[16]), G(v[17]) {}
  // user: the caller's f32 NHWC buffer; else the primitive's, of type t.
  memory::desc src(bool user = true, dt t = dt::f32) const {
    return memory::desc({N, IC, IH, IW}, user ? dt::f32 : t, user || !anyLayout() ? tag::nhwc : tag::any);
  }
  memory::desc dst(bool user = true, dt t = dt::f32) const {
    return memory::desc({N, OC, OH, OW}, user ? dt::f32 : t, user || !anyLayout() ? tag::nhwc : tag::any);
  }
  memory::dims wdims() const {
    return G == 1 ? memory::dims{OC, IC, KH, KW} : memory::dims{G, OC / G, IC / G, KH, KW};
  }
  // TF.js layouts: HWIO [KH, KW, IC, OC]; depthwise [KH, KW, C, M] = oneDNN hwigo with I = 1.
  memory::desc wUser() const {
    if (G == 1) return memory::desc(wdims(), dt::f32, memory::dims{1, OC, KW * IC * OC, IC * OC});
    const int64_t M = OC / G;
    return memory::desc(wdims(), dt::f32, memory::dims{M, 1, G * M, KW * G * M, G * M});
  }
  memory::desc wAny(dt t = dt::f32) const { return memory::desc(wdims(), t, tag::any); }
  double flops() const { return 2.0 * N * OH * OW * OC * (IC / G) * KH * KW; }
  memory::dims strides() const { return {SH, SW}; }
  memory::dims dil() const { return {DH - 1, DW - 1}; }
  memory::dims padL() const { return {PT, PL}; }
  memory::dims padR() const { return {PB, PR}; }
  dnnl::convolution_forward::desc fwdDesc(bool bias) const {
    const memory::desc b = bias ? memory::desc({OC}, dt::f32, tag::x) : memory::desc();
    return dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct,
                                           src(false, in), wAny(in), b, dst(false), strides(), dil(), padL(), padR());
  }
};

memory none(const memory::desc& md) { return memory(md, eng(), DNNL_MEMORY_NONE); }

// A primitive argument bound to a user buffer, reordered from (input) or to (output) the layout the
// primitive chose when that differs.
struct Bound {
  memory user, prim;
  dnnl::reorder r;
  bool reorder = false, input = true;
  Bound() = default;
  Bound(const memory::desc& userMd, const memory::desc& primMd, bool in) : input(in) {
    user = none(userMd);
    reorder = primMd != userMd;
    if (reorder) {
      prim = memory(primMd, eng());
      r = in ? dnnl::reorder(user, prim) : dnnl::reorder(prim, user);
    }
  }
  const memory& arg() const { return reorder ? prim : user; }
  void bind(const void* p) { user.set_data_handle(const_cast<void*>(p)); }
  void before() { if (reorder && input) r.execute(strm(), user, prim); }
  void after() { if (reorder && !input) r.execute(strm(), prim, user); }
};

struct Fwd {
  dnnl::convolution_forward prim;
  Bound src, w, dst;
  memory bias;
};
struct BwdData {
  dnnl::convolution_backward_data prim;
  Bound diffDst, w, diffSrc;
};
struct BwdWeights {
  dnnl::convolution_backward_weights prim;
  Bound src, diffDst, dw;
};

thread_local Cache<Fwd> fwdCache;
thread_local Cache<BwdData> bwdDataCache;
thread_local Cache<BwdWeights> bwdWeightsCache;

}  // namespace

// Optional trailing bf16 flag at argument i: true when given and true.
static bool bf16Arg(const Napi::CallbackInfo& info, size_t i) { return info.Length() > i && info[i].IsBoolean() && b(info, i); }

// convForward(x, w, bias|null, y, p, act, alpha, prelu|null, bf16?) -> bool: y = act(conv(x, w) + bias);
// bf16: x and w rounded to bf16 inside the call, f32 accumulation and y.
static Napi::Value ConvForward(const Napi::CallbackInfo& info) {
  return guarded(info, "convForward", [&]() -> Napi::Value {
    const float* bias = optPtr(info, 2);
    float* y = ptr<float>(info, 3);
    Key key = params(info, 4);
    P p(key);
    const bool bf16 = bf16Arg(info, 8);
    if (bf16) {
      p.in = dt::bf16;
      key.push_back(16);
    }
    SingleThreadIf single(p.flops() < kSmallFlops);
    key.push_back(omp_get_max_threads());
    const int act = i32(info, 5);
    const float alpha = f32(info, 6);
    const float* prelu = optPtr(info, 7);
    int32_t alphaBits;
    std::memcpy(&alphaBits, &alpha, 4);
    key.insert(key.end(), {bias != nullptr, act, act == kLeaky ? alphaBits : 0});
    Fwd* e = fwdCache.get(key, [&] {
      auto e = std::make_unique<Fwd>();
      dnnl::post_ops po;
      if (act != kPrelu && !appendActPostOp(po, act, alpha)) throw dnnl::error(dnnl_unimplemented, "activation");
      dnnl::primitive_attr attr;
      attr.set_post_ops(po);
      dnnl::convolution_forward::primitive_desc pd(p.fwdDesc(bias != nullptr), attr, eng());
      e->prim = dnnl::convolution_forward(pd);
      e->src = Bound(p.src(), pd.src_desc(), true);
      e->w = Bound(p.wUser(), pd.weights_desc(), true);
      e->dst = Bound(p.dst(), pd.dst_desc(), false);
      if (bias) e->bias = none(pd.bias_desc());
      return e;
    });
    if (!e) return Napi::Boolean::New(info.Env(), false);
    e->src.bind(ptr<float>(info, 0));
    e->w.bind(ptr<float>(info, 1));
    e->dst.bind(y);
    e->src.before();
    e->w.before();
    std::unordered_map<int, memory> args{
        {DNNL_ARG_SRC, e->src.arg()}, {DNNL_ARG_WEIGHTS, e->w.arg()}, {DNNL_ARG_DST, e->dst.arg()}};
    if (bias) {
      e->bias.set_data_handle(const_cast<float*>(bias));
      args.emplace(DNNL_ARG_BIAS, e->bias);
    }
    e->prim.execute(strm(), args);
    e->dst.after();
    strm().wait();
    if (act == kPrelu) biasAct(y, p.N * p.OH * p.OW, p.OC, nullptr, kPrelu, 0.f, prelu, static_cast<int64_t>(len(info, 7)));
    if (act == kRelu || act == kRelu6) actPass(y, p.N * p.OH * p.OW * p.OC, act);
    return Napi::Boolean::New(info.Env(), true);
  });
}
PP_EXPORT("convForward", ConvForward);

// convBackwardData(dy, w, dx, p, bf16?) -> bool: dx = gradient of conv(x, w) w.r.t. x given dy (bf16:
// dy and w rounded to bf16, f32 dx).
static Napi::Value ConvBackwardData(const Napi::CallbackInfo& info) {
  return guarded(info, "convBackwardData", [&]() -> Napi::Value {
    Key key = params(info, 3);
    P p(key);
    if (bf16Arg(info, 4)) {
      p.in = dt::bf16;
      key.push_back(16);
    }
    SingleThreadIf single(p.flops() < kSmallFlops);
    key.push_back(omp_get_max_threads());
    BwdData* e = bwdDataCache.get(key, [&] {
      auto e = std::make_unique<BwdData>();
      dnnl::convolution_forward::primitive_desc hint(p.fwdDesc(false), eng());
      dnnl::convolution_backward_data::desc d(dnnl::algorithm::convolution_direct, p.src(false), p.wAny(p.in),
                                              p.dst(false, p.in), p.strides(), p.dil(), p.padL(), p.padR());
      dnnl::convolution_backward_data::primitive_desc pd(d, eng(), hint);
      e->prim = dnnl::convolution_backward_data(pd);
      e->diffDst = Bound(p.dst(), pd.diff_dst_desc(), true);
      e->w = Bound(p.wUser(), pd.weights_desc(), true);
      e->diffSrc = Bound(p.src(), pd.diff_src_desc(), false);
      return e;
    });
    if (!e) return Napi::Boolean::New(info.Env(), false);
    e->diffDst.bind(ptr<float>(info, 0));
    e->w.bind(ptr<float>(info, 1));
    e->diffSrc.bind(ptr<float>(info, 2));
    e->diffDst.before();
    e->w.before();
    e->prim.execute(strm(), {{DNNL_ARG_DIFF_DST, e->diffDst.arg()}, {DNNL_ARG_WEIGHTS, e->w.arg()},
                             {DNNL_ARG_DIFF_SRC, e->diffSrc.arg()}});
    e->diffSrc.after();
    strm().wait();
    return Napi::Boolean::New(info.Env(), true);
  });
}
PP_EXPORT("convBackwardData", ConvBackwardData);

// convBackwardWeights(x, dy, dw, p, bf16?) -> bool: dw = gradient of conv(x, w) w.r.t. w (TF.js
// layout; bf16: x and dy rounded to bf16, f32 dw).
static Napi::Value ConvBackwardWeights(const Napi::CallbackInfo& info) {
  return guarded(info, "convBackwardWeights", [&]() -> Napi::Value {
    Key key = params(info, 3);
    P p(key);
    if (bf16Arg(info, 4)) {
      p.in = dt::bf16;
      key.push_back(16);
    }
    SingleThreadIf single(p.flops() < kSmallFlops);
    key.push_back(omp_get_max_threads());
    BwdWeights* e = bwdWeightsCache.get(key, [&] {
      auto e = std::make_unique<BwdWeights>();
      dnnl::convolution_forward::primitive_desc hint(p.fwdDesc(false), eng());
      dnnl::convolution_backward_weights::desc d(dnnl::algorithm::convolution_direct, p.src(false, p.in), p.wAny(),
                                                 p.dst(false, p.in), p.strides(), p.dil(), p.padL(), p.padR());
      dnnl::convolution_backward_weights::primitive_desc pd(d, eng(), hint);
      e->prim = dnnl::convolution_backward_weights(pd);
      e->src = Bound(p.src(), pd.src_desc(), true);
      e->diffDst = Bound(p.dst(), pd.diff_dst_desc(), true);
      e->dw = Bound(p.wUser(), pd.diff_weights_desc(), false);
      return e;
    });
    if (!e) return Napi::Boolean::New(info.Env(), false);
    e->src.bind(ptr<float>(info, 0));
    e->diffDst.bind(ptr<float>(info, 1));
    e->dw.bind(ptr<float>(info, 2));
    e->src.before();
    e->diffDst.before();
    e->prim.execute(strm(), {{DNNL_ARG_SRC, e->src.arg()}, {DNNL_ARG_DIFF_DST, e->diffDst.arg()},
                             {DNNL_ARG_DIFF_WEIGHTS, e->dw.arg()}});
    e->dw.after();
    strm().wait();
    return Napi::Boolean::New(info.Env(), true);
  });
}
PP_EXPORT("convBackwardWeights", ConvBackwardWeights);

}  // namespace pp
