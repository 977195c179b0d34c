// Vectorisable atan, atan2, asin, acos and hypot (float and double), in the style of
// cpu/unary_math_vec.h: no libm calls (std::sqrt is an instruction under -fno-math-errno, std::fma
// one where the ISA has it), no data-dependent branches; every case is computed and one selected,
// so the dense loops of loops.h vectorise. The float versions compute in double and round once
// (within an ulp, at half the lanes). The polynomials are fitted by tools/fit_atan.py; accuracy
// and special values are tested by tests/native/test_vec_math.cpp (VecMath.Atan*, Asin*, Hypot*).
#pragma once

#ifndef CMP_ISA_NAME
#error "cpu/vec_atan.h is for kernel files compiled per ISA (native/src/cpu/kernels/*.cpp)"
#endif

#include "cpu/unary_math_vec.h"

#include <cmath>
#include <cstdint>
#include <limits>

namespace cmp::cpu {
inline namespace CMP_ISA_NAME {

// atan(v) = v + v^3 P(v^2) and asin(v) = v + v^3 Q(v^2) for 0 <= v <= 1/2 (tools/fit_atan.py;
// relative error of the result 2^-57 for the double sets, 2^-31 for the float ones).
inline constexpr double kAtanF64[] = {
    0.010082059759526049, -0.027382486591658, 0.04183040593538508, -0.0512069109520839,
    0.05857982180262926, -0.0666376016293819, 0.07692068544813202, -0.09090895868357828,
    0.11111110642892404, -0.14285714275946937, 0.1999999999989723, -0.33333333333332954};
inline constexpr double kAtanF32[] = {
    0.03858774651193819, -0.07973846512246865, 0.1093809589062582, -0.14271704097472335,
    0.19999468209799942, -0.3333332650268781};
inline constexpr double kAsinF64[] = {
    0.03252136677253647, -0.020827071058849313, 0.021585730664082457, 0.003756418384580855,
    0.010767050420932416, 0.011401252713132394, 0.013980537778747257, 0.017351635152949296,
    0.022372213738795926, 0.030381942749934335, 0.04464285717380503, 0.07499999999971521,
    0.16666666666666757};
inline constexpr double kAsinF32[] = {
    0.03744102660656317, 0.014491950322214307, 0.031793925561867345, 0.04451852300289427,
    0.07500496931993776, 0.1666666007915908};

// pi/4 and pi/2 as a double plus the rest; pi/4's double has trailing zero bits, so k * kPi4Hi is
// exact for k <= 4.
constexpr double kPi4Hi = 0.7853981633974483, kPi4Lo = 3.061616997868383e-17;
constexpr double kPi2Hi = 1.5707963267948966, kPi2Lo = 6.123233995736766e-17;

// a*b - p exactly, for p = fl(a*b): fma where the ISA has it, else Dekker's product by halves
// (exact as well, barring underflow).
CMP_VEC_INLINE double product_error(double a, double b, double p) {
#if defined(__FMA__) || defined(__ARM_FEATURE_FMA)
    return std::fma(a, b, -p);
#else
    constexpr double split = 134217729.0;  // 2^27 + 1
    const double ta = split * a, tb = split * b;
    const double ah = ta - (ta - a), bh = tb - (tb - b);
    const double al = a - ah, bl = b - bh;
    return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
#endif
}

// n - q*d exactly, for q within an ulp of n/d (the remainder is then a double): one fma where the
// ISA has it, else n - fl(q*d) (exact, Sterbenz) less the product's error. Written as one fma
// rather than from fl(q*d), because GCC contracts a*b + c into an fma in C++ even in ISO mode,
// which would count the product's error twice.
CMP_VEC_INLINE double remainder_exact(double n, double q, double d) {
#if defined(__FMA__) || defined(__ARM_FEATURE_FMA)
    return std::fma(-q, d, n);
#else
    const double qd = q * d;
    return (n - qd) - product_error(q, d, qd);
#endif
}

// k * unit + mv + mp with unit = hi + lo, keeping the rounding error of the leading sum
// k * hi + mv (Fast2Sum: |k * hi| >= |mv| or k = 0 at every caller), so the result is rounded
// about once. k is a small integer, k * hi exact.
CMP_VEC_INLINE double add_multiple(double k, double hi, double lo, double mv, double mp) {
    const double k_hi = k * hi;
    const double t = k_hi + mv;
    const double t_lo = (k_hi - t) + mv;
    return t + (t_lo + (k * lo + mp));
}

// ---- atan and atan2 -------------------------------------------------------------------------
// atan(ay / ax) for ay, ax >= 0 is reduced to atan(n / d) + k pi/4 with |n / d| <= 1/2:
//   ay <= ax / 2        n = ay,       d = ax,        k = 0
//   ay >  2 ax          n = -ax,      d = ay,        k = 2   (atan t = pi/2 - atan(1/t))
//   otherwise           n = ay - ax,  d = ay + ax,   k = 1   (atan t = pi/4 + atan((t-1)/(t+1)))
// In the middle range ay - ax is exact (Sterbenz: ay / ax in [1/2, 2]); ay + ax is not, and its
// rounding error d_lo is kept (Fast2Sum). For x < 0 (atan2) the angle is pi - that, i.e.
// k -> 4 - k and the sign of the atan term flips.
struct AtanReduction {
    double n, d, d_lo, k;
};

CMP_VEC_INLINE AtanReduction atan_reduce(double ay, double ax, bool neg_x) {
    const bool low = ay <= 0.5 * ax;
    const bool high = ay > 2.0 * ax;
    const double sum = ay + ax;
    const double big = ay > ax ? ay : ax;
    const double small = ay > ax ? ax : ay;
    const double sum_lo = small - (sum - big);
    const double k = low ? 0.0 : (high ? 2.0 : 1.0);
    // Nested selects rather than `low || high`: GCC did not vectorise the combined mask.
    return {low ? ay : (high ? -ax : ay - ax), low ? ax : (high ? ay : sum), low ? 0.0 : (high ? 0.0 : sum_lo),
            neg_x ? 4.0 - k : k};
}

// The angle of (ax or -ax, ay) in [0, pi] for ay, ax >= 0 finite, not both 0, in double.
// u = n / (d + d_lo) is carried as q + c: q = n * (1/d) (one division, shared), c its correction
// from the exact remainder n - q d and from d_lo, so u is known to far below an ulp. A numerator
// so small that the remainder would underflow (possible only for atan2, in the first range) is
// scaled by 2^200 and the angle, then just q + c, scaled back.
CMP_VEC_INLINE double atan_angle_f64(double ay, double ax, bool neg_x) {
    const AtanReduction r = atan_reduce(ay, ax, neg_x);
    const bool tiny = (r.k == 0.0 ? r.n : 1.0) < 0x1p-900;  // one mask: GCC left `a && b` scalar here
    const double n = tiny ? r.n * 0x1p200 : r.n;
    const double rd = 1.0 / r.d;
    const double q = n * rd;
    const double c = (remainder_exact(n, q, r.d) - q * r.d_lo) * rd;
    const double z = q * q;
    const double p = c + q * z * horner(kAtanF64, z);
    const double angle = add_multiple(r.k, kPi4Hi, kPi4Lo, neg_x ? -q : q, neg_x ? -p : p);
    return tiny ? angle * 0x1p-200 : angle;
}

// k pi/4 +- atan q (the sign of x < 0) for float inputs, whose quotient q = n / d (|q| <= 1/2)
// in double is accurate enough as is.
CMP_VEC_INLINE double atan_sum_for_f32(double q, double k, bool neg_x) {
    const double z = q * q;
    const double p = q * z * horner(kAtanF32, z);
    return add_multiple(k, kPi4Hi, kPi4Lo, neg_x ? -q : q, neg_x ? -p : p);
}

// The angle of (ax or -ax, ay) for float inputs (exact in double).
CMP_VEC_INLINE double atan_angle_for_f32(double ay, double ax, bool neg_x) {
    const AtanReduction r = atan_reduce(ay, ax, neg_x);
    return atan_sum_for_f32(r.n / r.d, r.k, neg_x);
}

// atan a for a float a >= 0: atan_reduce's ranges with ax = 1, but n and d written as a * s + t
// with constants selected per range (n = a, -1, a - 1; d = 1, a, a + 1: every value exact, so
// the result is the same bit for bit). Through atan_reduce, the constant ax let GCC split the
// quotient into one division per range and the polynomial after it (avx2: 4 divisions and 30
// fmas per 8 floats instead of 2 and 12).
CMP_VEC_INLINE double atan_unit_for_f32(double a) {
    const bool low = a <= 0.5, high = a > 2.0;
    const double n = a * (high ? 0.0 : 1.0) + (low ? 0.0 : -1.0);
    const double d = a * (low ? 0.0 : 1.0) + (high ? 0.0 : 1.0);
    return atan_sum_for_f32(n / d, low ? 0.0 : (high ? 2.0 : 1.0), false);
}

// atan x: |x| is clamped to 2^60 (atan of anything above rounds to pi/2 in both types; also
// maps inf), the sign put back by bits (atan(-0) = -0; NaN propagates through the reduction).
CMP_VEC_INLINE double atan_v(double x) {
    const double a = std::fabs(x);
    return with_sign_of(atan_angle_f64(a > 0x1p60 ? 0x1p60 : a, 1.0, false), x);
}
CMP_VEC_INLINE float atan_v(float x) {
    const double a = std::fabs(static_cast<double>(x));
    return static_cast<float>(with_sign_of(atan_unit_for_f32(a > 0x1p60 ? 0x1p60 : a), static_cast<double>(x)));
}

// atan2(y, x) = +-angle(|x|, |y|) with the sign of y (by bits: +-0 give +-0 or +-pi). Cases, by
// select: an infinite coordinate becomes 1 and a finite other one 0 (+-pi/2, 0 or pi, and the
// odd multiples of pi/4 for two infinities); (0, 0) becomes (1, 0), whose angle is 0 or pi by the
// sign of x; NaN in either gives NaN.
struct Atan2Args {
    double ay, ax;
};

CMP_VEC_INLINE Atan2Args atan2_args(double ay, double ax) {
    constexpr double inf = std::numeric_limits<double>::infinity();
    const bool y_inf = ay == inf, x_inf = ax == inf;
    const double y1 = y_inf ? 1.0 : (x_inf ? 0.0 : ay);
    const double x1 = x_inf ? 1.0 : (y_inf ? 0.0 : ax);
    return {y1, y1 + x1 == 0.0 ? 1.0 : x1};  // both 0 (as one mask, which vectorises)
}

template <typename T>
CMP_VEC_INLINE bool sign_bit(T x) {
    if constexpr (sizeof(T) == 4) return (bit_cast_<uint32_t>(x) >> 31) != 0;
    else return (bit_cast_<uint64_t>(x) >> 63) != 0;
}

// Double coordinates are first scaled by a common power of two when both are huge or both tiny,
// so that ay + ax cannot overflow and 1/d cannot.
CMP_VEC_INLINE double atan2_v(double y, double x) {
    const Atan2Args a = atan2_args(std::fabs(y), std::fabs(x));
    const double m = a.ay > a.ax ? a.ay : a.ax;
    const double s = m > 0x1p512 ? 0x1p-512 : (m < 0x1p-512 ? 0x1p512 : 1.0);
    const double angle = with_sign_of(atan_angle_f64(a.ay * s, a.ax * s, sign_bit(x)), y);
    const double any_nan = std::fabs(x) + std::fabs(y);  // NaN exactly when x or y is
    return any_nan != any_nan ? x + y : angle;
}
CMP_VEC_INLINE float atan2_v(float y, float x) {
    const Atan2Args a = atan2_args(std::fabs(static_cast<double>(y)), std::fabs(static_cast<double>(x)));
    const double angle = with_sign_of(atan_angle_for_f32(a.ay, a.ax, sign_bit(x)), static_cast<double>(y));
    const float any_nan = std::fabs(x) + std::fabs(y);
    return any_nan != any_nan ? x + y : static_cast<float>(angle);
}

// ---- asin and acos --------------------------------------------------------------------------
// For a = |x| <= 1/2, asin a = v + v^3 Q(z) with v = a, z = a^2; above, asin a = pi/2 - 2 asin v
// with v = sqrt(z), z = (1 - a) / 2 (exact), again v <= 1/2. One polynomial per element: the
// branch only picks v and z. For a > 1, z < 0 and v is NaN; the callers select NaN there anyway.
struct AsinParts {
    double v, p;  // asin v = v + p
    bool big;     // a > 1/2: the second form
};

template <int N>
CMP_VEC_INLINE AsinParts asin_parts(double a, const double (&coeffs)[N]) {
    const bool big = a > 0.5;
    const double w = 0.5 * (1.0 - a);
    const double z = big ? w : a * a;
    const double v = big ? std::sqrt(w) : a;
    return {v, v * z * horner(coeffs, z), big};
}

// asin|x| = v + p (small) or pi/2 - 2 (v + p) (big); the sign of x put back by bits.
template <int N>
CMP_VEC_INLINE double asin_impl(double x, const double (&coeffs)[N]) {
    const double a = std::fabs(x);
    const AsinParts s = asin_parts(a, coeffs);
    const double m = s.big ? -2.0 : 1.0;
    const double y = add_multiple(s.big ? 1.0 : 0.0, kPi2Hi, kPi2Lo, m * s.v, m * s.p);
    return a > 1.0 ? std::numeric_limits<double>::quiet_NaN() : with_sign_of(y, x);
}

// acos x = pi/2 - asin x      |x| <= 1/2
//        = 2 asin v           x > 1/2
//        = pi - 2 asin v      x < -1/2
// as k pi/2 + m (v + p) with v, p >= 0.
template <int N>
CMP_VEC_INLINE double acos_impl(double x, const double (&coeffs)[N]) {
    const double a = std::fabs(x);
    const AsinParts s = asin_parts(a, coeffs);
    const bool neg = x < 0.0;
    const double m = s.big ? (neg ? -2.0 : 2.0) : (neg ? 1.0 : -1.0);
    const double k = s.big ? (neg ? 2.0 : 0.0) : 1.0;
    const double y = add_multiple(k, kPi2Hi, kPi2Lo, m * s.v, m * s.p);
    return a > 1.0 ? std::numeric_limits<double>::quiet_NaN() : y;
}

CMP_VEC_INLINE double asin_v(double x) { return asin_impl(x, kAsinF64); }
CMP_VEC_INLINE float asin_v(float x) { return static_cast<float>(asin_impl(x, kAsinF32)); }
CMP_VEC_INLINE double acos_v(double x) { return acos_impl(x, kAsinF64); }
CMP_VEC_INLINE float acos_v(float x) { return static_cast<float>(acos_impl(x, kAsinF32)); }

// ---- hypot ----------------------------------------------------------------------------------
// A float's square is exact in double and the sum of two rounds once, so sqrt in double rounded
// to float is within an ulp. An infinite coordinate gives +inf even with a NaN other (C, PyTorch).
CMP_VEC_INLINE float hypot_v(float x, float y) {
    const double xd = x, yd = y;
    const float h = static_cast<float>(std::sqrt(xd * xd + yd * yd));
    const float inf = std::numeric_limits<float>::infinity();
    return std::fabs(x) == inf || std::fabs(y) == inf ? inf : h;
}

// Double: both coordinates are scaled by a power of two when the larger is huge or tiny (exact;
// a smaller one that underflows is below an ulp of the result), then h = sqrt(S) with
// S = a^2 + b^2 carried with its rounding errors, and h corrected by (S - h^2) / (2h) (Newton's
// step, with S - h^2 exact), so the result is within an ulp where sqrt(a*a + b*b) is not.
CMP_VEC_INLINE double hypot_v(double x, double y) {
    const double ax = std::fabs(x), ay = std::fabs(y);
    const double m = ax > ay ? ax : ay;
    const double m_other = ax > ay ? ay : ax;
    const bool huge = m > 0x1p500, tiny = m < 0x1p-500;
    const double s = huge ? 0x1p-600 : (tiny ? 0x1p600 : 1.0);
    const double a = m * s, b = m_other * s;
    const double a2 = a * a, b2 = b * b;
    const double sum = a2 + b2;
    const double sum_lo = ((a2 - sum) + b2) + (product_error(a, a, a2) + product_error(b, b, b2));  // a2 >= b2
    const double h = std::sqrt(sum);
    const double e = remainder_exact(sum, h, h) + sum_lo;
    const double hc = h + e / (2.0 * h);
    const double r = (sum == 0.0 ? 0.0 : hc) * (huge ? 0x1p600 : (tiny ? 0x1p-600 : 1.0));
    const double inf = std::numeric_limits<double>::infinity();
    return ax == inf || ay == inf ? inf : r;
}

}  // namespace CMP_ISA_NAME
}  // namespace cmp::cpu
