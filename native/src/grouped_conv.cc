// Grouped 2-D convolution forward (the GroupedConv2D layer, src/core/compress/grouped_conv2d.ts) in one
// call: group g reads input channels chan[off_g .. off_g + C_g) (any subset, any order) with its own
// kernel (TF.js HWIO [KH, KW, C_g, F_g]) into F_g channels; the groups' outputs are concatenated (group 0
// first) and output channel f is concatenated channel outIndex[f] (null: every one, in order); bias (one
// value per concatenated channel, in concatenation order) and the activation inside.
//
// Equal groups (every C_g and F_g the same) run as one oneDNN convolution with `groups` = G over the input
// gathered into group order (no gather when that order is 0..C-1). Unequal groups run one convolution per
// group, each on its channels gathered into a dense scratch buffer (oneDNN's optimized NHWC kernels want
// dense tensors) and writing a dense scratch output; one final pass places every group's channels in y
// (concatenation and outIndex in one) and applies relu/relu6 (TF.js's NaN semantics, as in conv.cc).
//
// Parameters p (Int32Array): N, IH, IW, C, OH, OW, KH, KW, SH, SW, PT, PL, PB, PR (no dilation).
#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <unordered_map>
#include <vector>
#include "activation.h"
#include "dnnl_ctx.h"
#include "threads.h"
#include "window2d.h"

namespace pp {
using dnnl::memory;
using dt = memory::data_type;
using tag = memory::format_tag;

namespace {

struct GP : Window2D {
  using Window2D::Window2D;
  // One convolution over `ic` input and `oc` output channels in `g` groups (g = 1: plain), dense NHWC.
  dnnl::convolution_forward::primitive_desc pd(int64_t g, int64_t ic, int64_t oc, bool bias,
                                               const dnnl::primitive_attr& attr) const {
    const memory::desc src({N, ic, IH, IW}, dt::f32, tag::nhwc), dst({N, oc, OH, OW}, dt::f32, tag::nhwc);
    const memory::dims wd = g == 1 ? memory::dims{oc, ic, KH, KW} : memory::dims{g, oc / g, ic / g, KH, KW};
    const memory::desc w(wd, dt::f32, tag::any);
    const memory::desc b = bias ? memory::desc({oc}, dt::f32, tag::x) : memory::desc();
    dnnl::convolution_forward::desc d(dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct, src, w,
                                      b, dst, {SH, SW}, {0, 0}, {PT, PL}, {PB, PR});
    return dnnl::convolution_forward::primitive_desc(d, attr, eng());
  }
  // The user's weights: g = 1, HWIO [KH, KW, ic, oc]; g > 1, the groups' HWIO kernels one after another.
  memory::desc wUser(int64_t g, int64_t ic, int64_t oc) const {
    if (g == 1) return memory::desc({oc, ic, KH, KW}, dt::f32, memory::dims{1, oc, KW * ic * oc, ic * oc});
    const int64_t I = ic / g, O = oc / g;
    return memory::desc({g, O, I, KH, KW}, dt::f32, memory::dims{KH * KW * I * O, 1, O, KW * I * O, I * O});
  }
};

struct Conv {
  dnnl::convolution_forward prim;
  memory src, w, wPrim, bias, dst;
  dnnl::reorder wReorder;
  bool reorderW = false, single = false, wSmall = false;
};

struct Entry {
  std::vector<Conv> convs;  // one (grouped) or one per group
  bool grouped = false;
  // Unequal groups: run side by side, one thread each (single-threaded primitives), largest first.
  bool byGroup = false;
  std::vector<int64_t> order;
};

thread_local Cache<Entry> cache;
thread_local std::vector<float> scratchIn, scratchOut, scratchW, scratchBias;

float* grow(std::vector<float>& v, size_t n) {
  if (v.size() < n) v.resize(n);
  return v.data();
}

memory none(const memory::desc& md) { return memory(md, eng(), DNNL_MEMORY_NONE); }

Conv makeConv(const GP& p, int64_t g, int64_t ic, int64_t oc, bool bias, int act, float alpha, bool forceSingle = false) {
  Conv c;
  c.single = forceSingle || 2.0 * p.N * p.OH * p.OW * oc * (ic / g) * p.KH * p.KW < kSmallFlops;
  SingleThreadIf single(c.single);
  dnnl::post_ops po;
  if (!appendActPostOp(po, act, alpha)) throw dnnl::error(dnnl_unimplemented, "activation");
  dnnl::primitive_attr attr;
  attr.set_post_ops(po);
  auto pd = p.pd(g, ic, oc, bias, attr);
  c.prim = dnnl::convolution_forward(pd);
  c.src = none(pd.src_desc());
  c.dst = none(pd.dst_desc());
  const memory::desc wu = p.wUser(g, ic, oc);
  c.w = none(wu);
  c.reorderW = pd.weights_desc() != wu;
  c.wSmall = p.KH * p.KW * ic * oc / g < (int64_t{1} << 20);
  if (c.reorderW) {
    c.wPrim = memory(pd.weights_desc(), eng());
    c.wReorder = dnnl::reorder(c.w, c.wPrim);
  }
  if (bias) c.bias = none(pd.bias_desc());
  return c;
}

void run(Conv& c, const float* src, const float* w, const float* bias, float* dst) {
  SingleThreadIf single(c.single);
  c.src.set_data_handle(const_cast<float*>(src));
  c.w.set_data_handle(const_cast<float*>(w));
  c.dst.set_data_handle(dst);
  if (c.reorderW) {
    // One thread: a kernel's reorder is ~0.1 ms of work, while a 2-thread region on a busy machine waited
    // ~20 ms for a descheduled worker (ONEDNN_VERBOSE, load 9 on 2 cores).
    SingleThreadIf one(c.wSmall);
    c.wReorder.execute(strm(), c.w, c.wPrim);
  }
  std::unordered_map<int, memory> args{
      {DNNL_ARG_SRC, c.src}, {DNNL_ARG_WEIGHTS, c.reorderW ? c.wPrim : c.w}, {DNNL_ARG_DST, c.dst}};
  if (bias) {
    c.bias.set_data_handle(const_cast<float*>(bias));
    args.emplace(DNNL_ARG_BIAS, c.bias);
  }
  c.prim.execute(strm(), args);
  strm().wait();
}

// dst[r, k] = src[r, idx[k]] for rows r < rows, k < n (src rows of `cols` values).
void gatherCols(const float* src, int64_t rows, int64_t cols, const int32_t* idx, int64_t n, float* dst) {
#pragma omp parallel for schedule(static) if (rows * n >= parMin())
  for (int64_t r = 0; r < rows; r++) {
    const float* s = src + r * cols;
    float* d = dst + r * n;
    for (int64_t k = 0; k < n; k++) d[k] = s[idx[k]];
  }
}

}  // namespace

// groupedConvForward(x, ws[], bias|null, y, p, chan, groupC, groupF, outIndex|null, act, alpha) -> bool:
// see the file comment; bias has Σ F_g values (concatenation order), y N·OH·OW·F values with F =
// outIndex's length (or Σ F_g). False when oneDNN has no implementation (the caller delegates).
static Napi::Value GroupedConvForward(const Napi::CallbackInfo& info) {
  return guarded(info, "groupedConvForward", [&]() -> Napi::Value {
    const float* x = ptr<float>(info, 0);
    Napi::Array wArr = info[1].As<Napi::Array>();
    const float* bias = optPtr(info, 2);
    float* y = ptr<float>(info, 3);
    Key key = params(info, 4);
    const GP p(key);
    const int32_t* chan = ptr<int32_t>(info, 5);
    const int32_t* gc = ptr<int32_t>(info, 6);
    const int32_t* gf = ptr<int32_t>(info, 7);
    const int64_t G = static_cast<int64_t>(len(info, 6));
    const bool ordered = !(info[8].IsNull() || info[8].IsUndefined());
    const int32_t* outIdx = ordered ? ptr<int32_t>(info, 8) : nullptr;
    const int act = i32(info, 9);
    const float alpha = f32(info, 10);
    if (static_cast<int64_t>(wArr.Length()) != G || len(info, 7) != static_cast<size_t>(G))
      throw std::invalid_argument("one kernel and one filter count per group");
    int64_t Cs = 0, Fs = 0;
    bool equal = G > 1;
    for (int64_t g = 0; g < G; g++) {
      Cs += gc[g];
      Fs += gf[g];
      equal = equal && gc[g] == gc[0] && gf[g] == gf[0];
    }
    const int64_t F = ordered ? static_cast<int64_t>(len(info, 8)) : Fs;
    bool identityIn = Cs == p.C;
    for (int64_t c = 0; identityIn && c < Cs; c++) identityIn = chan[c] == c;
    key.insert(key.end(), {bias != nullptr, act, 0, omp_get_max_threads(), equal});
    if (act == kLeaky) std::memcpy(&key[key.size() - 3], &alpha, 4);
    for (int64_t g = 0; g < G; g++) key.insert(key.end(), {gc[g], gf[g]});
    Entry* e = cache.get(key, [&] {
      auto e = std::make_unique<Entry>();
      e->grouped = equal;
      if (equal) {
        e->convs.push_back(makeConv(p, G, Cs, Fs, bias != nullptr, act, alpha));
        return e;
      }
      // Groups side by side when the largest holds at most 60 % of the work (2 threads: makespan ≤ 0.6
      // of one thread's time): one parallel region per call instead of one per primitive and gather,
      // each a point where a loaded machine's descheduled worker stalls the call.
      std::vector<double> work(G);
      double total = 0, top = 0;
      for (int64_t g = 0; g < G; g++) {
        work[g] = static_cast<double>(gc[g]) * gf[g];
        total += work[g];
        top = std::max(top, work[g]);
      }
      const int threads = omp_get_max_threads();
      e->byGroup = threads > 1 && G > 1 && top <= 0.6 * total;
      for (int64_t g = 0; g < G; g++) e->convs.push_back(makeConv(p, 1, gc[g], gf[g], bias != nullptr, act, alpha, e->byGroup));
      e->order.resize(G);
      for (int64_t g = 0; g < G; g++) e->order[g] = g;
      std::stable_sort(e->order.begin(), e->order.end(), [&](int64_t a, int64_t b) { return work[a] > work[b]; });
      return e;
    });
    if (!e) return Napi::Boolean::New(info.Env(), false);
    const int64_t inRows = p.N * p.IH * p.IW, outRows = p.N * p.OH * p.OW;
    std::vector<const float*> ws(G);
    for (int64_t g = 0; g < G; g++) {
      Napi::TypedArray a = wArr.Get(static_cast<uint32_t>(g)).As<Napi::TypedArray>();
      if (a.ElementLength() != static_cast<size_t>(p.KH * p.KW * gc[g] * gf[g])) throw std::invalid_argument("kernel size");
      ws[g] = reinterpret_cast<const float*>(static_cast<const uint8_t*>(a.ArrayBuffer().Data()) + a.ByteOffset());
    }
    // The concatenated output: y itself when no outIndex, else scratch placed by the final pass.
    const bool direct = !ordered && (equal || G == 1);
    if (e->grouped) {
      const float* src = x;
      if (!identityIn) {
        float* s = grow(scratchIn, static_cast<size_t>(inRows * Cs));
        gatherCols(x, inRows, p.C, chan, Cs, s);
        src = s;
      }
      const size_t wn = static_cast<size_t>(p.KH * p.KW * gc[0] * gf[0]);
      float* wp = grow(scratchW, wn * G);
      for (int64_t g = 0; g < G; g++) std::memcpy(wp + g * wn, ws[g], wn * sizeof(float));
      float* dst = direct ? y : grow(scratchOut, static_cast<size_t>(outRows * Fs));
      run(e->convs[0], src, wp, bias, dst);
      if (!direct) gatherCols(dst, outRows, Fs, outIdx, F, y);
    } else {
      // Scratch: every group's gathered input, then every group's output (offsets by group).
      size_t inNeed = 0, outNeed = static_cast<size_t>(outRows * Fs);
      int64_t off = 0;
      for (int64_t g = 0; g < G; off += gc[g], g++) {
        bool whole = gc[g] == p.C;
        for (int64_t c = 0; whole && c < gc[g]; c++) whole = chan[off + c] == c;
        if (!whole) inNeed += static_cast<size_t>(inRows * gc[g]);
      }
      float* sin0 = grow(scratchIn, inNeed);
      float* sout = direct ? y : grow(scratchOut, outNeed);
      // Per group: where its channels start in chan, its gathered input (null: x itself), its output.
      std::vector<int64_t> cOff(G), fOffs(G);
      std::vector<float*> gin(G, nullptr);
      for (int64_t g = 0, c0 = 0, f0 = 0, in0 = 0; g < G; c0 += gc[g], f0 += gf[g], g++) {
        cOff[g] = c0;
        fOffs[g] = f0;
        bool whole = gc[g] == p.C;
        for (int64_t c = 0; whole && c < gc[g]; c++) whole = chan[c0 + c] == c;
        if (!whole) {
          gin[g] = sin0 + in0;
          in0 += inRows * gc[g];
        }
      }
      auto group = [&](int64_t g) {
        const float* src = x;
        if (gin[g]) {
          gatherCols(x, inRows, p.C, chan + cOff[g], gc[g], gin[g]);
          src = gin[g];
        }
        run(e->convs[g], src, ws[g], bias ? bias + fOffs[g] : nullptr, sout + outRows * fOffs[g]);
      };
      if (e->byGroup) {
#pragma omp parallel for schedule(dynamic, 1)
        for (int64_t i = 0; i < G; i++) group(e->order[i]);
      } else {
        for (int64_t g = 0; g < G; g++) group(g);
      }
      if (!direct) {
        // y[r, f] = group(j)'s output [r, j − off(j)] for j = outIndex[f] (or f).
        std::vector<const float*> base(F);
        std::vector<int64_t> stride(F);
        std::vector<int64_t> groupOf(Fs), within(Fs);
        int64_t fOff = 0;
        for (int64_t g = 0; g < G; fOff += gf[g], g++)
          for (int64_t j = 0; j < gf[g]; j++) {
            groupOf[fOff + j] = g;
            within[fOff + j] = j;
          }
        std::vector<int64_t> gStart(G);
        fOff = 0;
        for (int64_t g = 0; g < G; fOff += gf[g], g++) gStart[g] = fOff;
        for (int64_t f = 0; f < F; f++) {
          const int64_t j = ordered ? outIdx[f] : f;
          const int64_t g = groupOf[j];
          base[f] = sout + outRows * gStart[g] + within[j];
          stride[f] = gf[g];
        }
        const bool relu = act == kRelu, relu6 = act == kRelu6;
#pragma omp parallel for schedule(static) if (outRows * F >= parMin())
        for (int64_t r = 0; r < outRows; r++) {
          float* d = y + r * F;
          for (int64_t f = 0; f < F; f++) d[f] = base[f][r * stride[f]];
          if (relu || relu6)  // TF.js's NaN semantics (actPass)
            for (int64_t f = 0; f < F; f++) {
              const float v = d[f] < 0.f ? 0.f : d[f];
              d[f] = relu6 && v > 6.f ? 6.f : v;
            }
        }
        return Napi::Boolean::New(info.Env(), true);
      }
    }
    if (act == kRelu || act == kRelu6) actPass(y, outRows * F, act);
    return Napi::Boolean::New(info.Env(), true);
  });
}
PP_EXPORT("groupedConvForward", GroupedConvForward);

}  // namespace pp
