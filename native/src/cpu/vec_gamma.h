// Vectorisable lgamma and digamma of a float for the unary math kernels (float, float16, bfloat16;
// float64 keeps the C library's lgamma_r and special::digamma_f64), in the style of
// cpu/unary_math_vec.h: no libm calls, no data-dependent branches (every path is computed and one
// is selected). Both evaluate in double and round once: float lanes would need the zeros (lgamma's
// at 1 and 2, digamma's at 1.4616...) and the recurrences' cancellations handled in extended
// float arithmetic; double lanes are still 6-30x faster than the scalar C library. Accuracy:
// tests/native/test_vec_gamma.cpp. The polynomials come from tools/fit_lgamma.py.
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

// Whether a loop over lgamma_f32/digamma_f32 vectorises: on x86 with AVX2 or AVX-512, and arm64.
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
    static constexpr double near_zero[] = {
        0.00011881232908510335, -0.0002785074876883787, 0.0002805343686746867, -0.0002843132292526133,
        0.0004717939701691318, -0.0007549229618596274, 0.0010901225234458578, -0.00157420216813665,
        0.0023028895420557894, -0.0033700680515484165, 0.0049270580267742016, -0.007204519666511045,
        0.010538769938576956, -0.015424766261277919, 0.02259764928437279, -0.03316112647814546,
        0.048804288134436574, -0.07219956125611147, 0.1078240506916922, -0.16394270544241185,
        0.2584997609556486, -0.4427631689835921, 0.9676722454476212};
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
    const double s = small ? v * horner(near_zero, v) : series;
    const SinCosPi sc = sincos_pi(x);
    const double num = negative ? sh.num * sc.s + pi * sc.c * sh.prod : sh.num;
    const double den = negative ? sh.prod * sc.s : sh.prod;
    const float r = static_cast<float>(s - num / den);
    const float inf = std::numeric_limits<float>::infinity();
    const bool pole = negative & ((sc.s == 0.0) | (xf <= -8388608.0f));  // & and |: no branches
    const float rp = pole ? std::numeric_limits<float>::quiet_NaN() : r;
    return xf == 0.0f ? with_sign_of(inf, -xf) : rp;
}

}  // namespace CMP_ISA_NAME
}  // namespace cmp::cpu
