// Vectorisable float32 pow(x, y) with the C library's (and so PyTorch's) special cases, in the
// style of cpu/unary_math_vec.h: no libm call, no data-dependent branch; the general value and
// every special case are computed and one selected, so the dense loops of loops.h vectorise.
//
// The value is exp(y * log|x|) in double lanes, rounded once to float. log_f64 and exp_f64 are
// within an ulp of double; y * log|x| is at most ~104 in magnitude where the float result is
// neither 0 nor inf, so its absolute error (a few 2^-53 of ~104) moves the result by ~1e-14
// relative: the float is the correctly rounded one except within ~1e-7 ulp of a rounding tie,
// well inside PyTorch's own 1-ulp SLEEF pow. (std::powf per element, the previous definition,
// is a libm call the loops cannot vectorise: 0.53x PyTorch.)
// Tested against PyTorch by the binary_math fixtures (pow_special_values_float32 holds every
// pair of 0, -0, +-1, +-2.5, +-inf, NaN, 7; pow_long_* the vector blocks).
#pragma once

#ifndef CMP_ISA_NAME
#error "cpu/vec_pow.h is for kernel files compiled per ISA (native/src/cpu/kernels/*.cpp)"
#endif

#include "cpu/unary_math_vec.h"  // log_f64
#include "cpu/vec_math.h"        // exp_f64, bit_cast_

#include <cmath>
#include <cstdint>
#include <limits>

namespace cmp::cpu {
inline namespace CMP_ISA_NAME {

// Round to the nearest integer by the 1.5 * 2^52 trick (exact for |v| < 2^51; callers only ask
// below 2^24), a few instructions where std::nearbyint is a libm call at the SSE2 baseline.
CMP_VEC_INLINE double round_small_f64(double v) {
    constexpr double magic = 6755399441055744.0;
    return (v + magic) - magic;
}

CMP_VEC_INLINE float pow_f32(float xf, float yf) {
    constexpr double inf = std::numeric_limits<double>::infinity();
    constexpr double two24 = 16777216.0;  // every float of at least this magnitude is an even integer
    const double x = xf, y = yf;
    const double ax = std::fabs(x);
    const double ay = std::fabs(y);
    // |x|^y: log|x| is -inf at 0 and inf at inf, and exp_f64 takes +-inf to inf and 0, which gives
    // the zero and infinite bases their C results up to the sign.
    const double r = exp_f64(y * log_f64(ax));
    // The conditions are combined with & and |, not && and ||: GCC 12 keeps the short circuits
    // as branches here and then does not vectorise the loop at all.
    const bool y_int = (ay >= two24) | (round_small_f64(y) == y);  // +-inf counts as even, as in C
    const double half = 0.5 * y;                                 // exact
    const bool y_odd = (ay < two24) & y_int & (round_small_f64(half) != half);
    // The sign from the bits, so that -0 ** odd is -0 (or -inf for a negative y).
    const bool x_neg = (bit_cast_<uint32_t>(xf) >> 31) != 0;
    double v = (x_neg & y_odd) ? -r : r;
    // A finite negative base to a non-integer power has no real value (-inf ** 0.5 is inf).
    v = ((x < 0.0) & (x > -inf) & !y_int) ? std::numeric_limits<double>::quiet_NaN() : v;
    // pow(x, +-0) = 1 even for NaN x, pow(1, y) = 1 even for NaN y, pow(-1, +-inf) = 1 (where
    // y * log|x| is 0 * inf).
    v = ((y == 0.0) | (x == 1.0) | ((ax == 1.0) & (ay == inf))) ? 1.0 : v;
    return static_cast<float>(v);
}

// ---- float64 ---------------------------------------------------------------------------------
// pow(x, y) = exp(y log|x|) with log|x| as a double-double (relative error ~2^-66) and an exp that
// takes the double-double product, so that the result is within 1 ulp of the correctly rounded
// one (PyTorch's SLEEF pow is a 1-ulp function too). Why that much: |y log|x|| reaches ~745 where
// the result is neither 0 nor inf, and an absolute error d there is a relative error d in the
// result; a double log (2^-53 relative) would cost up to 745 * 2^-53 relative, ~700 ulps.
// Every product's rounding error is taken with std::fma: one instruction where the ISA has an FMA
// (kPowFast64), a libm call per element without (the x86-64 baseline keeps the C library's pow,
// binary_math.cpp). The error budget, measured in tests/native/test_pow_kernels.cpp against
// long double powl: the final rounding (0.5 ulp), log's error times |y log|x|| (<= 2^-56.5
// relative: ~0.1 ulp), exp's (< 2^-58), and the double rounding of a subnormal result.
#if defined(__FMA__) || defined(__aarch64__) || defined(_M_ARM64) || (defined(_MSC_VER) && defined(__AVX2__))
inline constexpr bool kPowFast64 = true;
#else
inline constexpr bool kPowFast64 = false;
#endif

struct DoubleDouble {
    double hi, lo;  // |lo| <= ulp(hi) / 2
};

// ln2 in two parts for e * ln2 and n * ln2 with |e|, |n| < 2^11: kLn2Hi has 42 significant bits,
// so those products are exact.
inline constexpr double kLn2Hi42 = 0.6931471805598903;
inline constexpr double kLn2Lo42 = 5.497923018708371e-14;

// log(ax) as hi + lo, relative error below ~2^-66, for a finite ax > 0 (subnormals included); hi
// is log's special value at 0 (-inf), inf (inf) and NaN (NaN), lo then meaningless.
//  * ax = 2^e (1 + f) as log_f64 reduces it (f exact, 1 + f in [sqrt(1/2), sqrt(2))), and
//    log(1 + f) = 2 atanh(s) = 2s + (2/3) s^3 + s^5 C(z), s = f / (2 + f), z = s^2 <= 0.0295.
//  * s as s + sl: 2 + f = d + dl exactly (Fast2Sum), f - s (d + dl) from an fma, divided by
//    2 + f = 2 / (1 - s) as a product.
//  * The s^3 term (up to 1% of the log) as a double-double: z and s^3 with their product
//    errors, (2/3 + z C(z)) with the error of its sum and of z C(z); C (tools/fit_log.py
//    pow, degree 7) only needs double precision: s^5 C is below 2^-12 of the log.
//  * e ln2_hi42 + 2s, then + the s^3 term, each by Fast2Sum (the first is the larger: |e ln2| >=
//    0.69 > |2s|, or e = 0), the small terms and the errors summed and added last.
CMP_VEC_INLINE DoubleDouble log_dd_f64(double ax) {
    constexpr double two54 = 18014398509481984.0;
    constexpr double two_thirds_hi = 0.6666666666666666;
    constexpr double two_thirds_lo = 3.700743415417188e-17;
    static constexpr double c[] = {0.11992327486876153, 0.11674376389962571, 0.1333634187648975,
                                   0.15384556147663142, 0.18181818882580342, 0.22222222217418308,
                                   0.285714285714457,   0.39999999999999974};
    const bool sub = ax < std::numeric_limits<double>::min();
    const LogReduced red = log_reduce_f64(sub ? ax * two54 : ax, sub ? -54 : 0);
    const double e = red.e, f = red.f;
    const double d = 2.0 + f;
    const double dl = (2.0 - d) + f;
    const double s = f / d;
    const double sl = (std::fma(-s, d, f) - s * dl) * (0.5 - 0.5 * s);
    const double z = s * s;
    const double zl = std::fma(s, s, -z) + 2.0 * s * sl;
    const double s3 = z * s;
    const double s3l = std::fma(z, s, -s3) + (zl * s + z * sl);
    const double cz = horner(c, z);
    const double w = z * cz;
    const double ch = two_thirds_hi + w;
    const double cl = ((two_thirds_hi - ch) + w) + (two_thirds_lo + (std::fma(z, cz, -w) + zl * cz));
    const double th = s3 * ch;
    const double tl = std::fma(s3, ch, -th) + (s3 * cl + s3l * ch);
    const double a = e * kLn2Hi42;  // exact
    const double two_s = 2.0 * s;
    const double h1 = a + two_s;
    const double e1 = (a - h1) + two_s;
    const double h2 = h1 + th;
    const double e2 = (h1 - h2) + th;
    const double lo = (e1 + e2) + (tl + (2.0 * sl + e * kLn2Lo42));
    const double hi = h2 + lo;
    return {log_specials(ax, hi), (h2 - hi) + lo};
}

// exp(ph + pl) for |pl| <= ulp(ph), with relative error below 2^-58 before the final rounding.
//  * n = round(ph / ln2), r = ph - n ln2_hi42 exactly (n ln2_hi42 is exact and within a factor 2
//    of ph: Sterbenz), and the rest t = pl - n ln2_lo42 (|t| < 2^-33) enters as exp(r)(1 + t),
//    whose t^2/2 error is below 2^-67.
//  * exp(r) = 1 + r + r^2/2 + r^3 P(r), |r| <= ln2/2, P Taylor to r^14/14! (the r^15 term is below
//    2^-63 relative): 1 + r + r^2/2 summed with their rounding errors (Fast2Sum twice, r^2 with
//    its fma error), the r^3 terms (under 1%) in double.
//  * 2^n as 2^(n/2) 2^(n - n/2), as in exp_f64: only the last product rounds into a subnormal.
//  * ph is clamped to [-746, 710], beyond which the result is 0 or inf whatever pl; pl (possibly
//    NaN when ph is infinite) is then left out. A NaN ph passes through.
CMP_VEC_INLINE double exp_dd_f64(double ph, double pl) {
    constexpr double lo = -746.0;
    constexpr double hi = 710.0;
    constexpr double log2e = 1.4426950408889634;
    constexpr double magic = 6755399441055744.0;  // 1.5 * 2^52
    static constexpr double p[] = {1.1470745597729725e-11, 1.6059043836821613e-10, 2.08767569878681e-09,
                                   2.505210838544172e-08,  2.755731922398589e-07,  2.7557319223985893e-06,
                                   2.48015873015873e-05,   0.0001984126984126984,  0.001388888888888889,
                                   0.008333333333333333,   0.041666666666666664,   0.16666666666666666};
    const bool in_range = (ph > lo) & (ph < hi);
    double xc = ph < lo ? lo : ph;
    xc = xc > hi ? hi : xc;
    const double tn = xc * log2e + magic;
    const double kf = tn - magic;
    const int64_t n = static_cast<int64_t>(bit_cast_<uint64_t>(tn) - bit_cast_<uint64_t>(magic));
    const double r = xc - kf * kLn2Hi42;  // exact
    const double t = in_range ? pl - kf * kLn2Lo42 : 0.0;
    const double r2 = r * r;
    const double r2l = std::fma(r, r, -r2);
    const double h1 = 1.0 + r;
    const double e1 = (1.0 - h1) + r;
    const double half_r2 = 0.5 * r2;
    const double h2 = h1 + half_r2;
    const double e2 = (h1 - h2) + half_r2;
    const double cubic = (r * r2) * horner(p, r);
    const double rest = (e1 + e2) + (0.5 * r2l + cubic);
    const double em = h2 + (rest + (h2 + rest) * t);
    const int64_t n1 = n >> 1;
    const int64_t n2 = n - n1;
    const double s1 = bit_cast_<double>(static_cast<uint64_t>(n1 + 1023) << 52);
    const double s2 = bit_cast_<double>(static_cast<uint64_t>(n2 + 1023) << 52);
    return (em * s1) * s2;
}

// The C special cases as pow_f32 selects them (y integer, odd; -0 by its sign bit), for doubles:
// every double of magnitude 2^53 or more is an even integer, 2^52 or more an integer; below, the
// integer test rounds by adding 2^52 (exact for 0 <= v < 2^52).
CMP_VEC_INLINE double pow_f64(double x, double y) {
    constexpr double inf = std::numeric_limits<double>::infinity();
    constexpr double two52 = 4503599627370496.0;
    constexpr double two53 = 9007199254740992.0;
    const double ax = std::fabs(x);
    const double ay = std::fabs(y);
    const DoubleDouble l = log_dd_f64(ax);
    const double ph = y * l.hi;
    const double pl = std::fma(y, l.hi, -ph) + y * l.lo;
    const double r = exp_dd_f64(ph, pl);
    const double half = 0.5 * ay;
    const bool y_int = (ay >= two52) | (((ay + two52) - two52) == ay);
    const bool y_odd = (ay < two53) & y_int & (((half + two52) - two52) != half);
    const bool x_neg = (bit_cast_<uint64_t>(x) >> 63) != 0;
    double v = (x_neg & y_odd) ? -r : r;
    v = ((x < 0.0) & (x > -inf) & !y_int) ? std::numeric_limits<double>::quiet_NaN() : v;
    v = ((y == 0.0) | (x == 1.0) | ((ax == 1.0) & (ay == inf))) ? 1.0 : v;
    return v;
}

}  // namespace CMP_ISA_NAME
}  // namespace cmp::cpu
