// Entry of the parampred native addon: exports every PP_EXPORT'ed kernel plus thread control.
#include <omp.h>
#include <oneapi/dnnl/dnnl.h>
#include "common.h"
#include "threads.h"

namespace pp {

std::vector<std::pair<const char*, Fn>>& registry() {
  static std::vector<std::pair<const char*, Fn>> r;
  return r;
}

static Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  omp_set_num_threads(i32(info, 0));
  return info.Env().Undefined();
}
static Napi::Value GetNumThreads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), omp_get_max_threads());
}
static Napi::Value Version(const Napi::CallbackInfo& info) {
  const dnnl_version_t* v = dnnl_version();
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("dnnl", std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch));
  o.Set("cpuRuntime", v->cpu_runtime == DNNL_RUNTIME_OMP ? "omp" : "other");
  return o;
}
// setParMin(n): element count from which element-wise loops use all threads (threads.h); returns the old one.
static Napi::Value SetParMin(const Napi::CallbackInfo& info) {
  const int64_t old = parMin();
  if (i64(info, 0) > 0) parMin() = i64(info, 0);
  return Napi::Number::New(info.Env(), static_cast<double>(old));
}
PP_EXPORT("setParMin", SetParMin);
PP_EXPORT("setNumThreads", SetNumThreads);
PP_EXPORT("getNumThreads", GetNumThreads);
PP_EXPORT("version", Version);

}  // namespace pp

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  for (auto& [name, fn] : pp::registry()) exports.Set(name, Napi::Function::New(env, fn, name));
  return exports;
}

NODE_API_MODULE(parampred_native, Init)
