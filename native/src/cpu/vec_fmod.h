// A float fmod that auto-vectorises (no libm call, no branch), exact and bit-identical to
// std::fmod(float, float) on the pairs fmod_fast_ok accepts; callers run std::fmod on the rest.
// Used by fmod, remainder and floor division (binary_math.cpp), which are all built on fmod.
#pragma once

#ifndef CMP_ISA_NAME
#error "cpu/vec_fmod.h is for kernel files compiled per ISA (native/src/cpu/kernels/*.cpp)"
#endif

#include <cmath>
#include <cstdint>
#include <limits>

namespace cmp::cpu {
inline namespace CMP_ISA_NAME {

// True when a, b are finite, b != 0 and |a / b| < 2^28 (exactly: 2^28 * |b| is exact in float,
// or overflows to inf when |a / b| is small anyway). NaNs compare false, so they are rejected.
inline bool fmod_fast_ok(float a, float b) {
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
inline float fmod_fast(float a, float b) {
    const double ad = a;
    const double bd = b;
    const double n = static_cast<double>(static_cast<int32_t>(ad / bd));
    const float r = static_cast<float>(ad - n * bd);
    return std::copysign(r, a);
}

}  // namespace CMP_ISA_NAME
}  // namespace cmp::cpu
