// The op table of the pointwise unary math family (sqrt, log, sin, sigmoid, relu, gelu, isnan,
// clamp...), with no dependency on the rest of the core: the CPU kernels (cpu/unary_math_stubs.h)
// and the CUDA backend (cuda/unary_math.cu) both compile from this one list, and the core hands
// the backend an op as its UnaryMathOp value, so an op cannot exist on one device only.
// Each X(Name, name, Domain, InPlace) entry becomes an enum value here, a functor in
// cpu/kernels/unary_math.cpp and in cuda/unary_math_ops.cuh, a front-end in ops/unary_math.cpp and
// the extern "C" functions cmp_<name> (and cmp_<name>_ when InPlace) in abi/abi_unary_math.cpp.
#pragma once

#include <cstdint>

#if defined(__CUDACC__)
#define CMP_UNARY_LIST_HD __host__ __device__
#else
#define CMP_UNARY_LIST_HD
#endif

namespace cmp::cpu {

// Which dtypes an op takes and what it gives, following PyTorch:
//  FloatPromote  integer and bool inputs compute in float32 (PyTorch's int_to_float: sqrt, log...)
//  FloatOnly     floating inputs only (frac and most activations reject integers)
//  Numeric       any dtype but bool, kept (abs, floor, relu...)
//  Any           any dtype, kept (sign, nan_to_num)
//  Integral      integer and bool only (bitwise_not)
//  Predicate     any dtype in, bool out (isnan, logical_not...)
//  Square        like Numeric, but bool computes in int64 (square is pow(a, 2))
enum class UnaryDomain { FloatPromote, FloatOnly, Numeric, Any, Integral, Predicate, Square };

// Ops without parameters: each has cmp_<name>(a, out), and cmp_<name>_(a) when InPlace is 1.
#define CMP_UNARY_MATH_PLAIN_OPS(X)              \
    X(Abs, abs, Numeric, 1)                      \
    X(Sign, sign, Any, 1)                        \
    X(Sqrt, sqrt, FloatPromote, 1)               \
    X(Rsqrt, rsqrt, FloatPromote, 1)             \
    X(Square, square, Square, 1)                 \
    X(Exp2, exp2, FloatPromote, 1)               \
    X(Expm1, expm1, FloatPromote, 1)             \
    X(Log, log, FloatPromote, 1)                 \
    X(Log2, log2, FloatPromote, 1)               \
    X(Log10, log10, FloatPromote, 1)             \
    X(Log1p, log1p, FloatPromote, 1)             \
    X(Sin, sin, FloatPromote, 1)                 \
    X(Cos, cos, FloatPromote, 1)                 \
    X(Tan, tan, FloatPromote, 1)                 \
    X(Asin, asin, FloatPromote, 1)               \
    X(Acos, acos, FloatPromote, 1)               \
    X(Atan, atan, FloatPromote, 1)               \
    X(Sinh, sinh, FloatPromote, 1)               \
    X(Cosh, cosh, FloatPromote, 1)               \
    X(Tanh, tanh, FloatPromote, 1)               \
    X(Asinh, asinh, FloatPromote, 1)             \
    X(Acosh, acosh, FloatPromote, 1)             \
    X(Atanh, atanh, FloatPromote, 1)             \
    X(Sigmoid, sigmoid, FloatPromote, 1)         \
    X(Erf, erf, FloatPromote, 1)                 \
    X(Erfc, erfc, FloatPromote, 1)               \
    X(Erfinv, erfinv, FloatPromote, 1)           \
    X(Lgamma, lgamma, FloatPromote, 1)           \
    X(Digamma, digamma, FloatPromote, 1)         \
    X(Floor, floor, Numeric, 1)                  \
    X(Ceil, ceil, Numeric, 1)                    \
    X(Trunc, trunc, Numeric, 1)                  \
    X(Frac, frac, FloatOnly, 1)                  \
    X(Reciprocal, reciprocal, FloatPromote, 1)   \
    X(Relu, relu, Numeric, 1)                    \
    X(Relu6, relu6, Numeric, 1)                  \
    X(Silu, silu, FloatOnly, 1)                  \
    X(Mish, mish, FloatOnly, 1)                  \
    X(Selu, selu, FloatOnly, 1)                  \
    X(Hardsigmoid, hardsigmoid, FloatOnly, 1)    \
    X(Hardswish, hardswish, FloatOnly, 1)        \
    X(Logsigmoid, logsigmoid, FloatOnly, 0)      \
    X(BitwiseNot, bitwise_not, Integral, 1)      \
    X(Isnan, isnan, Predicate, 0)                \
    X(Isinf, isinf, Predicate, 0)                \
    X(Isfinite, isfinite, Predicate, 0)          \
    X(LogicalNot, logical_not, Predicate, 0)

// Ops with parameters (UnaryMathParams); their front-ends and C functions are written out
// because each has its own arguments, but they share the kernel machinery.
#define CMP_UNARY_MATH_PARAM_OPS(X)              \
    X(Logit, logit, FloatPromote, 1)             \
    X(Round, round, Numeric, 1)                  \
    X(RoundDecimals, round, FloatOnly, 1)        \
    X(Gelu, gelu, FloatOnly, 0)                  \
    X(GeluTanh, gelu, FloatOnly, 0)              \
    X(Softplus, softplus, FloatOnly, 0)          \
    X(Elu, elu, FloatOnly, 1)                    \
    X(Celu, celu, FloatOnly, 1)                  \
    X(LeakyRelu, leaky_relu, FloatOnly, 1)       \
    X(Hardtanh, hardtanh, Numeric, 1)            \
    X(NanToNum, nan_to_num, Any, 1)              \
    X(Polygamma, polygamma, FloatPromote, 1)

#define CMP_UNARY_MATH_OPS(X) CMP_UNARY_MATH_PLAIN_OPS(X) CMP_UNARY_MATH_PARAM_OPS(X)

enum class UnaryMathOp {
#define CMP_UNARY_ENUM(Name, name, domain, inplace) Name,
    CMP_UNARY_MATH_OPS(CMP_UNARY_ENUM)
#undef CMP_UNARY_ENUM
};

constexpr UnaryDomain unary_domain(UnaryMathOp op) {
    switch (op) {
#define CMP_UNARY_DOMAIN(Name, name, domain, inplace) \
    case UnaryMathOp::Name:                           \
        return UnaryDomain::domain;
        CMP_UNARY_MATH_OPS(CMP_UNARY_DOMAIN)
#undef CMP_UNARY_DOMAIN
    }
    return UnaryDomain::FloatOnly;
}

// Whether the kernel of an op with domain d is defined for a storage type of this kind (the
// front-end sends no other): floating (float16/bfloat16 included) or bool or neither.
CMP_UNARY_LIST_HD constexpr bool domain_accepts(UnaryDomain d, bool floating, bool boolean) {
    switch (d) {
        case UnaryDomain::FloatPromote:
        case UnaryDomain::FloatOnly: return floating;
        case UnaryDomain::Numeric:
        case UnaryDomain::Square: return !boolean;
        case UnaryDomain::Any:
        case UnaryDomain::Predicate: return true;
        case UnaryDomain::Integral: return !floating;
    }
    return false;
}

// The parameters of an op, by position (the front-end documents which op reads which):
// logit (a = eps, negative for none), round (i = decimals), softplus (a = beta, b = threshold),
// elu/celu (a = alpha), leaky_relu (a = slope), hardtanh (a = min, b = max),
// nan_to_num (a = nan, b = posinf, c = neginf, already resolved to the dtype's limits),
// polygamma (i = n >= 0).
struct UnaryMathParams {
    double a = 0.0;
    double b = 0.0;
    double c = 0.0;
    int64_t i = 0;
};

// How clamp treats its bounds: both, only a lower one, only an upper one. NaN bounds propagate
// for tensor bounds and are ignored for number bounds, as PyTorch's two kernels do.
enum class ClampMode { Both, Min, Max };

}  // namespace cmp::cpu
