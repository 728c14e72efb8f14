// Matrix products through oneDNN's sgemm (row-major).
#include <oneapi/dnnl/dnnl.h>
#include "common.h"

namespace pp {

// sgemm(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc): C = alpha·op(A)·op(B) + beta·C.
static Napi::Value Sgemm(const Napi::CallbackInfo& info) {
  dnnl_status_t st = dnnl_sgemm(b(info, 0) ? 'T' : 'N', b(info, 1) ? 'T' : 'N', i64(info, 2), i64(info, 3), i64(info, 4),
                                f32(info, 5), ptr<float>(info, 6), i64(info, 7), ptr<float>(info, 8), i64(info, 9),
                                f32(info, 10), ptr<float>(info, 11), i64(info, 12));
  if (st != dnnl_success) Napi::Error::New(info.Env(), "sgemm: oneDNN status " + std::to_string(st)).ThrowAsJavaScriptException();
  return info.Env().Undefined();
}
PP_EXPORT("sgemm", Sgemm);

}  // namespace pp
