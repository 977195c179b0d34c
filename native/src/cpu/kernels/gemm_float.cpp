// float32 / float64 GEMM for the instruction set this file is compiled for (it is compiled
// once per ISA, see cmake/IsaDispatch.cmake); the blocking is in gemm_config.h.
#include "cpu/gemm.h"
#include "cpu/kernels/gemm_config.h"

namespace cmp::cpu {
namespace {

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
