// float32 / float64 GEMM for the instruction set this file is compiled for (it is compiled
// once per ISA, see cmake/IsaDispatch.cmake). The blocking below is chosen per ISA:
//   - the register tile MR x NR uses most of the vector registers for accumulators
//     (AVX-512: 24 of 32 zmm; AVX2 and SSE2: 12 of 16) while leaving room for the B row
//     and the broadcast A value;
//   - KC keeps one packed B panel (KC x NR) inside L1, MC x KC of packed A inside L2,
//     KC x NC of packed B inside L3.
#include "cpu/gemm.h"
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

template <typename T>
void gemm_kernel(int64_t m, int64_t n, int64_t k, T alpha, const T* a, int64_t rsa, int64_t csa, const T* b,
                 int64_t rsb, int64_t csb, T beta, T* c, int64_t rsc, int64_t csc) {
    using Config = GemmConfig<T>;
    gemm_packed<T, typename Config::Kernel, Config::MC, Config::KC, Config::NC>(m, n, k, alpha, a, rsa, csa, b, rsb,
                                                                               csb, beta, c, rsc, csc);
}

}  // namespace

CMP_REGISTER_KERNEL(gemm_f32_stub, gemm_kernel<float>)
CMP_REGISTER_KERNEL(gemm_f64_stub, gemm_kernel<double>)

}  // namespace cmp::cpu
