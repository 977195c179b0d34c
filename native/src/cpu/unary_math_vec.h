// Vectorisable log, tanh and sigmoid for the unary math kernels, in the style of cpu/vec_math.h
// (no libm calls, no data-dependent branches: both sides of every case are computed and one is
// selected), so that the dense loops of loops.h vectorise for the ISA the kernel file is built
// for. These are the functions activations spend their time in.
#pragma once

#ifndef CMP_ISA_NAME
#error "cpu/unary_math_vec.h is for kernel files compiled per ISA (native/src/cpu/kernels/*.cpp)"
#endif

#include "cpu/vec_math.h"

// Every function here is forced inline: a loop vectorises only with the body in it, and GCC's
// heuristics left tanh_f32 out of line in the tanh-form GELU once its callers grew (one scalar
// call per element, 25x slower).
#if defined(__GNUC__)
#define CMP_VEC_INLINE inline __attribute__((always_inline))
#else
#define CMP_VEC_INLINE inline
#endif

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
CMP_VEC_INLINE float log_f32(float x) {
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

// log of a normal xs > 0 times 2^e_adjust, plus c (a correction below an ulp of the result's
// small part: log1p's rounding error of 1 + x), in the steps of log_f32 with double constants.
CMP_VEC_INLINE double log_reduced_f64(double xs, int64_t e_adjust, double c) {
    constexpr double ln2_hi = 6.93147180369123816490e-01;  // 32 significant bits
    constexpr double ln2_lo = 1.90821492927058770002e-10;
    const uint64_t ix = bit_cast_<uint64_t>(xs);
    int64_t e = static_cast<int64_t>((ix >> 52) & 0x7ffu) - 1023 + e_adjust;
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
    return ef * ln2_hi - ((hfsq - (s * (hfsq + r) + (ef * ln2_lo + c))) - f);
}

CMP_VEC_INLINE double log_f64(double x) {
    constexpr double two54 = 18014398509481984.0;
    const bool sub = x < std::numeric_limits<double>::min();
    double y = log_reduced_f64(sub ? x * two54 : x, sub ? -54 : 0, 0.0);
    const double inf = std::numeric_limits<double>::infinity();
    y = x == inf ? inf : y;
    y = x == 0.0 ? -inf : y;
    y = x < 0.0 ? std::numeric_limits<double>::quiet_NaN() : y;
    return x != x ? x : y;
}

CMP_VEC_INLINE float vlog(float x) { return log_f32(x); }
CMP_VEC_INLINE double vlog(double x) { return log_f64(x); }

// mag with the sign bit of s (copysign by bits, so the loop stays free of calls).
CMP_VEC_INLINE float with_sign_of(float mag, float s) {
    return bit_cast_<float>((bit_cast_<uint32_t>(mag) & 0x7fffffffu) | (bit_cast_<uint32_t>(s) & 0x80000000u));
}
CMP_VEC_INLINE double with_sign_of(double mag, double s) {
    return bit_cast_<double>((bit_cast_<uint64_t>(mag) & 0x7fffffffffffffffull) | (bit_cast_<uint64_t>(s) & 0x8000000000000000ull));
}

// expm1(x) = 2^n (1 + p) - 1 = 2^n p + (2^n - 1), with n and r = x - n ln2 as in exp_f32 and
// p = e^r - 1 by its Taylor series (r + r^2/2 + ... to r^8/8!: the r^9 term is below 2^-30
// relative on |r| <= ln2/2). For n = 0 (|x| < ln2/2) this is p alone, so tiny x keep their
// full relative accuracy; 2^n - 1 is exact for the n where it matters (|n| <= 24) and for
// larger n the rounding of 2^n - 1 is far below the result's ulp. x is clamped to [-18, 89]
// (expm1(-18) rounds to -1, expm1(89) overflows); n = 128 (x >= 88.38) takes 2^n in two
// halves as exp_f32 does, because 2^128 itself is not a float. -0 is returned as is.
CMP_VEC_INLINE float expm1_f32(float x) {
    constexpr float log2e = 1.44269504088896341f;
    constexpr float magic = 12582912.0f;
    constexpr float ln2_hi = 0.693359375f;
    constexpr float ln2_lo = -2.12194440054713770e-4f;
    float xc = x < -18.0f ? -18.0f : x;
    xc = xc > 89.0f ? 89.0f : xc;
    const float t = xc * log2e + magic;
    const float kf = t - magic;
    const uint32_t n = bit_cast_<uint32_t>(t) - bit_cast_<uint32_t>(magic);  // two's complement of n
    const float r = (xc - kf * ln2_hi) - kf * ln2_lo;
    float p = 1.0f / 40320.0f;
    p = p * r + 1.0f / 5040.0f;
    p = p * r + 1.0f / 720.0f;
    p = p * r + 1.0f / 120.0f;
    p = p * r + 1.0f / 24.0f;
    p = p * r + 1.0f / 6.0f;
    p = p * r + 0.5f;
    p = p * (r * r) + r;
    const float s = bit_cast_<float>((n + 127u) << 23);
    const float moderate = s * p + (s - 1.0f);
    const int32_t ni = static_cast<int32_t>(n);
    const int32_t n1 = ni >> 1;
    const float s1 = bit_cast_<float>(static_cast<uint32_t>(n1 + 127) << 23);
    const float s2 = bit_cast_<float>(static_cast<uint32_t>(ni - n1 + 127) << 23);
    const float huge = ((p + 1.0f) * s1) * s2;
    const float y = kf > 100.0f ? huge : moderate;
    return x == 0.0f ? x : y;  // NaN: the clamp passes it, p and so y are NaN
}

// The float64 expm1 in the same form: Taylor to r^13/13! (the r^14 term is below 2^-57
// relative), clamp to [-40, 710] (expm1(-40) rounds to -1), two halves of 2^n above n = 1000.
CMP_VEC_INLINE double expm1_f64(double x) {
    constexpr double log2e = 1.4426950408889634074;
    constexpr double magic = 6755399441055744.0;
    constexpr double ln2_hi = 0.693147180369123816490;
    constexpr double ln2_lo = 1.90821492927058770002e-10;
    double xc = x < -40.0 ? -40.0 : x;
    xc = xc > 710.0 ? 710.0 : xc;
    const double t = xc * log2e + magic;
    const double kf = t - magic;
    const uint64_t n = bit_cast_<uint64_t>(t) - bit_cast_<uint64_t>(magic);
    const double r = (xc - kf * ln2_hi) - kf * ln2_lo;
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
    const double s = bit_cast_<double>((n + 1023u) << 52);
    const double moderate = s * p + (s - 1.0);
    const int64_t ni = static_cast<int64_t>(n);
    const int64_t n1 = ni >> 1;
    const double s1 = bit_cast_<double>(static_cast<uint64_t>(n1 + 1023) << 52);
    const double s2 = bit_cast_<double>(static_cast<uint64_t>(ni - n1 + 1023) << 52);
    const double huge = ((p + 1.0) * s1) * s2;
    const double y = kf > 1000.0 ? huge : moderate;
    return x == 0.0 ? x : y;
}

CMP_VEC_INLINE float vexpm1(float x) { return expm1_f32(x); }
CMP_VEC_INLINE double vexpm1(double x) { return expm1_f64(x); }

// log1p for float: log(u) * x / (u - 1) with u = 1 + x rounded (Goldberg, "What every computer
// scientist should know about floating-point arithmetic", thm. 4): the factor x / (u - 1)
// corrects the rounding of 1 + x (2 ulp). u == 1 (|x| below half an ulp of 1, and +-0) gives
// x itself; x = -1 gives log(0) = -inf, x < -1 NaN, +inf +inf.
CMP_VEC_INLINE float log1p_f32(float x) {
    const float u = 1.0f + x;
    const float y = log_f32(u) * (x / (u - 1.0f));
    const float r = u == 1.0f ? x : y;
    return x == std::numeric_limits<float>::infinity() ? x : r;
}

// log1p for double: log(u) + c/u, where c is the rounding error of u = 1 + x, exact: x - (u - 1)
// for u <= 2 (u - 1 is exact there), 1 - (u - x) above (u - x is exact for x >= 1). c/u is added
// with the small terms inside log_reduced_f64, so the result has log's accuracy (the Goldberg
// form of the float version costs two more roundings, 3 ulp in softplus, above PyTorch's fixtures'
// 2). u >= 2^-53 for x > -1, a normal number; -1, below -1, +inf, NaN and +-0 by select.
CMP_VEC_INLINE double log1p_f64(double x) {
    const double u = 1.0 + x;
    const double c = u > 2.0 ? 1.0 - (u - x) : x - (u - 1.0);
    double y = log_reduced_f64(u, 0, c / u);
    const double inf = std::numeric_limits<double>::infinity();
    y = x == inf ? inf : y;
    y = x == -1.0 ? -inf : y;
    y = x < -1.0 ? std::numeric_limits<double>::quiet_NaN() : y;
    y = x == 0.0 ? x : y;
    return x != x ? x : y;
}

CMP_VEC_INLINE float vlog1p(float x) { return log1p_f32(x); }
CMP_VEC_INLINE double vlog1p(double x) { return log1p_f64(x); }

// tanh for float32. Small |x| (< 0.55): the odd Taylor series to x^19 (each term is about 0.12
// of the one before, so the first one left out is below 2^-25 relative). Larger |x|:
// 1 - 2 / (e^{2|x|} + 1) with the vectorised exp; the result is >= 0.5 there, so the
// subtraction loses nothing, and e^{2|x|} = inf gives exactly 1. The sign is put back last.
CMP_VEC_INLINE float tanh_f32(float x) {
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

// tanh for float64: tanh|x| = e / (e + 2) with e = expm1(2|x|), which keeps the relative
// accuracy of expm1 for tiny |x| and needs no cancellation anywhere; |x| is clamped to 20,
// where tanh already rounds to 1 (1 - tanh(20) < 2^-56). The sign is put back by bits (-0, NaN).
CMP_VEC_INLINE double tanh_f64(double x) {
    const double ax = x < 0.0 ? -x : x;
    const double a = ax > 20.0 ? 20.0 : ax;
    const double e = expm1_f64(2.0 * a);
    return with_sign_of(e / (e + 2.0), x);
}

CMP_VEC_INLINE float vtanh(float x) { return tanh_f32(x); }
CMP_VEC_INLINE double vtanh(double x) { return tanh_f64(x); }

// 1 / (1 + e^-x): PyTorch's formula, with the vectorised exp (a huge -x gives inf and then 0).
template <typename T>
CMP_VEC_INLINE T vsigmoid(T x) {
    return T(1) / (T(1) + vexp(-x));
}

// erfc of a float, evaluated in double so the float result is within an ulp of the correctly
// rounded one: erfc needs the relative accuracy that exp(-x^2) of a rounded float x^2 would lose
// (the approximation errors below are about 1e-13 relative):
//  * |x| < 1: erf(x) = x * P(x^2) with the Taylor coefficients 2/sqrt(pi) (-1)^n / (n! (2n+1))
//    up to n = 13 (the first term left out is below 5e-13 at |x| = 1);
//  * |x| >= 1: erfc(|x|) = exp(-x^2) * t * Q(t) with t = 1 / (1 + |x|/2), Q a degree-12
//    polynomial fitted (tests/native/test_vec_math.cpp checks it) to erfc(x) e^{x^2} / t on
//    [1, 10]; beyond 10 exp(-x^2) is below every float, so the fit range does not matter there.
// Both branches are computed and one is selected, so a loop over them vectorises; x^2 rounded
// in double costs nothing visible in float. NaN propagates; +-inf give +-1 (erf), 0 or 2 (erfc).
// p(z) = c[0] z^(N-1) + ... + c[N-1] by Horner's rule (a fixed-length loop the compiler unrolls).
template <int N>
CMP_VEC_INLINE double horner(const double (&c)[N], double z) {
    double p = c[0];
    for (int i = 1; i < N; ++i) p = p * z + c[i];
    return p;
}

CMP_VEC_INLINE double erf_small_f64(double x) {  // |x| < 1
    static constexpr double taylor[] = {
        -6.7113668551641105e-12, 9.422759064650411e-11,  -1.2290555301717926e-09, 1.4807192815879218e-08,
        -1.6365844691234924e-07, 1.6462114365889246e-06, -1.492565035840625e-05,  0.00012055332981789664,
        -0.0008548327023450852,  0.005223977625442188,   -0.026866170645131252,   0.11283791670955126,
        -0.37612638903183754,    1.1283791670955126};
    return x * horner(taylor, x * x);
}

CMP_VEC_INLINE double erfc_tail_f64(double ax) {  // ax = |x| >= 1
    static constexpr double fit[] = {
        -0.07906809429026534, 0.4385942635891685,   -1.0309286587481146, 1.289937212583827,
        -0.8915577171697548,  0.38522520349515377,  -0.21254489572233876, 0.03587882269423892,
        0.07620737535916815,  0.17730511743611937,  0.246744873621036,    0.28209946962145177,
        0.2820946790110932};
    const double t = 1.0 / (1.0 + 0.5 * ax);
    return exp_f64(-ax * ax) * t * horner(fit, t);
}

// Both branches of erfc are evaluated unconditionally: a call inside the ?: would be a
// branch the compiler may not speculate (FP ops can trap), and the loop would not vectorise.
struct ErfParts {
    double small;  // erf(x) by the series, valid for |x| < 1
    double tail;   // erfc(|x|), valid for |x| >= 1
    bool is_small;
    bool negative;
};

CMP_VEC_INLINE ErfParts erf_parts(float x) {
    const double xd = x;
    const double ax = xd < 0.0 ? -xd : xd;
    return {erf_small_f64(xd), erfc_tail_f64(ax), ax < 1.0, xd < 0.0};  // NaN: not small, tail NaN
}

// erf of a float evaluated in float (twice the lanes of the double form above; GELU spends its
// time here), within 2 ulp (tests/native/test_vec_math.cpp sweeps it):
//  * |x| < 1: x * P(x^2), P of degree 6 fitted (relative least squares by tools/fit_erf_f32.py)
//    to erf(x)/x on [0, 1] with relative error 1.4e-9;
//  * |x| >= 1: 1 - exp(-x^2) t Q(t), t = 1 / (1 + |x|/2), Q of degree 9 fitted to
//    erfc(x) e^{x^2} / t on [0.5, 10.1] with relative error 2.6e-9. x^2 rounded in float is
//    harmless here: its error moves erfc by erfc(x) x^2 2^-24 <= 0.16 * 2^-24, a sixth of an
//    ulp of erf. |x| is clamped to 10, where erf is 1 to float precision (so +-inf give +-1).
// NaN propagates (it fails |x| < 1 and the tail is NaN); the sign goes back by bits.
template <int N>
CMP_VEC_INLINE float horner_f32(const float (&c)[N], float z) {
    float p = c[0];
    for (int i = 1; i < N; ++i) p = p * z + c[i];
    return p;
}

CMP_VEC_INLINE float erf_f32(float x) {
    static constexpr float small_fit[] = {7.89806667e-05f, -0.000802431179f, 0.00519004883f, -0.026854806f,
                                          0.112836124f,    -0.376126288f,    1.12837917f};
    static constexpr float tail_fit[] = {-0.0302601071f, 0.0664817056f, 0.0635463654f, -0.272315439f, 0.152365984f,
                                         0.0184959368f,  0.193021678f,  0.2442282f,     0.28232134f,  0.282086371f};
    const float ax0 = x < 0.0f ? -x : x;
    const float ax = ax0 > 10.0f ? 10.0f : ax0;
    const float small = x * horner_f32(small_fit, x * x);
    const float t = 1.0f / (1.0f + 0.5f * ax);
    const float tail = exp_f32(-ax * ax) * (t * horner_f32(tail_fit, t));
    const float big = with_sign_of(1.0f - tail, x);
    return ax0 < 1.0f ? small : big;
}

CMP_VEC_INLINE float erfc_f32(float x) {
    const ErfParts e = erf_parts(x);
    const double big = e.negative ? 2.0 - e.tail : e.tail;
    return static_cast<float>(e.is_small ? 1.0 - e.small : big);
}

}  // namespace CMP_ISA_NAME
}  // namespace cmp::cpu
