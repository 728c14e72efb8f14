// The geometry of a 2-D sliding window over an NHWC tensor, as pooling and the grouped convolution pass it
// from JS (one Int32Array): N, IH, IW, C, OH, OW, KH, KW, SH, SW, PT, PL, PB, PR (no dilation).
#pragma once
#include <cstdint>
#include <vector>

namespace pp {

struct Window2D {
  int64_t N, IH, IW, C, OH, OW, KH, KW, SH, SW, PT, PL, PB, PR;
  explicit Window2D(const std::vector<int64_t>& v)
      : N(v[0]), IH(v[1]), IW(v[2]), C(v[3]), OH(v[4]), OW(v[5]), KH(v[6]), KW(v[7]), SH(v[8]), SW(v[9]),
        PT(v[10]), PL(v[11]), PB(v[12]), PR(v[13]) {}
};

}  // namespace pp
