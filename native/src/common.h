// Shared helpers for the parampred native addon. Every kernel file registers its entry points with
// PP_EXPORT(name, fn); addon.cc exports the whole registry. Arguments are plain numbers and
// Float32Array/Int32Array views that JS allocated (outputs included), so no data is copied.
#pragma once
#include <napi.h>
#include <cstdint>
#include <utility>
#include <vector>

namespace pp {

using Fn = Napi::Value (*)(const Napi::CallbackInfo&);

std::vector<std::pair<const char*, Fn>>& registry();

struct Register {
  Register(const char* name, Fn fn) { registry().emplace_back(name, fn); }
};

// Pointer to the data of a TypedArray argument (any element type).
template <typename T>
inline T* ptr(const Napi::CallbackInfo& info, size_t i) {
  Napi::TypedArray a = info[i].As<Napi::TypedArray>();
  return reinterpret_cast<T*>(static_cast<uint8_t*>(a.ArrayBuffer().Data()) + a.ByteOffset());
}
inline size_t len(const Napi::CallbackInfo& info, size_t i) { return info[i].As<Napi::TypedArray>().ElementLength(); }
inline int64_t i64(const Napi::CallbackInfo& info, size_t i) { return info[i].As<Napi::Number>().Int64Value(); }
inline int32_t i32(const Napi::CallbackInfo& info, size_t i) { return info[i].As<Napi::Number>().Int32Value(); }
inline float f32(const Napi::CallbackInfo& info, size_t i) { return info[i].As<Napi::Number>().FloatValue(); }
inline bool b(const Napi::CallbackInfo& info, size_t i) { return info[i].As<Napi::Boolean>().Value(); }

}  // namespace pp

#define PP_CAT2(a, b) a##b
#define PP_CAT(a, b) PP_CAT2(a, b)
#define PP_EXPORT(name, fn) static ::pp::Register PP_CAT(pp_reg_, __LINE__)(name, fn)
