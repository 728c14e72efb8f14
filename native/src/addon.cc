// Entry of the parampred native addon: exports every PP_EXPORT'ed kernel plus thread control.
#include <omp.h>
#include <pthread.h>
#include <csignal>
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

// Asynchronous signals are held back while a kernel runs. The JIT GEMM kernels of oneDNN before 3.12
// (Debian ships 2.6) point rsp into the heap while they run, so a signal handled on that thread writes
// its frame over heap memory: glibc then aborts ("corrupted size vs. prev_size") or memory is silently
// corrupted (oneDNN issue #4845, fixed upstream by PR #4855). Measured here on the AVX2 machine, where
// oneDNN's matmul is gemm:jit: a 100×1024·1024×500 product aborted under `node --cpu-prof` (SIGPROF)
// and under repeated SIGWINCH (a terminal resize while a progress bar is shown). Blocked during the
// call, a signal stays pending and is handled when the kernel returns; OpenMP and OpenBLAS workers are
// created inside these calls and inherit the blocked mask. Faults (SIGSEGV, SIGBUS, …) stay unblocked.
// Cost: two pthread_sigmask calls per kernel call.
class AsyncSignalsBlocked {
 public:
  AsyncSignalsBlocked() { pthread_sigmask(SIG_BLOCK, &set(), &saved_); }
  ~AsyncSignalsBlocked() { pthread_sigmask(SIG_SETMASK, &saved_, nullptr); }
  AsyncSignalsBlocked(const AsyncSignalsBlocked&) = delete;
  AsyncSignalsBlocked& operator=(const AsyncSignalsBlocked&) = delete;

 private:
  static const sigset_t& set() {
    static const sigset_t s = [] {
      sigset_t x;
      sigfillset(&x);
      for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS, SIGABRT}) sigdelset(&x, sig);
      return x;
    }();
    return s;
  }
  sigset_t saved_;
};

}  // namespace pp

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  for (auto& [name, fn] : pp::registry()) {
    pp::Fn f = fn;
    exports.Set(name, Napi::Function::New(
                          env,
                          [f](const Napi::CallbackInfo& info) -> Napi::Value {
                            pp::AsyncSignalsBlocked blocked;
                            return f(info);
                          },
                          name));
  }
  return exports;
}

NODE_API_MODULE(parampred_native, Init)
