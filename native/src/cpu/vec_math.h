// Elementary functions written so that a loop calling them auto-vectorises: no calls into libm,
// no data-dependent branches (only selects), bit tricks through memcpy. Each ISA build of a
// kernel file gets its own vectorised copy (see the namespace note in loops.h).
#pragma once

#ifndef CMP_ISA_NAME
#error "cpu/vec_math.h is for kernel files compiled per ISA (native/src/cpu/kernels/*.cpp)"
#endif

#include <cstdint>
#include <cstring>

#include "cpu/vec_inline.h"  // CMP_VEC_INLINE

namespace cmp::cpu {
inline namespace CMP_ISA_NAME {

// Whether the ISA has a fused multiply-add (x86 avx2/avx512 builds, arm64), so that std::fma is
// one instruction; on the x86-64 baseline it is a libm call per element and a loop calling it does
// not vectorise. Functions that need an exact a*b + c pick their float-lane versions by it.
#if defined(__FMA__) || defined(__aarch64__) || defined(_M_ARM64) || (defined(_MSC_VER) && defined(__AVX2__))
inline constexpr bool kFastFma = true;
#else
inline constexpr bool kFastFma = false;
#endif

template <typename To, typename From>
CMP_VEC_INLINE To bit_cast_(From v) {
    static_assert(sizeof(To) == sizeof(From));
    To r;
    std::memcpy(&r, &v, sizeof(To));
    return r;
}

// exp(x) = 2^n * e^r with n = round(x / ln2) and r = x - n*ln2 in [-ln2/2, ln2/2].
//  * n*ln2 is subtracted in two parts (Cody-Waite): ln2_hi has trailing zero bits so n*ln2_hi
//    is exact for every n in range, ln2_lo carries the rest.
//  * e^r is a Taylor polynomial whose truncation error is far below half an ulp on that interval;
//    the 1 is added last so the rounding error of the polynomial stays relative to r.
//  * n is found by the round-to-nearest "magic number" trick, which also hands over n's bits
//    without a float->int conversion (undefined for NaN in C++).
//  * 2^n is applied as 2^(n/2) * 2^(n - n/2): both halves are normal numbers even when the
//    result is subnormal, and only the last multiply rounds, so subnormal results are rounded
//    once, correctly.
//  * x is clamped to [lo, hi] first, where lo and hi already give 0 and +inf: this maps ±inf
//    and keeps n small. A NaN passes the clamp (comparisons with NaN are false) and propagates
//    through the arithmetic.
CMP_VEC_INLINE float exp_f32(float x) {
    constexpr float lo = -104.0f;  // exp(-104) < half the smallest subnormal: rounds to 0
    constexpr float hi = 89.0f;    // exp(89) > FLT_MAX: overflows to inf
    constexpr float log2e = 1.44269504088896341f;
    constexpr float magic = 12582912.0f;  // 1.5 * 2^23: adding it rounds to an integer
    constexpr float ln2_hi = 0.693359375f;  // 355/512: 9 significant bits, n*ln2_hi exact for |n| < 2^15
    constexpr float ln2_lo = -2.12194440054713770e-4f;
    float xc = x < lo ? lo : x;
    xc = xc > hi ? hi : xc;
    const float t = xc * log2e + magic;
    const float kf = t - magic;
    const int32_t n = static_cast<int32_t>(bit_cast_<uint32_t>(t) - bit_cast_<uint32_t>(magic));
    const float r = (xc - kf * ln2_hi) - kf * ln2_lo;
    // Taylor to r^7 / 7!: the r^8 term is below 2^-27 relative on |r| <= ln2/2.
    float p = 1.0f / 5040.0f;
    p = p * r + 1.0f / 720.0f;
    p = p * r + 1.0f / 120.0f;
    p = p * r + 1.0f / 24.0f;
    p = p * r + 1.0f / 6.0f;
    p = p * r + 0.5f;
    p = p * (r * r) + r;
    p = p + 1.0f;
    const int32_t n1 = n >> 1;
    const int32_t n2 = n - n1;
    const float s1 = bit_cast_<float>(static_cast<uint32_t>(n1 + 127) << 23);
    const float s2 = bit_cast_<float>(static_cast<uint32_t>(n2 + 127) << 23);
    return (p * s1) * s2;
}

CMP_VEC_INLINE double exp_f64(double x) {
    constexpr double lo = -746.0;  // exp(-746) rounds to 0
    constexpr double hi = 710.0;   // exp(710) overflows to inf
    constexpr double log2e = 1.4426950408889634074;
    constexpr double magic = 6755399441055744.0;  // 1.5 * 2^52
    constexpr double ln2_hi = 0.693147180369123816490;  // 32 significant bits: n*ln2_hi exact
    constexpr double ln2_lo = 1.90821492927058770002e-10;
    double xc = x < lo ? lo : x;
    xc = xc > hi ? hi : xc;
    const double t = xc * log2e + magic;
    const double kf = t - magic;
    const int64_t n = static_cast<int64_t>(bit_cast_<uint64_t>(t) - bit_cast_<uint64_t>(magic));
    const double r = (xc - kf * ln2_hi) - kf * ln2_lo;
    // Taylor to r^13 / 13!: the r^14 term is below 2^-57 relative on |r| <= ln2/2.
    double p = 1.0 / 6227020800.0;
    p = p * r + 1.0 / 479001600.0;
    p = p * r + 1.0 / 39916800.0;
    p = p * r + 1.0 / 3628800.0;
    p = p * r + 1.0 / 362880.0;
    p = p * r + 1.0 / 40320.0;
    p = p * r + 1.0 / 5040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    p = p * (r * r) + r;
    p = p + 1.0;
    const int64_t n1 = n >> 1;
    const int64_t n2 = n - n1;
    const double s1 = bit_cast_<double>(static_cast<uint64_t>(n1 + 1023) << 52);
    const double s2 = bit_cast_<double>(static_cast<uint64_t>(n2 + 1023) << 52);
    return (p * s1) * s2;
}

CMP_VEC_INLINE float vexp(float x) { return exp_f32(x); }
CMP_VEC_INLINE double vexp(double x) { return exp_f64(x); }

}  // namespace CMP_ISA_NAME
}  // namespace cmp::cpu
