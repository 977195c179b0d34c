// Vectorisable log, tanh and sigmoid for the unary math kernels, in the style of cpu/vec_math.h
// (no libm calls, no data-dependent branches: both sides of every case are computed and one is
// selected), so that the dense loops of loops.h vectorise for the ISA the kernel file is built
// for. These are the functions activations spend their time in.
#pragma once

#ifndef CMP_ISA_NAME
#error "cpu/unary_math_vec.h is for kernel files compiled per ISA (native/src/cpu/kernels/*.cpp)"
#endif

#include "cpu/vec_math.h"

#include <cstdint>
#include <limits>

namespace cmp::cpu {
inline namespace CMP_ISA_NAME {

// log(x) = e*ln2 + log(m) with x = m * 2^e and m in [sqrt(1/2), sqrt(2)).
//  * Subnormal x is first scaled by 2^24 (exactly) so the exponent field is meaningful.
//  * With f = m - 1 (exact by Sterbenz' lemma) and s = f / (2 + f), log(1 + f) = 2*atanh(s)
//    = 2s + 2s^3/3 + 2s^5/5 + ...; |s| <= 0.1716, so s^2 <= 0.0295 and the series converges
//    fast. Writing it as f - (f^2/2 - s*(f^2/2 + R)) with R = 2s^2/3 + 2s^4/5 + ... keeps the
//    large term f exact and puts the rounding errors into the small correction.
//  * e*ln2 is added in two parts (ln2_hi has few bits, so e*ln2_hi is exact).
//  * Special cases by select: 0 -> -inf, negative -> NaN, +inf -> +inf, NaN -> NaN.
inline float log_f32(float x) {
    constexpr float two24 = 16777216.0f;
    constexpr float ln2_hi = 0.693359375f;
    constexpr float ln2_lo = -2.12194440054713770e-4f;
    const bool sub = x < std::numeric_limits<float>::min();
    const float xs = sub ? x * two24 : x;
    const uint32_t ix = bit_cast_<uint32_t>(xs);
    int32_t e = static_cast<int32_t>((ix >> 23) & 0xffu) - 127 - (sub ? 24 : 0);
    float m = bit_cast_<float>((ix & 0x007fffffu) | 0x3f800000u);  // [1, 2)
    const bool big = m > 1.41421356f;
    m = big ? m * 0.5f : m;
    e += big ? 1 : 0;
    const float f = m - 1.0f;
    const float s = f / (2.0f + f);
    const float z = s * s;
    // 2/(2k+1) for k = 1..5: the next term is below 2^-27 relative.
    float r = 2.0f / 11.0f;
    r = r * z + 2.0f / 9.0f;
    r = r * z + 2.0f / 7.0f;
    r = r * z + 2.0f / 5.0f;
    r = r * z + 2.0f / 3.0f;
    r = r * z;
    const float hfsq = 0.5f * f * f;
    const float ef = static_cast<float>(e);
    float y = ef * ln2_hi - ((hfsq - (s * (hfsq + r) + ef * ln2_lo)) - f);
    const float inf = std::numeric_limits<float>::infinity();
    y = x == inf ? inf : y;
    y = x == 0.0f ? -inf : y;
    y = x < 0.0f ? std::numeric_limits<float>::quiet_NaN() : y;
    return x != x ? x : y;
}

inline double log_f64(double x) {
    constexpr double two54 = 18014398509481984.0;
    constexpr double ln2_hi = 6.93147180369123816490e-01;  // 32 significant bits
    constexpr double ln2_lo = 1.90821492927058770002e-10;
    const bool sub = x < std::numeric_limits<double>::min();
    const double xs = sub ? x * two54 : x;
    const uint64_t ix = bit_cast_<uint64_t>(xs);
    int64_t e = static_cast<int64_t>((ix >> 52) & 0x7ffu) - 1023 - (sub ? 54 : 0);
    double m = bit_cast_<double>((ix & 0x000fffffffffffffull) | 0x3ff0000000000000ull);
    const bool big = m > 1.4142135623730951;
    m = big ? m * 0.5 : m;
    e += big ? 1 : 0;
    const double f = m - 1.0;
    const double s = f / (2.0 + f);
    const double z = s * s;
    // 2/(2k+1) for k = 1..12: z^13/27 < 2^-70, far below half an ulp of the result.
    double r = 2.0 / 25.0;
    r = r * z + 2.0 / 23.0;
    r = r * z + 2.0 / 21.0;
    r = r * z + 2.0 / 19.0;
    r = r * z + 2.0 / 17.0;
    r = r * z + 2.0 / 15.0;
    r = r * z + 2.0 / 13.0;
    r = r * z + 2.0 / 11.0;
    r = r * z + 2.0 / 9.0;
    r = r * z + 2.0 / 7.0;
    r = r * z + 2.0 / 5.0;
    r = r * z + 2.0 / 3.0;
    r = r * z;
    const double hfsq = 0.5 * f * f;
    const double ef = static_cast<double>(e);
    double y = ef * ln2_hi - ((hfsq - (s * (hfsq + r) + ef * ln2_lo)) - f);
    const double inf = std::numeric_limits<double>::infinity();
    y = x == inf ? inf : y;
    y = x == 0.0 ? -inf : y;
    y = x < 0.0 ? std::numeric_limits<double>::quiet_NaN() : y;
    return x != x ? x : y;
}

inline float vlog(float x) { return log_f32(x); }
inline double vlog(double x) { return log_f64(x); }

// tanh for float32. Small |x| (< 0.55): the odd Taylor series to x^19 (each term is about 0.12
// of the one before, so the first one left out is below 2^-25 relative). Larger |x|:
// 1 - 2 / (e^{2|x|} + 1) with the vectorised exp; the result is >= 0.5 there, so the
// subtraction loses nothing, and e^{2|x|} = inf gives exactly 1. The sign is put back last.
inline float tanh_f32(float x) {
    const float ax = x < 0.0f ? -x : x;
    const float z = x * x;
    // Taylor coefficients of tanh: 2^2n (2^2n - 1) B_2n / (2n)!.
    float p = -443861162.0f / 1856156927625.0f;
    p = p * z + 6404582.0f / 10854718875.0f;
    p = p * z + -929569.0f / 638512875.0f;
    p = p * z + 21844.0f / 6081075.0f;
    p = p * z + -1382.0f / 155925.0f;
    p = p * z + 62.0f / 2835.0f;
    p = p * z + -17.0f / 315.0f;
    p = p * z + 2.0f / 15.0f;
    p = p * z + -1.0f / 3.0f;
    const float small = x + x * (z * p);
    const float big = 1.0f - 2.0f / (exp_f32(2.0f * ax) + 1.0f);
    const float signed_big = x < 0.0f ? -big : big;
    const float r = ax < 0.55f ? small : signed_big;  // NaN: ax < 0.55 is false, big is NaN
    return ax == 0.0f ? x : r;                        // tanh(-0) = -0 (the series gives +0)
}

inline float vtanh(float x) { return tanh_f32(x); }

// 1 / (1 + e^-x): PyTorch's formula, with the vectorised exp (a huge -x gives inf and then 0).
template <typename T>
inline T vsigmoid(T x) {
    return T(1) / (T(1) + vexp(-x));
}

// erf and erfc of a float, evaluated in double so the float result is within an ulp of the
// correctly rounded one (the approximation errors below are about 1e-13 relative):
//  * |x| < 1: erf(x) = x * P(x^2) with the Taylor coefficients 2/sqrt(pi) (-1)^n / (n! (2n+1))
//    up to n = 13 (the first term left out is below 5e-13 at |x| = 1);
//  * |x| >= 1: erfc(|x|) = exp(-x^2) * t * Q(t) with t = 1 / (1 + |x|/2), Q a degree-12
//    polynomial fitted (tests/native/test_vec_math.cpp checks it) to erfc(x) e^{x^2} / t on
//    [1, 10]; beyond 10 exp(-x^2) is below every float, so the fit range does not matter there.
// Both branches are computed and one is selected, so a loop over them vectorises; x^2 rounded
// in double costs nothing visible in float. NaN propagates; +-inf give +-1 (erf), 0 or 2 (erfc).
// p(z) = c[0] z^(N-1) + ... + c[N-1] by Horner's rule (a fixed-length loop the compiler unrolls).
template <int N>
inline double horner(const double (&c)[N], double z) {
    double p = c[0];
    for (int i = 1; i < N; ++i) p = p * z + c[i];
    return p;
}

inline double erf_small_f64(double x) {  // |x| < 1
    static constexpr double taylor[] = {
        -6.7113668551641105e-12, 9.422759064650411e-11,  -1.2290555301717926e-09, 1.4807192815879218e-08,
        -1.6365844691234924e-07, 1.6462114365889246e-06, -1.492565035840625e-05,  0.00012055332981789664,
        -0.0008548327023450852,  0.005223977625442188,   -0.026866170645131252,   0.11283791670955126,
        -0.37612638903183754,    1.1283791670955126};
    return x * horner(taylor, x * x);
}

inline double erfc_tail_f64(double ax) {  // ax = |x| >= 1
    static constexpr double fit[] = {
        -0.07906809429026534, 0.4385942635891685,   -1.0309286587481146, 1.289937212583827,
        -0.8915577171697548,  0.38522520349515377,  -0.21254489572233876, 0.03587882269423892,
        0.07620737535916815,  0.17730511743611937,  0.246744873621036,    0.28209946962145177,
        0.2820946790110932};
    const double t = 1.0 / (1.0 + 0.5 * ax);
    return exp_f64(-ax * ax) * t * horner(fit, t);
}

// Both branches of erf/erfc are evaluated unconditionally: a call inside the ?: would be a
// branch the compiler may not speculate (FP ops can trap), and the loop would not vectorise.
struct ErfParts {
    double small;  // erf(x) by the series, valid for |x| < 1
    double tail;   // erfc(|x|), valid for |x| >= 1
    bool is_small;
    bool negative;
};

inline ErfParts erf_parts(float x) {
    const double xd = x;
    const double ax = xd < 0.0 ? -xd : xd;
    return {erf_small_f64(xd), erfc_tail_f64(ax), ax < 1.0, xd < 0.0};  // NaN: not small, tail NaN
}

inline float erf_f32(float x) {
    const ErfParts e = erf_parts(x);
    const double big = e.negative ? e.tail - 1.0 : 1.0 - e.tail;
    return static_cast<float>(e.is_small ? e.small : big);
}

inline float erfc_f32(float x) {
    const ErfParts e = erf_parts(x);
    const double big = e.negative ? 2.0 - e.tail : e.tail;
    return static_cast<float>(e.is_small ? 1.0 - e.small : big);
}

}  // namespace CMP_ISA_NAME
}  // namespace cmp::cpu
