// The math policy of the formulas shared with the CPU kernels (cpu/activation_backward_math.h,
// cpu/nn_loss_math.h) on the device: the CUDA math library, float or double overloads. The CPU
// kernels pass their vectorisable approximations instead (cpu/unary_math_vec.h), which the
// device has no use for; the parity tests hold the two within a few ulps.
// __host__ __device__ so the shared __host__ __device__ formulas may call them from either side
// without nvcc's cross-execution-space warnings (only the device instantiations are launched).
#pragma once

#include <cuda_runtime.h>

#include <type_traits>

namespace cmp::cuda_backend {

struct DeviceMath {
#define CMP_DEVICE_MATH(name)                                              \
    template <typename M>                                                  \
    __host__ __device__ __forceinline__ static M name(M x) {               \
        if constexpr (std::is_same_v<M, float>) return ::name##f(x);       \
        else return ::name(x);                                             \
    }
    CMP_DEVICE_MATH(exp)
    CMP_DEVICE_MATH(erf)
    CMP_DEVICE_MATH(tanh)
    CMP_DEVICE_MATH(log)
    CMP_DEVICE_MATH(log1p)
    CMP_DEVICE_MATH(fabs)
#undef CMP_DEVICE_MATH
    // The standard normal CDF (GELU's Phi): CUDA's normcdf, accurate where Phi is tiny too.
    template <typename M>
    __host__ __device__ __forceinline__ static M normal_cdf(M x) {
        if constexpr (std::is_same_v<M, float>) return ::normcdff(x);
        else return ::normcdf(x);
    }
    // 1 / (1 + e^-x), the CPU's vsigmoid formula.
    template <typename M>
    __host__ __device__ __forceinline__ static M sigmoid(M x) {
        return M(1) / (M(1) + exp(-x));
    }
};

}  // namespace cmp::cuda_backend
