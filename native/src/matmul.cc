// 2-D matrix products on oneDNN's matmul primitive (brgemm kernels), with the bias and activation of
// _FusedMatMul as post-ops (relu and relu6 as a pass of ours after it, which keeps NaN: activation.h). Against dnnl_sgemm on the MLP's products (2 threads, this machine): the
// same speed on A·B, 16 % faster on A·Bᵀ (128×500·(500×500)ᵀ: 0.32 vs 0.38 ms), and the epilogue
// costs no second pass over C (inside the MLP training step the difference was within noise,
// 2.99 vs 3.01 ms). Primitives are cached per shape, transposes, epilogue and thread count.
#include <cstring>
#include "activation.h"
#include "dnnl_ctx.h"
#include "threads.h"

namespace pp {
using dnnl::memory;

namespace {

struct Mm {
  dnnl::matmul prim;
  memory a, b, c, bias;
};
thread_local Cache<Mm> mmCache;

}  // namespace

// matmul(tA, tB, M, N, K, A, B, C, bias|null, act, alpha) -> bool: C (M×N, row-major, contiguous) =
// act(op(A)·op(B) + bias), bias of N values; act codes of activation.h except prelu. false: not supported.
static Napi::Value Matmul(const Napi::CallbackInfo& info) {
  return guarded(info, "matmul", [&]() -> Napi::Value {
    const bool tA = b(info, 0), tB = b(info, 1);
    const int64_t M = i64(info, 2), N = i64(info, 3), K = i64(info, 4);
    const float* bias = optPtr(info, 8);
    const int act = i32(info, 9);
    const float alpha = f32(info, 10);
    SingleThreadIf single(2.0 * M * N * K < kSmallFlops);
    int32_t alphaBits;
    std::memcpy(&alphaBits, &alpha, 4);
    const Key key{tA, tB, M, N, K, bias != nullptr, act, act == kLeaky ? alphaBits : 0, omp_get_max_threads()};
    Mm* e = mmCache.get(key, [&] {
      auto e = std::make_unique<Mm>();
      // Row-major operands; a transposed one is the same buffer read with swapped strides.
      const memory::desc a({M, K}, memory::data_type::f32, tA ? memory::dims{1, M} : memory::dims{K, 1});
      const memory::desc bm({K, N}, memory::data_type::f32, tB ? memory::dims{1, K} : memory::dims{N, 1});
      const memory::desc c({M, N}, memory::data_type::f32, memory::dims{N, 1});
      const memory::desc bi = bias ? memory::desc({1, N}, memory::data_type::f32, memory::dims{N, 1}) : memory::desc();
      dnnl::post_ops po;
      if (!appendActPostOp(po, act, alpha)) throw dnnl::error(dnnl_unimplemented, "activation");
      dnnl::primitive_attr attr;
      attr.set_post_ops(po);
      dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(a, bm, bi, c), attr, eng());
      e->prim = dnnl::matmul(pd);
      e->a = memory(a, eng(), DNNL_MEMORY_NONE);
      e->b = memory(bm, eng(), DNNL_MEMORY_NONE);
      e->c = memory(c, eng(), DNNL_MEMORY_NONE);
      if (bias) e->bias = memory(bi, eng(), DNNL_MEMORY_NONE);
      return e;
    });
    if (!e) return Napi::Boolean::New(info.Env(), false);
    e->a.set_data_handle(ptr<float>(info, 5));
    e->b.set_data_handle(ptr<float>(info, 6));
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
  });
}
PP_EXPORT("matmul", Matmul);

}  // namespace pp
