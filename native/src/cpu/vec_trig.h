// Vectorisable sin, cos and tan for the unary math kernels (float and double; float16/bfloat16
// compute in float), in the style of cpu/unary_math_vec.h: no libm calls, no data-dependent
// branches. They are exact enough only for |x| <= kTrigVectorMax (derived below); the kernel
// checks each block of its loop with trig_vector_ok and gives a block holding any other value
// (large, inf, NaN) to the C library. Accuracy: tests/native/test_vec_math.cpp (VecMath.Trig*).
// Every constant comes from tools/fit_sincos.py.
#pragma once

#ifndef CMP_ISA_NAME
#error "cpu/vec_trig.h is for kernel files compiled per ISA (native/src/cpu/kernels/*.cpp)"
#endif

#include "cpu/unary_math_vec.h"

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

}  // namespace CMP_ISA_NAME
}  // namespace cmp::cpu
