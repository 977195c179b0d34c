// Long double references for the float64 erfc and erfinv tests (test_vec_math.cpp checks the
// header functions compiled with the test's flags, test_erf_kernels.cpp the kernels of each ISA),
// and the inputs both sweep. long double carries 11 bits more than double on x86, so these are
// within a few thousandths of a double ulp of the exact values (checked against mpmath at 50
// digits while writing them, including the doubles next to 1).
#pragma once

#include <cmath>
#include <limits>
#include <random>
#include <vector>

namespace cmp::testing {

// erfinv(x) as the root of erf(y) = |x| in long double: Newton steps from a closed-form guess
// (Winitzki's, relative error about 2e-3), on erf(y) - |x| below 1/2 and on (1 - |x|) - erfc(y)
// above, where 1 - |x| is exact and erf(y) - |x| would cancel. Each step squares the relative
// error; eight are far more than needed. +-1 give +-inf, |x| > 1 and NaN give NaN.
inline long double erfinv_reference(double x) {
    const long double ax = std::fabs(static_cast<long double>(x));
    if (!(ax <= 1.0L)) return std::numeric_limits<long double>::quiet_NaN();
    if (ax == 1.0L) return std::copysign(std::numeric_limits<long double>::infinity(), static_cast<long double>(x));
    if (ax == 0.0L) return x;
    constexpr long double a = 0.147L, pi = 3.141592653589793238462643383279503L;
    const long double ln = std::log((1.0L - ax) * (1.0L + ax));
    const long double t = 2.0L / (pi * a) + 0.5L * ln;
    long double y = std::sqrt(std::sqrt(t * t - ln / a) - t);
    for (int i = 0; i < 8; ++i) {
        const long double g = ax > 0.5L ? (1.0L - ax) - erfcl(y) : erfl(y) - ax;
        y -= g / (1.1283791670955125738961589031215452L * std::exp(-y * y));
    }
    return std::copysign(y, static_cast<long double>(x));
}

// The float64 erfinv inputs: uniform on (-1, 1), log-uniform magnitudes down to 1e-300, 1 - 2^-k
// for a uniform real k in [1, 53] (the tail, down to the double closest to 1), and every double
// within 5000 of the branch points w = 6.25 and sqrt(w) = 4 (w = -log((1 - x)(1 + x))) and below 1.
inline std::vector<double> erfinv_f64_inputs() {
    std::mt19937_64 gen(5);
    std::uniform_real_distribution<double> lin(-1.0, 1.0), mag(-690.0, 0.0), k(1.0, 53.0);
    std::vector<double> x;
    for (int i = 0; i < 400000; ++i) {
        x.push_back(lin(gen));
        const double m = std::exp(mag(gen));
        x.push_back(i % 2 ? m : -m);
        const double near_one = 1.0 - std::exp2(-k(gen));
        x.push_back(i % 2 ? near_one : -near_one);
    }
    for (double w : {6.25, 16.0}) {
        double v = std::sqrt(-std::expm1(-w));
        for (int i = 0; i < 5000; ++i) v = std::nextafter(v, 0.0);
        for (int i = 0; i < 10000; ++i, v = std::nextafter(v, 1.0)) x.push_back(v);
    }
    double v = 1.0;
    for (int i = 0; i < 5000; ++i) x.push_back(v = std::nextafter(v, 0.0));
    for (double s : {0.0, -0.0, 4.9e-324, 0.5, -0.5, 1e-300}) x.push_back(s);
    return x;
}

// The float64 erfc inputs: uniform on [-6, 28] (erfc(27.3) is below every double), log-uniform
// magnitudes, every double within 5000 of the branch points +-0.84375 and 0.25 (where the small
// form changes) and of 26.55 (where the results turn subnormal).
inline std::vector<double> erfc_f64_inputs() {
    std::mt19937_64 gen(6);
    std::uniform_real_distribution<double> lin(-6.0, 28.0), mag(-700.0, 3.0);
    std::vector<double> x;
    for (int i = 0; i < 1000000; ++i) {
        x.push_back(lin(gen));
        const double m = std::exp(mag(gen));
        x.push_back(i % 2 ? m : -m);
    }
    for (double end : {0.84375, -0.84375, 0.25, 26.55}) {
        double v = end;
        for (int i = 0; i < 5000; ++i) v = std::nextafter(v, -100.0);
        for (int i = 0; i < 10000; ++i, v = std::nextafter(v, 100.0)) x.push_back(v);
    }
    return x;
}

}  // namespace cmp::testing
