// The ternary math ops of cpu/binary_math_list.h on CUDA: lerp, addcmul, addcdiv, with the CPU
// kernels' formulas (cpu/kernels/binary_math_ternary.cpp). Integers wrap (addcmul), 16-bit
// floats compute in float32. Like the CPU kernels built for AVX2/AVX-512 (GCC contracts a * b + c
// in C++ whatever -std says, and those ISAs have FMA), nvcc fuses the products of lerp and
// addcmul into their sums, where the baseline CPU kernels round twice: those two agree with the
// CPU within an ulp or so of the product (docs/CUDA.md); addcdiv has nothing to fuse.
#include "cpu/binary_math_list.h"
#include "cuda/dtypes.cuh"
#include "cuda/elementwise.cuh"
#include "cuda/entries.h"

namespace cmp::cuda_backend {

namespace {

using cpu::TernaryMathOp;

template <typename T>
struct TernaryMathFn {
    using M = opmath_t<T>;
    TernaryMathOp op;
    M value;  // addcmul / addcdiv's value in the compute type

    __device__ T operator()(T a, T b, T c) const {
        const M x = to_opmath(a), y = to_opmath(b), z = to_opmath(c);
        constexpr bool fp = std::is_floating_point_v<M>;
        switch (op) {
            case TernaryMathOp::Lerp:
                // Two formulas, each exact at its own end, switching at |weight| = 0.5 (PyTorch's).
                if constexpr (fp) return from_opmath<T>((z < M(0) ? -z : z) < M(0.5) ? x + z * (y - x) : y - (y - x) * (M(1) - z));
                break;
            case TernaryMathOp::Addcmul: return from_opmath<T>(wrap_add(x, wrap_mul(wrap_mul(value, y), z)));
            case TernaryMathOp::Addcdiv:
                if constexpr (fp) return from_opmath<T>(x + value * y / z);
                break;
        }
        return a;  // not reached: the host checked op and dtype
    }
};

bool known_op(int32_t op) {
    switch (static_cast<TernaryMathOp>(op)) {
#define CMP_CUDA_TERNARY_KNOWN(Name, name, domain) case TernaryMathOp::Name:
        CMP_TERNARY_MATH_OPS(CMP_CUDA_TERNARY_KNOWN)
#undef CMP_CUDA_TERNARY_KNOWN
        return true;
    }
    return false;
}

}  // namespace

int32_t ternary_math(const compute_cuda_iter* it, int32_t op_value, cmp_scalar value) {
    return guard("cuda ternary math", [&] {
        if (!known_op(op_value)) fail(CMP_STATUS_INTERNAL_ERROR, "cuda ternary math: unknown op ", op_value);
        if (it->noperands != 4) fail(CMP_STATUS_INTERNAL_ERROR, "cuda ternary math: expected 4 operands");
        for (int k = 1; k < it->noperands; ++k)
            if (it->dtypes[k] != it->dtypes[0])
                fail(CMP_STATUS_INTERNAL_ERROR, "cuda ternary math: operand dtypes differ (", it->dtypes[0], " and ",
                     it->dtypes[k], ")");
        const auto op = static_cast<TernaryMathOp>(op_value);
        CMP_CUDA_DISPATCH_ALL_TYPES(it->dtypes[0], "cuda ternary math", [&] {
            if (!cpu::ternary_kernel_accepts(op, is_float_v<scalar_t>, std::is_same_v<scalar_t, bool>))
                fail(CMP_STATUS_INTERNAL_ERROR, "cuda ternary math: op ", op_value, " is not defined for dtype ",
                     it->dtypes[0]);
            if constexpr (!std::is_same_v<scalar_t, bool>) {
                const opmath_t<scalar_t> v = op == TernaryMathOp::Lerp ? opmath_t<scalar_t>(0) : scalar_to_opmath<scalar_t>(value);
                launch_no_vector<scalar_t, scalar_t, scalar_t, scalar_t>(*it, TernaryMathFn<scalar_t>{op, v});
            }
        });
    });
}

}  // namespace cmp::cuda_backend
