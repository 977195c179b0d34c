// Comparisons (eq, ne, lt, le, gt, ge), where and masked_fill on CUDA, through the one
// elementwise engine; the semantics are the CPU kernels' (cpu/kernels/compare.cpp,
// binary_math_ternary.cpp): inputs compared in their compute type (float for 16-bit floats),
// NaN unequal to everything, values selected bit for bit.
#include "cuda/dtypes.cuh"
#include "cuda/elementwise.cuh"
#include "cuda/entries.h"

#include <cstring>

namespace cmp::cuda_backend {

namespace {

// One functor per dtype switching on the comparison (uniform across the grid).
template <typename T>
struct CompareFn {
    int32_t op;
    __device__ bool operator()(T a, T b) const {
        const opmath_t<T> x = to_opmath(a), y = to_opmath(b);
        switch (op) {
            case COMPUTE_CUDA_COMPARE_EQ: return x == y;
            case COMPUTE_CUDA_COMPARE_NE: return x != y;
            case COMPUTE_CUDA_COMPARE_LT: return x < y;
            case COMPUTE_CUDA_COMPARE_LE: return x <= y;
            case COMPUTE_CUDA_COMPARE_GT: return x > y;
            default: return x >= y;
        }
    }
};

// Selections move elements unchanged, so dtypes of one size share a kernel (bits_t, dtypes.cuh).

// A value of compute type as stored type T, on the host (round to nearest even, as the CPU).
template <typename T>
T host_store(opmath_t<T> v) {
    if constexpr (std::is_same_v<T, half_t>) return __float2half_rn(v);
    else if constexpr (std::is_same_v<T, bf16_t>) return __float2bfloat16_rn(v);
    else return v;
}

template <typename U>
struct WhereFn {
    __device__ U operator()(bool c, U a, U b) const { return c ? a : b; }
};

template <typename U>
struct MaskedFillFn {
    U value;
    __device__ U operator()(U a, bool m) const { return m ? value : a; }
};

}  // namespace

int32_t compare(const compute_cuda_iter* it, int32_t op) {
    return guard("cuda compare", [&] {
        if (it->noperands != 3 || it->dtypes[0] != CMP_DTYPE_BOOL || it->dtypes[1] != it->dtypes[2])
            fail(CMP_STATUS_INTERNAL_ERROR, "cuda compare: expected a bool output and two inputs of one dtype");
        if (op < COMPUTE_CUDA_COMPARE_EQ || op > COMPUTE_CUDA_COMPARE_GE)
            fail(CMP_STATUS_INTERNAL_ERROR, "cuda compare: unknown comparison ", op);
        CMP_CUDA_DISPATCH_ALL_TYPES(it->dtypes[1], "cuda compare", [&] {
            launch_no_vector<bool, scalar_t, scalar_t>(*it, CompareFn<scalar_t>{op});
        });
    });
}

int32_t where(const compute_cuda_iter* it) {
    return guard("cuda where", [&] {
        if (it->noperands != 4 || it->dtypes[1] != CMP_DTYPE_BOOL || it->dtypes[2] != it->dtypes[0] ||
            it->dtypes[3] != it->dtypes[0])
            fail(CMP_STATUS_INTERNAL_ERROR, "cuda where: expected a bool condition and operands of one dtype");
        CMP_CUDA_DISPATCH_ALL_TYPES(it->dtypes[0], "cuda where", [&] {
            using U = bits_t<scalar_t>;
            launch_no_vector<U, bool, U, U>(*it, WhereFn<U>{});
        });
    });
}

int32_t masked_fill(const compute_cuda_iter* it, cmp_scalar value) {
    return guard("cuda masked_fill", [&] {
        if (it->noperands != 3 || it->dtypes[1] != it->dtypes[0] || it->dtypes[2] != CMP_DTYPE_BOOL)
            fail(CMP_STATUS_INTERNAL_ERROR, "cuda masked_fill: expected a bool mask and the output's dtype");
        // The value converted once to the stored type (as the CPU does), then moved as bits.
        CMP_CUDA_DISPATCH_ALL_TYPES(it->dtypes[0], "cuda masked_fill", [&] {
            using U = bits_t<scalar_t>;
            const scalar_t v = host_store<scalar_t>(scalar_to_opmath<scalar_t>(value));
            U bits{};
            std::memcpy(&bits, &v, sizeof(U));
            launch_no_vector<U, U, bool>(*it, MaskedFillFn<U>{bits});
        });
    });
}

}  // namespace cmp::cuda_backend
