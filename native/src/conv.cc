// 2-D convolutions (NHWC data, TF.js filter layouts) on oneDNN primitives: forward with bias and
// activation post-ops, backward data, backward weights. Plain (groups 1, filter HWIO) and depthwise
// (groups = in channels, filter [KH, KW, C, M], out channel c·M + m) convolutions.
//
// Parameters p (Int32Array): N, IH, IW, IC, OH, OW, OC, KH, KW, SH, SW, DH, DW, PT, PL, PB, PR, G
// with TF.js dilations (1 = none; oneDNN's are one less). Every entry returns false when oneDNN has
// no implementation for the case, so the JS kernel can delegate to the cpu kernel.
#include <cstring>
#include "activation.h"
#include "dnnl_ctx.h"

namespace pp {
using dnnl::memory;
using dt = memory::data_type;
using tag = memory::format_tag;

namespace {

struct P {
  int64_t N, IH, IW, IC, OH, OW, OC, KH, KW, SH, SW, DH, DW, PT, PL, PB, PR, G;
  explicit P(const std::vector<int64_t>& v)
      : N(v[0]), IH(v[1]), IW(v[2]), IC(v[3]), OH(v[4]), OW(v[5]), OC(v[6]), KH(v[7]), KW(v[8]), SH(v[9]), SW(v[10]),
        DH(v[11]), DW(v[12]), PT(v[13]), PL(v[14]), PB(v[15]), PR(v[16]), G(v[17]) {}
  memory::desc src() const { return memory::desc({N, IC, IH, IW}, dt::f32, tag::nhwc); }
  memory::desc dst() const { return memory::desc({N, OC, OH, OW}, dt::f32, tag::nhwc); }
  memory::dims wdims() const {
    return G == 1 ? memory::dims{OC, IC, KH, KW} : memory::dims{G, OC / G, IC / G, KH, KW};
  }
  // TF.js layouts: HWIO [KH, KW, IC, OC]; depthwise [KH, KW, C, M] = oneDNN hwigo with I = 1.
  memory::desc wUser() const {
    if (G == 1) return memory::desc(wdims(), dt::f32, memory::dims{1, OC, KW * IC * OC, IC * OC});
    const int64_t M = OC / G;
    return memory::desc(wdims(), dt::f32, memory::dims{M, 1, G * M, KW * G * M, G * M});
  }
  memory::desc wAny() const { return memory::desc(wdims(), dt::f32, tag::any); }
  memory::dims strides() const { return {SH, SW}; }
  memory::dims dil() const { return {DH - 1, DW - 1}; }
  memory::dims padL() const { return {PT, PL}; }
  memory::dims padR() const { return {PB, PR}; }
  dnnl::convolution_forward::desc fwdDesc(bool bias) const {
    const memory::desc b = bias ? memory::desc({OC}, dt::f32, tag::x) : memory::desc();
    return dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct,
                                           src(), wAny(), b, dst(), strides(), dil(), padL(), padR());
  }
};

memory none(const memory::desc& md) { return memory(md, eng(), DNNL_MEMORY_NONE); }

struct Fwd {
  dnnl::convolution_forward prim;
  memory src, wUser, wPrim, bias, dst;
  dnnl::reorder wReorder;
  bool reorderW = false;
};

struct BwdData {
  dnnl::convolution_backward_data prim;
  memory diffDst, wUser, wPrim, diffSrc;
  dnnl::reorder wReorder;
  bool reorderW = false;
};

struct BwdWeights {
  dnnl::convolution_backward_weights prim;
  memory src, diffDst, dwPrim, dwUser;
  dnnl::reorder dwReorder;
  bool reorderW = false;
};

Cache<Fwd> fwdCache;
Cache<BwdData> bwdDataCache;
Cache<BwdWeights> bwdWeightsCache;

}  // namespace

// convForward(x, w, bias|null, y, p, act, alpha, prelu|null) -> bool: y = act(conv(x, w) + bias).
static Napi::Value ConvForward(const Napi::CallbackInfo& info) {
  return guarded(info, "convForward", [&]() -> Napi::Value {
    const float* x = ptr<float>(info, 0);
    const float* w = ptr<float>(info, 1);
    const float* bias = optPtr(info, 2);
    float* y = ptr<float>(info, 3);
    Key key = params(info, 4);
    const P p(key);
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
      e->src = none(p.src());
      e->dst = none(p.dst());
      e->wUser = none(p.wUser());
      e->reorderW = pd.weights_desc() != p.wUser();
      if (e->reorderW) {
        e->wPrim = memory(pd.weights_desc(), eng());
        e->wReorder = dnnl::reorder(e->wUser, e->wPrim);
      }
      if (bias) e->bias = none(pd.bias_desc());
      return e;
    });
    if (!e) return Napi::Boolean::New(info.Env(), false);
    e->src.set_data_handle(const_cast<float*>(x));
    e->dst.set_data_handle(y);
    e->wUser.set_data_handle(const_cast<float*>(w));
    if (e->reorderW) e->wReorder.execute(strm(), e->wUser, e->wPrim);
    std::unordered_map<int, memory> args{
        {DNNL_ARG_SRC, e->src}, {DNNL_ARG_WEIGHTS, e->reorderW ? e->wPrim : e->wUser}, {DNNL_ARG_DST, e->dst}};
    if (bias) {
      e->bias.set_data_handle(const_cast<float*>(bias));
      args.emplace(DNNL_ARG_BIAS, e->bias);
    }
    e->prim.execute(strm(), args);
    strm().wait();
    if (act == kPrelu) biasAct(y, p.N * p.OH * p.OW, p.OC, nullptr, kPrelu, 0.f, prelu, static_cast<int64_t>(len(info, 7)));
    return Napi::Boolean::New(info.Env(), true);
  });
}
PP_EXPORT("convForward", ConvForward);

// convBackwardData(dy, w, dx, p) -> bool: dx = gradient of conv(x, w) w.r.t. x given dy.
static Napi::Value ConvBackwardData(const Napi::CallbackInfo& info) {
  return guarded(info, "convBackwardData", [&]() -> Napi::Value {
    const Key key = params(info, 3);
    const P p(key);
    BwdData* e = bwdDataCache.get(key, [&] {
      auto e = std::make_unique<BwdData>();
      dnnl::convolution_forward::primitive_desc hint(p.fwdDesc(false), eng());
      dnnl::convolution_backward_data::desc d(dnnl::algorithm::convolution_direct, p.src(), p.wAny(), p.dst(),
                                              p.strides(), p.dil(), p.padL(), p.padR());
      dnnl::convolution_backward_data::primitive_desc pd(d, eng(), hint);
      e->prim = dnnl::convolution_backward_data(pd);
      e->diffDst = none(p.dst());
      e->diffSrc = none(p.src());
      e->wUser = none(p.wUser());
      e->reorderW = pd.weights_desc() != p.wUser();
      if (e->reorderW) {
        e->wPrim = memory(pd.weights_desc(), eng());
        e->wReorder = dnnl::reorder(e->wUser, e->wPrim);
      }
      return e;
    });
    if (!e) return Napi::Boolean::New(info.Env(), false);
    e->diffDst.set_data_handle(ptr<float>(info, 0));
    e->wUser.set_data_handle(ptr<float>(info, 1));
    e->diffSrc.set_data_handle(ptr<float>(info, 2));
    if (e->reorderW) e->wReorder.execute(strm(), e->wUser, e->wPrim);
    e->prim.execute(strm(), {{DNNL_ARG_DIFF_DST, e->diffDst},
                             {DNNL_ARG_WEIGHTS, e->reorderW ? e->wPrim : e->wUser},
                             {DNNL_ARG_DIFF_SRC, e->diffSrc}});
    strm().wait();
    return Napi::Boolean::New(info.Env(), true);
  });
}
PP_EXPORT("convBackwardData", ConvBackwardData);

// convBackwardWeights(x, dy, dw, p) -> bool: dw = gradient of conv(x, w) w.r.t. w (TF.js layout).
static Napi::Value ConvBackwardWeights(const Napi::CallbackInfo& info) {
  return guarded(info, "convBackwardWeights", [&]() -> Napi::Value {
    const Key key = params(info, 3);
    const P p(key);
    BwdWeights* e = bwdWeightsCache.get(key, [&] {
      auto e = std::make_unique<BwdWeights>();
      dnnl::convolution_forward::primitive_desc hint(p.fwdDesc(false), eng());
      dnnl::convolution_backward_weights::desc d(dnnl::algorithm::convolution_direct, p.src(), p.wAny(), p.dst(),
                                                 p.strides(), p.dil(), p.padL(), p.padR());
      dnnl::convolution_backward_weights::primitive_desc pd(d, eng(), hint);
      e->prim = dnnl::convolution_backward_weights(pd);
      e->src = none(p.src());
      e->diffDst = none(p.dst());
      e->dwUser = none(p.wUser());
      e->reorderW = pd.diff_weights_desc() != p.wUser();
      if (e->reorderW) {
        e->dwPrim = memory(pd.diff_weights_desc(), eng());
        e->dwReorder = dnnl::reorder(e->dwPrim, e->dwUser);
      }
      return e;
    });
    if (!e) return Napi::Boolean::New(info.Env(), false);
    e->src.set_data_handle(ptr<float>(info, 0));
    e->diffDst.set_data_handle(ptr<float>(info, 1));
    e->dwUser.set_data_handle(ptr<float>(info, 2));
    e->prim.execute(strm(), {{DNNL_ARG_SRC, e->src},
                             {DNNL_ARG_DIFF_DST, e->diffDst},
                             {DNNL_ARG_DIFF_WEIGHTS, e->reorderW ? e->dwPrim : e->dwUser}});
    if (e->reorderW) e->dwReorder.execute(strm(), e->dwPrim, e->dwUser);
    strm().wait();
    return Napi::Boolean::New(info.Env(), true);
  });
}
PP_EXPORT("convBackwardWeights", ConvBackwardWeights);

}  // namespace pp
