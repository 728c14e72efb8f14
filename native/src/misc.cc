// Data movement: GatherV2 (rows of any element size), and Cast of int32/bool to float32.
#include <omp.h>
#include <cstring>
#include "common.h"

namespace pp {

// gather(x, indices, out, outer, dim, nIdx, slice, elemBytes): x [outer, dim, slice] →
// out [outer, nIdx, slice] with out[o, i, :] = x[o, indices[i], :]. Returns the position of the
// first index outside [0, dim) (nothing written then), or −1.
static Napi::Value Gather(const Napi::CallbackInfo& info) {
  const uint8_t* x = ptr<uint8_t>(info, 0);
  const int32_t* idx = ptr<int32_t>(info, 1);
  uint8_t* out = ptr<uint8_t>(info, 2);
  const int64_t outer = i64(info, 3), dim = i64(info, 4), nIdx = i64(info, 5);
  const int64_t sliceBytes = i64(info, 6) * i64(info, 7);
  for (int64_t i = 0; i < nIdx; i++)
    if (idx[i] < 0 || idx[i] >= dim) return Napi::Number::New(info.Env(), static_cast<double>(i));
  const int64_t rows = outer * nIdx;
#pragma omp parallel for schedule(static) if (rows * sliceBytes >= (1 << 18) && rows > 1)
  for (int64_t t = 0; t < rows; t++) {
    const int64_t o = t / nIdx, i = t % nIdx;
    std::memcpy(out + t * sliceBytes, x + (o * dim + idx[i]) * sliceBytes, sliceBytes);
  }
  return Napi::Number::New(info.Env(), -1);
}
PP_EXPORT("gather", Gather);

// castToFloat(x, out): x an Int32Array or Uint8Array (bool), out a Float32Array of the same length.
static Napi::Value CastToFloat(const Napi::CallbackInfo& info) {
  Napi::TypedArray t = info[0].As<Napi::TypedArray>();
  float* out = ptr<float>(info, 1);
  const int64_t n = static_cast<int64_t>(t.ElementLength());
  if (t.TypedArrayType() == napi_int32_array) {
    const int32_t* x = ptr<int32_t>(info, 0);
#pragma omp simd
    for (int64_t i = 0; i < n; i++) out[i] = static_cast<float>(x[i]);
  } else if (t.TypedArrayType() == napi_uint8_array) {
    const uint8_t* x = ptr<uint8_t>(info, 0);
#pragma omp simd
    for (int64_t i = 0; i < n; i++) out[i] = static_cast<float>(x[i]);
  } else {
    Napi::Error::New(info.Env(), "castToFloat: expected an Int32Array or Uint8Array").ThrowAsJavaScriptException();
  }
  return info.Env().Undefined();
}
PP_EXPORT("castToFloat", CastToFloat);

}  // namespace pp
