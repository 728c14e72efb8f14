// bf16 mixed precision: conversion kernel and detection (bf16.h). Entry points: toBf16(src, dst) and
// bf16Info() (what the CPU has, which ISA oneDNN uses, which implementation a bf16 matmul gets).
#include "bf16.h"
#include <cpuid.h>
#include <immintrin.h>
#include <omp.h>
#include <string>
#include "dnnl_ctx.h"
#include "threads.h"

namespace pp {

namespace {

bool osSavesZmm() {
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27))) return false;  // OSXSAVE
  unsigned lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (lo & 0xe6u) == 0xe6u;  // XMM, YMM, opmask, ZMM_Hi256, Hi16_ZMM
}

__attribute__((target("avx512f,avx512bf16,avx512vl"))) void toBf16Avx512(const float* s, uint16_t* d, int64_t n) {
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m256bh v = _mm512_cvtneps_pbh(_mm512_loadu_ps(s + i));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(d + i), reinterpret_cast<const __m256i&>(v));
  }
  if (i < n) {
    const __mmask16 m = static_cast<__mmask16>((1u << (n - i)) - 1);
    const __m256bh v = _mm512_cvtneps_pbh(_mm512_maskz_loadu_ps(m, s + i));
    _mm256_mask_storeu_epi16(d + i, m, reinterpret_cast<const __m256i&>(v));
  }
}

void toBf16Scalar(const float* s, uint16_t* d, int64_t n) {
  for (int64_t i = 0; i < n; i++) d[i] = bf16Round(s[i]);
}

const char* isaName(dnnl_cpu_isa_t isa) {
  switch (isa) {
    case dnnl_cpu_isa_sse41: return "sse41";
    case dnnl_cpu_isa_avx: return "avx";
    case dnnl_cpu_isa_avx2: return "avx2";
    case dnnl_cpu_isa_avx512_mic: return "avx512_mic";
    case dnnl_cpu_isa_avx512_mic_4ops: return "avx512_mic_4ops";
    case dnnl_cpu_isa_avx512_core: return "avx512_core";
    case dnnl_cpu_isa_avx512_core_vnni: return "avx512_core_vnni";
    case dnnl_cpu_isa_avx512_core_bf16: return "avx512_core_bf16";
    case dnnl_cpu_isa_avx512_core_amx: return "avx512_core_amx";
    case dnnl_cpu_isa_avx2_vnni: return "avx2_vnni";
    default: return "other";
  }
}

}  // namespace

bool cpuHasAvx512Bf16() {
  static const bool v = [] {
    unsigned a, b, c, d;
    if (!__get_cpuid_count(7, 1, &a, &b, &c, &d)) return false;
    return (a & (1u << 5)) != 0 && osSavesZmm();
  }();
  return v;
}

bool cpuHasAmxBf16() {
  static const bool v = [] {
    unsigned a, b, c, d;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return false;
    return (d & (1u << 22)) != 0;
  }();
  return v;
}

void toBf16Serial(const float* src, uint16_t* dst, int64_t n) {
  (cpuHasAvx512Bf16() ? toBf16Avx512 : toBf16Scalar)(src, dst, n);
}

void toBf16(const float* src, uint16_t* dst, int64_t n) {
  void (*f)(const float*, uint16_t*, int64_t) = cpuHasAvx512Bf16() ? toBf16Avx512 : toBf16Scalar;
  constexpr int64_t kBlock = 16384;
  if (n < 2 * parMin()) {
    f(src, dst, n);
    return;
  }
#pragma omp parallel for schedule(static)
  for (int64_t c = 0; c < n; c += kBlock) f(src + c, dst + c, c + kBlock < n ? kBlock : n - c);
}

// toBf16(src: Float32Array, dst: Uint16Array): dst = bf16(src), round to nearest even; n = dst's length.
static Napi::Value ToBf16(const Napi::CallbackInfo& info) {
  toBf16(ptr<float>(info, 0), ptr<uint16_t>(info, 1), static_cast<int64_t>(len(info, 1)));
  return info.Env().Undefined();
}
PP_EXPORT("toBf16", ToBf16);

// bf16Info() -> { avx512bf16, amxbf16, isa, matmulImpl }: CPUID flags, the ISA oneDNN dispatches to
// (capped by DNNL_MAX_CPU_ISA), and the implementation a 64×64·64×64 bf16 matmul with f32 output
// gets ("" when oneDNN has none).
static Napi::Value Bf16Info(const Napi::CallbackInfo& info) {
  return guarded(info, "bf16Info", [&]() -> Napi::Value {
    Napi::Object o = Napi::Object::New(info.Env());
    o.Set("avx512bf16", cpuHasAvx512Bf16());
    o.Set("amxbf16", cpuHasAmxBf16());
    o.Set("isa", isaName(dnnl_get_effective_cpu_isa()));
    std::string impl;
    try {
      using dnnl::memory;
      const memory::desc a({64, 64}, memory::data_type::bf16, memory::dims{64, 1});
      const memory::desc c({64, 64}, memory::data_type::f32, memory::dims{64, 1});
      dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(a, a, c), eng());
      impl = pd.impl_info_str();
    } catch (const dnnl::error&) {
      impl.clear();
    }
    o.Set("matmulImpl", impl);
    return o;
  });
}
PP_EXPORT("bf16Info", Bf16Info);

}  // namespace pp
