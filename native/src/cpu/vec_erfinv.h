// Vectorisable erfinv of a float for the unary math kernels (float, float16, bfloat16; float64
// keeps the Halley iteration of kernels/unary_math.cpp), in the style of cpu/unary_math_vec.h.
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

}  // namespace CMP_ISA_NAME
}  // namespace cmp::cpu
