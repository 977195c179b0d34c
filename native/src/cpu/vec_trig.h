// Vectorisable sin, cos and tan for the unary math kernels (float and double; float16/bfloat16
// compute in float), in the style of cpu/unary_math_vec.h: no libm calls, no data-dependent
// branches. vsin/vcos/vtan compute in double lanes and are exact enough for |x| <=
// kTrigVectorMax (derived below); sin_f32/cos_f32/tan_f32 compute float in float lanes (twice the
// lanes, about half the instructions) and hold for |x| <= kTrigFloatLanesMax. The kernel checks
// each block of its loop: float blocks within kTrigFloatLanesMax take the float lanes (where the
// ISA has an FMA, kTrigFloatLanes), blocks within kTrigVectorMax the double lanes, and a block
// holding any other value (large, inf, NaN) goes to the C library. Accuracy:
// tests/native/test_vec_math.cpp (VecMath.Trig*). Every constant comes from tools/fit_sincos.py.
#pragma once

#ifndef CMP_ISA_NAME
#error "cpu/vec_trig.h is for kernel files compiled per ISA (native/src/cpu/kernels/*.cpp)"
#endif

#include "cpu/unary_math_vec.h"

#include <cmath>
#include <cstdint>

namespace cmp::cpu {
inline namespace CMP_ISA_NAME {

// The largest |x| the reduction below is proven for (2^26, for both types).
template <typename T>
constexpr T kTrigVectorMax = T(67108864.0);

// Whether sin/cos/tan of x may take the vectorised path (false for NaN and +-inf too).
template <typename T>
CMP_VEC_INLINE bool trig_vector_ok(T x) {
    return (x < T(0) ? -x : x) <= kTrigVectorMax<T>;
}

// x = k pi/2 + r, always in double (a float x converts exactly), with k = round(x 2/pi) by the
// magic-number trick of exp_f32, whose bits also give q = k mod 4 (t = 1.5 2^52 + k has k's two's
// complement in its low mantissa bits). For |x| <= 2^26 the reduction is exact to far below an
// ulp of r:
//  * k x 2/pi is off from x 2/pi by at most 2^-27, so |r| <= pi/4 + 2^-26 < 0.7855, the range
//    the polynomials are fitted on; |k| < 2^26.
//  * pi/2 = P1 + P2 + P3 + P4 + P5 (+ 7e-49), P1..P4 multiples of 2^-25, 2^-51, 2^-77, 2^-103 with
//    at most 26 significant bits each, so every k Pi for i <= 4 is exact. With k != 0 (so
//    |x| >= 0.78 and x is a multiple of 2^-53): x - k P1 is a multiple of 2^-53 below 2 in
//    magnitude (and below 2|x|), so exact; minus k P2 it is a multiple of 2^-53 below 1, exact
//    again. Minus k P3 and k P4 the differences are multiples of 2^-77 and 2^-103, exact while
//    they are below 2^-24 and 2^-50; where they are larger the rounding is relative and r is
//    of the same size (what is still to be subtracted is below 2^-52 and 2^-79), so r keeps it.
//  * k P5 rounds by at most 2^-133 and P5 misses pi/2's rest by 2^26 * 7e-49 < 2^-134: r is off
//    by its own rounding and 2^-132, while no double is closer than about 2^-62 to a multiple
//    of pi/2 (the known worst case of the double format, Muller, "Elementary Functions", 11.3).
// Every step is either exact or rounded once, so a contracted fma changes nothing of this.
struct TrigReduced {
    double r, lo;  // x - k pi/2 = r + lo, |lo| <= 2^-52 |r| (0 for float: its result needs no lo)
    uint64_t q;    // k mod 4 in the low two bits
};

// a - b and its rounding error, exact when |a| >= |b| or the difference is exact (Fast2Sum).
struct Diff {
    double d, err;
};
CMP_VEC_INLINE Diff diff_with_error(double a, double b) {
    const double d = a - b;
    return {d, (a - d) - b};
}

template <typename T>
CMP_VEC_INLINE TrigReduced trig_reduce(double x) {
    constexpr double two_over_pi = 0.6366197723675814;
    constexpr double magic = 6755399441055744.0;  // 1.5 * 2^52
    constexpr double p1 = 0x1.921fb58p+0, p2 = -0x1.dde974p-27, p3 = 0x1.1a6264p-54, p4 = -0x1.9d747fp-79;
    constexpr double p5 = -0x1.1f1976b7ed8fcp-106;
    const double t = x * two_over_pi + magic;
    const double k = t - magic;
    const double r2 = (x - k * p1) - k * p2;
    if constexpr (sizeof(T) == 8) {
        // The three last steps may round (see above); their errors are kept in lo. Each is a
        // Fast2Sum: where a step rounds, what it subtracts is the smaller operand.
        const Diff r3 = diff_with_error(r2, k * p3);
        const Diff r4 = diff_with_error(r3.d, k * p4);
        const Diff r5 = diff_with_error(r4.d, k * p5);
        return {r5.d, (r3.err + r4.err) + r5.err, bit_cast_<uint64_t>(t)};
    } else {
        return {((r2 - k * p3) - k * p4) - k * p5, 0.0, bit_cast_<uint64_t>(t)};
    }
}

// sin(r) = r + r z S(z) and cos(r) = 1 - z/2 + z^2 C(z), z = r^2, for |r| < 0.7855: S and C fitted
// by tools/fit_sincos.py to relative errors of 2^-57.1 and 2^-59.6 (double; degrees 6 and 5) or
// 2^-37.5 and 2^-33 (float, evaluated in double: the float result needs about 2^-30). For
// double, r's tail lo adds lo cos(r) to sin and -lo sin(r) (~ -lo r) to cos.
struct SinCos {
    double s, c;
};

template <typename T>
CMP_VEC_INLINE SinCos sincos_poly(TrigReduced red) {
    const double r = red.r;
    const double z = r * r;
    const double hz = 0.5 * z;
    const double w = 1.0 - hz;
    if constexpr (sizeof(T) == 8) {
        static constexpr double sin_fit[] = {-7.578521999548076e-13, 1.605836279981655e-10, -2.505210487901382e-08,
                                             2.755731921405404e-06,  -0.0001984126984125478, 0.008333333333333323,
                                             -0.16666666666666666};
        static constexpr double cos_fit[] = {-1.1358504610724626e-11, 2.0875700234058125e-09, -2.755731417488125e-07,
                                             2.480158728883659e-05,   -0.0013888888888873032, 0.041666666666666595};
        // cos: w = 1 - z/2 rounded, and its rounding error (1 - w) - z/2 (exact: 1 - w is, by
        // Sterbenz) added back with the small terms, so the large term costs no accuracy.
        const double s = r + (r * z * horner(sin_fit, z) + red.lo * w);
        const double c = w + (((1.0 - w) - hz) + (z * z * horner(cos_fit, z) - red.lo * r));
        return {s, c};
    } else {
        static constexpr double sin_fit[] = {2.718111161379594e-06, -0.00019839311160382102, 0.00833332930133299,
                                             -0.1666666664076573};
        static constexpr double cos_fit[] = {2.4433045714723617e-05, -0.0013887315276805716, 0.04166664566267485};
        return {r + r * z * horner(sin_fit, z), w + z * z * horner(cos_fit, z)};
    }
}

// sin(x) = sin(r), cos(r), -sin(r), -cos(r) for q = 0..3; cos(x) is sin(x + pi/2), so q + 1.
// The sign goes on by bits; x = +-0 is returned as is (the polynomial would give +0 for -0).
template <typename T>
CMP_VEC_INLINE T sin_from(T x, uint64_t quadrant_shift) {
    const TrigReduced red = trig_reduce<T>(static_cast<double>(x));
    const SinCos sc = sincos_poly<T>(red);
    const uint64_t q = red.q + quadrant_shift;
    const double v = q & 1u ? sc.c : sc.s;
    const double y = bit_cast_<double>(bit_cast_<uint64_t>(v) ^ ((q & 2u) << 62));
    return x == T(0) && quadrant_shift == 0 ? x : static_cast<T>(y);
}

template <typename T>
CMP_VEC_INLINE T vsin(T x) {
    return sin_from(x, 0);
}

template <typename T>
CMP_VEC_INLINE T vcos(T x) {
    return sin_from(x, 1);
}

// tan(x) = sin(r) / cos(r) for even k, -cos(r) / sin(r) for odd k (one division either way).
template <typename T>
CMP_VEC_INLINE T vtan(T x) {
    const TrigReduced red = trig_reduce<T>(static_cast<double>(x));
    const SinCos sc = sincos_poly<T>(red);
    const bool odd = red.q & 1u;
    const double y = (odd ? -sc.c : sc.s) / (odd ? sc.s : sc.c);
    return x == T(0) ? x : static_cast<T>(y);
}

// ---- float32 in float lanes -------------------------------------------------------------
// Only worth it where the ISA has a fused multiply-add (x86 avx2/avx512 builds, arm64): the
// reduction needs an exact x - k C1, which std::fma gives in one instruction; without one
// (x86-64 baseline) std::fma is a libm call and float stays in double lanes (the functions below
// are right either way, the tests run them everywhere).
#if defined(__FMA__) || defined(__aarch64__) || defined(_M_ARM64) || (defined(_MSC_VER) && defined(__AVX2__))
inline constexpr bool kTrigFloatLanes = true;
#else
inline constexpr bool kTrigFloatLanes = false;
#endif

// The largest |x| of the float-lane reduction: k = round(x 2/pi) stays below 2^13.
inline constexpr float kTrigFloatLanesMax = 12800.0f;

CMP_VEC_INLINE bool trig_float_lanes_ok(float x) { return std::fabs(x) <= kTrigFloatLanesMax; }

// x = k pi/2 + hi + lo in float, for |x| <= 12800 (so |k| <= 8149 < 2^13), with
// pi/2 = C1 + C2 + C3 + C4 (+ 2^-78): C1 pi/2 rounded to a float, C2 and C3 of 10 and 11
// significant bits on the grids 2^-36 and 2^-50, C4 a float. Each step is exact or its error kept:
//  * k = round(x * float(2/pi)) by the magic number 1.5 2^23 (its bits give q = k mod 4); the
//    float 2/pi moves k x 2/pi off by at most 12800 * 2.6e-8, so |r| <= pi/4 + 5e-4 < 0.787,
//    the range the polynomials are fitted on.
//  * a = x - k C1 by an fma, exact: with k != 0, |x| >= 0.78 is a multiple of 2^-24 and k C1 of
//    2^-23, and |a| <= 0.787 + 2^13 |pi/2 - C1| < 1, so a is a multiple of 2^-24 below 1.
//  * b = a - k C2 (k C2 exact, below 2^-11.45 in magnitude, a multiple of 2^-36) and its error
//    e1 = (a - b) - k C2 (Fast2Sum). b is exact below 2^-12 (a multiple of 2^-36); above, either
//    |a| >= |k C2| (Fast2Sum's condition) or b < 2^-10.45, when b - a is a multiple of ulp(b)
//    below 2^-11.45, exact, and the error a multiple of 2^-36 below ulp(b): exact too.
//  * c = b - k C3 (k C3 exact, below 2^-25.5, a multiple of 2^-50) and e2 likewise: c is exact
//    below 2^-26, and the same two cases hold above.
//  * lo = e1 + e2 - k C4: |k C4| < 2^-41.9, rounded by 2^-66, and k times C4's miss is 2^-65;
//    the smallest |r| of a float below 12800 is 2^-27.8 (x = 252.898209), so hi + lo is r to
//    2^-38 relative. (lo is not normalised: |lo| may reach 2^-9 |hi| where hi is tiny.)
// Every product rounded or fused changes nothing: the ones not taken by std::fma are exact.
struct TrigReducedF {
    float hi, lo;
    uint32_t q;  // k mod 4 in the low two bits
};

CMP_VEC_INLINE TrigReducedF trig_reduce_f32(float x) {
    constexpr float two_over_pi = 0.6366197466850281f;
    constexpr float magic = 12582912.0f;  // 1.5 * 2^23
    constexpr float c1 = 0x1.921fb6p+0f, c2 = -0x1.778p-25f, c3 = 0x1.68cp-39f, c4 = 0x1.1a6264p-54f;
    const float t = std::fma(x, two_over_pi, magic);
    const float k = t - magic;
    const float a = std::fma(-k, c1, x);
    const float p2 = k * c2;
    const float b = a - p2;
    const float e1 = (a - b) - p2;
    const float p3 = k * c3;
    const float c = b - p3;
    const float e2 = (b - c) - p3;
    return {c, std::fma(-k, c4, e1 + e2), bit_cast_<uint32_t>(t)};
}

// sin(r) and cos(r), r = hi + lo, each as an unevaluated sum (big term first) for tan's division:
// sin = hi + (hi z S(z) + lo (1 - z/2)), cos = w + (((1 - w) - z/2) + z^2 C(z) - hi lo), z = hi^2,
// w = 1 - z/2 rounded (1 - w is exact by Sterbenz, so its rounding error is added back with the
// small terms). S and C are fitted in float (relative errors 2^-28 and 2^-32 after rounding the
// coefficients); the dominant remaining error is z's rounding in cos, under 0.25 ulp.
struct SinCosF {
    float s, s_lo, c, c_lo;
};

CMP_VEC_INLINE SinCosF sincos_poly_f32(TrigReducedF red) {
    static constexpr float sin_fit[] = {2.7179676180821843e-06f, -0.00019839295418933034f, 0.008333329111337662f,
                                        -0.1666666716337204f};
    static constexpr float cos_fit[] = {2.4431623387499712e-05f, -0.0013887302484363317f, 0.04166664555668831f};
    const float r = red.hi;
    const float z = r * r;
    const float hz = 0.5f * z;
    const float w = 1.0f - hz;
    const float s_lo = r * z * horner(sin_fit, z) + red.lo * w;
    const float c_lo = ((1.0f - w) - hz) + (z * z * horner(cos_fit, z) - r * red.lo);
    return {r, s_lo, w, c_lo};
}

// As sin_from: sin for quadrant_shift 0, cos for 1; the sign goes on by bits, +-0 is kept.
CMP_VEC_INLINE float sin_from_f32(float x, uint32_t quadrant_shift) {
    const TrigReducedF red = trig_reduce_f32(x);
    const SinCosF sc = sincos_poly_f32(red);
    const uint32_t q = red.q + quadrant_shift;
    const float v = q & 1u ? sc.c + sc.c_lo : sc.s + sc.s_lo;
    const float y = bit_cast_<float>(bit_cast_<uint32_t>(v) ^ ((q & 2u) << 30));
    return x == 0.0f && quadrant_shift == 0 ? x : y;
}

CMP_VEC_INLINE float sin_f32(float x) { return sin_from_f32(x, 0); }
CMP_VEC_INLINE float cos_f32(float x) { return sin_from_f32(x, 1); }

// tan = n / d, sin(r) / cos(r) for even k and -cos(r) / sin(r) for odd k, each part an unevaluated
// sum n + n_lo (n_lo may be a tenth of n): q1 = (n + n_lo) / (d + d_lo) to about 2 ulp, then one
// correction by the residual (n + n_lo) - q1 (d + d_lo), its big part exact by an fma.
CMP_VEC_INLINE float tan_f32(float x) {
    const TrigReducedF red = trig_reduce_f32(x);
    const SinCosF sc = sincos_poly_f32(red);
    const bool odd = red.q & 1u;
    const float n = odd ? -sc.c : sc.s, n_lo = odd ? -sc.c_lo : sc.s_lo;
    const float d = odd ? sc.s : sc.c, d_lo = odd ? sc.s_lo : sc.c_lo;
    const float inv = 1.0f / (d + d_lo);
    const float q1 = (n + n_lo) * inv;
    const float residual = std::fma(-q1, d, n) + std::fma(-q1, d_lo, n_lo);
    const float y = std::fma(residual, inv, q1);
    return x == 0.0f ? x : y;
}

}  // namespace CMP_ISA_NAME
}  // namespace cmp::cpu
