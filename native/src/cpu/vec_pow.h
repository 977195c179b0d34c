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

}  // namespace CMP_ISA_NAME
}  // namespace cmp::cpu
