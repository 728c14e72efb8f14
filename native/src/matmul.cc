// 2-D matrix products on oneDNN's matmul primitive (brgemm kernels), with the bias and activation of
// _FusedMatMul as post-ops (relu and relu6 as a pass of ours after it, which keeps NaN: activation.h). Against dnnl_sgemm on the MLP's products (2 threads, this machine): the
// same speed on A·B, 16 % faster on A·Bᵀ (128×500·(500×500)ᵀ: 0.32 vs 0.38 ms), and the epilogue
// costs no second pass over C (inside the MLP training step the difference was within noise,
// 2.99 vs 3.01 ms). Primitives are cached per shape, transposes, epilogue and thread count.
#include <cstring>
#include <string>
#include "activation.h"
#include "dnnl_ctx.h"
#include "threads.h"

namespace pp {
using dnnl::memory;

namespace {

struct Mm {
  dnnl::matmul prim;
  memory a, b, c, bias;
  std::string impl;
};
thread_local Cache<Mm> mmCache;

}  // namespace

// The cached primitive for C (M×N, f32) = act(op(A)·op(B) + bias), A and B of type `in` (f32, or bf16
// with f32 accumulation); nullptr when oneDNN has no implementation.
static Mm* primitive(bool tA, bool tB, int64_t M, int64_t N, int64_t K, bool bias, int act, float alpha, memory::data_type in) {
  int32_t alphaBits;
  std::memcpy(&alphaBits, &alpha, 4);
  const bool bf16 = in == memory::data_type::bf16;
  // The fp32 key is the one the addon always used; bf16 entries add a marker.
  Key key{tA, tB, M, N, K, bias, act, act == kLeaky ? alphaBits : 0, omp_get_max_threads()};
  if (bf16) key.push_back(16);
  return mmCache.get(key, [&] {
    auto e = std::make_unique<Mm>();
    // Row-major operands; a transposed one is the same buffer read with swapped strides.
    const memory::desc a({M, K}, in, tA ? memory::dims{1, M} : memory::dims{K, 1});
    const memory::desc bm({K, N}, in, tB ? memory::dims{1, K} : memory::dims{N, 1});
    const memory::desc c({M, N}, memory::data_type::f32, memory::dims{N, 1});
    const memory::desc bi = bias ? memory::desc({1, N}, memory::data_type::f32, memory::dims{N, 1}) : memory::desc();
    dnnl::post_ops po;
    if (!appendActPostOp(po, act, alpha)) throw dnnl::error(dnnl_unimplemented, "activation");
    dnnl::primitive_attr attr;
    attr.set_post_ops(po);
    dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(a, bm, bi, c), attr, eng());
    e->prim = dnnl::matmul(pd);
    e->impl = pd.impl_info_str();
    e->a = memory(a, eng(), DNNL_MEMORY_NONE);
    e->b = memory(bm, eng(), DNNL_MEMORY_NONE);
    e->c = memory(c, eng(), DNNL_MEMORY_NONE);
    if (bias) e->bias = memory(bi, eng(), DNNL_MEMORY_NONE);
    return e;
  });
}

// Shared body of matmul and matmulBf16: arguments (tA, tB, M, N, K, A, B, C, bias|null, act, alpha).
static Napi::Value run(const Napi::CallbackInfo& info, memory::data_type in) {
  const bool tA = b(info, 0), tB = b(info, 1);
  const int64_t M = i64(info, 2), N = i64(info, 3), K = i64(info, 4);
  const float* bias = optPtr(info, 8);
  const int act = i32(info, 9);
  const float alpha = f32(info, 10);
  SingleThreadIf single(2.0 * M * N * K < kSmallFlops);
  Mm* e = primitive(tA, tB, M, N, K, bias != nullptr, act, alpha, in);
  if (!e) return Napi::Boolean::New(info.Env(), false);
  e->a.set_data_handle(ptr<void>(info, 5));
  e->b.set_data_handle(ptr<void>(info, 6));
  e->c.set_data_handle(ptr<float>(info, 7));
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, e->a}, {DNNL_ARG_WEIGHTS, e->b}, {DNNL_ARG_DST, e->c}};
  if (bias) {
    e->bias.set_data_handle(const_cast<float*>(bias));
    args.emplace(DNNL_ARG_BIAS, e->bias);
  }
  e->prim.execute(strm(), args);
  strm().wait();
  if (act == kRelu || act == kRelu6) actPass(ptr<float>(info, 7), M * N, act);
  return Napi::Boolean::New(info.Env(), true);
}

// matmul(tA, tB, M, N, K, A, B, C, bias|null, act, alpha) -> bool: C (M×N, row-major, contiguous) =
// act(op(A)·op(B) + bias), bias of N values; act codes of activation.h except prelu. false: not supported.
static Napi::Value Matmul(const Napi::CallbackInfo& info) {
  return guarded(info, "matmul", [&]() -> Napi::Value { return run(info, memory::data_type::f32); });
}
PP_EXPORT("matmul", Matmul);

// matmulBf16(tA, tB, M, N, K, A16, B16, C, bias|null, act, alpha) -> bool: as matmul with A and B
// bf16 (Uint16Arrays, bf16.h), products accumulated and C written in float32.
static Napi::Value MatmulBf16(const Napi::CallbackInfo& info) {
  return guarded(info, "matmulBf16", [&]() -> Napi::Value { return run(info, memory::data_type::bf16); });
}
PP_EXPORT("matmulBf16", MatmulBf16);

// matmulImpl(tA, tB, M, N, K, bf16) -> string: oneDNN's implementation of that plain product (e.g.
// "brg:avx512_core_amx_bf16"), "" when it has none.
static Napi::Value MatmulImpl(const Napi::CallbackInfo& info) {
  return guarded(info, "matmulImpl", [&]() -> Napi::Value {
    SingleThreadIf single(2.0 * i64(info, 2) * i64(info, 3) * i64(info, 4) < kSmallFlops);
    Mm* e = primitive(b(info, 0), b(info, 1), i64(info, 2), i64(info, 3), i64(info, 4), false, 0, 0.f,
                      b(info, 5) ? memory::data_type::bf16 : memory::data_type::f32);
    return Napi::String::New(info.Env(), e ? e->impl : std::string());
  });
}
PP_EXPORT("matmulImpl", MatmulImpl);

}  // namespace pp
