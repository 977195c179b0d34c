// The element definitions of the binary math family (cpu/binary_math_list.h), written once for
// both devices: the CPU kernels (cpu/kernels/binary_math.cpp, compiled per ISA) and the CUDA
// backend (cuda/binary_math.cu) call these same functions, so integer division, remainders,
// floor division, shifts, integer pow and the NaN rules of maximum/minimum give the same bits
// on both. Only C math functions of the global namespace (which nvcc provides in device code),
// chosen by overload for float and double; integer arithmetic wraps like PyTorch's, and the few
// integer cases C++ leaves undefined (division by zero, INT_MIN / -1, shifts past the width) are
// given PyTorch's results explicitly (division by zero calls the caller's on_zero: the CPU
// throws, the GPU raises a flag read after the kernel).
#pragma once

#include <math.h>

#include <type_traits>

#include "cpu/vec_inline.h"

// Every function here is forced inline: on the CPU a loop vectorises only with the whole element
// body in it (tools/check_vector_inlining.py checks the CPU library), and nvcc's __forceinline__
// is the same attribute on the device.
#if defined(__CUDACC__)
#define CMP_BINARY_HD __host__ __device__ __forceinline__
#else
#define CMP_BINARY_HD CMP_VEC_INLINE
#endif

namespace cmp::cpu {
// Per-ISA copies on the CPU (as cpu/loops.h): each kernel variant inlines and vectorises its own.
#ifdef CMP_ISA_NAME
inline namespace CMP_ISA_NAME {
#endif
namespace binary_scalar {

// ---- the C math functions by overload ------------------------------------------------------
#define CMP_BINARY_C_MATH1(fn)                                              \
    CMP_BINARY_HD float fn##_of(float x) { return ::fn##f(x); }      \
    CMP_BINARY_HD double fn##_of(double x) { return ::fn(x); }
#define CMP_BINARY_C_MATH2(fn)                                                          \
    CMP_BINARY_HD float fn##_of(float x, float y) { return ::fn##f(x, y); }      \
    CMP_BINARY_HD double fn##_of(double x, double y) { return ::fn(x, y); }
CMP_BINARY_C_MATH1(floor)
CMP_BINARY_C_MATH1(trunc)
CMP_BINARY_C_MATH2(fmod)
CMP_BINARY_C_MATH2(copysign)
CMP_BINARY_C_MATH2(pow)
CMP_BINARY_C_MATH2(atan2)
CMP_BINARY_C_MATH2(hypot)
#undef CMP_BINARY_C_MATH1
#undef CMP_BINARY_C_MATH2

// ---- integer division family: b == -1 is handled apart because INT_MIN / -1 overflows (UB),
// while PyTorch's result is the wrapped -INT_MIN == INT_MIN and a remainder of 0. ----------

template <typename T>
CMP_BINARY_HD T negate_wrapping(T a) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(U(0) - static_cast<U>(a)));
}

template <typename T, typename OnZero>
CMP_BINARY_HD T int_div_trunc(T a, T b, const OnZero& on_zero) {
    if (b == 0) {
        on_zero();
        return T(0);
    }
    if constexpr (std::is_signed_v<T>) {
        if (b == -1) return negate_wrapping(a);
    }
    return static_cast<T>(a / b);
}

template <typename T, typename OnZero>
CMP_BINARY_HD T int_div_floor(T a, T b, const OnZero& on_zero) {
    if (b == 0) {
        on_zero();
        return T(0);
    }
    if constexpr (std::is_signed_v<T>) {
        if (b == -1) return negate_wrapping(a);
        const T q = static_cast<T>(a / b);
        // Truncation rounded toward zero; step down when the exact quotient was negative.
        return (a % b != 0 && ((a < 0) != (b < 0))) ? static_cast<T>(q - 1) : q;
    } else {
        return static_cast<T>(a / b);
    }
}

// fmod: the remainder takes the dividend's sign (C's %).
template <typename T, typename OnZero>
CMP_BINARY_HD T int_fmod(T a, T b, const OnZero& on_zero) {
    if (b == 0) {
        on_zero();
        return T(0);
    }
    if constexpr (std::is_signed_v<T>) {
        if (b == -1) return T(0);
    }
    return static_cast<T>(a % b);
}

// remainder: the remainder takes the divisor's sign (Python's %).
template <typename T, typename OnZero>
CMP_BINARY_HD T int_remainder(T a, T b, const OnZero& on_zero) {
    T r = int_fmod(a, b, on_zero);
    if constexpr (std::is_signed_v<T>) {
        if (r != 0 && ((r < 0) != (b < 0))) r = static_cast<T>(r + b);
    }
    return r;
}

// ---- floating division family --------------------------------------------------------------

// The C library's fmod and floor, which define the floating division family. Fn::fmod and
// Fn::floor below are these, or on the CPU their vectorisable equals on the pairs those are
// exact for (FastOps in cpu/kernels/binary_math.cpp).
struct ExactOps {
    template <typename M>
    CMP_BINARY_HD static M fmod(M a, M b) { return fmod_of(a, b); }
    template <typename M>
    CMP_BINARY_HD static M floor(M x) { return floor_of(x); }
};

template <typename M>
CMP_BINARY_HD M float_div_trunc(M a, M b) { return trunc_of(a / b); }

// Python's float floor division. floor(a / b) alone is wrong when a / b rounds up to an
// integer (e.g. 1 / 0.1 rounds to 10 though the exact quotient is 9.99...); instead the exact
// remainder (fmod) is taken out first so (a - mod) / b is (nearly) an integer, then corrected.
template <typename M, typename Fn = ExactOps>
CMP_BINARY_HD M float_div_floor(M a, M b, Fn = {}) {
    // Written with selects, not early returns, so that the CPU loop vectorises with FastOps.
    const M quotient = a / b;
    const M mod = Fn::fmod(a, b);
    M div = (a - mod) / b;
    div = (mod != M(0) && ((b < M(0)) != (mod < M(0)))) ? div - M(1) : div;
    M fl = Fn::floor(div);
    fl = div - fl > M(0.5) ? fl + M(1) : fl;  // div was a hair below an integer: round to it
    fl = div == M(0) ? copysign_of(M(0), quotient) : fl;
    return b == M(0) ? quotient : fl;  // b == 0: ±inf or NaN, as true division gives
}

template <typename M, typename Fn = ExactOps>
CMP_BINARY_HD M float_remainder(M a, M b, Fn = {}) {
    M mod = Fn::fmod(a, b);
    if (mod != M(0) && ((b < M(0)) != (mod < M(0)))) mod += b;
    return mod;
}

// ---- pow ------------------------------------------------------------------------------------

// Exponentiation by squaring with wrap-around; a negative exponent truncates 1/a^|b| toward
// zero, which is 0 except for a = ±1 (PyTorch's integer pow).
template <typename T>
CMP_BINARY_HD T int_pow(T a, T b) {
    if constexpr (std::is_signed_v<T>) {
        if (b < 0) {
            if (a == 1) return T(1);
            if (a == -1) return (b & 1) ? T(-1) : T(1);
            return T(0);
        }
    }
    using U = std::make_unsigned_t<T>;
    // Unsigned arithmetic of at least int's width wraps without UB (uint8/uint16 would promote
    // to int, whose product can overflow).
    using W = std::conditional_t<(sizeof(T) < sizeof(unsigned)), unsigned, U>;
    W result = 1;
    W base = static_cast<W>(static_cast<U>(a));
    U e = static_cast<U>(b);
    while (e != 0) {
        if (e & 1) result = static_cast<W>(static_cast<U>(result * base));
        e = static_cast<U>(e >> 1);
        if (e != 0) base = static_cast<W>(static_cast<U>(base * base));
    }
    return static_cast<T>(static_cast<U>(result));
}

// ---- shifts: C++ leaves shifts by a negative count or by >= the width undefined; PyTorch
// gives 0 for a left shift and the sign fill for a right shift. ---------------------------

template <typename T>
CMP_BINARY_HD bool shift_out_of_range(T b) {
    constexpr int bits = static_cast<int>(sizeof(T) * 8);
    if constexpr (std::is_signed_v<T>) {
        if (b < 0) return true;
    }
    return b >= static_cast<T>(bits);
}

template <typename T>
CMP_BINARY_HD T shift_left(T a, T b) {
    if (shift_out_of_range(b)) return T(0);
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(static_cast<U>(a) << static_cast<int>(b)));
}

template <typename T>
CMP_BINARY_HD T shift_right(T a, T b) {
    constexpr int bits = static_cast<int>(sizeof(T) * 8);
    if (shift_out_of_range(b)) {
        if constexpr (std::is_signed_v<T>) return static_cast<T>(a >> (bits - 1));  // sign fill
        else return T(0);
    }
    return static_cast<T>(a >> static_cast<int>(b));
}

// ---- maximum / minimum (Max false): maximum and minimum propagate NaN, fmax and fmin ignore
// it; otherwise the first argument wins ties (+0 vs -0 included), as std::max / std::min. ----

template <bool Max, typename M>
CMP_BINARY_HD M extremum_propagate_nan(M a, M b) {
    if constexpr (std::is_floating_point_v<M>) {
        if (a != a) return a;
        if (b != b) return b;
    }
    if constexpr (Max) return a < b ? b : a;
    else return b < a ? b : a;
}

// fmax/fmin as the C library's fmax/fmin give them (PyTorch calls std::fmax): a NaN argument
// is ignored unless both are NaN, and ties (+0 vs -0) keep the first argument. Written as
// compares and one select rather than a call to ::fmaxf, which the CPU loops cannot vectorise
// (fmax ran at 1.8 ns an element, maximum at 0.13): a NaN b fails both compares and keeps a,
// so only a NaN a needs its own test.
template <bool Max, typename M>
CMP_BINARY_HD M extremum_ignore_nan(M a, M b) {
    if constexpr (std::is_floating_point_v<M>) {
        const bool take_b = Max ? a < b : b < a;
        return (take_b || a != a) ? b : a;
    } else {
        return extremum_propagate_nan<Max>(a, b);
    }
}

}  // namespace binary_scalar
#ifdef CMP_ISA_NAME
}  // namespace CMP_ISA_NAME
#endif
}  // namespace cmp::cpu
