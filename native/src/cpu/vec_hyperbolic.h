// Vectorisable sinh, cosh, asinh, acosh and atanh for the unary math kernels (float and double,
// one template each), in the style of cpu/unary_math_vec.h: no libm calls (std::sqrt is an
// instruction under -fno-math-errno), no data-dependent branches; every case is computed and
// one is selected, so the dense loops of loops.h vectorise. Accuracy is tested by
// tests/native/test_vec_math.cpp (VecMath.*Hyperbolic*).
#pragma once

#ifndef CMP_ISA_NAME
#error "cpu/vec_hyperbolic.h is for kernel files compiled per ISA (native/src/cpu/kernels/*.cpp)"
#endif

#include "cpu/unary_math_vec.h"

#include <cmath>
#include <limits>

namespace cmp::cpu {
inline namespace CMP_ISA_NAME {

// Above this |x| the inverse functions drop the 1 next to x^2 (it is below half an ulp of x^2
// for both types) and use log(2|x|) = log|x| + ln 2, so x^2 and 2x never overflow.
template <typename T>
constexpr T kHyperbolicLarge = T(268435456.0);  // 2^28

template <typename T>
CMP_VEC_INLINE T abs_v(T x) {
    return x < T(0) ? -x : x;
}

// sinh and cosh of a = |x| from one exponential reduction a = n ln2 + r (expm1_parts):
//  * E = e^a - 1 = 2^n p + (2^n - 1), accurate for small a (n is 0 or 1 for a < 1);
//  * H = e^a / 2 = 2^(n-1) (1 + p), finite up to the overflow threshold of sinh and cosh
//    themselves (e^a alone overflows a little earlier).
// a is clamped where H is already inf (float 90, double 711); 2^n is only meaningful for the
// small-a branches that use E, the others select H.
template <typename T>
struct HalfExp {
    T e;  // e^a - 1, for a < 1
    T h;  // e^a / 2
};

template <typename T>
CMP_VEC_INLINE HalfExp<T> half_exp(T a) {
    constexpr T hi = sizeof(T) == 4 ? T(90) : T(711);
    const T ac = a > hi ? hi : a;  // NaN passes through
    const auto parts = expm1_parts(ac);
    const T s = pow2_bits(parts.n);
    return {s * parts.p + (s - T(1)), scale_pow2(parts.p + T(1), parts.n - 1)};
}

// sinh|x| = E - E^2 / (2 (E + 1)) for |x| < 1 (= (e^a - e^-a) / 2 with e^a = E + 1: no
// cancellation, tiny x keep their relative accuracy), H - 1/(4H) above. The sign goes back by
// bits (-0 stays -0, NaN stays NaN).
template <typename T>
CMP_VEC_INLINE T sinh_v(T x) {
    const T a = abs_v(x);
    const HalfExp<T> q = half_exp(a);
    const T small = q.e - T(0.5) * (q.e * q.e / (q.e + T(1)));
    const T big = q.h - T(0.25) / q.h;
    return with_sign_of(a < T(1) ? small : big, x);
}

// cosh|x| = 1 + E^2 / (2 (E + 1)) for |x| < ln2 / 2 (where it rounds to about 1 + x^2/2), and
// H + 1/(4H) above (inf for H = inf; NaN from H for NaN).
template <typename T>
CMP_VEC_INLINE T cosh_v(T x) {
    const T a = abs_v(x);
    const HalfExp<T> q = half_exp(a);
    const T small = T(1) + q.e * q.e / (T(2) * (q.e + T(1)));
    const T big = q.h + T(0.25) / q.h;
    return a < T(0.34657359027997264) ? small : big;
}

// Each inverse function is one log1p of an argument picked per range (so one logarithm per
// element, not one per range), plus ln 2 in the huge range.
//
// asinh|x| = log1p(a + a^2 / (1 + sqrt(1 + a^2)))         a <= 2 (exact rewrite of
//                                                                   log(a + sqrt(a^2 + 1)))
//          = log(2a + 1 / (a + sqrt(a^2 + 1)))              2 < a <= 2^28, as log1p(w - 1)
//          = log(a) + ln 2                                  above
// with the sign of x put back (odd function; -0 and NaN kept).
template <typename T>
CMP_VEC_INLINE T asinh_impl(T x) {
    constexpr T ln2 = T(0.69314718055994530942);
    const T a = abs_v(x);
    const T a2 = a * a;
    const T root = std::sqrt(a2 + T(1));
    const T small = a + a2 / (T(1) + root);
    const bool huge = a > kHyperbolicLarge<T>;
    const T w = huge ? a : T(2) * a + T(1) / (a + root);
    const T y = vlog1p(a <= T(2) ? small : w - T(1)) + (huge ? ln2 : T(0));
    return with_sign_of(y, x);
}

// acosh x = log1p(t + sqrt(2t + t^2)), t = x - 1 (exact)    1 <= x <= 2
//         = log(2x - 1 / (x + sqrt(x^2 - 1)))                 2 < x <= 2^28, as log1p(w - 1)
//         = log(x) + ln 2                                     above
// NaN below 1 (and for NaN); acosh(1) = +0, acosh(+inf) = +inf.
template <typename T>
CMP_VEC_INLINE T acosh_impl(T x) {
    constexpr T ln2 = T(0.69314718055994530942);
    const T t = x - T(1);
    const T small = t + std::sqrt(T(2) * t + t * t);
    const bool huge = x > kHyperbolicLarge<T>;
    const T w = huge ? x : T(2) * x - T(1) / (x + std::sqrt(x * x - T(1)));
    const T y = vlog1p(x <= T(2) ? small : w - T(1)) + (huge ? ln2 : T(0));
    return x < T(1) ? std::numeric_limits<T>::quiet_NaN() : y;
}

// atanh|x| = log1p(2a + 2a^2 / (1 - a)) / 2    a < 1/2 (no cancellation for tiny a)
//          = log1p(2a / (1 - a)) / 2            1/2 <= a (1 - a is exact there)
// a = 1 gives 2/0 = inf and so inf; a > 1 a negative argument below -1 and so NaN. Odd.
template <typename T>
CMP_VEC_INLINE T atanh_impl(T x) {
    const T a = abs_v(x);
    const T a2 = T(2) * a;
    const T v = a < T(0.5) ? a2 + a2 * a / (T(1) - a) : a2 / (T(1) - a);
    return with_sign_of(T(0.5) * vlog1p(v), x);
}

// The inverse functions of a float are evaluated in double and rounded once: through the float
// log1p (2 ulp) they reached 3 ulp near 0 and 1; in double they are within 1 ulp, at half the
// lanes (PyTorch 1.13 calls the C library for them, one element at a time).
CMP_VEC_INLINE float asinh_v(float x) { return static_cast<float>(asinh_impl<double>(x)); }
CMP_VEC_INLINE double asinh_v(double x) { return asinh_impl(x); }
CMP_VEC_INLINE float acosh_v(float x) { return static_cast<float>(acosh_impl<double>(x)); }
CMP_VEC_INLINE double acosh_v(double x) { return acosh_impl(x); }
CMP_VEC_INLINE float atanh_v(float x) { return static_cast<float>(atanh_impl<double>(x)); }
CMP_VEC_INLINE double atanh_v(double x) { return atanh_impl(x); }

}  // namespace CMP_ISA_NAME
}  // namespace cmp::cpu
