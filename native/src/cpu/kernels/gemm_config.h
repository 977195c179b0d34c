// The per-ISA blocking of the float32 / float64 GEMM (included by the kernel files compiled
// once per ISA, after gemm_driver.h's types):
//   - the register tile MR x NR uses most of the vector registers for accumulators
//     (AVX-512: 24 of 32 zmm; AVX2 and SSE2: 12 of 16) while leaving room for the B row
//     and the broadcast A value;
//   - KC keeps one packed B panel (KC x NR) inside L1, MC x KC of packed A inside L2,
//     KC x NC of packed B inside L3.
#pragma once

#include "cpu/kernels/gemm_driver.h"

namespace cmp::cpu {
namespace {

template <typename T> struct GemmConfig;

#if defined(__AVX512F__)
template <> struct GemmConfig<float> {
    using Kernel = MicroKernel<float, 12, 2>;  // 12 x 32
    static constexpr int64_t MC = 192, KC = 256, NC = 4096;
};
template <> struct GemmConfig<double> {
    using Kernel = MicroKernel<double, 12, 2>;  // 12 x 16
    static constexpr int64_t MC = 96, KC = 256, NC = 2048;
};
#elif defined(__AVX2__) && defined(__FMA__)
template <> struct GemmConfig<float> {
    using Kernel = MicroKernel<float, 6, 2>;  // 6 x 16
    static constexpr int64_t MC = 144, KC = 256, NC = 4096;
};
template <> struct GemmConfig<double> {
    using Kernel = MicroKernel<double, 6, 2>;  // 6 x 8
    static constexpr int64_t MC = 96, KC = 256, NC = 2048;
};
#else
template <> struct GemmConfig<float> {
    using Kernel = MicroKernel<float, 6, 2>;  // 6 x 8 with SSE2
    static constexpr int64_t MC = 120, KC = 256, NC = 2048;
};
template <> struct GemmConfig<double> {
    using Kernel = MicroKernel<double, 6, 2>;  // 6 x 4 with SSE2
    static constexpr int64_t MC = 96, KC = 256, NC = 1024;
};
#endif

}  // namespace
}  // namespace cmp::cpu
