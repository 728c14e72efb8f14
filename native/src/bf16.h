// bf16 mixed precision (issue 15): float32 → bfloat16 conversion and CPU detection. bf16 values are
// the upper 16 bits of a float32, rounded to nearest even; products take bf16 inputs, accumulate and
// write float32 (oneDNN's bf16 matmul/convolution with f32 dst). The vector conversion uses
// AVX512-BF16's vcvtneps2bf16, compiled for that target only and called only when CPUID reports it.
#pragma once
#include <cstdint>
#include <cstring>

namespace pp {

// True when the CPU has AVX512-BF16 (CPUID leaf 7, sub-leaf 1, EAX bit 5) and the OS saves ZMM state.
bool cpuHasAvx512Bf16();
// True when the CPU has AMX-BF16 (CPUID leaf 7, sub-leaf 0, EDX bit 22).
bool cpuHasAmxBf16();

// Round-to-nearest-even float32 → bf16 as vcvtneps2bf16 does it: NaN stays a quiet NaN and subnormal
// inputs become zero of their sign (the instruction treats denormals as zero). The scalar reference.
inline uint16_t bf16Round(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  if ((u & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((u >> 16) | 0x40);
  if ((u & 0x7f800000u) == 0) return static_cast<uint16_t>((u >> 16) & 0x8000);
  u += 0x7fffu + ((u >> 16) & 1u);
  return static_cast<uint16_t>(u >> 16);
}

// dst[i] = bf16(src[i]) for i < n, on all threads from parMin() elements on.
void toBf16(const float* src, uint16_t* dst, int64_t n);
// The same on the calling thread only (for a block another kernel has just written, hot in cache).
void toBf16Serial(const float* src, uint16_t* dst, int64_t n);

}  // namespace pp
