// The op tables of the pointwise binary math family (div with rounding, remainder, fmod, pow,
// atan2, hypot, maximum/minimum, fmax/fmin, copysign, bitwise, shifts, logical) and of the
// ternary ops lerp, addcmul, addcdiv, with no dependency on the rest of the core: the CPU
// kernels (cpu/kernels/binary_math*.cpp) and the CUDA backend (cuda/binary_math.cu,
// cuda/ternary_math.cu) both compile from these lists, and the core hands the backend an op as
// its BinaryMathOp / TernaryMathOp value, so an op cannot exist on one device only (a CUDA test
// fails when an op of a list has no parity case).
#pragma once

#if defined(__CUDACC__)
#define CMP_BINARY_LIST_HD __host__ __device__
#else
#define CMP_BINARY_LIST_HD
#endif

namespace cmp::cpu {

// Which compute dtypes an op is defined for, following PyTorch ("not implemented for" else):
//  All             every dtype
//  NoBool          every dtype but bool
//  Integral        integer dtypes and bool
//  IntegralNoBool  integer dtypes only
//  Floating        floating dtypes only (float16/bfloat16 included)
enum class BinaryDomain { All, NoBool, Integral, IntegralNoBool, Floating };

// X(Name, name, InPlace, Domain, IntToFloat, BoolOut):
//  name        the PyTorch name of the op, for messages and the ABI (cmp_<name>, cmp_<name>_ when
//              InPlace is 1); DivTrunc and DivFloor are div with a rounding mode
//  IntToFloat  integer and bool inputs compute in float32 (so the kernels see floats only)
//  BoolOut     the result is a bool tensor (the kernels read the compute dtype and write bool)
#define CMP_BINARY_MATH_OPS(X)                                  \
    X(DivTrunc, div, 1, NoBool, 0, 0)                           \
    X(DivFloor, div, 1, NoBool, 0, 0)                           \
    X(Remainder, remainder, 1, NoBool, 0, 0)                    \
    X(Fmod, fmod, 1, NoBool, 0, 0)                              \
    X(Pow, pow, 1, NoBool, 0, 0)                                \
    X(Atan2, atan2, 1, All, 1, 0)                               \
    X(Hypot, hypot, 1, Floating, 0, 0)                          \
    X(Maximum, maximum, 0, All, 0, 0)                           \
    X(Minimum, minimum, 0, All, 0, 0)                           \
    X(Fmax, fmax, 0, All, 0, 0)                                 \
    X(Fmin, fmin, 0, All, 0, 0)                                 \
    X(Copysign, copysign, 1, All, 1, 0)                         \
    X(BitwiseAnd, bitwise_and, 1, Integral, 0, 0)               \
    X(BitwiseOr, bitwise_or, 1, Integral, 0, 0)                 \
    X(BitwiseXor, bitwise_xor, 1, Integral, 0, 0)               \
    X(LeftShift, bitwise_left_shift, 1, IntegralNoBool, 0, 0)   \
    X(RightShift, bitwise_right_shift, 1, IntegralNoBool, 0, 0) \
    X(LogicalAnd, logical_and, 1, All, 0, 1)                    \
    X(LogicalOr, logical_or, 1, All, 0, 1)                      \
    X(LogicalXor, logical_xor, 1, All, 0, 1)

enum class BinaryMathOp {
#define CMP_BINARY_ENUM(Name, name, inplace, domain, int_to_float, bool_out) Name,
    CMP_BINARY_MATH_OPS(CMP_BINARY_ENUM)
#undef CMP_BINARY_ENUM
};

// X(Name, name, Domain): the ternary ops, each with cmp_<name> and cmp_<name>_. Domain is what
// the kernels see: addcdiv of two integer tensors is refused by the front-end, and lerp takes
// floating tensors only.
#define CMP_TERNARY_MATH_OPS(X)    \
    X(Lerp, lerp, Floating)        \
    X(Addcmul, addcmul, NoBool)    \
    X(Addcdiv, addcdiv, Floating)

enum class TernaryMathOp {
#define CMP_TERNARY_ENUM(Name, name, domain) Name,
    CMP_TERNARY_MATH_OPS(CMP_TERNARY_ENUM)
#undef CMP_TERNARY_ENUM
};

CMP_BINARY_LIST_HD constexpr bool binary_domain_accepts(BinaryDomain d, bool floating, bool boolean) {
    switch (d) {
        case BinaryDomain::All: return true;
        case BinaryDomain::NoBool: return !boolean;
        case BinaryDomain::Integral: return !floating;
        case BinaryDomain::IntegralNoBool: return !floating && !boolean;
        case BinaryDomain::Floating: return floating;
    }
    return false;
}

// What the list says of an op besides its names.
struct BinaryOpTraits {
    BinaryDomain domain;
    bool int_to_float;
    bool bool_out;
};

CMP_BINARY_LIST_HD constexpr BinaryOpTraits binary_traits(BinaryMathOp op) {
    switch (op) {
#define CMP_BINARY_TRAITS(Name, name, inplace, domain, int_to_float, bool_out) \
    case BinaryMathOp::Name:                                                   \
        return {BinaryDomain::domain, int_to_float != 0, bool_out != 0};
        CMP_BINARY_MATH_OPS(CMP_BINARY_TRAITS)
#undef CMP_BINARY_TRAITS
    }
    return {BinaryDomain::Floating, false, false};
}

CMP_BINARY_LIST_HD constexpr BinaryDomain binary_domain(BinaryMathOp op) { return binary_traits(op).domain; }
CMP_BINARY_LIST_HD constexpr bool binary_int_to_float(BinaryMathOp op) { return binary_traits(op).int_to_float; }
CMP_BINARY_LIST_HD constexpr bool binary_bool_out(BinaryMathOp op) { return binary_traits(op).bool_out; }

// Whether the kernel of op is defined for a compute dtype of this kind (floating, float16 and
// bfloat16 included; or bool; or neither): what the front-end can send it.
CMP_BINARY_LIST_HD constexpr bool binary_kernel_accepts(BinaryMathOp op, bool floating, bool boolean) {
    return binary_domain_accepts(binary_domain(op), floating, boolean) && (floating || !binary_int_to_float(op));
}

CMP_BINARY_LIST_HD constexpr bool ternary_kernel_accepts(TernaryMathOp op, bool floating, bool boolean) {
    switch (op) {
#define CMP_TERNARY_ACCEPTS(Name, name, domain) \
    case TernaryMathOp::Name:                   \
        return binary_domain_accepts(BinaryDomain::domain, floating, boolean);
        CMP_TERNARY_MATH_OPS(CMP_TERNARY_ACCEPTS)
#undef CMP_TERNARY_ACCEPTS
    }
    return false;
}

// The message of an integer division by zero (div with a rounding mode, floor_divide,
// remainder, fmod), raised by both devices; the front-end puts the op's name before it.
inline constexpr const char kIntegerDivisionByZero[] = "ZeroDivisionError (integer division by zero)";

}  // namespace cmp::cpu
