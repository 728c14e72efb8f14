// Matrix products through oneDNN's sgemm (row-major), batched with broadcasting, plus the bias and
// activation epilogue of _FusedMatMul.
#include <oneapi/dnnl/dnnl.h>
#include <string>
#include "activation.h"
#include "common.h"
#include "threads.h"

namespace pp {

static bool check(const Napi::CallbackInfo& info, dnnl_status_t st, const char* what) {
  if (st == dnnl_success) return true;
  Napi::Error::New(info.Env(), std::string(what) + ": oneDNN status " + std::to_string(st)).ThrowAsJavaScriptException();
  return false;
}

// sgemm(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc): C = alpha·op(A)·op(B) + beta·C.
static Napi::Value Sgemm(const Napi::CallbackInfo& info) {
  SingleThreadIf single(2.0 * i64(info, 2) * i64(info, 3) * i64(info, 4) < kSmallFlops);
  check(info,
        dnnl_sgemm(b(info, 0) ? 'T' : 'N', b(info, 1) ? 'T' : 'N', i64(info, 2), i64(info, 3), i64(info, 4), f32(info, 5),
                   ptr<float>(info, 6), i64(info, 7), ptr<float>(info, 8), i64(info, 9), f32(info, 10),
                   ptr<float>(info, 11), i64(info, 12)),
        "sgemm");
  return info.Env().Undefined();
}
PP_EXPORT("sgemm", Sgemm);

// sgemmBatched(transA, transB, M, N, K, A, aOffsets, B, bOffsets, C): for each batch i,
// C[i] (M×N, contiguous) = op(A at aOffsets[i]) · op(B at bOffsets[i]); offsets are Int32Arrays.
static Napi::Value SgemmBatched(const Napi::CallbackInfo& info) {
  const bool tA = b(info, 0), tB = b(info, 1);
  const int64_t M = i64(info, 2), N = i64(info, 3), K = i64(info, 4);
  const float* A = ptr<float>(info, 5);
  const int32_t* aOff = ptr<int32_t>(info, 6);
  const float* B = ptr<float>(info, 7);
  const int32_t* bOff = ptr<int32_t>(info, 8);
  float* C = ptr<float>(info, 9);
  const size_t batch = len(info, 6);
  const int64_t lda = tA ? M : K, ldb = tB ? K : N;
  const double flops = 2.0 * M * N * K;
  if (flops < kSmallFlops && batch > 1 && flops * batch >= kSmallFlops) {
    // Many small products: one per thread (sgemm inside a parallel region runs sequentially).
    dnnl_status_t st = dnnl_success;
#pragma omp parallel for schedule(dynamic)
    for (int64_t i = 0; i < static_cast<int64_t>(batch); i++) {
      dnnl_status_t s = dnnl_sgemm(tA ? 'T' : 'N', tB ? 'T' : 'N', M, N, K, 1.f, A + aOff[i], lda, B + bOff[i], ldb, 0.f,
                                   C + i * M * N, N);
      if (s != dnnl_success) st = s;
    }
    check(info, st, "sgemmBatched");
    return info.Env().Undefined();
  }
  SingleThreadIf single(flops * batch < kSmallFlops);
  for (size_t i = 0; i < batch; i++) {
    if (!check(info, dnnl_sgemm(tA ? 'T' : 'N', tB ? 'T' : 'N', M, N, K, 1.f, A + aOff[i], lda, B + bOff[i], ldb, 0.f,
                                C + i * M * N, N),
               "sgemmBatched"))
      break;
  }
  return info.Env().Undefined();
}
PP_EXPORT("sgemmBatched", SgemmBatched);

// biasAct(Y, rows, cols, bias|null, act, alpha, prelu|null): Y = act(Y + bias) in place (activation.h codes).
static Napi::Value BiasAct(const Napi::CallbackInfo& info) {
  const float* prelu = info[6].IsNull() || info[6].IsUndefined() ? nullptr : ptr<float>(info, 6);
  const float* bias = info[3].IsNull() || info[3].IsUndefined() ? nullptr : ptr<float>(info, 3);
  biasAct(ptr<float>(info, 0), i64(info, 1), i64(info, 2), bias, i32(info, 4), f32(info, 5), prelu,
          prelu ? static_cast<int64_t>(len(info, 6)) : 0);
  return info.Env().Undefined();
}
PP_EXPORT("biasAct", BiasAct);

}  // namespace pp
