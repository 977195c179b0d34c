// The auto-vectorisable exp of cpu/vec_math.h against the C library, over a sweep of every
// 257th float bit pattern, random doubles, and the special values (NaN, infinities, zeros,
// overflow and underflow thresholds, subnormal inputs and results).
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

// erf and erfc of a float (cpu/unary_math_vec.h, used by erf, erfc and exact GELU): the double
// evaluation leaves only the final rounding, so within one ulp of the correctly rounded result.
TEST(VecMath, ErfFloatSweep) {
    expect_float_sweep_within("erf_f32", 1, erf_f32, [](double x) { return std::erf(x); });
    EXPECT_EQ(erf_f32(std::numeric_limits<float>::infinity()), 1.0f);
    EXPECT_EQ(erf_f32(-std::numeric_limits<float>::infinity()), -1.0f);
    EXPECT_TRUE(std::signbit(erf_f32(-0.0f)));
    EXPECT_TRUE(std::isnan(erf_f32(std::numeric_limits<float>::quiet_NaN())));
}

TEST(VecMath, ErfcFloatSweep) {
    expect_float_sweep_within("erfc_f32", 1, erfc_f32, [](double x) { return std::erfc(x); });
    EXPECT_EQ(erfc_f32(std::numeric_limits<float>::infinity()), 0.0f);
    EXPECT_EQ(erfc_f32(-std::numeric_limits<float>::infinity()), 2.0f);
    EXPECT_TRUE(std::isnan(erfc_f32(std::numeric_limits<float>::quiet_NaN())));
}

}  // namespace
