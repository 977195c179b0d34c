// A float and a double fmod that auto-vectorise (no libm call, no branch), exact and
// bit-identical to std::fmod on the pairs fmod_fast_ok accepts; callers run std::fmod on the
// rest. Used by fmod, remainder and floor division (binary_math.cpp), which are all built on
// fmod; floor_fast is the floor those use on the same pairs.
#pragma once

#ifndef CMP_ISA_NAME
#error "cpu/vec_fmod.h is for kernel files compiled per ISA (native/src/cpu/kernels/*.cpp)"
#endif

#include <cmath>
#include <cstdint>
#include <limits>
#include "cpu/vec_math.h"  // CMP_VEC_INLINE

namespace cmp::cpu {
inline namespace CMP_ISA_NAME {

// True when a, b are finite, b != 0 and |a / b| < 2^28 (exactly: 2^28 * |b| is exact in float,
// or overflows to inf when |a / b| is small anyway). NaNs compare false, so they are rejected.
CMP_VEC_INLINE bool fmod_fast_ok(float a, float b) {
    const float ab = std::fabs(b);
    return std::fabs(a) < 0x1p28f * ab && ab <= std::numeric_limits<float>::max();
}

// fmod(a, b) = a - n*b with n = trunc(a / b), computed in double:
//  * a / b is rounded to double, yet its truncation is the exact n: for |a| >= |b| a nonzero
//    a - n*b is a multiple of ulp(b), so the exact quotient is at least ulp(b)/|b| > 2^-24 away
//    from any integer, while the rounding moves it at most half a double ulp, <= 2^-25 below
//    2^28 (|a| < |b| is similar, the quotient stays below 1). Float operands cannot overflow or
//    underflow a double quotient.
//  * n*b has at most 28 + 24 bits, exact in double, and a - n*b is the exact remainder, which
//    a float holds; so every step is exact and a contracted fma changes nothing.
//  * the truncation converts to int32 (n < 2^28 on accepted pairs; SSE2 has the conversion,
//    not a vector trunc), and the sign of a is put back on a zero remainder (fmod(-4, 2) = -0);
//    a nonzero remainder has a's sign already.
// Only meaningful where fmod_fast_ok(a, b); callers never run it on other pairs.
CMP_VEC_INLINE float fmod_fast(float a, float b) {
    const double ad = a;
    const double bd = b;
    const double n = static_cast<double>(static_cast<int32_t>(ad / bd));
    const float r = static_cast<float>(ad - n * bd);
    return std::copysign(r, a);
}

// ---- float64 -------------------------------------------------------------------------------
// Only where the ISA has a fused multiply-add (x86 avx2/avx512 builds, arm64): the argument
// below needs the exact a - n*b, which std::fma gives in one rounding. Without FMA (x86-64
// baseline) std::fma is a libm call per element, the loop does not vectorise, and float64
// stays on std::fmod there (kFmodFast64 false; binary_math.cpp then never calls these).
#if defined(__FMA__) || defined(__aarch64__) || defined(_M_ARM64) || (defined(_MSC_VER) && defined(__AVX2__))
inline constexpr bool kFmodFast64 = true;
#else
inline constexpr bool kFmodFast64 = false;
#endif

// True when a, b are finite, b != 0 and |a / b| < 2^52 (as for float: 2^52 * |b| is exact, or
// overflows to inf when |a / b| is below 2^52 anyway). NaNs compare false, so they are rejected.
CMP_VEC_INLINE bool fmod_fast_ok(double a, double b) {
    const double ab = std::fabs(b);
    return std::fabs(a) < 0x1p52 * ab && ab <= std::numeric_limits<double>::max();
}

// fmod(a, b) = r = a - n*b with n = trunc(a / b) the exact truncated quotient; |r| < |b|, r has
// a's sign (or is zero) and is a double. Let x = a / b exactly, q = RN(x) the computed quotient
// and n' = trunc(q) (exact: trunc of a double is a double).
//  1. n' is n or one step further from zero. Say x >= 0 (the other sign is symmetric) with
//     n <= x < n + 1. Both n and n + 1 are doubles (n < 2^52 on accepted pairs) and rounding
//     is monotone and keeps doubles, so n <= q <= n + 1 and n' is n, or n + 1 when x lies
//     within half an ulp below n + 1 and q rounded up onto it. It is never n - 1.
//  2. r' = a - n'*b is exactly representable, so fma(-n', b, a) is r' with no error:
//      * n' = n: r' = r.
//      * ulp(a) >= ulp(b): a and n'*b are multiples of ulp(b), so r' is; |r'| <= |b| (r' is
//        r or r - s*b with s*b of a's sign, |r| < |b|), so r' = k * ulp(b) with |k| < 2^53.
//      * ulp(a) < ulp(b): then |a| < |b|, n = 0 and n' = ±1 only when q = ±1, i.e. a / b is
//        within 2^-54 of ±1; a and n'*b have one sign and are within a factor 2 of each other,
//        and Sterbenz's lemma makes a - n'*b exact.
//     (An fma has no intermediate rounding, so n'*b itself needs no exactness or range; the
//     subnormal range is no exception, all values involved are multiples of ulp(b) >= 2^-1074.)
//  3. When n' overshot, r' = r - s*b is nonzero with the sign opposite to a's; when it did
//     not, r' = r is zero or has a's sign. So "r' != 0 with the wrong sign" detects exactly the
//     overshoot, and r' + s*b (s*b = copysign(b, a)) is r, exact because r is a double.
//  4. A zero result takes a's sign (fmod(-4, 2) = -0), as for float.
// std::trunc and std::fma are single instructions on the FMA ISAs (vroundpd, vfmadd; arm64
// frintz, fmla), so the loop vectorises like the float one.
CMP_VEC_INLINE double fmod_fast(double a, double b) {
    const double n = std::trunc(a / b);
    const double r = std::fma(-n, b, a);
    const bool overshot = r != 0.0 && ((r < 0.0) != (a < 0.0));
    return std::copysign(overshot ? r + std::copysign(b, a) : r, a);
}

// std::floor, for |x| < 2^31 (floor division's quotient on pairs fmod_fast_ok accepts: below
// 2^28 + 1 for float). Where the ISA has a vector round (SSE4.1 in the avx2/avx512 builds,
// arm64) std::floor is one instruction; on x86-64 baseline GCC expands it to scalar code, so it
// is built from the int32 conversion SSE2 has for vectors: truncate, step down when that went
// up, and keep x's sign so that floor(-0) = -0 and floor(-0.5) = -1 still come out right.
CMP_VEC_INLINE float floor_fast(float x) {
#if defined(__SSE4_1__) || defined(__AVX__) || defined(__aarch64__) || defined(_M_ARM64)
    return std::floor(x);
#else
    const float t = static_cast<float>(static_cast<int32_t>(x));
    return std::copysign(t > x ? t - 1.0f : t, x);
#endif
}

// float64 floor division reaches floor_fast only where kFmodFast64, i.e. with a vector round.
CMP_VEC_INLINE double floor_fast(double x) { return std::floor(x); }

}  // namespace CMP_ISA_NAME
}  // namespace cmp::cpu
