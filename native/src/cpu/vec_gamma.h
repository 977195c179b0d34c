// Vectorisable lgamma and digamma for the unary math kernels (float, float16, bfloat16 in the
// first two functions, float64 in lgamma_f64 and digamma_f64 at the end), in the style of
// cpu/unary_math_vec.h: no libm calls, no data-dependent branches (every path is computed and one
// is selected). Both evaluate in double and round once: float lanes would need the zeros (lgamma's
// at 1 and 2, digamma's at 1.4616...) and the recurrences' cancellations handled in extended
// float arithmetic; double lanes are still 6-30x faster than the scalar C library. Accuracy:
// tests/native/test_vec_gamma.cpp. The polynomials come from tools/fit_lgamma.py.
// The float64 functions cannot lean on a wider type: they keep the zeros exact by expanding
// around them (lgamma's at 1 and 2 each with its own polynomial, not one shifted by the
// recurrence) and keep every recurrence sum free of cancellation.
#pragma once

#ifndef CMP_ISA_NAME
#error "cpu/vec_gamma.h is for kernel files compiled per ISA (native/src/cpu/kernels/*.cpp)"
#endif

#include "cpu/unary_math_vec.h"
#include "cpu/vec_trig.h"

#include <cmath>
#include <limits>

namespace cmp::cpu {
inline namespace CMP_ISA_NAME {

// Whether a loop over lgamma_f32/digamma_f32 (and the float64 ones) vectorises: on x86 with AVX2 or AVX-512, and arm64.
// GCC leaves it scalar on the x86-64 baseline (SSE2), where the branch-free code would be twice as
// slow as the C library's, so the baseline kernels keep calling that.
#if defined(__AVX2__) || defined(__aarch64__) || defined(_M_ARM64)
inline constexpr bool kGammaVectorised = true;
#else
inline constexpr bool kGammaVectorised = false;
#endif

// sin(pi x) and cos(pi x) up to a common sign (enough for |sin| and for cot), for a double x
// with |x| < 2^50: x = k/2 + r with k = round(2x) (the magic-number trick of exp_f32, whose bits
// give k's parity) and |r| <= 1/4, exact; then sin and cos of pi r by the double polynomials of
// cpu/vec_trig.h (|pi r| <= 0.7854, their fitted range). For odd k, sin(pi x) = +-cos(pi r) and
// cos(pi x) = -+sin(pi r). Integers give s exactly 0 (r = 0, k even): the poles.
struct SinCosPi {
    double s, c;
};

CMP_VEC_INLINE SinCosPi sincos_pi(double x) {
    constexpr double magic = 6755399441055744.0;  // 1.5 * 2^52
    constexpr double pi = 3.14159265358979323846;
    const double t = 2.0 * x + magic;
    const double k = t - magic;
    const double r = x - 0.5 * k;
    const SinCos sc = sincos_poly<double>(TrigReduced{pi * r, 0.0, 0});
    const bool odd = bit_cast_<uint64_t>(t) & 1u;
    return {odd ? sc.c : sc.s, odd ? -sc.s : sc.c};
}

// The recurrence lgamma(t) = lgamma(y) - log(prod) and digamma(t) = digamma(y) - num / prod with
// y = t + n, prod = t (t + 1) ... (t + n - 1) and num / prod = 1/t + ... + 1/(t + n - 1): y moves
// up by one while it is below limit, at most 6 steps, each one a select (a loop of fixed length).
struct Shifted {
    double y, prod, num;
};

CMP_VEC_INLINE Shifted shift_up(double t, double limit) {
    double y = t, prod = 1.0, num = 0.0;
    for (int i = 0; i < 6; ++i) {
        const bool step = y < limit;
        num = step ? num * y + prod : num;
        prod = step ? prod * y : prod;
        y = step ? y + 1.0 : y;
    }
    return {y, prod, num};
}

// lgamma(x) = log|Gamma(x)| of a float, evaluated in double and rounded once.
//  * x >= 0 (and t = 1 - x for x < 0, below): t is moved up by the recurrence (shift_up) until
//    y reaches 1.5 (t < 2.5) or 8 (t >= 2.5). lgamma(y) is then (y - 2) P(y - 2) for y in [1.5, 2.5), P of degree 11 fitted to
//    lgamma(2 + u)/u on [-1/2, 1/2] (relative error 4e-12), so the zero at 2 is exact and the one
//    at 1 (y = x + 1, minus log x, both about x - 1 with relative accuracy) loses only a factor
//    2.5; or Stirling's series (y - 1/2) log y - y + log(2 pi)/2 + sum B_2k / (2k (2k - 1) y^(2k-1))
//    for y >= 8, six terms (the first one left out is below 1.2e-14 at y = 8).
//  * x < 0: the reflection lgamma(x) = log(pi / |sin(pi x)|) - lgamma(1 - x); 1 - x is exact in
//    double. Both logs become one: log(pi prod / |sin(pi x)|), prod the recurrence's product.
//    Near the negative zeros of lgamma the error is absolute (about 1e-15), not relative.
//  * Poles (x = 0, -0 and the negative integers) give +inf, as PyTorch: log(0) or log(inf). Every
//    float below -2^23 is an integer, so +inf; so is lgamma(+-inf). NaN propagates. Above about
//    4e36 the double result exceeds the largest float and rounds to inf, as lgammaf's.
CMP_VEC_INLINE float lgamma_f32(float xf) {
    static constexpr double near_two[] = {
        2.5736389512524752e-05, -5.278150808862847e-05, 9.730920196348536e-05,  -0.00022087341101830507,
        0.0005100811893775433,  -0.0011930539179723842, 0.0028904723167630843,  -0.007385533331766073,
        0.02058080993474283,    -0.0673523014332087,    0.322467033406864,      0.42278433509978425};
    // B_2k / (2k (2k - 1)) for k = 6 down to 1.
    static constexpr double stirling[] = {-691.0 / 360360.0, 1.0 / 1188.0, -1.0 / 1680.0,
                                          1.0 / 1260.0,      -1.0 / 360.0, 1.0 / 12.0};
    constexpr double half_log_two_pi = 0.91893853320467274178;
    constexpr double pi = 3.14159265358979323846;
    const double x = xf;
    const bool negative = x < 0.0;
    const double t = negative ? 1.0 - x : x;
    const bool small = t < 2.5;
    const Shifted sh = shift_up(t, small ? 1.5 : 8.0);
    const double y = sh.y, prod = sh.prod;
    const double u = y - 2.0;
    const double w = 1.0 / y;
    const double series = (y - 0.5) * log_f64(y) - y + (half_log_two_pi + w * horner(stirling, w * w));
    const double s = small ? u * horner(near_two, u) : series;
    const double l = log_f64(negative ? pi * prod / std::fabs(sincos_pi(x).s) : prod);
    const double r = negative ? l - s : s - l;
    const float inf = std::numeric_limits<float>::infinity();
    const float rf = static_cast<float>(r);
    return (xf == inf) | (xf <= -8388608.0f) ? inf : rf;
}

// digamma(x0 + v) / v, x0 = 1.4616... digamma's positive zero, as a polynomial of degree 22 on
// [1 - x0, 2 - x0] (tools/fit_lgamma.py; relative error 4e-18, enough for double results too).
inline constexpr double kDigammaNearZero[] = {
    0.00011881232908510335, -0.0002785074876883787, 0.0002805343686746867, -0.0002843132292526133,
    0.0004717939701691318, -0.0007549229618596274, 0.0010901225234458578, -0.00157420216813665,
    0.0023028895420557894, -0.0033700680515484165, 0.0049270580267742016, -0.007204519666511045,
    0.010538769938576956, -0.015424766261277919, 0.02259764928437279, -0.03316112647814546,
    0.048804288134436574, -0.07219956125611147, 0.1078240506916922, -0.16394270544241185,
    0.2584997609556486, -0.4427631689835921, 0.9676722454476212};

// digamma(x) of a float, evaluated in double and rounded once.
//  * x >= 0 (and t = 1 - x for x < 0): t is moved up by the recurrence (shift_up) until y reaches
//    1 (t < 2) or 8 (t >= 2). digamma(y) is then v Q(v) for y in [1, 2), v = y - x0 (x0 =
//    1.4616..., digamma's positive zero, in two doubles so v is exact to double precision) and Q
//    of degree 22 interpolating digamma(x0 + v)/v (relative error 4e-18), so the zero is exact;
//    Q needs double accuracy, not float's, for the reflection near x = -0.504 below; or
//    the asymptotic series log y - 1/(2y) - sum B_2k / (2k y^2k) for y >= 8, six terms (the first
//    one left out is below 2e-14 at y = 8). Then digamma(t) = digamma(y) - num / prod.
//  * x < 0: the reflection digamma(x) = digamma(1 - x) - pi cot(pi x), 1 - x exact in double; the
//    two fractions are added as one, (num sin + pi cos prod) / (prod sin). Near the negative
//    zeros of digamma the error is absolute (about 1e-17 at the first, -0.504, where 1 - x is near
//    x0 and the two terms are about 0.04).
//  * As PyTorch (and special::digamma_f64, the float64 kernel): digamma(+-0) = -+inf, NaN at the
//    negative integers and -inf (every float below -2^23 is an integer), +inf at +inf; NaN
//    propagates. Near 0 the result -1/x overflows the float range to -inf, as PyTorch's float.
CMP_VEC_INLINE float digamma_f32(float xf) {
    constexpr double x0_hi = 1.4616321449683622, x0_lo = 9.549995429965697e-17;
    // B_2k / 2k for k = 6 down to 1.
    static constexpr double asymptotic[] = {-691.0 / 32760.0, 1.0 / 132.0, -1.0 / 240.0,
                                            1.0 / 252.0,      -1.0 / 120.0, 1.0 / 12.0};
    constexpr double pi = 3.14159265358979323846;
    const double x = xf;
    const bool negative = x < 0.0;
    const double t = negative ? 1.0 - x : x;
    const bool small = t < 2.0;
    const Shifted sh = shift_up(t, small ? 1.0 : 8.0);
    const double y = sh.y;
    const double v = (y - x0_hi) - x0_lo;
    const double w = 1.0 / y;
    const double z = w * w;
    const double series = log_f64(y) - 0.5 * w - z * horner(asymptotic, z);
    const double s = small ? v * horner(kDigammaNearZero, v) : series;
    const SinCosPi sc = sincos_pi(x);
    const double num = negative ? sh.num * sc.s + pi * sc.c * sh.prod : sh.num;
    const double den = negative ? sh.prod * sc.s : sh.prod;
    const float r = static_cast<float>(s - num / den);
    const float inf = std::numeric_limits<float>::infinity();
    const bool pole = negative & ((sc.s == 0.0) | (xf <= -8388608.0f));  // & and |: no branches
    const float rp = pole ? std::numeric_limits<float>::quiet_NaN() : r;
    return xf == 0.0f ? with_sign_of(inf, -xf) : rp;
}

// sin(pi x) and cos(pi x) up to a common sign for any double below 2^52 in magnitude, to double
// accuracy (sincos_pi above rounds pi r, which float results do not notice): x is first reduced
// modulo 2 exactly (x - 2k with k = round(x/2) by the magic number, exact for |x/2| < 2^51;
// x - 2k in [-1, 1] is exact), then as in sincos_pi, with pi r passed to the polynomials as
// hi + lo (hi = pi r rounded, lo its rounding error and pi's own, pi_lo r). Integers give s = 0
// exactly (for |x| < 2^53); beyond, garbage: the callers select their own result there.
CMP_VEC_INLINE SinCosPi sincos_pi_f64(double x) {
    constexpr double magic = 6755399441055744.0;  // 1.5 * 2^52
    constexpr double pi = 3.14159265358979323846, pi_lo = 1.2246467991473532e-16;
    const double xr = x - 2.0 * ((0.5 * x + magic) - magic);
    const double t = 2.0 * xr + magic;
    const double r = xr - 0.5 * (t - magic);
    const double hi = pi * r;
    const SinCos sc = sincos_poly<double>(TrigReduced{hi, product_error(pi, r, hi) + pi_lo * r, 0});
    const bool odd = bit_cast_<uint64_t>(t) & 1u;
    return {odd ? sc.c : sc.s, odd ? -sc.s : sc.c};
}

// lgamma(x) = log|Gamma(x)| of a double.
//  * |x| < 1/2: lgamma(x) = lgamma(1 + x) - log|x| (also for x < 0: Gamma(1 + x) = x Gamma(x)),
//    lgamma(1 + e) = e P1(e) with P1 of degree 28 interpolating lgamma(1 + e)/e on [-1/2, 1/2]
//    (relative error 3e-18); e = x exactly, so 1 + x is never rounded.
//  * t in [1/2, 3/2): e P1(e) with e = t - 1 (exact): the zero at 1 is exact.
//  * t in [3/2, 5/2): u P2(u), u = t - 2 (exact), P2 of degree 18 interpolating lgamma(2 + u)/u
//    on [-1/2, 1/2] (6e-19): the zero at 2 is exact.
//  * t in [5/2, 8): the recurrence downwards, lgamma(t) = lgamma(y) + log(prod), y = t - n in
//    [3/2, 5/2) (each t - k exact), prod = (t - 1) ... (t - n), at most 6 selected steps; all
//    terms positive (lgamma(y) >= -0.121 against log(prod) >= 0.41), so no cancellation.
//  * t >= 8: Stirling's series (y - 1/2) log y - y + log(2 pi)/2 + sum B_2k / (2k (2k - 1) y^(2k-1))
//    to k = 10 (the next term is below 2e-18 at 8). Overflows to +inf above about 2.55e305.
//  * x <= -1/2, t = -x: the reflection |Gamma(x) Gamma(t)| = pi / |x sin(pi x)|, so lgamma(x) =
//    log(pi / (|x sin(pi x)| prod)) - s, s and prod those of t above (one log for both).
//    Near lgamma's negative zeros (two in each (-n-1, -n) for n = 2 .. 17ish, where log|Gamma|
//    changes sign) this difference cancels, so the error there is absolute (a few 1e-16 times
//    lgamma(t)), not relative; glibc (lgamma_neg) works in extended precision there.
//  * As PyTorch (glibc): +inf at +-0, the negative integers (sin(pi x) = 0 exactly) and every
//    double below -2^52 (all integers), +inf at +-inf; NaN propagates.
CMP_VEC_INLINE double lgamma_f64(double x) {
    static constexpr double near_one[] = {
        -0.2251396034009193,  0.23220268431813382,  0.16833795110458488,  -0.17310581118613022,
        -0.15340561526661967, 0.15846766634774326,  -0.004485262603857743, 0.005299145410064582,
        -0.05663969322285954, 0.05928878667667664,  -0.051177808935222266, 0.054058776743014576,
        -0.05898924031065899, 0.0626711104727693,   -0.06665550719444015,  0.07141935724662937,
        -0.07693324338734528, 0.08335458900295017,  -0.09095399050709609,  0.10009943008747753,
        -0.11133426648064039, 0.12550967015385275,  -0.14404989676093186,  0.16955717698926046,
        -0.20738555102872175, 0.2705808084278337,   -0.4006856343865313,   0.8224670334241131,
        -0.5772156649015329};
    static constexpr double near_two[] = {
        -1.3219945666117874e-07, 2.78740805211359e-07,    -4.3252393445604814e-07, 9.200527894968101e-07,
        -2.0439048107029907e-06, 4.38470440459836e-06,    -9.438715099211532e-06,  2.0505590755833454e-05,
        -4.49263133791557e-05,   9.945767355819498e-05,   -0.00022315475400520507, 0.0005096695154115458,
        -0.0011927539118428156,  0.002890510331034267,    -0.0073855510286719986,  0.02058080842778038,
        -0.0673523010531981,     0.32246703342411326,     0.42278433509846713};
    // B_2k / (2k (2k - 1)) for k = 10 down to 1.
    static constexpr double stirling[] = {-174611.0 / 125400.0, 43867.0 / 244188.0, -3617.0 / 122400.0,
                                          1.0 / 156.0,          -691.0 / 360360.0,  1.0 / 1188.0,
                                          -1.0 / 1680.0,        1.0 / 1260.0,       -1.0 / 360.0,
                                          1.0 / 12.0};
    constexpr double half_log_two_pi = 0.91893853320467274178;
    constexpr double pi = 3.14159265358979323846;
    const double ax = std::fabs(x);
    const bool small = ax < 0.5;
    const bool negative = x <= -0.5;
    const double t = ax;
    const bool big = t >= 8.0;
    double y = t, prod = 1.0;
    for (int i = 0; i < 6; ++i) {  // the recurrence downwards, for t in [5/2, 8)
        const bool step = (y >= 2.5) & !big;
        y = step ? y - 1.0 : y;
        prod = step ? prod * y : prod;
    }
    const double e = small ? x : t - 1.0;
    const double u = y - 2.0;
    const double poly = small | (t < 1.5) ? e * horner(near_one, e) : u * horner(near_two, u);
    // Stirling with log t in two parts (hi + lo, lo within about 2^-60 of hi's error) and the
    // product (t - 1/2) log t and its difference with t kept exact to the last term: a plain
    // (t - 1/2) * log_f64(t) - t gave 2 ulp near t = 8 (log's error times t - 1/2, then halved
    // by - t), this keeps it within an ulp. Overflows to +inf with the product above ~2.5e305.
    const LogParts<double> q = log_parts_scaled(t, 0);  // t >= 8 is normal where it is used
    constexpr double ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10;
    const double a = q.ef * ln2_hi;                      // exact (ln2_hi has 32 bits)
    const double log_hi = a + q.f;                       // |q.f| < 0.42 <= a: Fast2Sum
    const double log_lo = ((a - log_hi) + q.f) + (q.sr + q.ef * ln2_lo - q.hfsq - product_error(0.5 * q.f, q.f, q.hfsq));
    const double th = t - 0.5;
    const double p = th * log_hi;
    const bool finite = p < 1e300;                       // no inf - inf in the error terms
    const double pe = finite ? product_error(th, log_hi, p) : 0.0;
    const double d = p - t;                               // p > t: Fast2Sum
    const double de = finite ? (p - d) - t : 0.0;
    const double w = 1.0 / t;
    const double series = d + ((half_log_two_pi + w * horner(stirling, w * w)) + (th * log_lo + pe + de));
    const double s = big ? series : poly;
    const double sin_abs = std::fabs(sincos_pi_f64(x).s);
    const double arg = negative ? pi / (ax * sin_abs * prod) : small ? ax : prod;
    const double l = log_f64(arg);
    const double r = negative ? l - s : small ? s - l : s + l;
    const double inf = std::numeric_limits<double>::infinity();
    return (ax == inf) | (x <= -4503599627370496.0) ? inf : r;
}

// digamma(x) of a double, written as digamma(1 + z) + F with z >= 0 exact (1 + z never rounded
// below 8) and F a fraction whose division is the only one:
//  * x in (0, 1): z = x, F = -1/x (digamma(x) = digamma(1 + x) - 1/x).
//  * x >= 1: z = x - 1 (exact), F = 0.
//  * x < 0: z = -x, F = -pi cot(pi x) (the reflection digamma(x) = digamma(1 - x) - pi cot(pi x)).
//  digamma(1 + z) for z < 7: the recurrence downwards, digamma(1 + z) = digamma(1 + y) + 1/y_1 +
//  ... with y = z - m in [0, 1) (at most 6 selected steps, every term positive: no cancellation),
//  the reciprocals summed as one fraction num / prod and joined with F's; digamma(1 + y) = v Q(v)
//  with v = 1 + y - x0 (x0 = 1.4616..., digamma's positive zero, in two doubles; 1 - x0_hi is a
//  double, so v = (y - (x0_hi - 1)) - x0_lo is accurate to double relative precision) and Q that
//  of digamma_f32 (relative error 4e-18); so the zero is exact. For 1 + z >= 8 the asymptotic
//  series log w - 1/(2w) - sum B_2k / (2k w^2k), w = 1 + z (x itself for x > 0), to k = 10 (the
//  next term is below 4e-18 at 8).
//  Near the negative zeros of digamma (one in each (-n-1, -n)) the reflection cancels and the
//  error is absolute, as with the scalar special::digamma_f64.
//  As PyTorch (and special::digamma_f64): -+inf at +-0 (-1/x), NaN at the negative integers,
//  below -2^52 and at -inf, +inf at +inf, -inf for the smallest positive subnormals (-1/x
//  overflows); NaN propagates.
CMP_VEC_INLINE double digamma_f64(double x) {
    constexpr double x0_hi_m1 = 1.4616321449683622 - 1.0, x0_lo = 9.549995429965697e-17;  // x0 - 1, exactly
    // B_2k / 2k for k = 10 down to 1.
    static constexpr double asymptotic[] = {-174611.0 / 6600.0, 43867.0 / 14364.0, -3617.0 / 8160.0,
                                            1.0 / 12.0,         -691.0 / 32760.0,  1.0 / 132.0,
                                            -1.0 / 240.0,       1.0 / 252.0,       -1.0 / 120.0,
                                            1.0 / 12.0};
    constexpr double pi = 3.14159265358979323846;
    const bool negative = x < 0.0;
    const bool below_one = x < 1.0;  // (0, 1) and the negatives
    const double t = std::fabs(x);
    const double z = below_one ? t : x - 1.0;
    const bool big = z >= 7.0;
    double y = z, num = 0.0, prod = 1.0;
    for (int i = 0; i < 6; ++i) {
        const bool step = (y >= 1.0) & !big;
        num = step ? num * y + prod : num;
        prod = step ? prod * y : prod;
        y = step ? y - 1.0 : y;
    }
    const double v = (y - x0_hi_m1) - x0_lo;
    const double wv = negative ? t + 1.0 : x;
    const double iw = 1.0 / wv;
    const double iw2 = iw * iw;
    const double series = log_f64(wv) - 0.5 * iw - iw2 * horner(asymptotic, iw2);
    const double core = big ? series : v * horner(kDigammaNearZero, v);
    const SinCosPi sc = sincos_pi_f64(x);
    // F = num / prod + C / S: S = x, C = -1 for x in (0, 1); S = sin, C = -pi cos for x < 0.
    const double sden = negative ? sc.s : below_one ? x : 1.0;
    const double cnum = negative ? -pi * sc.c : below_one ? -1.0 : 0.0;
    const double r = core + (num * sden + cnum * prod) / (prod * sden);
    const bool pole = negative & ((sc.s == 0.0) | (x <= -4503599627370496.0));  // -inf too
    return pole ? std::numeric_limits<double>::quiet_NaN() : r;
}

}  // namespace CMP_ISA_NAME
}  // namespace cmp::cpu
