// Vectorisable atan, atan2, asin, acos and hypot (float and double), in the style of
// cpu/unary_math_vec.h: no libm calls (std::sqrt is an instruction under -fno-math-errno, std::fma
// one where the ISA has it), no data-dependent branches; every case is computed and one selected,
// so the dense loops of loops.h vectorise. The float versions compute in float lanes where the ISA
// has an FMA (kFastFma: avx2, avx512, arm64; "float in float lanes" below), else in double, rounded once
// (half the lanes). Both are within an ulp. The polynomials are fitted by tools/fit_atan.py;
// accuracy and special values are tested by tests/native/test_vec_math.cpp (VecMath.Atan*, Asin*,
// Hypot*).
#pragma once

#ifndef CMP_ISA_NAME
#error "cpu/vec_atan.h is for kernel files compiled per ISA (native/src/cpu/kernels/*.cpp)"
#endif

#include "cpu/unary_math_vec.h"

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

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
// The float sets rounded to floats, for the float lanes (relative errors 2^-28.1 and 2^-29.9 after
// rounding, printed by tools/fit_atan.py).
inline constexpr float kAtanF32Lanes[] = {
    static_cast<float>(kAtanF32[0]), static_cast<float>(kAtanF32[1]), static_cast<float>(kAtanF32[2]),
    static_cast<float>(kAtanF32[3]), static_cast<float>(kAtanF32[4]), static_cast<float>(kAtanF32[5])};
inline constexpr float kAsinF32Lanes[] = {
    static_cast<float>(kAsinF32[0]), static_cast<float>(kAsinF32[1]), static_cast<float>(kAsinF32[2]),
    static_cast<float>(kAsinF32[3]), static_cast<float>(kAsinF32[4]), static_cast<float>(kAsinF32[5])};

// pi/4 and pi/2 as hi + lo, hi with trailing zero bits so that k * hi is exact for k <= 4 (pi/4)
// and k <= 2 (pi/2): the double nearest pi/4 (two trailing zeros); for float, pi/4 rounded to 22
// significant bits (tools/fit_atan.py), lo the rest rounded to a float.
template <typename T>
struct PiParts;
template <>
struct PiParts<double> {
    static constexpr double pi4_hi = 0.7853981633974483, pi4_lo = 3.061616997868383e-17;
    static constexpr double pi2_hi = 1.5707963267948966, pi2_lo = 6.123233995736766e-17;
};
template <>
struct PiParts<float> {
    static constexpr float pi4_hi = 0x1.921fb8p-1f, pi4_lo = -0x1.5dde98p-24f;
    static constexpr float pi2_hi = 0x1.921fb8p+0f, pi2_lo = -0x1.5dde98p-23f;
};

// n - q*d exactly, for q within an ulp of n/d (the remainder is then a double): one fma where the
// ISA has it, else n - fl(q*d) (exact, Sterbenz) less the product's error. Written as one fma
// rather than from fl(q*d), because GCC contracts a*b + c into an fma in C++ even in ISO mode,
// which would count the product's error twice.
template <typename T>
CMP_VEC_INLINE T remainder_exact(T n, T q, T d) {
#if defined(__FMA__) || defined(__ARM_FEATURE_FMA)
    return std::fma(-q, d, n);
#else
    const T qd = q * d;
    return (n - qd) - product_error(q, d, qd);
#endif
}

// k * unit + mv + mp with unit = hi + lo, keeping the rounding error of the leading sum
// k * hi + mv (Fast2Sum: |k * hi| >= |mv| or k = 0 at every caller), so the result is rounded
// about once. k is a small integer, k * hi exact.
template <typename T>
CMP_VEC_INLINE T add_multiple(T k, T hi, T lo, T mv, T mp) {
    const T k_hi = k * hi;
    const T t = k_hi + mv;
    const T t_lo = (k_hi - t) + mv;
    return t + (t_lo + (k * lo + mp));
}

// ---- atan and atan2 -------------------------------------------------------------------------
// atan(ay / ax) for ay, ax >= 0 is reduced to atan(n / d) + k pi/4 with |n / d| <= 1/2:
//   ay <= ax / 2        n = ay,       d = ax,        k = 0
//   ay >  2 ax          n = -ax,      d = ay,        k = 2   (atan t = pi/2 - atan(1/t))
//   otherwise           n = ay - ax,  d = ay + ax,   k = 1   (atan t = pi/4 + atan((t-1)/(t+1)))
// In the middle range ay - ax is exact (Sterbenz: ay / ax in [1/2, 2]); ay + ax is not, and its
// rounding error d_lo is kept (Fast2Sum). For x < 0 (atan2) the angle is pi - that, i.e.
// k -> 4 - k and the sign of the atan term flips. T is the type computed in (float lanes or double).
template <typename T>
struct AtanReduction {
    T n, d, d_lo, k;
};

template <typename T>
CMP_VEC_INLINE AtanReduction<T> atan_reduce(T ay, T ax, bool neg_x) {
    const bool low = ay <= T(0.5) * ax;
    const bool high = ay > T(2) * ax;
    const T sum = ay + ax;
    const T big = ay > ax ? ay : ax;
    const T small = ay > ax ? ax : ay;
    const T sum_lo = small - (sum - big);
    const T k = low ? T(0) : (high ? T(2) : T(1));
    // Nested selects rather than `low || high`: GCC did not vectorise the combined mask.
    return {low ? ay : (high ? -ax : ay - ax), low ? ax : (high ? ay : sum), low ? T(0) : (high ? T(0) : sum_lo),
            neg_x ? T(4) - k : k};
}

// k pi/4 +- atan u (the sign of x < 0) for u = n / (d + d_lo), carried as q + c: q = n * (1/d) (one
// division, shared), c its correction from the exact remainder n - q d and from d_lo, so u is
// known to far below an ulp of T.
template <typename T, int N>
CMP_VEC_INLINE T atan_sum(AtanReduction<T> r, T n, bool neg_x, const T (&coeffs)[N]) {
    const T rd = T(1) / r.d;
    const T q = n * rd;
    const T c = (remainder_exact(n, q, r.d) - q * r.d_lo) * rd;
    const T z = q * q;
    T p;
    if constexpr (sizeof(T) == 8) {
        p = c + q * z * horner(coeffs, z);
    } else {
        // q^3 P(z) with fewer roundings at full weight: z's error goes into q z (by an fma), and the
        // leading coefficient's term q z c0 is rounded once, with the rest, by one fma.
        // c enters as c (1 - z), not c: atan(q + c) = atan q + c / (1 + q^2) + O(c^2), and here c is
        // not negligible: q = n * (1/d) rounds twice, so |c| reaches 1.4 ulp of q, and c added at
        // full weight cost up to 0.27 ulp of the result just below q = 1/2 (atan2's worst, 0.907 ulp
        // at y 1.98789883, x 3.99902964, of which 0.27 this term; with c (1 - z), whose own error
        // c z^2 / (1 + z) is at most 0.07 ulp, 0.72 there. The worst left, 0.750, is a result in
        // [2^-125, 2^-124), where c is a subnormal: a quarter ulp). The double branch above still adds c at full weight (the same 0.27 ulp of a
        // double result at most; its tests hold 1 ulp), unchanged so that double results stay as they were.
        const T qz = std::fma(q, z, q * std::fma(q, q, -z));
        T rest = coeffs[0];
        for (int i = 1; i < N - 1; ++i) rest = rest * z + coeffs[i];
        p = std::fma(qz, coeffs[N - 1], std::fma(-c, z, c) + qz * z * rest);
    }
    return add_multiple(r.k, PiParts<T>::pi4_hi, PiParts<T>::pi4_lo, neg_x ? -q : q, neg_x ? -p : p);
}

// The angle of (ax or -ax, ay) in [0, pi] for ay, ax >= 0 finite, not both 0, the larger in the
// range atan2_impl scales it to. A numerator so small that the remainder would underflow
// (possible only for atan2, in the first range) is scaled up and the angle, then just q + c
// (the scaled q is still below 2^-16, so its cube term is negligible), scaled back: double below
// 2^-900 by 2^200 (d >= 2^-512), float below 2^-100 by 2^60 (d >= 2^-24). A float numerator
// above 2^-100 leaves a remainder (about 2^-24 of it) accurate enough, even for a subnormal q
// (then d >= 2^26 and the remainder about d 2^-150).
template <typename T>
struct AtanLimits;
template <>
struct AtanLimits<double> {
    static constexpr double tiny_n = 0x1p-900, n_up = 0x1p200, n_down = 0x1p-200;
    static constexpr double huge = 0x1p512, huge_scale = 0x1p-512, tiny = 0x1p-512, tiny_scale = 0x1p512;
};
template <>
struct AtanLimits<float> {
    static constexpr float tiny_n = 0x1p-100f, n_up = 0x1p60f, n_down = 0x1p-60f;
    static constexpr float huge = 0x1p100f, huge_scale = 0x1p-64f, tiny = 0x1p-24f, tiny_scale = 0x1p125f;
};

template <typename T, int N>
CMP_VEC_INLINE T atan_angle(T ay, T ax, bool neg_x, const T (&coeffs)[N]) {
    using L = AtanLimits<T>;
    const AtanReduction<T> r = atan_reduce(ay, ax, neg_x);
    const bool tiny = (r.k == T(0) ? r.n : T(1)) < L::tiny_n;  // one mask: GCC left `a && b` scalar here
    const T angle = atan_sum(r, tiny ? r.n * L::n_up : r.n, neg_x, coeffs);
    return tiny ? angle * L::n_down : angle;
}

// ---- float in double lanes (the x86-64 baseline) --------------------------------------------
// A float's reduction is exact in double (ay + ax too) and q = n / d in double is accurate enough
// as is.
CMP_VEC_INLINE double atan_sum_for_f32(double q, double k, bool neg_x) {
    const double z = q * q;
    const double p = q * z * horner(kAtanF32, z);
    return add_multiple(k, PiParts<double>::pi4_hi, PiParts<double>::pi4_lo, neg_x ? -q : q, neg_x ? -p : p);
}

// The angle of (ax or -ax, ay) for float inputs (exact in double).
CMP_VEC_INLINE double atan_angle_for_f32(double ay, double ax, bool neg_x) {
    const AtanReduction<double> r = atan_reduce(ay, ax, neg_x);
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

// ---- float in float lanes (where the ISA has an FMA) ----------------------------------------
// atan's reduction with ax = 1 written as for atan_unit_for_f32 (one division), but a + 1 now
// rounds in the middle range: its error is d_lo, the Fast2Sum error of d = a s + t, computed in
// every range (0 outside the middle one, where a s or t is 0) rather than selected by
// low ? 0 : (high ? 0 : d_lo): GCC merged those selects into one mask on low | high and left the
// whole loop scalar (atan float32 5x slower than in double lanes).
CMP_VEC_INLINE AtanReduction<float> atan_unit_reduce_f32(float a) {
    const bool low = a <= 0.5f, high = a > 2.0f;
    const float n = a * (high ? 0.0f : 1.0f) + (low ? 0.0f : -1.0f);
    const float as = a * (low ? 0.0f : 1.0f), t = high ? 0.0f : 1.0f;
    const float d = as + t;
    const float big = as > t ? as : t, small = as > t ? t : as;
    return {n, d, small - (d - big), low ? 0.0f : (high ? 2.0f : 1.0f)};
}

// atan x in float lanes: q + c carries n / d to about 2^-46 relative, the rest of the error is the
// polynomial's (2^-28) and the last rounding. |x| is clamped to 2^60 as for double (the remainder
// of inf would be NaN).
CMP_VEC_INLINE float atan_f32(float x) {
    const float a = std::fabs(x);
    const AtanReduction<float> r = atan_unit_reduce_f32(a > 0x1p60f ? 0x1p60f : a);
    return with_sign_of(atan_sum(r, r.n, false, kAtanF32Lanes), x);
}

// atan x: |x| is clamped to 2^60 (atan of anything above rounds to pi/2 in both types; also
// maps inf), the sign put back by bits (atan(-0) = -0; NaN propagates through the reduction).
CMP_VEC_INLINE double atan_v(double x) {
    const double a = std::fabs(x);
    return with_sign_of(atan_angle(a > 0x1p60 ? 0x1p60 : a, 1.0, false, kAtanF64), x);
}
CMP_VEC_INLINE float atan_v(float x) {
    if constexpr (kFastFma) {
        return atan_f32(x);
    } else {
        const double a = std::fabs(static_cast<double>(x));
        return static_cast<float>(with_sign_of(atan_unit_for_f32(a > 0x1p60 ? 0x1p60 : a), static_cast<double>(x)));
    }
}

// atan2(y, x) = +-angle(|x|, |y|) with the sign of y (by bits: +-0 give +-0 or +-pi). Cases: an
// infinite coordinate becomes 1 and a finite other one 0 (+-pi/2, 0 or pi, and the odd multiples
// of pi/4 for two infinities); (0, 0) becomes (1, 0), whose angle is 0 or pi by the sign of x; NaN
// in either gives NaN.
// The cases are applied to the bits, with and/or masks (lane_mask), not with selects: GCC turned
// the nested selects (and those of atan2_impl's scale factor) into branches whose paths it then
// merged again with a blend per path and per value, the products by the scale factor copied
// into each path (float32 at avx2: 164 vector instructions an iteration, 39 of them vblendvps;
// with masks 110 and 24, and 25% less time). Same values bit for bit.
template <typename T>
struct Atan2Args {
    T ay, ax;
};

template <typename T>
using LaneBits = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;

// All ones where c holds, else 0.
template <typename Bits>
CMP_VEC_INLINE Bits lane_mask(bool c) {
    return Bits{0} - static_cast<Bits>(c);
}

template <typename T>
CMP_VEC_INLINE Atan2Args<T> atan2_args(T ay, T ax) {
    using Bits = LaneBits<T>;
    constexpr T inf = std::numeric_limits<T>::infinity();
    constexpr Bits one = std::bit_cast<Bits>(T(1));
    const Bits y_inf = lane_mask<Bits>(ay == inf), x_inf = lane_mask<Bits>(ax == inf);
    const Bits finite = ~(y_inf | x_inf);
    const Bits y1 = (bit_cast_<Bits>(ay) & finite) | (one & y_inf);
    const Bits x1 = (bit_cast_<Bits>(ax) & finite) | (one & x_inf);
    return {bit_cast_<T>(y1), bit_cast_<T>(x1 | (one & lane_mask<Bits>((y1 | x1) == 0)))};
}

template <typename T>
CMP_VEC_INLINE bool sign_bit(T x) {
    if constexpr (sizeof(T) == 4) return (bit_cast_<uint32_t>(x) >> 31) != 0;
    else return (bit_cast_<uint64_t>(x) >> 63) != 0;
}

// The coordinates are first scaled by a common power of two when the larger is huge or tiny, so
// that ay + ax cannot overflow and 1/d cannot (d is at least the larger coordinate). Double: above
// 2^512 by 2^-512, below 2^-512 by 2^512. Float (in float lanes): above 2^100 by 2^-64, which
// leaves the larger above 2^36, so a smaller one that becomes subnormal moves the quotient by less
// than 2^-186; below 2^-24 by 2^125 (exact), so the larger is in [2^-24, 2^101] either way.
template <typename T, int N>
CMP_VEC_INLINE T atan2_impl(T y, T x, const T (&coeffs)[N]) {
    using L = AtanLimits<T>;
    const Atan2Args<T> a = atan2_args(std::fabs(y), std::fabs(x));
    const T m = a.ay > a.ax ? a.ay : a.ax;
    // s = huge_scale, tiny_scale or 1, as 1 plus the difference of the exponent fields.
    using Bits = LaneBits<T>;
    constexpr Bits one = std::bit_cast<Bits>(T(1));
    constexpr Bits down = std::bit_cast<Bits>(L::huge_scale) - one, up = std::bit_cast<Bits>(L::tiny_scale) - one;
    const T s = bit_cast_<T>(static_cast<Bits>(one + (down & lane_mask<Bits>(m > L::huge)) +
                                               (up & lane_mask<Bits>(m < L::tiny))));
    const T angle = with_sign_of(atan_angle(a.ay * s, a.ax * s, sign_bit(x), coeffs), y);
    const T any_nan = std::fabs(x) + std::fabs(y);  // NaN exactly when x or y is
    return any_nan != any_nan ? x + y : angle;
}

CMP_VEC_INLINE float atan2_f32(float y, float x) { return atan2_impl(y, x, kAtanF32Lanes); }
CMP_VEC_INLINE double atan2_v(double y, double x) { return atan2_impl(y, x, kAtanF64); }
CMP_VEC_INLINE float atan2_v(float y, float x) {
    if constexpr (kFastFma) {
        return atan2_f32(y, x);
    } else {
        const Atan2Args<double> a = atan2_args(std::fabs(static_cast<double>(y)), std::fabs(static_cast<double>(x)));
        const double angle = with_sign_of(atan_angle_for_f32(a.ay, a.ax, sign_bit(x)), static_cast<double>(y));
        const float any_nan = std::fabs(x) + std::fabs(y);
        return any_nan != any_nan ? x + y : static_cast<float>(angle);
    }
}

// ---- asin and acos --------------------------------------------------------------------------
// For a = |x| <= 1/2, asin a = v + v^3 Q(z) with v = a, z = a^2; above, asin a = pi/2 - 2 asin v
// with v = sqrt(z), z = (1 - a) / 2 (exact), again v <= 1/2. One polynomial per element: the
// branch only picks v and z. For a > 1, z < 0 and v is NaN; the callers select NaN there anyway.
// In float lanes v = sqrt(z) rounds (by up to 2^-25, half an ulp of the result near a = 1/2):
// its error e = (z - v^2) / 2v (z - v^2 exact by an fma) goes into p. The callers test a > 1/2
// again rather than read it from AsinParts: with a bool member the float loops stayed scalar
// (GCC kept the struct in memory: "complicated access pattern").
template <typename T>
struct AsinParts {
    T v, p;  // asin v = v + p
};

template <typename T, int N>
CMP_VEC_INLINE AsinParts<T> asin_parts(T a, const T (&coeffs)[N]) {
    const bool big = a > T(0.5);
    const T w = T(0.5) * (T(1) - a);
    const T z = big ? w : a * a;
    const T v = big ? std::sqrt(w) : a;
    const T p = v * z * horner(coeffs, z);
    if constexpr (sizeof(T) == 8) {
        return {v, p};
    } else {
        const T e = std::fma(-v, v, w) / (v > T(0) ? v + v : T(1));  // a = 1: v = 0, e = 0
        return {v, p + (big ? e : T(0))};
    }
}

// asin|x| = v + p (small) or pi/2 - 2 (v + p) (big); the sign of x put back by bits.
template <typename T, int N>
CMP_VEC_INLINE T asin_impl(T x, const T (&coeffs)[N]) {
    const T a = std::fabs(x);
    const AsinParts<T> s = asin_parts(a, coeffs);
    const bool big = a > T(0.5);
    const T m = big ? T(-2) : T(1);
    const T y = add_multiple(big ? T(1) : T(0), PiParts<T>::pi2_hi, PiParts<T>::pi2_lo, m * s.v, m * s.p);
    return a > T(1) ? std::numeric_limits<T>::quiet_NaN() : with_sign_of(y, x);
}

// acos x = pi/2 - asin x      |x| <= 1/2
//        = 2 asin v           x > 1/2
//        = pi - 2 asin v      x < -1/2
// as k pi/2 + m (v + p) with v, p >= 0.
template <typename T, int N>
CMP_VEC_INLINE T acos_impl(T x, const T (&coeffs)[N]) {
    const T a = std::fabs(x);
    const AsinParts<T> s = asin_parts(a, coeffs);
    const bool neg = x < T(0);
    const bool big = a > T(0.5);
    const T m = big ? (neg ? T(-2) : T(2)) : (neg ? T(1) : T(-1));
    const T k = big ? (neg ? T(2) : T(0)) : T(1);
    const T y = add_multiple(k, PiParts<T>::pi2_hi, PiParts<T>::pi2_lo, m * s.v, m * s.p);
    return a > T(1) ? std::numeric_limits<T>::quiet_NaN() : y;
}

CMP_VEC_INLINE float asin_f32(float x) { return asin_impl(x, kAsinF32Lanes); }
CMP_VEC_INLINE float acos_f32(float x) { return acos_impl(x, kAsinF32Lanes); }
CMP_VEC_INLINE double asin_v(double x) { return asin_impl(x, kAsinF64); }
CMP_VEC_INLINE double acos_v(double x) { return acos_impl(x, kAsinF64); }
CMP_VEC_INLINE float asin_v(float x) {
    if constexpr (kFastFma) {
        return asin_f32(x);
    } else {
        return static_cast<float>(asin_impl(static_cast<double>(x), kAsinF32));
    }
}
CMP_VEC_INLINE float acos_v(float x) {
    if constexpr (kFastFma) {
        return acos_f32(x);
    } else {
        return static_cast<float>(acos_impl(static_cast<double>(x), kAsinF32));
    }
}

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
