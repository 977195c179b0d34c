// Vectorisable erfinv for the unary math kernels (float, float16 and bfloat16 through erfinv_f32;
// float64 through erfinv_f64), in the style of cpu/unary_math_vec.h.
#pragma once

#ifndef CMP_ISA_NAME
#error "cpu/vec_erfinv.h is for kernel files compiled per ISA (native/src/cpu/kernels/*.cpp)"
#endif

#include "cpu/unary_math_vec.h"

#include <cmath>
#include <limits>

namespace cmp::cpu {
inline namespace CMP_ISA_NAME {

// erfinv(x) = x * P(w - 2.5) for w = -log((1 - x)(1 + x)) < 5 (|x| < 0.9966) and
// x * Q(sqrt(w) - 3) above, the change of variable of Giles ("Approximating the erfinv
// function", GPU Computing Gems, 2011), with polynomials of degree 10 fitted by
// tools/fit_erfinv_f32.py (relative error 2.6e-9 and 1.9e-9). Evaluated in double and rounded
// once: (1 - x)(1 + x) is exact there for a float x, log_f64 keeps w accurate, so the float
// result is within an ulp (tests/native/test_vec_math.cpp). Both branches are computed and one
// is selected. +-1 give +-inf; |x| > 1 a negative log argument, so NaN; NaN propagates; -0 stays.
CMP_VEC_INLINE float erfinv_f32(float xf) {
    static constexpr double central[] = {
        3.6581509679018025e-10, -8.748138862347665e-09, 1.7571399676675733e-08, 4.655456543469725e-07,
        -3.4321150531241564e-06, -4.960292082667424e-06, 0.00021827720868850808, -0.0012527474630014722,
        -0.004177335332362137,   0.24664028894187257,    1.5014093530354111};
    static constexpr double tail[] = {
        -3.1222535153397996e-05, 0.00016293311365034313, -0.0002752501660777118, -0.00012352955806710364,
        0.0014740326941222737,   -0.0035653625062037064, 0.005687949189804059,   -0.0076430840486380325,
        0.009445275915218404,    1.001675252385672,      2.8329768020592967};
    const double x = xf;
    const double w = -log_f64((1.0 - x) * (1.0 + x));
    const double p = w < 5.0 ? horner(central, w - 2.5) : horner(tail, std::sqrt(w) - 3.0);
    const double y = x * p;
    const double ax = x < 0.0 ? -x : x;
    return static_cast<float>(ax == 1.0 ? with_sign_of(std::numeric_limits<double>::infinity(), x) : y);
}

// erfinv of a double in the same change of variable, with three polynomials fitted by
// tools/fit_erfinv_f64.py (each within 3e-18 of erfinv(x) / x, far below an ulp): x * P(w - 3.125)
// for w < 6.25 (|x| < 0.99806), x * Q(sqrt(w) - 3.25) for sqrt(w) < 4 (|x| < 1 - 1.3e-8) and
// x * R(sqrt(w) - 5) up to the double closest to 1 (sqrt(w) = 6.003). Within 3 ulp, with or
// without FMA (2 at nearly every input; tests/native/test_vec_math.cpp, test_erf_kernels.cpp),
// replacing Halley's iteration on the C library's erf and erfc (three of each per element, and no
// loop over it vectorised).
// w must keep its relative accuracy near |x| = 1 (where erfinv depends on w alone) and near 0:
// (1 - |x|)(1 + |x|) is formed from the exact sums 1 -+ |x| = a + al, b + bl (Fast2Sum, |x| <= 1)
// as a*b + c, c = (a*b's rounding error) + a*bl + al*b, and log(a*b + c) = log(a*b) + c/(a*b)
// is log_reduced_f64's correction. a*b >= 2^-53 for every |x| < 1, a normal number. All three
// polynomials are computed and one is selected. +-1 give +-inf, |x| > 1 and NaN give NaN, -0
// stays -0 (x * P).
CMP_VEC_INLINE double erfinv_f64(double x) {
    static constexpr double central[] = {
        -1.9123778045391186e-23, -3.3795536525485224e-22, 4.357475280244854e-21, 1.8739434875095462e-20,
        -3.7848217521105335e-19, 6.396664855709971e-19, 1.5992591736199305e-17, -1.226305743260548e-16,
        -4.417003393665373e-17, 6.525767922399858e-15, -3.998852309540432e-14, -8.074665167507013e-14,
        2.6303859148085384e-12, -1.2978692479994892e-11, -5.4142609576164565e-11, 1.051223070748762e-09,
        -4.112661266924503e-09, -2.907039074871087e-08, 4.234788178266526e-07, -1.3654691764135042e-06,
        -1.3882523394637344e-05, 0.0001867342080200925, -0.0007407025341544301, -0.006033670871426909,
        0.2401581824255883, 1.6536545626831027};
    static constexpr double mid[] = {
        -1.4414402902576647e-09, 7.602734181548034e-09, -1.1037793186805448e-08, -2.069721217948336e-08,
        1.2617019273822622e-07, -2.4575721605517875e-07, -2.3768438869458365e-08, 1.4817686493076977e-06,
        -3.987383279152877e-06, 2.9325103785542764e-06, 1.2465490012885596e-05, -4.732066388775043e-05,
        6.828703766281446e-05, 2.4031510350318603e-05, -0.00035503780550499826, 0.000953289341795833,
        -0.001688275535921936, 0.002491442097947516, -0.003751208508212327, 0.005370914553555193,
        1.0052589676941652, 3.0838856104922208};
    static constexpr double tail[] = {
        5.85952287969185e-12, -2.046475568785427e-11, 1.4805705256393737e-11, 6.984714023193682e-11,
        -3.8086472098112223e-10, 1.3155855085148128e-09, -3.534122481908987e-09, 7.821715728266218e-09,
        -1.521362604976428e-08, 2.9018565469183825e-08, -6.757277019284552e-08, 2.2905281981040537e-07,
        -9.930254844201444e-07, 4.526052530238807e-06, -1.96817711973768e-05, 7.59952780960147e-05,
        -0.00021503011979911318, -0.0001387193183801074, 1.0103004648645448, 4.849906401408584};
    const double ax = x < 0.0 ? -x : x;
    const double a = 1.0 - ax, b = 1.0 + ax;
    const double al = (1.0 - a) - ax, bl = ax - (b - 1.0);
    const double q = a * b;
    const double c = product_error(a, b, q) + (a * bl + al * b);
    const double w = -log_reduced_f64(q, 0, c / q);
    const double s = std::sqrt(w);
    const double p_central = horner(central, w - 3.125);
    const double p_mid = horner(mid, s - 3.25);
    const double p_tail = horner(tail, s - 5.0);
    const double p = w < 6.25 ? p_central : (s < 4.0 ? p_mid : p_tail);
    double y = x * p;
    y = ax == 1.0 ? with_sign_of(std::numeric_limits<double>::infinity(), x) : y;
    return ax > 1.0 || x != x ? std::numeric_limits<double>::quiet_NaN() : y;
}

}  // namespace CMP_ISA_NAME
}  // namespace cmp::cpu
