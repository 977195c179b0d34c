// Vectorisable pow(x, y) for float32 and float64 with the C library's (and so PyTorch's) special
// cases, in the style of cpu/unary_math_vec.h: no libm call, no data-dependent branch; the general
// value and every special case are computed and one selected, so the dense loops of loops.h
// vectorise. Tested against PyTorch by the binary_math fixtures (pow_special_values_float32 holds
// every pair of 0, -0, +-1, +-2.5, +-inf, NaN, 7; pow_long_* the vector blocks) and against long
// double powl by tests/native/test_pow_kernels.cpp.
#pragma once

#ifndef CMP_ISA_NAME
#error "cpu/vec_pow.h is for kernel files compiled per ISA (native/src/cpu/kernels/*.cpp)"
#endif

#include "cpu/unary_math_vec.h"  // log_parts, log_reduce_f64, log_specials, horner, product_error
#include "cpu/vec_math.h"        // bit_cast_, kFastFma

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace cmp::cpu {
inline namespace CMP_ISA_NAME {

// C's special cases around the general value r = |x|^y (which the callers make 0, inf or NaN for
// zero, infinite and NaN bases themselves): the sign of an odd integer power of a negative base
// (from the sign bit, so that -0 ** odd is -0, or -inf for a negative y), NaN for a finite
// negative base to a non-integer power (-inf ** 0.5 is inf), and pow(x, +-0) = 1 even for NaN x,
// pow(1, y) = 1 even for NaN y, pow(-1, +-inf) = 1. Every T of magnitude 2^digits or more is an
// even integer, 2^(digits - 1) or more an integer; below, the integer test rounds by adding
// 2^(digits - 1) (exact for 0 <= v < 2^(digits - 1)), or by std::trunc where that is one
// instruction. The equalities are tested on the bits: integer compares, which leave the
// floating-point pipes to the arithmetic. The conditions are combined with & and |, not && and
// ||: GCC 12 keeps the short circuits as branches and then does not vectorise the loop at all.
template <typename T>
struct PowBits {
    using Bits = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
    static constexpr Bits kAbs = ~Bits{0} >> 1;
    static constexpr Bits kInf = std::bit_cast<Bits>(std::numeric_limits<T>::infinity());
    static constexpr Bits kOne = std::bit_cast<Bits>(T(1));
};

template <typename T>
CMP_VEC_INLINE T pow_specials(T x, T y, T r) {
    using B = PowBits<T>;
    using Bits = typename B::Bits;
    constexpr T int_bound = T(Bits{1} << (std::numeric_limits<T>::digits - 1));
    constexpr T even_bound = 2 * int_bound;
    const Bits bx = bit_cast_<Bits>(x), by = bit_cast_<Bits>(y);
    const Bits bax = bx & B::kAbs, bay = by & B::kAbs;
    const T ay = std::fabs(y);
    const T half = T(0.5) * ay;  // exact
    bool y_int, y_odd;           // +-inf counts as even, as in C
    if constexpr (kFastFma) {    // std::trunc is one instruction (vroundps/pd, frintz)
        y_int = std::trunc(ay) == ay;
        y_odd = y_int & (std::trunc(half) != half);
    } else {
        y_int = (ay >= int_bound) | (((ay + int_bound) - int_bound) == ay);
        y_odd = (ay < even_bound) & y_int & (((half + int_bound) - int_bound) != half);
    }
    const bool x_neg = bx != bax;
    T v = (x_neg & y_odd) ? -r : r;
    v = (x_neg & (bax != 0) & (bax < B::kInf) & !y_int) ? std::numeric_limits<T>::quiet_NaN() : v;
    return ((bay == 0) | (bx == B::kOne) | ((bax == B::kOne) & (bay == B::kInf))) ? T(1) : v;
}

// ---- float32 ---------------------------------------------------------------------------------
// In float lanes (16 at avx512, 8 at avx2, 4 at the SSE2 baseline): |x|^y = 2^(y log2|x|) with
// log2|x| as a float-float and the product y log2|x| split exactly into an integer k and a
// fraction r + rl, 2^(r + rl) by polynomial, scaled by 2^k. The products' rounding errors come
// from product_error (cpu/unary_math_vec.h): an fma where the ISA has one, Dekker's product by
// halves at the x86-64 baseline (exact as well, barring underflow, which only happens where the
// error term is negligible; the measured error is the same). This replaces
// exp(y log|x|) in double lanes (log_f64, exp_f64), which was no faster than glibc's scalar powf
// at avx2/avx512 (half the lanes, and spills) and did not vectorise at the baseline (the
// float <-> double conversions), where it ran at 25 ns an element; its results were also not
// always C's at a rounding tie (pow(2, -150) = 2^-150, half the smallest subnormal, came out as
// that subnormal instead of 0).
//
// Why a float-float log: |y log2|x|| reaches ~150 where the result is neither 0 nor inf, and an
// absolute error d in it is a relative error d ln2 of the result; a float log2 (2^-24 relative)
// would cost up to 150 * 2^-24 ln2, ~6 ulps. Error budget: log2|x| within ~2^-35 relative (times
// 150: < 2^-27 absolute in y log2|x|, ~0.02 ulp), exp2's polynomial 2^-29.7 relative and its
// roundings (~0.1 ulp), the final rounding (0.5 ulp); subnormal results round twice (to 24 bits,
// then to the subnormal's precision), which stays below 1 ulp of the exact value. Measured against
// long double powl over 48 million pairs at each of avx512, avx2 and the baseline
// (docs/PERFORMANCE.md, "float32 pow in float lanes"): at most 0.665 ulp for normal results,
// 0.785 for subnormal ones; a smaller sweep of the same kind is PowKernels.Float32Random
// (tests/native/test_pow_kernels.cpp).
//
//  * |x| = 2^e (1 + f) as log_f32 reduces it (log_parts: f exact, 1 + f in [sqrt(1/2), sqrt(2)),
//    subnormals scaled by 2^23 first), and log2(1 + f) = K atanh(s) = K s + s^3 (K/3 + z R(z)),
//    K = 2 / ln2, s = f / (2 + f), z = s^2 <= 0.0295 (R: tools/fit_log.py powf, degree 2, 2^-36).
//  * s as sh + sl: 2 + f = d + dl exactly (Fast2Sum), f - sh d exactly (an fma, or f - fl(sh d)
//    by Sterbenz and the product's error), divided by 2 + f = 2 / (1 - s) as a product; z and
//    s^3 with their product errors.
//  * K s as a float-float (K a float pair); the s^3 term (up to 1% of the log) too, with
//    K/3 + z R(z) = ph + pl (K/3 a float pair, z R below 2% of it, in float).
//  * e + K s and then + the s^3 term by Fast2Sum (|e| >= 1 > |K s|, or e = 0; |e + K s| >= 1/2 or
//    e = 0, either way above the s^3 term), the errors summed into lo, which stays within about
//    an ulp of hi (so that tl below is small).
//  * y log2|x| = th + tl (th = y * hi rounded, tl its error plus y * lo); k = round(th) and
//    r = th - k exactly (th and k are multiples of th's ulp, |r| <= 1/2); th clamped to
//    [-151, 129], which already give 0 and inf, tl then left out (it may be NaN).
//  * 2^r = 1 + r ln2 + r^2 E(r) (tools/fit_log.py exp2f, degree 5, 2^-29.7), 1 + r ln2 with its
//    rounding errors (ln2 as a float pair, r ln2 with its product error, 1 + rh by Fast2Sum), times
//    1 + rl ln2 (|rl| < 2^-15: its square is negligible).
//  * 2^k as 2^(k/2) 2^(k - k/2), as in exp_f32: only the last product rounds into a subnormal.
// Zero, infinite and NaN bases and NaN exponents are selected at the end (the reduction gives
// them meaningless finite values). Without an FMA, th = 0 (x = +-1, where tl may be NaN from
// Dekker's split of a y above 2^126 / 4097) also leaves tl out. Every rounded product whose
// error is taken is also an operand of that fma, so GCC does not contract it into a neighbouring
// sum (it contracts only a product whose every use is an addition); z R may be contracted into
// ph and pl, which changes nothing that matters (their sum is K/3 + z R either way).
CMP_VEC_INLINE float pow_f32(float x, float y) {
    constexpr float inf = std::numeric_limits<float>::infinity();
    constexpr float k_hi = 2.885390043258667f, k_lo = 3.851926067000022e-08f;         // 2 / ln2
    constexpr float k3_hi = 0.9617967009544373f, k3_lo = -7.028461812552678e-09f;     // 2 / (3 ln2)
    constexpr float ln2_hi = 0.6931471824645996f, ln2_lo = -1.9046542121259336e-09f;  // ln2
    constexpr float magic = 12582912.0f;  // 1.5 * 2^23: adding it rounds to an integer
    constexpr float t_lo = -151.0f;       // 2^-151 rounds to 0
    constexpr float t_hi = 129.0f;        // 2^129 overflows
    static constexpr float rc[] = {0.3379679322242737f, 0.41184282302856445f, 0.577080249786377f};
    static constexpr float ec[] = {1.5241376786434557e-05f, 0.0001546689309179783f, 0.0013333712704479694f,
                                   0.00961803738027811f,    0.05550410598516464f,   0.24022650718688965f};
    const float ax = std::fabs(x);
    // log2|x| = hi + lo.
    const LogParts<float> q = log_parts(ax);
    const float e = q.ef, f = q.f;
    const float d = 2.0f + f;
    const float dl = (2.0f - d) + f;
    const float sh = f / d;
    const float res = kFastFma ? std::fma(-sh, d, f) : (f - sh * d) - product_error(sh, d, sh * d);
    const float sl = (res - sh * dl) * (0.5f - 0.5f * sh);
    const float zh = sh * sh;
    const float zl = product_error(sh, sh, zh) + 2.0f * sh * sl;
    const float s3h = zh * sh;
    const float s3l = product_error(zh, sh, s3h) + (zl * sh + zh * sl);
    const float ksh = k_hi * sh;
    const float ksl = product_error(k_hi, sh, ksh) + (k_hi * sl + k_lo * sh);
    const float zr = zh * horner(rc, zh);
    const float ph = k3_hi + zr;
    const float pl = ((k3_hi - ph) + zr) + k3_lo;
    const float k3h = s3h * ph;
    const float k3l = product_error(s3h, ph, k3h) + (s3h * pl + s3l * ph);
    const float a1 = e + ksh;
    const float a1l = (e - a1) + ksh;
    const float hi = a1 + k3h;
    const float a2l = (a1 - hi) + k3h;
    const float lo = (a1l + a2l) + (ksl + k3l);
    // y log2|x| = th + tl = k + r + rl.
    const float th = y * hi;
    const float tl = product_error(y, hi, th) + y * lo;
    const bool in_range = (th > t_lo) & (th < t_hi) & (kFastFma | (th != 0.0f));
    float tc = th < t_lo ? t_lo : th;
    tc = tc > t_hi ? t_hi : tc;
    const float tn = tc + magic;
    const float kf = tn - magic;
    const int32_t k = static_cast<int32_t>(bit_cast_<uint32_t>(tn) - bit_cast_<uint32_t>(magic));
    const float r = tc - kf;  // exact
    const float rl = in_range ? tl : 0.0f;
    // 2^(r + rl) = m.
    const float rh = r * ln2_hi;
    const float rlo = product_error(r, ln2_hi, rh) + r * ln2_lo;
    const float h1 = 1.0f + rh;
    const float e1 = (1.0f - h1) + rh;
    const float rest = (e1 + rlo) + (r * r) * horner(ec, r);
    const float m = h1 + (rest + (h1 + rest) * (rl * ln2_hi));
    const int32_t k1 = k >> 1;
    const int32_t k2 = k - k1;
    const float s1 = bit_cast_<float>(static_cast<uint32_t>(k1 + 127) << 23);
    const float s2 = bit_cast_<float>(static_cast<uint32_t>(k2 + 127) << 23);
    float v = (m * s1) * s2;
    // |x| = 0 or inf: 0 or inf by the sign of y (y = 0 is selected by pow_specials); NaNs.
    using B = PowBits<float>;
    const uint32_t bax = bit_cast_<uint32_t>(ax), bay = bit_cast_<uint32_t>(y) & B::kAbs;
    const bool y_pos = static_cast<int32_t>(bit_cast_<uint32_t>(y)) > 0;
    v = ((bax == 0) | (bax == B::kInf)) ? (((bax == 0) == y_pos) ? 0.0f : inf) : v;
    v = ((bax > B::kInf) | (bay > B::kInf)) ? std::numeric_limits<float>::quiet_NaN() : v;
    return pow_specials(x, y, v);
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

CMP_VEC_INLINE double pow_f64(double x, double y) {
    const double ax = std::fabs(x);
    const DoubleDouble l = log_dd_f64(ax);
    const double ph = y * l.hi;
    const double pl = std::fma(y, l.hi, -ph) + y * l.lo;
    return pow_specials(x, y, exp_dd_f64(ph, pl));
}

}  // namespace CMP_ISA_NAME
}  // namespace cmp::cpu
