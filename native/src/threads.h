// Small problems run on one thread: on a busy machine a 2-thread OpenMP region can wait milliseconds
// for a descheduled worker (measured: a 64×64·64×500 sgemm took 0.1 ms on 1 thread, 6–8 ms median on
// 2 threads under load), while the work itself takes well under a millisecond.
#pragma once
#include <omp.h>
#include <cstdint>
#include <cstdlib>

namespace pp {

// Below these sizes a kernel runs single-threaded.
constexpr double kSmallFlops = 16e6;    // matrix products and convolutions (2·M·N·K)
constexpr int64_t kSmallElems = 65536;  // memory-bound kernels (pooling, epilogues)

// Element-wise loops (eltwise.cc, fused_train.cc) run on the calling thread below this many output
// elements. With the workers spinning between regions (register.ts) a second thread pays off early:
// on hot data a 250K-element Add went 33 → 19 µs on 2 threads and a 64K one gained nothing, but inside
// a training step, where an activation was last touched a millisecond before and comes from memory,
// moving the threshold from 64K to 32K made the MLP step (128×500 activations) 2 % faster (paired
// A/B, 80 rounds). PARAMPRED_PAR_MIN sets it at load, setParMin() at run time (for other machines).
inline int64_t& parMin() {
  static int64_t v = [] {
    const char* e = std::getenv("PARAMPRED_PAR_MIN");
    const long long n = e ? std::atoll(e) : 0;
    return n > 0 ? static_cast<int64_t>(n) : int64_t{1} << 15;
  }();
  return v;
}

// Sets the OpenMP thread count to 1 for its lifetime when `single`, restoring it afterwards.
class SingleThreadIf {
 public:
  explicit SingleThreadIf(bool single) : saved_(single ? omp_get_max_threads() : 0) {
    if (saved_ > 1) omp_set_num_threads(1);
  }
  ~SingleThreadIf() {
    if (saved_ > 1) omp_set_num_threads(saved_);
  }
  SingleThreadIf(const SingleThreadIf&) = delete;
  SingleThreadIf& operator=(const SingleThreadIf&) = delete;

 private:
  int saved_;
};

}  // namespace pp
