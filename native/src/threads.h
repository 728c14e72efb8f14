// Small problems run on one thread: on a busy machine a 2-thread OpenMP region can wait milliseconds
// for a descheduled worker (measured: a 64×64·64×500 sgemm took 0.1 ms on 1 thread, 6–8 ms median on
// 2 threads under load), while the work itself takes well under a millisecond.
#pragma once
#include <omp.h>
#include <cstdint>

namespace pp {

// Below these sizes a kernel runs single-threaded.
constexpr double kSmallFlops = 16e6;    // matrix products and convolutions (2·M·N·K)
constexpr int64_t kSmallElems = 65536;  // memory-bound kernels (pooling, epilogues)

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
