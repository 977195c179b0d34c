// The auto-vectorisable exp of cpu/vec_math.h, the log, log1p, log2, log10, expm1, exp2, tanh, erf
// and erfc of cpu/unary_math_vec.h and the sinh, cosh, asinh, acosh, atanh of cpu/vec_hyperbolic.h
// and erfinv_f32/erfinv_f64 of cpu/vec_erfinv.h, the sin, cos, tan of cpu/vec_trig.h and the atan, asin,
// acos, atan2, hypot of cpu/vec_atan.h
// against the C library (float: rounded from the double function) or its
// long double functions (double), over a sweep of every 257th float bit pattern, random doubles
// on linear and logarithmic scales, and the special values (NaN, infinities, signed zeros,
// overflow and underflow thresholds, subnormal inputs and results, the ends of each branch).
#define CMP_ISA_NAME vec_math_test  // the header is per-ISA; here it is compiled with the test's flags
#include "cpu/vec_math.h"
#include "cpu/unary_math_vec.h"
#include "cpu/vec_atan.h"
#include "cpu/vec_erfinv.h"
#include "cpu/vec_hyperbolic.h"
#include "cpu/vec_trig.h"
#include "erf_reference.h"
#include "ulp_distance.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <type_traits>
#include <vector>

namespace {

using cmp::cpu::exp_f32;
using cmp::cpu::exp_f64;
using cmp::cpu::erf_f32;
using cmp::cpu::erfc_f32;
using cmp::cpu::expm1_f32;
using cmp::cpu::expm1_f64;
using cmp::cpu::log_f32;
using cmp::cpu::tanh_f32;
using cmp::cpu::tanh_f64;
using cmp::cpu::vlog1p;

using cmp::testing::ulps;

// f against reference (a double function whose result rounded to float is the correctly
// rounded result) over every 257th float bit pattern: at most max_ulps apart.
template <typename F, typename R>
void expect_float_sweep_within(const char* name, int64_t max_ulps, F f, R reference) {
    int64_t worst = 0;
    float worst_x = 0;
    for (uint64_t bits = 0; bits <= 0xffffffffull; bits += 257) {
        const uint32_t b = static_cast<uint32_t>(bits);
        float x;
        std::memcpy(&x, &b, 4);
        const float ref = static_cast<float>(reference(static_cast<double>(x)));
        const int64_t u = ulps(f(x), ref);
        if (u > worst) {
            worst = u;
            worst_x = x;
        }
    }
    EXPECT_LE(worst, max_ulps) << name << ": worst at x = " << worst_x;
    std::printf("%s: max error %lld ulp\n", name, static_cast<long long>(worst));
}

TEST(VecMath, ExpFloatSweep) {
    expect_float_sweep_within("exp_f32", 2, exp_f32, [](double x) { return std::exp(x); });
}

TEST(VecMath, ExpDoubleRandom) {
    std::mt19937_64 gen(42);
    std::uniform_real_distribution<double> wide(-750.0, 712.0), narrow(-2.0, 2.0);
    int64_t worst = 0;
    double worst_x = 0;
    for (int i = 0; i < 2000000; ++i) {
        const double x = i % 2 ? wide(gen) : narrow(gen);
        const int64_t u = ulps(exp_f64(x), std::exp(x));
        if (u > worst) {
            worst = u;
            worst_x = x;
        }
    }
    EXPECT_LE(worst, 2) << "worst at x = " << worst_x;
    std::printf("exp_f64: max error %lld ulp\n", static_cast<long long>(worst));
}

TEST(VecMath, ExpSpecialValues) {
    const float finf = std::numeric_limits<float>::infinity();
    const double dinf = std::numeric_limits<double>::infinity();
    EXPECT_TRUE(std::isnan(exp_f32(std::numeric_limits<float>::quiet_NaN())));
    EXPECT_TRUE(std::isnan(exp_f64(std::numeric_limits<double>::quiet_NaN())));
    EXPECT_EQ(exp_f32(finf), finf);
    EXPECT_EQ(exp_f32(-finf), 0.0f);
    EXPECT_EQ(exp_f64(dinf), dinf);
    EXPECT_EQ(exp_f64(-dinf), 0.0);
    EXPECT_EQ(exp_f32(0.0f), 1.0f);
    EXPECT_EQ(exp_f32(-0.0f), 1.0f);
    EXPECT_EQ(exp_f64(0.0), 1.0);
    EXPECT_EQ(exp_f32(std::numeric_limits<float>::denorm_min()), 1.0f);
    EXPECT_EQ(exp_f64(-std::numeric_limits<double>::denorm_min()), 1.0);
    // Overflow threshold: the largest float whose exp is finite, and the next one up.
    const float big = 88.72283f;
    EXPECT_LE(ulps(exp_f32(big), static_cast<float>(std::exp(static_cast<double>(big)))), 2);
    EXPECT_EQ(exp_f32(std::nextafter(88.7228394f, 100.0f)), finf);
    EXPECT_EQ(exp_f32(1000.0f), finf);
    EXPECT_EQ(exp_f64(709.79), std::exp(709.79));
    EXPECT_EQ(exp_f64(709.8), dinf);
    // Subnormal results, rounded once.
    for (float x : {-87.5f, -90.0f, -100.0f, -103.0f, -103.97f, -104.0f, -110.0f}) {
        EXPECT_LE(ulps(exp_f32(x), static_cast<float>(std::exp(static_cast<double>(x)))), 1) << x;
    }
    for (double x : {-708.5, -720.0, -740.0, -744.4, -745.1, -745.2, -800.0}) {
        EXPECT_LE(ulps(exp_f64(x), std::exp(x)), 1) << x;
    }
}

// erf of a float (cpu/unary_math_vec.h, used by erf and exact GELU), evaluated in float: within
// 1 ulp, over the sweep and over every float around the branch point |x| = 0.92 and the clamp at
// 3.95 (test_erf_kernels.cpp checks every float in the kernels of each ISA).
TEST(VecMath, ErfFloatSweep) {
    expect_float_sweep_within("erf_f32", 1, erf_f32, [](double x) { return std::erf(x); });
    for (float end : {0.92f, -0.92f, 3.95f, -3.95f}) {
        float x = end * 0.999f;
        for (int i = 0; i < 20000; ++i, x = std::nextafter(x, end * 2.0f)) {
            EXPECT_LE(ulps(erf_f32(x), static_cast<float>(std::erf(static_cast<double>(x)))), 1) << x;
        }
    }
    EXPECT_EQ(erf_f32(std::numeric_limits<float>::infinity()), 1.0f);
    EXPECT_EQ(erf_f32(-std::numeric_limits<float>::infinity()), -1.0f);
    EXPECT_TRUE(std::signbit(erf_f32(-0.0f)));
    EXPECT_TRUE(std::isnan(erf_f32(std::numeric_limits<float>::quiet_NaN())));
}

// erfc of a float: the double evaluation leaves only the final rounding, so within one ulp.
TEST(VecMath, ErfcFloatSweep) {
    expect_float_sweep_within("erfc_f32", 1, erfc_f32, [](double x) { return std::erfc(x); });
    EXPECT_EQ(erfc_f32(std::numeric_limits<float>::infinity()), 0.0f);
    EXPECT_EQ(erfc_f32(-std::numeric_limits<float>::infinity()), 2.0f);
    EXPECT_TRUE(std::isnan(erfc_f32(std::numeric_limits<float>::quiet_NaN())));
}

// ---- log, log1p, expm1, tanh --------------------------------------------------------------

TEST(VecMath, LogFloatSweep) {
    expect_float_sweep_within("log_f32", 1, log_f32, [](double x) { return std::log(x); });
}

TEST(VecMath, Log1pFloatSweep) {
    expect_float_sweep_within("log1p_f32", 2, [](float x) { return vlog1p(x); }, [](double x) { return std::log1p(x); });
}

TEST(VecMath, Expm1FloatSweep) {
    expect_float_sweep_within("expm1_f32", 2, expm1_f32, [](double x) { return std::expm1(x); });
}

TEST(VecMath, TanhFloatSweep) {
    expect_float_sweep_within("tanh_f32", 2, tanh_f32, [](double x) { return std::tanh(x); });
}

// f against the long double reference at random doubles: uniform on [-range, range] and
// log-uniform in magnitude (both signs) from 1e-310 (subnormal) to 1e300, plus the extra points.
template <typename F, typename R>
int64_t double_worst_ulps(const char* name, double range, F f, R reference, std::initializer_list<double> extra) {
    std::mt19937_64 gen(7);
    std::uniform_real_distribution<double> lin(-range, range), mag(-713.0, 690.0);
    int64_t worst = 0;
    double worst_x = 0;
    auto check = [&](double x) {
        const int64_t u = ulps(f(x), static_cast<double>(reference(static_cast<long double>(x))));
        if (u > worst) {
            worst = u;
            worst_x = x;
        }
    };
    for (int i = 0; i < 1000000; ++i) {
        check(lin(gen));
        const double m = std::exp(mag(gen));
        check(i % 2 ? m : -m);
    }
    for (double x : extra) {
        check(x);
        check(-x);
        check(std::nextafter(x, 0.0));
        check(std::nextafter(x, 1e308));
    }
    std::printf("%s: max error %lld ulp (worst at %.17g)\n", name, static_cast<long long>(worst), worst_x);
    return worst;
}

constexpr double kHalfLn2 = 0.34657359027997264;  // the end of expm1's reduced interval

TEST(VecMath, Expm1DoubleRandom) {
    EXPECT_LE(double_worst_ulps("expm1_f64", 2.0, expm1_f64, [](long double x) { return expm1l(x); },
                                {kHalfLn2, 3 * kHalfLn2, 38.0, 40.0, 700.0, 709.78, 709.7827, 1e-300, 4.9e-324}),
              2);
}

TEST(VecMath, Log1pDoubleRandom) {
    EXPECT_LE(double_worst_ulps("log1p_f64", 0.99, [](double x) { return vlog1p(x); },
                                [](long double x) { return x <= -1 ? static_cast<long double>(std::log1p(static_cast<double>(x))) : log1pl(x); },
                                {0.41421356237309503, 1e-16, 1.1e-16, 2.3e-16, 1e-300, 4.9e-324, 1e300}),
              2);
}

TEST(VecMath, TanhDoubleRandom) {
    EXPECT_LE(double_worst_ulps("tanh_f64", 3.0, tanh_f64, [](long double x) { return tanhl(x); },
                                {0.55, 19.0, 20.0, 21.0, 1e-300, 4.9e-324, 1e-8}),
              3);
}

template <typename T>
void expect_same(T got, T want, const char* what) {
    if (std::isnan(want)) {
        EXPECT_TRUE(std::isnan(got)) << what;
    } else {
        EXPECT_EQ(got, want) << what;
        EXPECT_EQ(std::signbit(got), std::signbit(want)) << what;
    }
}

// erf of a double (erf_f64, replacing the C library's in float64 erf and exact GELU): within 2 ulp
// of long double erfl over the random doubles and over every double within 10000 of the split
// 0.84375 and of 5.9215871957945073 (where erf starts to round to 1); measured 1.5 ulp, above the
// split.
TEST(VecMath, ErfDoubleRandom) {
    using cmp::cpu::erf_f64;
    EXPECT_LE(double_worst_ulps("erf_f64", 7.0, erf_f64, [](long double x) { return erfl(x); },
                                {0.84375, 1.0, 2.0, 5.9215871957945073, 6.0, 1e-300, 4.9e-324, 1e-8}),
              2);
    int64_t worst = 0;
    for (double end : {0.84375, 5.9215871957945073}) {
        double x = end;
        for (int i = 0; i < 10000; ++i) x = std::nextafter(x, 0.0);
        for (int i = 0; i < 20000; ++i, x = std::nextafter(x, 10.0)) {
            worst = std::max({worst, ulps(erf_f64(x), static_cast<double>(erfl(x))),
                              ulps(erf_f64(-x), static_cast<double>(erfl(-static_cast<long double>(x))))});
        }
    }
    EXPECT_LE(worst, 2) << "around the split and the rounding to 1";
    std::printf("erf_f64 near the branch points: %lld ulp\n", static_cast<long long>(worst));
    const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
    expect_same(erf_f64(0.0), 0.0, "erf(0)");
    expect_same(erf_f64(-0.0), -0.0, "erf(-0)");
    expect_same(erf_f64(inf), 1.0, "erf(inf)");
    expect_same(erf_f64(-inf), -1.0, "erf(-inf)");
    expect_same(erf_f64(nan), nan, "erf(nan)");
}

// erfc of a double (erfc_f64, float64 erfc): within 4 ulp of long double erfcl over
// erfc_f64_inputs() (erf_reference.h: [-6, 28], log-uniform magnitudes, around the branch points
// and where the results turn subnormal), compiled here without FMA: measured 4 at one input
// (26.347...), 3 at a few dozen of the 2 million (the FMA kernels: 2, test_erf_kernels.cpp).
TEST(VecMath, ErfcDoubleRandom) {
    using cmp::cpu::erfc_f64;
    int64_t worst = 0;
    double worst_x = 0;
    for (double x : cmp::testing::erfc_f64_inputs()) {
        const int64_t u = ulps(erfc_f64(x), static_cast<double>(erfcl(static_cast<long double>(x))));
        if (u > worst) worst = u, worst_x = x;
    }
    EXPECT_LE(worst, 4) << "worst at x = " << worst_x;
    std::printf("erfc_f64: max error %lld ulp (worst at %.17g)\n", static_cast<long long>(worst), worst_x);
    const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
    expect_same(erfc_f64(inf), 0.0, "erfc(inf)");
    expect_same(erfc_f64(-inf), 2.0, "erfc(-inf)");
    expect_same(erfc_f64(nan), nan, "erfc(nan)");
    expect_same(erfc_f64(0.0), 1.0, "erfc(0)");
    expect_same(erfc_f64(-0.0), 1.0, "erfc(-0)");
    expect_same(erfc_f64(27.3), 0.0, "erfc(27.3)");  // 6e-326: rounds to 0
    expect_same(erfc_f64(-27.3), 2.0, "erfc(-27.3)");
    EXPECT_GT(erfc_f64(27.2), 0.0);  // 4.2e-323, a subnormal
}

template <typename T>
void expect_special_values() {
    const T inf = std::numeric_limits<T>::infinity(), nan = std::numeric_limits<T>::quiet_NaN();
    const T tiny = std::numeric_limits<T>::denorm_min(), big = std::numeric_limits<T>::max();
    T (*expm1)(T) = [](T x) { return cmp::cpu::vexpm1(x); };
    T (*log1p)(T) = [](T x) { return vlog1p(x); };
    T (*tanh)(T) = [](T x) { return cmp::cpu::vtanh(x); };
    // Values where the exact result is representable (or a limit), so equality is the test.
    for (T x : {T(0), -T(0), inf, -inf, nan, tiny, -tiny, big, -big, T(1e-30), T(-1e-30)}) {
        expect_same(expm1(x), static_cast<T>(std::expm1(x)), "expm1");
        expect_same(log1p(x), static_cast<T>(std::log1p(x)), "log1p");
        expect_same(tanh(x), static_cast<T>(std::tanh(x)), "tanh");
    }
    expect_same(log1p(T(-1)), -inf, "log1p(-1)");
    expect_same(log1p(T(-2)), nan, "log1p(-2)");
    expect_same(log1p(std::nextafter(T(-1), T(-2))), nan, "log1p(below -1)");
}

TEST(VecMath, Expm1Log1pTanhSpecialValues) {
    expect_special_values<float>();
    expect_special_values<double>();
}

// ---- exp2, log2, log10 and the hyperbolic functions -----------------------------------------
// Measured worst errors (this sweep and 2M random doubles): exp2 f32 1 ulp, f64 1 ulp; log2 and
// log10 f32 1, f64 1; sinh f32 2, cosh f32 1, sinh f64 2, cosh f64 1; asinh/acosh/atanh f64 2, and
// their float versions (evaluated in double) 1.

template <typename T>
T call_vexp2(T x) { return cmp::cpu::vexp2(x); }
template <typename T>
T call_vlog2(T x) { return cmp::cpu::vlog2(x); }
template <typename T>
T call_vlog10(T x) { return cmp::cpu::vlog10(x); }

TEST(VecMath, Exp2Log2Log10FloatSweep) {
    expect_float_sweep_within("exp2_f32", 1, call_vexp2<float>, [](double x) { return std::exp2(x); });
    expect_float_sweep_within("log2_f32", 1, call_vlog2<float>, [](double x) { return std::log2(x); });
    expect_float_sweep_within("log10_f32", 1, call_vlog10<float>, [](double x) { return std::log10(x); });
}

// log, log2 and log10 of a float at every positive float in [1/2, 2) (the reduction's seams at
// sqrt(1/2) and sqrt(2), and x near 1 where the result is small), every 61st positive float
// elsewhere (subnormals included); every positive float with COMPUTE_EXHAUSTIVE_TESTS=1 (minutes
// on a loaded machine, which is why it is not the default). Within 1 ulp of the rounded double.
TEST(VecMath, LogFamilyFloatDense) {
    const char* env = std::getenv("COMPUTE_EXHAUSTIVE_TESTS");
    const bool exhaustive = env != nullptr && std::strcmp(env, "1") == 0;
    const uint32_t dense_lo = 0x3f000000u, dense_hi = 0x40000000u;  // 0.5, 2.0
    int64_t worst[3] = {0, 0, 0};
    float worst_x[3] = {0, 0, 0};
    auto check = [&](int i, float got, float ref, float x) {
        const int64_t u = ulps(got, ref);
        if (u > worst[i]) {
            worst[i] = u;
            worst_x[i] = x;
        }
    };
    for (uint32_t b = 1; b < 0x7f800000u;) {
        float x;
        std::memcpy(&x, &b, 4);
        const double xd = static_cast<double>(x);
        check(0, log_f32(x), static_cast<float>(std::log(xd)), x);
        check(1, call_vlog2(x), static_cast<float>(std::log2(xd)), x);
        check(2, call_vlog10(x), static_cast<float>(std::log10(xd)), x);
        b += exhaustive || (b >= dense_lo && b < dense_hi) ? 1 : 61;
    }
    const char* names[3] = {"log_f32", "log2_f32", "log10_f32"};
    for (int i = 0; i < 3; ++i) {
        EXPECT_LE(worst[i], 1) << names[i] << ": worst at x = " << worst_x[i];
        std::printf("%s (dense): max error %lld ulp\n", names[i], static_cast<long long>(worst[i]));
    }
}

TEST(VecMath, Exp2Log2Log10DoubleRandom) {
    EXPECT_LE(double_worst_ulps("exp2_f64", 1080.0, call_vexp2<double>, [](long double x) { return exp2l(x); },
                                {0.5, 1.5, 1023.0, 1024.0, -1022.0, -1074.0, -1075.0, -1060.3, 1e-300, 4.9e-324}),
              1);
    EXPECT_LE(double_worst_ulps("log2_f64", 4.0, call_vlog2<double>, [](long double x) { return log2l(x); },
                                {0.70710678118654752, 1.4142135623730951, 1.0, 2.0, 3.0, 1e-300, 4.9e-324, 1e308}),
              1);
    EXPECT_LE(double_worst_ulps("log10_f64", 4.0, call_vlog10<double>, [](long double x) { return log10l(x); },
                                {0.70710678118654752, 1.4142135623730951, 1.0, 10.0, 1e-300, 4.9e-324, 1e308}),
              1);
}

template <typename T>
T call_sinh(T x) { return cmp::cpu::sinh_v(x); }
template <typename T>
T call_cosh(T x) { return cmp::cpu::cosh_v(x); }
template <typename T>
T call_asinh(T x) { return cmp::cpu::asinh_v(x); }
template <typename T>
T call_acosh(T x) { return cmp::cpu::acosh_v(x); }
template <typename T>
T call_atanh(T x) { return cmp::cpu::atanh_v(x); }

// The 4000 floats from at * 0.999 outwards (around a branch point or threshold at): f within
// max_ulps of ref rounded to float.
void expect_floats_near_within(const char* name, float at, int64_t max_ulps, float (*f)(float), double (*ref)(double)) {
    float x = at * 0.999f;
    for (int i = 0; i < 4000; ++i, x = std::nextafter(x, at * 2.0f)) {
        EXPECT_LE(ulps(f(x), static_cast<float>(ref(static_cast<double>(x)))), max_ulps) << name << " at " << x;
    }
}

TEST(VecMath, HyperbolicFloatSweep) {
    expect_float_sweep_within("sinh_f32", 2, call_sinh<float>, [](double x) { return std::sinh(x); });
    expect_float_sweep_within("cosh_f32", 1, call_cosh<float>, [](double x) { return std::cosh(x); });
    expect_float_sweep_within("asinh_f32", 1, call_asinh<float>, [](double x) { return std::asinh(x); });
    expect_float_sweep_within("acosh_f32", 1, call_acosh<float>, [](double x) { return std::acosh(x); });
    expect_float_sweep_within("atanh_f32", 1, call_atanh<float>, [](double x) { return std::atanh(x); });
    // Every float around the branch points (1 and ln2/2 for sinh/cosh, 2 and 2^28 for the
    // inverse functions, 1/2 for atanh) and the overflow thresholds.
    auto near = [](const char* name, float at, float (*f)(float), double (*ref)(double)) {
        expect_floats_near_within(name, at, 2, f, ref);
    };
    for (float at : {1.0f, 0.34657359f, 89.4f, -1.0f, -89.4f}) {
        near("sinh", at, call_sinh<float>, [](double x) { return std::sinh(x); });
        near("cosh", at, call_cosh<float>, [](double x) { return std::cosh(x); });
    }
    for (float at : {2.0f, 268435456.0f, -2.0f}) {
        near("asinh", at, call_asinh<float>, [](double x) { return std::asinh(x); });
        near("acosh", at, call_acosh<float>, [](double x) { return std::acosh(x); });
    }
    for (float at : {0.5f, 1.0f, -0.5f}) near("atanh", at, call_atanh<float>, [](double x) { return std::atanh(x); });
}

TEST(VecMath, HyperbolicDoubleRandom) {
    EXPECT_LE(double_worst_ulps("sinh_f64", 30.0, call_sinh<double>, [](long double x) { return sinhl(x); },
                                {1.0, 0.34657359027997264, 22.0, 709.78, 710.0, 710.4758, 710.5, 1e-300, 4.9e-324}),
              2);
    EXPECT_LE(double_worst_ulps("cosh_f64", 30.0, call_cosh<double>, [](long double x) { return coshl(x); },
                                {1.0, 0.34657359027997264, 22.0, 709.78, 710.0, 710.4758, 710.5, 1e-300, 4.9e-324}),
              2);
    EXPECT_LE(double_worst_ulps("asinh_f64", 10.0, call_asinh<double>, [](long double x) { return asinhl(x); },
                                {2.0, 268435456.0, 1e154, 1e300, 1.7e308, 1e-300, 4.9e-324}),
              2);
    EXPECT_LE(double_worst_ulps("acosh_f64", 10.0, call_acosh<double>, [](long double x) { return acoshl(x); },
                                {1.0, 1.0000000001, 2.0, 268435456.0, 1e154, 1e300, 1.7e308}),
              2);
    EXPECT_LE(double_worst_ulps("atanh_f64", 1.0, call_atanh<double>, [](long double x) { return atanhl(x); },
                                {0.5, 1.0, 0.9999999999, 1e-300, 4.9e-324}),
              2);
}

// Values with exact (or limit) results, compared bit for bit with the C library.
template <typename T>
void expect_hyperbolic_specials() {
    const T inf = std::numeric_limits<T>::infinity(), nan = std::numeric_limits<T>::quiet_NaN();
    const T tiny = std::numeric_limits<T>::denorm_min(), big = std::numeric_limits<T>::max();
    for (T x : {T(0), -T(0), inf, -inf, nan, tiny, -tiny, big, -big, T(1e-30), T(-1e-30)}) {
        expect_same(call_vexp2(x), static_cast<T>(std::exp2(x)), "exp2");
        expect_same(call_vlog2(x), static_cast<T>(std::log2(x)), "log2");
        expect_same(call_vlog10(x), static_cast<T>(std::log10(x)), "log10");
        expect_same(call_sinh(x), static_cast<T>(std::sinh(x)), "sinh");
        expect_same(call_cosh(x), static_cast<T>(std::cosh(x)), "cosh");
        expect_same(call_asinh(x), static_cast<T>(std::asinh(x)), "asinh");
        expect_same(call_atanh(x), static_cast<T>(std::atanh(x)), "atanh");
        expect_same(call_acosh(x), static_cast<T>(std::acosh(x)), "acosh");
    }
    expect_same(call_acosh(T(1)), T(0), "acosh(1)");
    expect_same(call_acosh(T(0.5)), nan, "acosh(0.5)");
    expect_same(call_atanh(T(1)), inf, "atanh(1)");
    expect_same(call_atanh(T(-1)), -inf, "atanh(-1)");
    expect_same(call_atanh(T(1.5)), nan, "atanh(1.5)");
    for (int k = -20; k <= 20; ++k) {  // exact powers: 2^k, log2(2^k) = k, log10(10^k) for exact 10^k
        expect_same(call_vexp2(T(k)), std::ldexp(T(1), k), "exp2(k)");
        expect_same(call_vlog2(std::ldexp(T(1), k)), T(k), "log2(2^k)");
    }
    for (int k = 0; k <= 7; ++k) expect_same(call_vlog10(static_cast<T>(std::pow(10.0, k))), T(k), "log10(10^k)");
}

TEST(VecMath, Exp2LogBaseHyperbolicSpecialValues) {
    expect_hyperbolic_specials<float>();
    expect_hyperbolic_specials<double>();
}

// ---- sin, cos, tan -------------------------------------------------------------------------
// Inside the vector range (|x| <= 2^26; the kernels give other values to the C library).
// Measured: float sin, cos, tan 1 ulp (every 257th float and, once, every float in range);
// double sin and cos 1 ulp, tan 2.

template <typename T>
T call_sin(T x) { return cmp::cpu::vsin(x); }
template <typename T>
T call_cos(T x) { return cmp::cpu::vcos(x); }
template <typename T>
T call_tan(T x) { return cmp::cpu::vtan(x); }

constexpr long double kPiOver2 = 1.570796326794896619231321691639751442L;

// The values of type T nearest k pi/2 for k = 1..kmax (geometrically spaced) and their
// neighbours two ulps either way, both signs: where the reduction cancels most.
template <typename T>
std::vector<T> near_multiples_of_pi_over_2(double kmax) {
    std::vector<T> xs;
    for (double k = 1; k <= kmax; k = std::floor(k * 1.003) + 1) {
        const T x = static_cast<T>(static_cast<long double>(k) * kPiOver2);
        T lo = x, hi = x;
        for (int i = 0; i < 3; ++i, lo = std::nextafter(lo, T(0)), hi = std::nextafter(hi, T(1e30))) {
            for (T v : {lo, hi}) {
                if (std::fabs(v) <= cmp::cpu::kTrigVectorMax<T>) {
                    xs.push_back(v);
                    xs.push_back(-v);
                }
            }
        }
    }
    return xs;
}

TEST(VecMath, TrigFloatSweep) {
    const auto in_range = [](double (*f)(double)) {  // reference only where the vector path runs
        return [f](double x) { return std::fabs(x) <= 67108864.0 ? f(x) : std::numeric_limits<double>::quiet_NaN(); };
    };
    const auto guarded = [](float (*f)(float)) {
        return [f](float x) { return cmp::cpu::trig_vector_ok(x) ? f(x) : std::numeric_limits<float>::quiet_NaN(); };
    };
    expect_float_sweep_within("sin_f32", 1, guarded(call_sin<float>), in_range([](double x) { return std::sin(x); }));
    expect_float_sweep_within("cos_f32", 1, guarded(call_cos<float>), in_range([](double x) { return std::cos(x); }));
    expect_float_sweep_within("tan_f32", 1, guarded(call_tan<float>), in_range([](double x) { return std::tan(x); }));
    int64_t worst = 0;
    for (float x : near_multiples_of_pi_over_2<float>(4.3e7)) {
        const double d = x;
        worst = std::max({worst, ulps(call_sin(x), static_cast<float>(std::sin(d))),
                          ulps(call_cos(x), static_cast<float>(std::cos(d))), ulps(call_tan(x), static_cast<float>(std::tan(d)))});
    }
    EXPECT_LE(worst, 1) << "near multiples of pi/2";
}

// The float-lane functions (sin_f32, cos_f32, tan_f32: what float32 blocks within
// kTrigFloatLanesMax run where the ISA has an FMA; here std::fma may be a library call, same
// results). Measured: 1 ulp each over every float in range (dev run, against the double path).
TEST(VecMath, TrigFloatLanesSweep) {
    const auto in_range = [](double (*f)(double)) {
        return [f](double x) { return std::fabs(x) <= 12800.0 ? f(x) : std::numeric_limits<double>::quiet_NaN(); };
    };
    const auto guarded = [](float (*f)(float)) {
        return [f](float x) { return cmp::cpu::trig_float_lanes_ok(x) ? f(x) : std::numeric_limits<float>::quiet_NaN(); };
    };
    expect_float_sweep_within("sin_f32 (float lanes)", 1, guarded(cmp::cpu::sin_f32), in_range([](double x) { return std::sin(x); }));
    expect_float_sweep_within("cos_f32 (float lanes)", 1, guarded(cmp::cpu::cos_f32), in_range([](double x) { return std::cos(x); }));
    expect_float_sweep_within("tan_f32 (float lanes)", 1, guarded(cmp::cpu::tan_f32), in_range([](double x) { return std::tan(x); }));
    int64_t worst = 0;
    float worst_x = 0;
    // Every float within 64 ulps of the hardest ones found (smallest |x - k pi/2| per binade, up to
    // 2^14) and the floats nearest k pi/2 for k up to the range's end.
    std::vector<float> xs = near_multiples_of_pi_over_2<float>(8149);
    for (float hard : {1.57079637f, 3.14159274f, 4.71238899f, 9.42477798f, 18.849556f, 37.6991119f, 75.3982239f,
                       252.898209f, 505.796417f, 1011.59283f, 2023.18567f, 2238.38477f, 4476.76953f, 8953.53906f}) {
        float v = hard;
        for (int i = 0; i < 64; ++i) v = std::nextafter(v, 0.0f);
        for (int i = 0; i < 129; ++i, v = std::nextafter(v, 1e30f)) {
            xs.push_back(v);
            xs.push_back(-v);
        }
    }
    for (float x : xs) {
        if (!cmp::cpu::trig_float_lanes_ok(x)) continue;
        const double d = x;
        const int64_t u = std::max({ulps(cmp::cpu::sin_f32(x), static_cast<float>(std::sin(d))),
                                    ulps(cmp::cpu::cos_f32(x), static_cast<float>(std::cos(d))),
                                    ulps(cmp::cpu::tan_f32(x), static_cast<float>(std::tan(d)))});
        if (u > worst) {
            worst = u;
            worst_x = x;
        }
    }
    EXPECT_LE(worst, 1) << "near multiples of pi/2, worst at x = " << worst_x;
}

TEST(VecMath, TrigFloatLanesSpecialValues) {
    for (float x : {0.0f, -0.0f, std::numeric_limits<float>::denorm_min(), -std::numeric_limits<float>::denorm_min(),
                    1e-30f, -1e-30f, 1e-20f}) {  // exact results: sin x = tan x = x, cos x = 1
        expect_same(cmp::cpu::sin_f32(x), x, "sin_f32");
        expect_same(cmp::cpu::tan_f32(x), x, "tan_f32");
        expect_same(cmp::cpu::cos_f32(x), 1.0f, "cos_f32");
    }
    const float max = cmp::cpu::kTrigFloatLanesMax, inf = std::numeric_limits<float>::infinity();
    EXPECT_TRUE(cmp::cpu::trig_float_lanes_ok(max));
    EXPECT_TRUE(cmp::cpu::trig_float_lanes_ok(-max));
    for (float x : {std::nextafter(max, inf), inf, std::numeric_limits<float>::quiet_NaN()}) {
        EXPECT_FALSE(cmp::cpu::trig_float_lanes_ok(x)) << x;
        EXPECT_FALSE(cmp::cpu::trig_float_lanes_ok(-x)) << x;
    }
}

TEST(VecMath, TrigDoubleRandom) {
    const double max = 67108864.0;  // 2^26; the log-uniform magnitudes above it are left out
    const auto in_range = [max](double (*f)(double)) {
        return [f, max](double x) { return std::fabs(x) <= max ? f(x) : 0.0; };
    };
    const auto ref = [max](long double (*f)(long double)) {
        return [f, max](long double x) { return std::fabs(x) <= max ? f(x) : 0.0L; };
    };
    const std::initializer_list<double> ends = {0.78539816339744828, 0.7853981633974484, 2.356194490192345, 1e-300,
                                                4.9e-324, 1e-8, 67108864.0, 1.5707963267948966, 3.141592653589793};
    const auto near = near_multiples_of_pi_over_2<double>(4.3e7);
    const auto worst_with_near = [&](const char* name, double (*f)(double), long double (*r)(long double)) {
        int64_t worst = double_worst_ulps(name, 10.0, in_range(f), ref(r), ends);
        for (double x : near) worst = std::max(worst, ulps(f(x), static_cast<double>(r(x))));
        return worst;
    };
    EXPECT_LE(worst_with_near("sin_f64", call_sin<double>, [](long double x) { return sinl(x); }), 1);
    EXPECT_LE(worst_with_near("cos_f64", call_cos<double>, [](long double x) { return cosl(x); }), 1);
    EXPECT_LE(worst_with_near("tan_f64", call_tan<double>, [](long double x) { return tanl(x); }), 2);
}

template <typename T>
void expect_trig_specials() {
    const T inf = std::numeric_limits<T>::infinity(), nan = std::numeric_limits<T>::quiet_NaN();
    const T tiny = std::numeric_limits<T>::denorm_min();
    for (T x : {T(0), -T(0), tiny, -tiny, T(1e-30), T(-1e-30)}) {  // exact results: sin x = tan x = x, cos x = 1
        expect_same(call_sin(x), x, "sin");
        expect_same(call_tan(x), x, "tan");
        expect_same(call_cos(x), T(1), "cos");
    }
    for (T x : {inf, -inf, nan, std::nextafter(cmp::cpu::kTrigVectorMax<T>, inf)}) {
        EXPECT_FALSE(cmp::cpu::trig_vector_ok(x)) << x;
        EXPECT_FALSE(cmp::cpu::trig_vector_ok(-x)) << x;
    }
    EXPECT_TRUE(cmp::cpu::trig_vector_ok(cmp::cpu::kTrigVectorMax<T>));
    EXPECT_TRUE(cmp::cpu::trig_vector_ok(-cmp::cpu::kTrigVectorMax<T>));
}

TEST(VecMath, TrigSpecialValues) {
    expect_trig_specials<float>();
    expect_trig_specials<double>();
}

// erfinv of a float against the root of erf(y) = x found in double: Newton steps on
// erf(y) - x (on (1 - x) - erfc(y) above 1/2, where 1 - x is exact and erf(y) - x would cancel)
// from the tested value; each step squares the relative error, three reach double precision.
double erfinv_reference(float xf) {
    const double x = xf, ax = std::fabs(x);
    double y = std::fabs(static_cast<double>(cmp::cpu::erfinv_f32(xf)));
    for (int i = 0; i < 3; ++i) {
        const double g = ax > 0.5 ? (1.0 - ax) - std::erfc(y) : std::erf(y) - ax;
        y -= g / (1.1283791670955126 * std::exp(-y * y));
    }
    return std::copysign(y, x);
}

// Measured: at most 1 ulp over every 257th float in (-1, 1) and the 20000 floats below 1.
TEST(VecMath, ErfinvFloatSweep) {
    int64_t worst = 0;
    float worst_x = 0;
    auto check = [&](float x) {
        const int64_t u = ulps(cmp::cpu::erfinv_f32(x), static_cast<float>(erfinv_reference(x)));
        if (u > worst) {
            worst = u;
            worst_x = x;
        }
    };
    for (uint64_t bits = 0; bits <= 0xffffffffull; bits += 257) {
        const uint32_t b = static_cast<uint32_t>(bits);
        float x;
        std::memcpy(&x, &b, 4);
        if (std::fabs(x) < 1.0f) check(x);
    }
    float x = 1.0f;
    for (int i = 0; i < 20000; ++i) check(x = std::nextafter(x, 0.0f));
    for (float b : {0.99660f, 0.99661f, 0.9966f, 0.5f, 1e-20f, 1e-40f}) check(b);
    EXPECT_LE(worst, 1) << "worst at x = " << worst_x;
    std::printf("erfinv_f32: max error %lld ulp\n", static_cast<long long>(worst));
    const float inf = std::numeric_limits<float>::infinity();
    expect_same(cmp::cpu::erfinv_f32(1.0f), inf, "erfinv(1)");
    expect_same(cmp::cpu::erfinv_f32(-1.0f), -inf, "erfinv(-1)");
    expect_same(cmp::cpu::erfinv_f32(0.0f), 0.0f, "erfinv(0)");
    expect_same(cmp::cpu::erfinv_f32(-0.0f), -0.0f, "erfinv(-0)");
    expect_same(cmp::cpu::erfinv_f32(1.5f), std::numeric_limits<float>::quiet_NaN(), "erfinv(1.5)");
    expect_same(cmp::cpu::erfinv_f32(-inf), std::numeric_limits<float>::quiet_NaN(), "erfinv(-inf)");
    expect_same(cmp::cpu::erfinv_f32(std::numeric_limits<float>::quiet_NaN()), std::numeric_limits<float>::quiet_NaN(), "erfinv(nan)");
}

// erfinv of a double (erfinv_f64, float64 erfinv) against the long double root of erf(y) = x
// (erf_reference.h) over erfinv_f64_inputs(): (-1, 1), tiny magnitudes, 1 - 2^-k down to the
// double closest to 1, every double around the two branch points. Within 3 ulp (measured 3 at a
// handful of inputs; the kernels of each ISA in test_erf_kernels.cpp).
TEST(VecMath, ErfinvDoubleSweep) {
    using cmp::cpu::erfinv_f64;
    int64_t worst = 0;
    double worst_x = 0;
    for (double x : cmp::testing::erfinv_f64_inputs()) {
        const int64_t u = ulps(erfinv_f64(x), static_cast<double>(cmp::testing::erfinv_reference(x)));
        if (u > worst) worst = u, worst_x = x;
    }
    EXPECT_LE(worst, 3) << "worst at x = " << worst_x;
    std::printf("erfinv_f64: max error %lld ulp (worst at %.17g)\n", static_cast<long long>(worst), worst_x);
    const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
    expect_same(erfinv_f64(1.0), inf, "erfinv(1)");
    expect_same(erfinv_f64(-1.0), -inf, "erfinv(-1)");
    expect_same(erfinv_f64(0.0), 0.0, "erfinv(0)");
    expect_same(erfinv_f64(-0.0), -0.0, "erfinv(-0)");
    expect_same(erfinv_f64(std::nextafter(1.0, 2.0)), nan, "erfinv(1 + 2^-52)");
    expect_same(erfinv_f64(-inf), nan, "erfinv(-inf)");
    expect_same(erfinv_f64(inf), nan, "erfinv(inf)");
    expect_same(erfinv_f64(nan), nan, "erfinv(nan)");
    expect_same(erfinv_f64(4.9e-324), 4.9e-324, "erfinv(denorm_min)");  // sqrt(pi)/2 times it rounds back to it
}

// ---- atan, asin, acos, atan2, hypot (cpu/vec_atan.h) ------------------------------------------
// Measured worst errors (these sweeps): float atan/asin/acos/atan2 1 ulp (evaluated in double,
// rounded once), hypot 0; double atan, asin, acos, atan2, hypot 1.

template <typename T>
T call_atan(T x) { return cmp::cpu::atan_v(x); }
template <typename T>
T call_asin(T x) { return cmp::cpu::asin_v(x); }
template <typename T>
T call_acos(T x) { return cmp::cpu::acos_v(x); }

TEST(VecMath, AtanAsinAcosFloatSweep) {
    expect_float_sweep_within("atan_f32", 1, call_atan<float>, [](double x) { return std::atan(x); });
    expect_float_sweep_within("asin_f32", 1, call_asin<float>, [](double x) { return std::asin(x); });
    expect_float_sweep_within("acos_f32", 1, call_acos<float>, [](double x) { return std::acos(x); });
    // Every float around the branch points: atan's reduction at 1/2 and 2, asin/acos's at 1/2 and
    // the end of the domain.
    auto near = [](const char* name, float at, float (*f)(float), double (*ref)(double)) {
        expect_floats_near_within(name, at, 1, f, ref);
    };
    for (float at : {0.5f, 2.0f, -0.5f, -2.0f}) near("atan", at, call_atan<float>, [](double x) { return std::atan(x); });
    for (float at : {0.5f, -0.5f}) {
        near("asin", at, call_asin<float>, [](double x) { return std::asin(x); });
        near("acos", at, call_acos<float>, [](double x) { return std::acos(x); });
    }
    for (float end : {1.0f, -1.0f}) {
        float x = end;
        for (int i = 0; i < 20000; ++i, x = std::nextafter(x, 0.0f)) {
            EXPECT_LE(ulps(call_asin(x), static_cast<float>(std::asin(static_cast<double>(x)))), 1) << "asin at " << x;
            EXPECT_LE(ulps(call_acos(x), static_cast<float>(std::acos(static_cast<double>(x)))), 1) << "acos at " << x;
        }
    }
}

TEST(VecMath, AtanAsinAcosDoubleRandom) {
    EXPECT_LE(double_worst_ulps("atan_f64", 4.0, call_atan<double>, [](long double x) { return atanl(x); },
                                {0.5, 2.0, 1.0, 0x1p60, 1e300, 1e-300, 4.9e-324}),
              2);
    // Outside [-1, 1] both give NaN, as the reference does.
    EXPECT_LE(double_worst_ulps("asin_f64", 1.0, call_asin<double>, [](long double x) { return asinl(x); },
                                {0.5, 1.0, 0.9999999999, 1e-300, 4.9e-324}),
              2);
    EXPECT_LE(double_worst_ulps("acos_f64", 1.0, call_acos<double>, [](long double x) { return acosl(x); },
                                {0.5, 1.0, 0.9999999999, 1e-300, 4.9e-324}),
              2);
}

// f(y, x) against the reference at pairs: independent random bit patterns (every magnitude,
// subnormals, infinities and NaNs included), pairs of nearby magnitude (the middle reduction of
// atan2, hypot's cancellation-free range), both huge, both tiny, and random signs.
template <typename T, typename F, typename R>
int64_t pair_worst_ulps(const char* name, F f, R reference) {
    using Bits = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
    std::mt19937_64 gen(11);
    std::uniform_real_distribution<double> near(0.2, 5.0);
    const double max_exp = sizeof(T) == 4 ? 88.0 : 709.0, min_exp = sizeof(T) == 4 ? -103.0 : -744.0;
    std::uniform_real_distribution<double> mag(min_exp, max_exp);
    int64_t worst = 0;
    T worst_y = 0, worst_x = 0;
    for (int i = 0; i < 2000000; ++i) {
        T y, x;
        switch (i % 4) {
            case 0: {
                const Bits by = static_cast<Bits>(gen()), bx = static_cast<Bits>(gen());
                std::memcpy(&y, &by, sizeof(T));
                std::memcpy(&x, &bx, sizeof(T));
                break;
            }
            case 1:
                y = static_cast<T>(std::exp(mag(gen)));
                x = static_cast<T>(std::exp(mag(gen)));
                break;
            default:
                y = static_cast<T>(std::exp(mag(gen)));
                x = static_cast<T>(y * near(gen));
                break;
        }
        if (gen() & 1) y = -y;
        if (gen() & 1) x = -x;
        const int64_t u = ulps(f(y, x), static_cast<T>(reference(y, x)));
        if (u > worst) {
            worst = u;
            worst_y = y;
            worst_x = x;
        }
    }
    std::printf("%s: max error %lld ulp (worst at %.17g, %.17g)\n", name, static_cast<long long>(worst),
                static_cast<double>(worst_y), static_cast<double>(worst_x));
    return worst;
}

TEST(VecMath, Atan2HypotFloatRandom) {
    EXPECT_LE(pair_worst_ulps<float>("atan2_f32", [](float y, float x) { return cmp::cpu::atan2_v(y, x); },
                                     [](float y, float x) { return std::atan2(static_cast<double>(y), static_cast<double>(x)); }),
              1);
    EXPECT_LE(pair_worst_ulps<float>("hypot_f32", [](float y, float x) { return cmp::cpu::hypot_v(y, x); },
                                     [](float y, float x) { return std::hypot(static_cast<double>(y), static_cast<double>(x)); }),
              1);
}

TEST(VecMath, Atan2HypotDoubleRandom) {
    EXPECT_LE(pair_worst_ulps<double>("atan2_f64", [](double y, double x) { return cmp::cpu::atan2_v(y, x); },
                                      [](double y, double x) { return atan2l(y, x); }),
              2);
    EXPECT_LE(pair_worst_ulps<double>("hypot_f64", [](double y, double x) { return cmp::cpu::hypot_v(y, x); },
                                      [](double y, double x) { return hypotl(y, x); }),
              2);
}

// The float-lane versions (atan_v(float), ... where the ISA has an FMA; compiled here with the
// test's flags, where std::fma may be a library call and remainder_exact Dekker's product):
// within an ulp over the sweeps, and atan2 below 0.8 ulp of the exact value just below
// |y / x| = 1/2, where its error is largest (0.92 ulp in these pairs when the correction c of
// the quotient was added at full weight instead of c (1 - q^2), measured with the avx2 flags).
TEST(VecMath, AtanFamilyFloatLanes) {
    expect_float_sweep_within("atan_f32 (float lanes)", 1, cmp::cpu::atan_f32, [](double x) { return std::atan(x); });
    expect_float_sweep_within("asin_f32 (float lanes)", 1, cmp::cpu::asin_f32, [](double x) { return std::asin(x); });
    expect_float_sweep_within("acos_f32 (float lanes)", 1, cmp::cpu::acos_f32, [](double x) { return std::acos(x); });
    for (float at : {0.5f, 2.0f, -0.5f, -2.0f}) expect_floats_near_within("atan (float lanes)", at, 1, cmp::cpu::atan_f32, [](double x) { return std::atan(x); });
    for (float at : {0.5f, -0.5f, 1.0f, -1.0f}) {
        expect_floats_near_within("asin (float lanes)", at, 1, cmp::cpu::asin_f32, [](double x) { return std::asin(x); });
        expect_floats_near_within("acos (float lanes)", at, 1, cmp::cpu::acos_f32, [](double x) { return std::acos(x); });
    }
    EXPECT_LE(pair_worst_ulps<float>("atan2_f32 (float lanes)", [](float y, float x) { return cmp::cpu::atan2_f32(y, x); },
                                     [](float y, float x) { return std::atan2(static_cast<double>(y), static_cast<double>(x)); }),
              1);
    std::mt19937_64 gen(5);
    std::uniform_real_distribution<double> ratio(0.4, 0.5), mantissa(1.0, 2.0);
    double worst = 0;
    float worst_y = 0, worst_x = 0;
    for (int i = 0; i < 1000000; ++i) {
        const float x = static_cast<float>(std::ldexp(mantissa(gen), static_cast<int>(gen() % 40) - 20));
        const float y = static_cast<float>(x * ratio(gen)) * (gen() & 1 ? 1.0f : -1.0f);
        const double exact = std::atan2(static_cast<double>(y), static_cast<double>(x));
        int e;
        std::frexp(exact, &e);
        const double err = std::fabs(static_cast<double>(cmp::cpu::atan2_f32(y, x)) - exact) / std::ldexp(1.0, e - 24);
        if (err > worst) worst = err, worst_y = y, worst_x = x;
    }
    std::printf("atan2_f32 (float lanes) near |y / x| = 1/2: max error %.3f ulp (at %.9g, %.9g)\n", worst, worst_y, worst_x);
    EXPECT_LT(worst, 0.8) << "at y = " << worst_y << ", x = " << worst_x;
}

// The special values of C and PyTorch, exactly (signs of zeros included). FloatLanes: the float
// versions that compute in float lanes (atan_f32, ...; what atan_v(float) is where the ISA has an
// FMA) rather than atan_v, ... as compiled with the test's flags.
template <typename T, bool FloatLanes = false>
void expect_atan_specials() {
    const T inf = std::numeric_limits<T>::infinity(), nan = std::numeric_limits<T>::quiet_NaN();
    const T pi = static_cast<T>(3.14159265358979323846264338327950288L);
    const T pi_2 = static_cast<T>(1.57079632679489661923132169163975144L);
    const T pi_4 = static_cast<T>(0.785398163397448309615660845819875721L);
    const T pi3_4 = static_cast<T>(2.35619449019234492884698253745962716L);
    auto atan2 = [](T y, T x) -> T {
        if constexpr (FloatLanes) return cmp::cpu::atan2_f32(y, x);
        else return cmp::cpu::atan2_v(y, x);
    };
    auto call_atan = [](T x) -> T {
        if constexpr (FloatLanes) return cmp::cpu::atan_f32(x);
        else return cmp::cpu::atan_v(x);
    };
    auto call_asin = [](T x) -> T {
        if constexpr (FloatLanes) return cmp::cpu::asin_f32(x);
        else return cmp::cpu::asin_v(x);
    };
    auto call_acos = [](T x) -> T {
        if constexpr (FloatLanes) return cmp::cpu::acos_f32(x);
        else return cmp::cpu::acos_v(x);
    };
    auto hypot = [](T x, T y) { return cmp::cpu::hypot_v(x, y); };
    expect_same(call_atan(inf), pi_2, "atan(inf)");
    expect_same(call_atan(-inf), -pi_2, "atan(-inf)");
    expect_same(call_atan(T(0)), T(0), "atan(0)");
    expect_same(call_atan(-T(0)), -T(0), "atan(-0)");
    expect_same(call_atan(T(1)), pi_4, "atan(1)");
    expect_same(call_atan(nan), nan, "atan(nan)");
    expect_same(call_atan(std::numeric_limits<T>::denorm_min()), std::numeric_limits<T>::denorm_min(), "atan(tiny)");
    expect_same(call_atan(std::numeric_limits<T>::max()), pi_2, "atan(max)");
    for (T x : {T(1.5), T(-1.5), inf, -inf, nan, std::nextafter(T(1), T(2)), std::nextafter(T(-1), T(-2))}) {
        expect_same(call_asin(x), nan, "asin outside [-1, 1]");
        expect_same(call_acos(x), nan, "acos outside [-1, 1]");
    }
    expect_same(call_asin(T(1)), pi_2, "asin(1)");
    expect_same(call_asin(T(-1)), -pi_2, "asin(-1)");
    expect_same(call_asin(T(0)), T(0), "asin(0)");
    expect_same(call_asin(-T(0)), -T(0), "asin(-0)");
    expect_same(call_acos(T(1)), T(0), "acos(1)");
    expect_same(call_acos(T(-1)), pi, "acos(-1)");
    expect_same(call_acos(T(0)), pi_2, "acos(0)");
    expect_same(call_acos(-T(0)), pi_2, "acos(-0)");
    expect_same(atan2(T(0), -T(0)), pi, "atan2(0, -0)");
    expect_same(atan2(-T(0), -T(0)), -pi, "atan2(-0, -0)");
    expect_same(atan2(T(0), T(0)), T(0), "atan2(0, 0)");
    expect_same(atan2(-T(0), T(0)), -T(0), "atan2(-0, 0)");
    expect_same(atan2(T(0), T(-3)), pi, "atan2(0, -3)");
    expect_same(atan2(-T(0), T(-3)), -pi, "atan2(-0, -3)");
    expect_same(atan2(-T(0), T(3)), -T(0), "atan2(-0, 3)");
    expect_same(atan2(T(2), T(0)), pi_2, "atan2(2, 0)");
    expect_same(atan2(T(-2), -T(0)), -pi_2, "atan2(-2, -0)");
    expect_same(atan2(inf, inf), pi_4, "atan2(inf, inf)");
    expect_same(atan2(-inf, inf), -pi_4, "atan2(-inf, inf)");
    expect_same(atan2(inf, -inf), pi3_4, "atan2(inf, -inf)");
    expect_same(atan2(-inf, -inf), -pi3_4, "atan2(-inf, -inf)");
    expect_same(atan2(inf, T(5)), pi_2, "atan2(inf, 5)");
    expect_same(atan2(-inf, T(-5)), -pi_2, "atan2(-inf, -5)");
    expect_same(atan2(T(5), inf), T(0), "atan2(5, inf)");
    expect_same(atan2(T(-5), inf), -T(0), "atan2(-5, inf)");
    expect_same(atan2(T(5), -inf), pi, "atan2(5, -inf)");
    expect_same(atan2(T(-5), -inf), -pi, "atan2(-5, -inf)");
    expect_same(atan2(T(1), T(1)), pi_4, "atan2(1, 1)");
    expect_same(atan2(T(-7), T(-7)), -pi3_4, "atan2(-7, -7)");
    for (T a : {nan, inf, -inf, T(0), T(1)}) {
        expect_same(atan2(nan, a), nan, "atan2(nan, .)");
        expect_same(atan2(a, nan), nan, "atan2(., nan)");
    }
    const T big = std::numeric_limits<T>::max(), tiny = std::numeric_limits<T>::denorm_min();
    expect_same(atan2(big, big), pi_4, "atan2(max, max)");
    expect_same(atan2(tiny, tiny), pi_4, "atan2(tiny, tiny)");
    expect_same(atan2(tiny, big), T(0), "atan2(tiny, max)");
    expect_same(atan2(big, tiny), pi_2, "atan2(max, tiny)");
    expect_same(atan2(tiny, T(1)), tiny, "atan2(tiny, 1)");
    expect_same(hypot(inf, nan), inf, "hypot(inf, nan)");
    expect_same(hypot(nan, -inf), inf, "hypot(nan, -inf)");
    expect_same(hypot(nan, T(1)), nan, "hypot(nan, 1)");
    expect_same(hypot(T(0), -T(0)), T(0), "hypot(0, -0)");
    expect_same(hypot(T(-3), T(4)), T(5), "hypot(-3, 4)");
    expect_same(hypot(big, big), inf, "hypot(max, max)");
    expect_same(hypot(big, T(1)), big, "hypot(max, 1)");
    expect_same(hypot(tiny, T(0)), tiny, "hypot(tiny, 0)");
    // Pythagorean triples scaled to the ends of the range: no overflow, no underflow, exact.
    const int top = std::numeric_limits<T>::max_exponent - 4, bottom = std::numeric_limits<T>::min_exponent - 1;
    expect_same(hypot(std::ldexp(T(3), top), std::ldexp(T(-4), top)), std::ldexp(T(5), top), "hypot(3, 4) * 2^top");
    expect_same(hypot(std::ldexp(T(3), bottom), std::ldexp(T(4), bottom)), std::ldexp(T(5), bottom), "hypot(3, 4) * 2^bottom");
    expect_same(hypot(std::ldexp(T(5), bottom - 10), std::ldexp(T(12), bottom - 10)), std::ldexp(T(13), bottom - 10),
                "hypot(5, 12) * 2^(bottom - 10), subnormal");
}

TEST(VecMath, AtanAsinAcosAtan2HypotSpecialValues) {
    expect_atan_specials<float>();
    expect_atan_specials<float, true>();
    expect_atan_specials<double>();
}

}  // namespace
