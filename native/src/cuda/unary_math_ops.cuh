// Device math of the unary math family (cpu/unary_math_list.h): one UnaryOp<Op> per entry of
// the table, each the formula of its CPU functor (cpu/kernels/unary_math.cpp) written with the
// CUDA math library. They are separate from the CPU functors because those call the CPU's
// vectorisable approximations (vexp, vlog1p, vtanh, erf_f32: cpu/unary_math_vec.h, compiled per
// ISA so loops auto-vectorise), where the device has its own correctly-rounded-to-a-few-ulps
// library; sharing one functor would need a math policy parameter on every CPU functor. What
// the CUDA library lacks (digamma, polygamma) is shared with the CPU (cpu/special_math.h). The
// parity tests (tests/cuda/test_cuda_unary_math.cpp) hold the two sides together.
//
// Parameters were resolved on the host into UnaryArgs (see prepare_unary_args in
// unary_math.cu): every op reads at most three numbers of its compute type, an integer and a
// flag.
#pragma once

#include "cpu/special_math.h"
#include "cpu/unary_math_list.h"
#include "cuda/dtypes.cuh"

#include <cuda_runtime.h>

namespace cmp::cuda_backend {

using cpu::UnaryDomain;
using cpu::UnaryMathOp;

template <typename M>
struct UnaryArgs {
    M a, b, c;
    int64_t i;
    bool flag;
};

// float and double overloads of the CUDA math functions the ops call.
namespace dm {
#define CMP_DM(name)                                                                      \
    __device__ __forceinline__ float name(float x) { return ::name##f(x); }               \
    __device__ __forceinline__ double name(double x) { return ::name(x); }
CMP_DM(fabs)
CMP_DM(sqrt)
CMP_DM(exp)
CMP_DM(exp2)
CMP_DM(expm1)
CMP_DM(log)
CMP_DM(log2)
CMP_DM(log10)
CMP_DM(log1p)
CMP_DM(sin)
CMP_DM(cos)
CMP_DM(tan)
CMP_DM(asin)
CMP_DM(acos)
CMP_DM(atan)
CMP_DM(sinh)
CMP_DM(cosh)
CMP_DM(tanh)
CMP_DM(asinh)
CMP_DM(acosh)
CMP_DM(atanh)
CMP_DM(erf)
CMP_DM(erfc)
CMP_DM(erfinv)
CMP_DM(lgamma)
CMP_DM(floor)
CMP_DM(ceil)
CMP_DM(trunc)
CMP_DM(nearbyint)
#undef CMP_DM

// std::min / std::max exactly (NaN in the first argument falls through), as the CPU uses them.
template <typename M>
__device__ __forceinline__ M min(M a, M b) { return b < a ? b : a; }
template <typename M>
__device__ __forceinline__ M max(M a, M b) { return a < b ? b : a; }
}  // namespace dm

// Whether the kernel of an op is compiled for storage type T (what the front-end can send).
template <typename T>
__host__ __device__ constexpr bool domain_accepts(UnaryDomain d) {
    return cpu::domain_accepts(d, is_float_v<T>, std::is_same_v<T, bool>);
}

// min(max(x, lo), hi) keeping a NaN x.
template <typename M>
__device__ __forceinline__ M clamp_keep_nan(M x, M lo, M hi) {
    M r = x < lo ? lo : x;
    return r > hi ? hi : r;
}

// PyTorch's ELU kernel: a = negcoef, b = poscoef, c = negiptcoef (e^x - 1, not expm1, as the CPU).
template <typename M>
__device__ __forceinline__ M elu(M x, const UnaryArgs<M>& p) {
    return x <= M(0) ? (dm::exp(x * p.c) - M(1)) * p.a : x * p.b;
}

template <UnaryMathOp Op>
struct UnaryOp;

// UnaryOp<Op>::apply(x, p) for x of the compute type M (float for 16-bit floats).
#define CMP_CUDA_UNARY(Name, ...)                                                         \
    template <>                                                                           \
    struct UnaryOp<UnaryMathOp::Name> {                                                   \
        template <typename M>                                                             \
        __device__ __forceinline__ static auto apply(M x, const UnaryArgs<M>& p) {        \
            (void)p;                                                                      \
            return __VA_ARGS__;                                                           \
        }                                                                                 \
    };

template <typename M>
__device__ __forceinline__ M abs_of(M x) {
    if constexpr (std::is_floating_point_v<M>) return dm::fabs(x);
    else if constexpr (std::is_unsigned_v<M>) return x;
    else return x < M(0) ? wrap_neg(x) : x;
}
// x < 0, false for unsigned types without comparing them with 0 (nvcc warns on that).
template <typename M>
__device__ __forceinline__ bool negative(M x) {
    if constexpr (std::is_unsigned_v<M> || std::is_same_v<M, bool>) return false;
    else return x < M(0);
}
// floor/ceil/trunc/round are the identity on integers.
#define CMP_CUDA_INTEGRAL_IDENTITY(fn) [&] { if constexpr (std::is_floating_point_v<M>) return dm::fn(x); else return x; }()

CMP_CUDA_UNARY(Abs, abs_of(x))
// (0 < x) - (x < 0): NaN and +-0 give 0, as PyTorch.
CMP_CUDA_UNARY(Sign, static_cast<M>(static_cast<int>(M(0) < x) - static_cast<int>(negative(x))))
CMP_CUDA_UNARY(Sqrt, dm::sqrt(x))
CMP_CUDA_UNARY(Rsqrt, M(1) / dm::sqrt(x))
CMP_CUDA_UNARY(Square, wrap_mul(x, x))
CMP_CUDA_UNARY(Exp2, dm::exp2(x))
CMP_CUDA_UNARY(Expm1, dm::expm1(x))
CMP_CUDA_UNARY(Log, dm::log(x))
CMP_CUDA_UNARY(Log2, dm::log2(x))
CMP_CUDA_UNARY(Log10, dm::log10(x))
CMP_CUDA_UNARY(Log1p, dm::log1p(x))
CMP_CUDA_UNARY(Sin, dm::sin(x))
CMP_CUDA_UNARY(Cos, dm::cos(x))
CMP_CUDA_UNARY(Tan, dm::tan(x))
CMP_CUDA_UNARY(Asin, dm::asin(x))
CMP_CUDA_UNARY(Acos, dm::acos(x))
CMP_CUDA_UNARY(Atan, dm::atan(x))
CMP_CUDA_UNARY(Sinh, dm::sinh(x))
CMP_CUDA_UNARY(Cosh, dm::cosh(x))
CMP_CUDA_UNARY(Tanh, dm::tanh(x))
CMP_CUDA_UNARY(Asinh, dm::asinh(x))
CMP_CUDA_UNARY(Acosh, dm::acosh(x))
CMP_CUDA_UNARY(Atanh, dm::atanh(x))
CMP_CUDA_UNARY(Sigmoid, M(1) / (M(1) + dm::exp(-x)))
CMP_CUDA_UNARY(Erf, dm::erf(x))
CMP_CUDA_UNARY(Erfc, dm::erfc(x))
CMP_CUDA_UNARY(Erfinv, dm::erfinv(x))
CMP_CUDA_UNARY(Lgamma, dm::lgamma(x))
CMP_CUDA_UNARY(Digamma, static_cast<M>(special::digamma_f64(static_cast<double>(x))))
CMP_CUDA_UNARY(Floor, CMP_CUDA_INTEGRAL_IDENTITY(floor))
CMP_CUDA_UNARY(Ceil, CMP_CUDA_INTEGRAL_IDENTITY(ceil))
CMP_CUDA_UNARY(Trunc, CMP_CUDA_INTEGRAL_IDENTITY(trunc))
// nearbyint rounds half to even, like torch.round.
CMP_CUDA_UNARY(Round, CMP_CUDA_INTEGRAL_IDENTITY(nearbyint))
CMP_CUDA_UNARY(Frac, x - dm::trunc(x))
CMP_CUDA_UNARY(Reciprocal, M(1) / x)
// x < 0 ? 0 : x keeps NaN and -0.0, as PyTorch's clamp_min(x, 0).
CMP_CUDA_UNARY(Relu, negative(x) ? M(0) : x)
CMP_CUDA_UNARY(Relu6, clamp_keep_nan(x, M(0), M(6)))
CMP_CUDA_UNARY(Silu, x / (M(1) + dm::exp(-x)))
CMP_CUDA_UNARY(Mish, x * dm::tanh(dm::log1p(dm::exp(x))))
CMP_CUDA_UNARY(Hardsigmoid, dm::min(dm::max(x + M(3), M(0)), M(6)) / M(6))
CMP_CUDA_UNARY(Hardswish, x * dm::min(dm::max(x + M(3), M(0)), M(6)) / M(6))
CMP_CUDA_UNARY(Logsigmoid, (x < M(0) ? x : M(0)) - dm::log1p(dm::exp(x < M(0) ? x : -x)))
CMP_CUDA_UNARY(BitwiseNot, [&] { if constexpr (std::is_same_v<M, bool>) return !x; else return static_cast<M>(~x); }())
CMP_CUDA_UNARY(Isnan, x != x)
CMP_CUDA_UNARY(Isinf, [&] { if constexpr (std::is_floating_point_v<M>) return dm::fabs(x) == M(INFINITY); else return false; }())
CMP_CUDA_UNARY(Isfinite, [&] { if constexpr (std::is_floating_point_v<M>) return dm::fabs(x) < M(INFINITY); else return true; }())
CMP_CUDA_UNARY(LogicalNot, x == M(0))
// a = lo, b = hi, flag = clamp to [lo, hi] first (eps given).
CMP_CUDA_UNARY(Logit, dm::log((p.flag ? (x < p.a ? p.a : (x > p.b ? p.b : x)) : x) /
                             (M(1) - (p.flag ? (x < p.a ? p.a : (x > p.b ? p.b : x)) : x))))
// a = 10^|decimals|; flag = decimals < 0 (divide first).
CMP_CUDA_UNARY(RoundDecimals, p.flag ? dm::nearbyint(x / p.a) * p.a : dm::nearbyint(x * p.a) / p.a)
CMP_CUDA_UNARY(Gelu, x * M(0.5) * (M(1) + dm::erf(x * M(0.70710678118654752440))))
CMP_CUDA_UNARY(GeluTanh, M(0.5) * x * (M(1) + dm::tanh(M(0.79788456080286535588) * (x + M(0.044715) * x * x * x))))
// a = beta, b = threshold.
CMP_CUDA_UNARY(Softplus, x * p.a > p.b ? x : dm::log1p(dm::exp(x * p.a)) / p.a)
CMP_CUDA_UNARY(Selu, elu(x, p))
CMP_CUDA_UNARY(Elu, elu(x, p))
CMP_CUDA_UNARY(Celu, elu(x, p))
// a = slope.
CMP_CUDA_UNARY(LeakyRelu, x > M(0) ? x : x * p.a)
// a = min, b = max.
CMP_CUDA_UNARY(Hardtanh, clamp_keep_nan(x, p.a, p.b))
// a = nan, b = posinf, c = neginf, already rounded to the storage type.
CMP_CUDA_UNARY(NanToNum, [&] {
    if constexpr (std::is_floating_point_v<M>) return x != x ? p.a : (x == M(INFINITY) ? p.b : (x == -M(INFINITY) ? p.c : x));
    else return x;
}())
CMP_CUDA_UNARY(Polygamma, static_cast<M>(special::polygamma_f64(p.i, static_cast<double>(x))))

#undef CMP_CUDA_INTEGRAL_IDENTITY
#undef CMP_CUDA_UNARY

}  // namespace cmp::cuda_backend
