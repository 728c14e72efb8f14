// Entry of the parampred native addon: exports every PP_EXPORT'ed kernel plus thread control.
#include <omp.h>
#include <oneapi/dnnl/dnnl.h>
#include "common.h"

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
PP_EXPORT("setNumThreads", SetNumThreads);
PP_EXPORT("getNumThreads", GetNumThreads);
PP_EXPORT("version", Version);

}  // namespace pp

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  for (auto& [name, fn] : pp::registry()) exports.Set(name, Napi::Function::New(env, fn, name));
  return exports;
}

NODE_API_MODULE(parampred_native, Init)
