// The auto-vectorisable exp of cpu/vec_math.h and the log, log1p, expm1, tanh, erf and erfc of
// cpu/unary_math_vec.h against the C library (float: rounded from the double function) or its
// long double functions (double), over a sweep of every 257th float bit pattern, random doubles
// on linear and logarithmic scales, and the special values (NaN, infinities, signed zeros,
// overflow and underflow thresholds, subnormal inputs and results, the ends of each branch).
#define CMP_ISA_NAME vec_math_test  // the header is per-ISA; here it is compiled with the test's flags
#include "cpu/vec_math.h"
#include "cpu/unary_math_vec.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>

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

// Distance in units in the last place, through the ordered integer view of the bits (which
// also counts steps between subnormals correctly).
int64_t ordered(float f) {
    int32_t i;
    std::memcpy(&i, &f, 4);
    return i < 0 ? -static_cast<int64_t>(i & 0x7fffffff) : i;
}
int64_t ordered(double d) {
    int64_t i;
    std::memcpy(&i, &d, 8);
    return i < 0 ? -(i & 0x7fffffffffffffffLL) : i;
}
template <typename T>
int64_t ulps(T a, T b) {
    if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b) ? 0 : std::numeric_limits<int64_t>::max();
    if (a == b) return 0;  // also +-inf
    if (std::isinf(a) || std::isinf(b)) return std::numeric_limits<int64_t>::max();
    const int64_t d = ordered(a) - ordered(b);
    return d < 0 ? -d : d;
}

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
// 2 ulp, over the sweep and over every float around the branch point |x| = 1 and the clamp at 10.
TEST(VecMath, ErfFloatSweep) {
    expect_float_sweep_within("erf_f32", 2, erf_f32, [](double x) { return std::erf(x); });
    for (float end : {1.0f, -1.0f, 10.0f, -10.0f}) {
        float x = end * 0.999f;
        for (int i = 0; i < 20000; ++i, x = std::nextafter(x, end * 2.0f)) {
            EXPECT_LE(ulps(erf_f32(x), static_cast<float>(std::erf(static_cast<double>(x)))), 2) << x;
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

}  // namespace
