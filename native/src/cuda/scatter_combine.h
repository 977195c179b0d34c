// How scatter combines a value into an element (compute_cuda_scatter_op), and the offset of a
// bad index position, written once for cuda/index.cu and the fake backend that stands in for it in the routing tests; the CPU
// kernel's combine (cpu/kernels/indexing.cpp) is the reference both are compared with. T is
// the opmath type; integers wrap (two's complement), AMAX / AMIN propagate NaN, bool adds as or.
#pragma once

#include "cuda/backend_api.h"

#include <cstdint>
#include <type_traits>
#if defined(__CUDACC__)
#define CMP_SCATTER_HD __host__ __device__ __forceinline__
#else
#define CMP_SCATTER_HD inline
#endif

namespace cmp::cuda_scatter {

// The element offset of position p (row-major) of a tensor of shape / strides: where a bad
// index position is read back.
CMP_SCATTER_HD int64_t offset_of(int64_t p, int32_t ndim, const int64_t* shape, const int64_t* strides) {
    int64_t off = 0;
    for (int d = ndim - 1; d >= 0; --d) {
        off += (p % shape[d]) * strides[d];
        p /= shape[d];
    }
    return off;
}

template <typename T>
using wide_unsigned_t = std::conditional_t<sizeof(T) <= 4, uint32_t, uint64_t>;

template <typename T>
CMP_SCATTER_HD T add(T a, T b) {
    if constexpr (std::is_same_v<T, bool>) return a || b;
    else if constexpr (std::is_integral_v<T>)
        return static_cast<T>(static_cast<wide_unsigned_t<T>>(a) + static_cast<wide_unsigned_t<T>>(b));
    else return a + b;
}

// Products are rounded before they are added (no FMA contraction on the device), as on the CPU.
template <typename T>
CMP_SCATTER_HD T mul(T a, T b) {
    if constexpr (std::is_same_v<T, bool>) return a && b;
    else if constexpr (std::is_integral_v<T>)
        return static_cast<T>(static_cast<wide_unsigned_t<T>>(a) * static_cast<wide_unsigned_t<T>>(b));
#if defined(__CUDA_ARCH__)
    else if constexpr (std::is_same_v<T, float>) return __fmul_rn(a, b);
    else if constexpr (std::is_same_v<T, double>) return __dmul_rn(a, b);
#endif
    else return a * b;
}

template <typename T>
CMP_SCATTER_HD T combine(T cur, T v, int32_t op) {
    const bool nan = [&] {
        if constexpr (std::is_floating_point_v<T>) return v != v;
        else return false;
    }();
    switch (op) {
        case COMPUTE_CUDA_SCATTER_SUM: return add(cur, v);
        case COMPUTE_CUDA_SCATTER_PROD: return mul(cur, v);
        case COMPUTE_CUDA_SCATTER_AMAX: return (nan || v > cur) ? v : cur;
        case COMPUTE_CUDA_SCATTER_AMIN: return (nan || v < cur) ? v : cur;
        default: return v;
    }
}

}  // namespace cmp::cuda_scatter
