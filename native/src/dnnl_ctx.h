// oneDNN engine, stream and primitive cache shared by the addon's kernel files (conv.cc, pool2d.cc).
// Primitive creation is slow, so every kernel keeps its primitives in a cache keyed by shapes/attrs.
// Streams and caches are per thread (declare caches thread_local): cached entries hold memory objects
// rebound to each call's buffers, so Node worker threads using the addon at once must not share them.
#pragma once
#include <oneapi/dnnl/dnnl.hpp>
#include <map>
#include <memory>
#include <exception>
#include <string>
#include <vector>
#include "common.h"

namespace pp {

inline dnnl::engine& eng() {
  static dnnl::engine e(dnnl::engine::kind::cpu, 0);
  return e;
}
inline dnnl::stream& strm() {
  thread_local dnnl::stream s(eng());
  return s;
}

using Key = std::vector<int64_t>;

// A cache of primitives; a null entry records that oneDNN cannot do this case (the JS side delegates).
// Past kMaxEntries distinct cases it starts over, so ever-changing shapes cannot grow it without bound.
template <typename Entry>
struct Cache {
  static constexpr size_t kMaxEntries = 256;
  std::map<Key, std::unique_ptr<Entry>> m;
  // The entry for `key`, made by `make` on first use; nullptr when `make` threw (unsupported).
  template <typename Make>
  Entry* get(const Key& key, Make make) {
    auto it = m.find(key);
    if (it != m.end()) return it->second.get();
    if (m.size() >= kMaxEntries) m.clear();
    std::unique_ptr<Entry> e;
    try {
      e = make();
    } catch (const dnnl::error&) {
      e.reset();
    }
    Entry* raw = e.get();
    m.emplace(key, std::move(e));
    return raw;
  }
};

// Optional Float32Array argument: nullptr when null/undefined.
inline float* optPtr(const Napi::CallbackInfo& info, size_t i) {
  if (info.Length() <= i || info[i].IsNull() || info[i].IsUndefined()) return nullptr;
  return ptr<float>(info, i);
}

// Int32Array of parameters as int64 values.
inline std::vector<int64_t> params(const Napi::CallbackInfo& info, size_t i) {
  Napi::TypedArray a = info[i].As<Napi::TypedArray>();
  const int32_t* p = ptr<int32_t>(info, i);
  return std::vector<int64_t>(p, p + a.ElementLength());
}

// Runs `fn`, turning a C++ exception (dnnl::error, bad_alloc) into a JS exception; returns undefined then.
template <typename Fn>
inline Napi::Value guarded(const Napi::CallbackInfo& info, const char* what, Fn fn) {
  try {
    return fn();
  } catch (const dnnl::error& e) {
    Napi::Error::New(info.Env(), std::string(what) + ": oneDNN error " + e.what()).ThrowAsJavaScriptException();
    return info.Env().Undefined();
  } catch (const std::exception& e) {
    Napi::Error::New(info.Env(), std::string(what) + ": " + e.what()).ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
}

}  // namespace pp
