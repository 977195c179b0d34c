// lgamma_f32 and digamma_f32 of cpu/vec_gamma.h over the float range, each beside what it
// replaces in the float32 kernel:
//  * lgamma against the C library's double lgamma_r rounded to float (correctly rounded but for
//    double's own error), beside the C library's float lgammaf_r (what PyTorch's CPU kernel calls),
//    which is the bar: ours may not be worse by more than an ulp;
//  * digamma against a long double evaluation (digamma_reference below), beside
//    special::digamma_f64 rounded to float (the float32 kernel before, and the float64 one).
// Relative error (ulps) everywhere; where the function is near a zero (|f| < 1/8) the absolute
// error is reported too, since the error of any method is absolute there. The sweeps take every
// 257th float; COMPUTE_EXHAUSTIVE=1 takes every float (minutes). Measured over every float (dev
// run): lgamma_f32 1 ulp everywhere, the negative zeros included (glibc 2.36's lgammaf_r: 2 ulp for
// x >= 0 but inf for some finite results near 4.08e36, 7 ulp below 0); digamma_f32 1 ulp
// (digamma_f64 rounded: 1). Then the special values and
// the kernels through the C ABI (per ISA: avx2/avx512 compile them with FMA contraction).
#define CMP_ISA_NAME vec_gamma_test  // the header is per-ISA; here it is compiled with the test's flags
#include "cpu/vec_gamma.h"
#include "cpu/special_math.h"

#include "abi_helpers.h"
#include "ulp_distance.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

namespace {

using cmp::testing::ulps;

double lgamma_reference(float x) {
    int sign;
    return ::lgamma_r(static_cast<double>(x), &sign);
}

float lgammaf_glibc(float x) {
    int sign;
    return ::lgammaf_r(x, &sign);
}

// digamma in long double (64-bit significand): the reflection psi(x) = psi(1 - x) - pi / tan(pi r)
// with r = x - round(x) exact and |r| <= 1/2 (x - trunc(x) would put pi r near -pi next to the
// negative integers below them, losing pi r's relative accuracy to tan there), the recurrence psi(x) = psi(x + 1) - 1/x up to x >= 20, then the
// asymptotic series to B_14 (the next term is below 1e-21 at 20). Near the positive zero the
// recurrence's sum of ~20 terms of order 1 leaves about 1e-18 absolute, 1e-10 of the smallest
// float result there: far below a float ulp (for doubles, see the float64 tests below).
long double digamma_long(long double x) {
    const long double pi = 3.141592653589793238462643383279502884L;
    if (x == 0) return std::copysign(std::numeric_limits<long double>::infinity(), -x);
    long double result = 0;
    if (x < 0) {
        if (x == std::trunc(x)) return std::numeric_limits<long double>::quiet_NaN();
        result = -pi / std::tan(pi * (x - std::round(x)));
        x = 1 - x;
    }
    for (; x < 20; x += 1) result -= 1 / x;
    if (std::isinf(x)) return result + x;
    const long double z = 1 / (x * x);
    long double s = -1.0L / 12;  // B_2k / 2k for k = 7 down to 1
    for (long double c : {691.0L / 32760, -1.0L / 132, 1.0L / 240, -1.0L / 252, 1.0L / 120, -1.0L / 12}) s = s * z + c;
    return result + std::log(x) - 0.5L / x + s * z;
}
double digamma_reference(float x) { return static_cast<double>(digamma_long(x)); }

float digamma_before(float x) { return static_cast<float>(cmp::special::digamma_f64(x)); }

uint64_t sweep_stride() {
    const char* env = std::getenv("COMPUTE_EXHAUSTIVE");
    return env && env[0] == '1' ? 1 : 257;
}

float float_of(uint32_t b) {
    float x;
    std::memcpy(&x, &b, 4);
    return x;
}

// The worst ulp distance from the rounded reference, and the worst absolute error where
// |f| < 1/8 (near the zeros), of one function on one side of 0.
struct Worst {
    int64_t max_ulps = 0;
    float max_ulps_at = 0;
    double near_zero_abs = 0;
    float near_zero_at = 0;
    void add(float x, float got, double ref) {
        const int64_t u = ulps(got, static_cast<float>(ref));
        if (u > max_ulps) max_ulps = u, max_ulps_at = x;
        if (std::fabs(ref) < 0.125) {
            const double a = std::fabs(static_cast<double>(got) - ref);
            if (a > near_zero_abs) near_zero_abs = a, near_zero_at = x;
        }
    }
    void print(const char* name, const char* side) const {
        std::printf("%-12s %s: max %lld ulp (x = %.9g); near the zeros max abs error %.3g (x = %.9g)\n", name, side,
                    static_cast<long long>(max_ulps), max_ulps_at, near_zero_abs, near_zero_at);
    }
};

// f and the function it replaces (before) against reference over the sweep, per side of 0:
// f within max_ulps and not worse than before by more than an ulp (nor in absolute error near
// the zeros, beyond 1e-9).
template <typename F, typename B, typename R>
void expect_sweep(const char* name, const char* before_name, int64_t max_ulps, F f, B before, R reference) {
    Worst mine[2], old[2];  // [0]: x >= 0 (and NaN), [1]: x < 0
    const uint64_t stride = sweep_stride();
    for (uint64_t bits = 0; bits <= 0xffffffffull; bits += stride) {
        const float x = float_of(static_cast<uint32_t>(bits));
        const double ref = reference(x);
        mine[x < 0.0f].add(x, f(x), ref);
        old[x < 0.0f].add(x, before(x), ref);
    }
    for (int side = 0; side < 2; ++side) {
        const char* side_name = side ? "x < 0" : "x >= 0";
        mine[side].print(name, side_name);
        old[side].print(before_name, side_name);
        EXPECT_LE(mine[side].max_ulps, max_ulps) << name << ", worst at x = " << mine[side].max_ulps_at;
        EXPECT_LE(mine[side].max_ulps, old[side].max_ulps + 1) << name << ", worst at x = " << mine[side].max_ulps_at;
        EXPECT_LE(mine[side].near_zero_abs, old[side].near_zero_abs + 1e-9) << name << ", worst at x = " << mine[side].near_zero_at;
    }
}

// Every float within 20000 steps either side of each point, within max_ulps.
template <typename F, typename R>
void expect_around(std::initializer_list<float> points, int64_t max_ulps, F f, R reference) {
    int64_t worst = 0;
    float worst_x = 0;
    for (float p : points) {
        float up = p, down = p;
        for (int i = 0; i < 20000; ++i, up = std::nextafter(up, 100.0f), down = std::nextafter(down, -100.0f)) {
            for (float x : {up, down}) {
                const int64_t u = ulps(f(x), static_cast<float>(reference(x)));
                if (u > worst) worst = u, worst_x = x;
            }
        }
    }
    EXPECT_LE(worst, max_ulps) << "worst at x = " << worst_x;
}

TEST(VecGamma, LgammaFloatSweep) {
    expect_sweep("lgamma_f32", "lgammaf_r", 1, cmp::cpu::lgamma_f32, lgammaf_glibc, lgamma_reference);
}

TEST(VecGamma, DigammaFloatSweep) {
    expect_sweep("digamma_f32", "digamma_f64", 1, cmp::cpu::digamma_f32, digamma_before, digamma_reference);
}

// The ends of the paths (lgamma: the polynomial's [1.5, 2.5), the recurrence's limits 2.5 and 8;
// digamma: [1, 2), 2 and 8; both: the reflection at 0) and the zeros at 1 and 2 (lgamma) and
// 1.4616 (digamma), in both directions.
TEST(VecGamma, BranchPoints) {
    expect_around({0.5f, 1.0f, 1.5f, 2.0f, 2.5f, 8.0f, -2.5f, -0.5f}, 1, cmp::cpu::lgamma_f32, lgamma_reference);
    expect_around({1.0f, 1.4616321f, 2.0f, 8.0f, -1.0f, -0.5f, 0.5f}, 1, cmp::cpu::digamma_f32, digamma_reference);
}

template <typename T>
void expect_same(T got, T want, const char* what, T x) {
    if (std::isnan(want)) {
        EXPECT_TRUE(std::isnan(got)) << what << "(" << x << ") = " << got;
    } else {
        EXPECT_EQ(got, want) << what << "(" << x << ")";
        EXPECT_EQ(std::signbit(got), std::signbit(want)) << what << "(" << x << ")";
    }
}

// PyTorch's special values, exactly. lgamma (as lgammaf): +inf at the poles 0, -0, the negative
// integers and +-inf, NaN for NaN, 0 at 1 and 2, inf above about 4.1e36 (4e36 is still finite,
// 3.3e38). digamma (as the float64 kernel and PyTorch's calc_digamma): -inf at +0, +inf at -0,
// NaN at the negative integers and -inf, +inf at +inf, -+inf at the smallest subnormals (-1/x
// overflows), NaN for NaN. Then the last non-integers below -2^22 and the smallest subnormals of
// lgamma within an ulp.
TEST(VecGamma, SpecialValues) {
    const float inf = std::numeric_limits<float>::infinity();
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const float tiny = std::numeric_limits<float>::denorm_min();
    for (float x : {0.0f, -0.0f, -1.0f, -2.0f, -3.0f, -100.0f, -4194305.0f, -8388608.0f, -1e30f, -inf, inf, nan, 1.0f, 2.0f,
                    std::numeric_limits<float>::max(), 4.2e36f}) {
        expect_same(cmp::cpu::lgamma_f32(x), lgammaf_glibc(x), "lgamma", x);
    }
    for (float x : {4.0e36f, tiny, -tiny, -4194304.5f, -8388607.5f, -0.5f}) {
        EXPECT_LE(ulps(cmp::cpu::lgamma_f32(x), static_cast<float>(lgamma_reference(x))), 1) << x;
    }
    for (float x : {0.0f, -0.0f, -1.0f, -2.0f, -100.0f, -8388608.0f, -1e30f, -inf, inf, nan, tiny, -tiny, 1.0f,
                    std::numeric_limits<float>::max()}) {
        expect_same(cmp::cpu::digamma_f32(x), digamma_before(x), "digamma", x);
    }
    for (float x : {-4194304.5f, -8388607.5f, -0.5f, 1e-30f, -1e-30f}) {
        EXPECT_LE(ulps(cmp::cpu::digamma_f32(x), static_cast<float>(digamma_reference(x))), 1) << x;
    }
}

// op over in (as dtype) through the ABI: its values and the ISA the library dispatched to.
void run_kernel(cmp_status (*op)(cmp_tensor, cmp_tensor*), const std::vector<double>& in, cmp_dtype dtype,
                std::vector<double>& got, const char*& isa) {
    cmp::testing::Handle a = cmp::testing::tensor_from(in, {static_cast<int64_t>(in.size())}, dtype);
    cmp_tensor out = nullptr;
    ASSERT_EQ(op(a.get(), &out), CMP_STATUS_OK) << cmp_last_error();
    cmp::testing::Handle owned(out);
    got = cmp::testing::values_of(out);
    ASSERT_EQ(cmp_cpu_isa(&isa), CMP_STATUS_OK);
}

// The float32 kernels (float16 and bfloat16 compute in float) through the ABI, at the ISA the
// library dispatches to: every 4099th float and some special values. avx2/avx512 run the functions
// above (within an ulp of the reference); the baseline keeps the C library's lgammaf_r and
// special::digamma_f64 (cpu/vec_gamma.h, kGammaVectorised), so there the results are theirs exactly.
template <typename R, typename B>
void expect_kernel_float32(const char* name, cmp_status (*op)(cmp_tensor, cmp_tensor*), R reference, B baseline) {
    std::vector<double> in;
    for (uint64_t bits = 0; bits <= 0xffffffffull; bits += 4099) in.push_back(float_of(static_cast<uint32_t>(bits)));
    for (double v : {0.0, -0.0, -1.0, -3.0, 1.0, 2.0, 1e38, -1e38, 1.4616321, -2.4570247}) in.push_back(v);
    std::vector<double> got;
    const char* isa = nullptr;
    ASSERT_NO_FATAL_FAILURE(run_kernel(op, in, CMP_DTYPE_FLOAT32, got, isa));
    const bool vectorised = std::strcmp(isa, "baseline") != 0;
    int64_t worst = 0;
    double worst_x = 0;
    for (size_t i = 0; i < in.size(); ++i) {
        const float x = static_cast<float>(in[i]);
        const float want = vectorised ? static_cast<float>(reference(x)) : baseline(x);
        const int64_t u = ulps(static_cast<float>(got[i]), want);
        if (u > worst) worst = u, worst_x = x;
    }
    std::printf("%s float32 kernel (%s): max error %lld ulp (at %.9g)\n", name, isa, static_cast<long long>(worst), worst_x);
    EXPECT_LE(worst, vectorised ? 1 : 0) << name << ", worst at x = " << worst_x;
}

TEST(VecGamma, KernelsFloat32) {
    expect_kernel_float32("lgamma", cmp_lgamma, lgamma_reference, lgammaf_glibc);
    expect_kernel_float32("digamma", cmp_digamma, digamma_reference, digamma_before);
}

// ---- float64: lgamma_f64 and digamma_f64 ----------------------------------------------------
// Random doubles per range (uniform, or uniform in log|x|), fixed seed, against long double
// references: glibc's lgammal (accurate to a few long double ulps, its negative zeros included)
// and digamma_long above. Where the result is at least 1/2 in magnitude the error is counted in
// ulps of the result; below that (near the zeros) it is counted in ulps of 1/2 (2^-54 absolute
// units, so the positive zeros' exact relative accuracy is checked separately), since long
// double digamma itself is only good to ~1e-18 absolute there, and lgamma_f64's reflection
// leaves a few 1e-16 absolute near the negative zeros of lgamma (cpu/vec_gamma.h).
// Bounds: the measured worst (the comment of each row; 2^17 points, this test's own flags, no
// FMA) rounded up.
struct Range64 {
    double lo, hi;
    bool log_scale;
    int64_t max_ulps;  // in ulps of max(|f|, 1/2)
};

double error_units(double got, long double ref) {
    const double r = static_cast<double>(ref);
    if (std::isnan(r) || std::isinf(r)) return got == r || (std::isnan(got) && std::isnan(r)) ? 0.0 : 1e300;
    int e;
    std::frexp(std::max(std::fabs(r), 0.5), &e);
    return static_cast<double>(std::fabs(static_cast<long double>(got) - ref) / std::ldexp(1.0L, e - 53));
}

template <typename F, typename R>
void expect_ranges64(const char* name, std::initializer_list<Range64> ranges, F f, R reference) {
    std::mt19937_64 rng(20261206);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (const Range64& r : ranges) {
        double worst = 0, worst_x = 0;
        for (int i = 0; i < (1 << 17); ++i) {
            const double u = unit(rng);
            const double x = r.log_scale ? std::copysign(std::exp(std::log(std::fabs(r.lo)) + u * std::log(r.hi / r.lo)), r.lo)
                                         : r.lo + u * (r.hi - r.lo);
            const double e = error_units(f(x), reference(x));
            if (e > worst) worst = e, worst_x = x;
        }
        std::printf("%s [%g, %g]: max %.2f units (x = %.17g)\n", name, r.lo, r.hi, worst, worst_x);
        EXPECT_LE(worst, static_cast<double>(r.max_ulps)) << name << " on [" << r.lo << ", " << r.hi << "], worst at x = " << worst_x;
    }
}

long double lgamma_long(double x) {
    int sign;
    return ::lgammal_r(static_cast<long double>(x), &sign);
}

TEST(VecGamma, LgammaDoubleRanges) {
    expect_ranges64("lgamma_f64",
                    {
                        {1e-300, 1e-3, true, 1},    // 0.55
                        {1e-3, 0.5, false, 2},      // 1.9
                        {0.5, 1.5, false, 2},       // 1.6
                        {1.5, 2.5, false, 1},       // 0.6 (in ulps of 1/2 below 1/2: see DoubleZerosRelative)
                        {2.5, 8.0, false, 2},       // 1.7
                        {8.0, 1000.0, false, 1},    // 0.6
                        {1e3, 1e305, true, 2},      // 1.4
                        {-0.5, -1e-300, false, 2},  // 1.4
                        {-8.0, -0.5, false, 5},     // 4.1, near a zero: a few 1e-16 absolute (glibc 4.2)
                        {-1000.0, -8.0, false, 2},  // 1.6
                        {-1e15, -1000.0, true, 2},  // 1.0
                    },
                    cmp::cpu::lgamma_f64, lgamma_long);
}

TEST(VecGamma, DigammaDoubleRanges) {
    expect_ranges64("digamma_f64",
                    {
                        {1e-300, 1e-3, true, 1},      // 1.0
                        {1e-3, 1.0, false, 3},        // 2.0
                        {1.0, 2.0, false, 2},         // 1.5
                        {2.0, 8.0, false, 5},         // 4.7 (the recurrence's fraction, up to 6 terms)
                        {8.0, 1000.0, false, 2},      // 1.7
                        {1e3, 1e305, true, 2},        // 1.0
                        {-1.0, -1e-300, false, 4},    // 3.5; the reflection: pi cot(pi x) and digamma(1 - x) cancel
                        {-8.0, -1.0, false, 14},      // 12.8, near digamma's negative zeros
                        {-1000.0, -8.0, false, 24},   // 21.5 (special::digamma_f64, the kernel before: 5e4 near the poles)
                    },
                    cmp::cpu::digamma_f64, [](double x) { return digamma_long(x); });
}

// The zeros of lgamma at 1 and 2 and of digamma at x0 = 1.4616...: relative accuracy (the
// polynomials carry the zero as a factor). Every double within 20000 steps either side of 1 and 2
// against lgammal; for digamma, doubles 2^-20 apart within 0.02 of x0 against its Taylor series
// at x0 in long double, sum psi_n(x0) v^n / n! for n = 1..16 (coefficients from mpmath, 25
// digits; the terms fall by a factor |v| / x0 < 0.014 each, so the rest is below 1e-29).
TEST(VecGamma, DoubleZerosRelative) {
    double worst = 0, worst_x = 0;
    for (double p : {1.0, 2.0}) {
        double up = p, down = p;
        for (int i = 0; i < 20000; ++i, up = std::nextafter(up, 10.0), down = std::nextafter(down, -10.0)) {
            for (double x : {up, down}) {
                const long double ref = lgamma_long(x);
                if (ref == 0) {
                    EXPECT_EQ(cmp::cpu::lgamma_f64(x), 0.0) << x;
                    continue;
                }
                const double u = static_cast<double>(std::fabs((cmp::cpu::lgamma_f64(x) - ref) / ref)) / 0x1p-53;
                if (u > worst) worst = u, worst_x = x;
            }
        }
    }
    std::printf("lgamma_f64 near 1 and 2: max %.2f units of 2^-53 relative (x = %.17g)\n", worst, worst_x);
    EXPECT_LE(worst, 4.0) << "worst at x = " << worst_x;  // 2 ulps of a result in [1/2, 1)
    // x0 in two long doubles: x0_hi = 13481177054069259121 * 2^-63, so x - x0_hi is exact.
    const long double x0_hi = 13481177054069259121.0L * 0x1p-63L, x0_lo = -1.8257096315963484214601e-20L;
    const long double x0 = x0_hi + x0_lo;
    static constexpr long double taylor[] = {
        -0.001576936771430197259270935L, 0.00230512632673492783693838L, -0.003369801655439328082792857L,
        0.004926781395729853446354266L, -0.007204534386356868240970474L, 0.01053879161661217538812405L,
        -0.01542476590494895913880032L, 0.02259764823221810465962483L, -0.0331611264748473592922584L,
        0.04880428816414310722509253L, -0.07219956125645471092612178L, 0.1078240506912623657571829L,
        -0.1639427054424065275042513L, 0.2584997609556510106244014L, -0.4427631689835921060928653L,
        0.9676722454476211704274448L};
    worst = 0;
    for (int i = -20000; i <= 20000; ++i) {
        const double x = static_cast<double>(x0 + i * 0x1p-20L);
        if (i == 0) continue;  // x0 rounded: v is below 1e-16, the result near 1e-16 (checked by the ranges)
        const long double v = (static_cast<long double>(x) - x0_hi) - x0_lo;
        long double ref = 0;
        for (long double c : taylor) ref = ref * v + c;
        ref *= v;
        const double u = static_cast<double>(std::fabs((cmp::cpu::digamma_f64(x) - ref) / ref)) / 0x1p-53;
        if (u > worst) worst = u, worst_x = x;
    }
    std::printf("digamma_f64 near x0: max %.2f units of 2^-53 relative (x = %.17g)\n", worst, worst_x);
    EXPECT_LE(worst, 4.0) << "worst at x = " << worst_x;
}

// PyTorch 1.13's float64 results exactly (glibc's lgamma, calc_digamma), the poles and the ends.
TEST(VecGamma, DoubleSpecialValues) {
    const double inf = std::numeric_limits<double>::infinity();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double tiny = std::numeric_limits<double>::denorm_min();
    const double huge = std::numeric_limits<double>::max();
    // x, torch.lgamma(x), torch.digamma(x)
    const double cases[][3] = {
        {0.0, inf, -inf},
        {-0.0, inf, inf},
        {-1.0, inf, nan},
        {-2.0, inf, nan},
        {-1e20, inf, nan},
        {-4503599627370496.0, inf, nan},
        {inf, inf, inf},
        {-inf, inf, nan},
        {nan, nan, nan},
        {1.0, 0.0, -0.5772156649015329},
        {2.0, 0.0, 0.42278433509846713},
        {1e-320, 736.8272408909739, -inf},
        {-1e-320, 736.8272408909739, inf},
        {tiny, 744.4400719213812, -inf},
        {1e308, inf, 709.1962086421661},
        {2.6e305, inf, 703.2439648082113},
        {huge, inf, 709.782712893384},
    };
    for (const auto& c : cases) {
        expect_same(cmp::cpu::lgamma_f64(c[0]), c[1], "lgamma", c[0]);
        expect_same(cmp::cpu::digamma_f64(c[0]), c[2], "digamma", c[0]);
    }
    // Finite ends within an ulp or two of the reference.
    for (double x : {2.55e305, -4503599627370495.5, -2251799813685248.5, -1125899906842624.25, -1e-300, -0.5}) {
        EXPECT_LE(error_units(cmp::cpu::lgamma_f64(x), lgamma_long(x)), 2.0) << x;
        EXPECT_LE(error_units(cmp::cpu::digamma_f64(x), digamma_long(x)), 2.0) << x;
    }
}

// The float64 kernels through the ABI: avx2/avx512 run lgamma_f64/digamma_f64 (the library's
// build contracts to FMA, this test's does not, so they are held to the reference, not to the
// functions above bit for bit); the baseline keeps glibc's lgamma_r and special::digamma_f64,
// exactly.
template <typename R, typename B>
void expect_kernel_float64(const char* name, cmp_status (*op)(cmp_tensor, cmp_tensor*), R reference, B baseline, double bound) {
    std::vector<double> in;
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> wide(-30.0, 30.0);
    for (int i = 0; i < 100003; ++i) in.push_back(wide(rng));
    for (double v : {0.0, -0.0, -1.0, -3.0, 1.0, 2.0, 1e300, -1e300, 1.4616321449683622, -2.4570247, 1e-310}) in.push_back(v);
    std::vector<double> got;
    const char* isa = nullptr;
    ASSERT_NO_FATAL_FAILURE(run_kernel(op, in, CMP_DTYPE_FLOAT64, got, isa));
    const bool vectorised = std::strcmp(isa, "baseline") != 0;
    double worst = 0, worst_x = 0;
    for (size_t i = 0; i < in.size(); ++i) {
        const double e = vectorised ? error_units(got[i], reference(in[i])) : (ulps(got[i], baseline(in[i])) == 0 ? 0.0 : 1e300);
        if (e > worst) worst = e, worst_x = in[i];
    }
    std::printf("%s float64 kernel (%s): max error %.2f units (at %.17g)\n", name, isa, worst, worst_x);
    EXPECT_LE(worst, vectorised ? bound : 0.0) << name << ", worst at x = " << worst_x;
}

TEST(VecGamma, KernelsFloat64) {
    expect_kernel_float64("lgamma", cmp_lgamma, lgamma_long, [](double x) { int s; return ::lgamma_r(x, &s); }, 4.0);  // 3.8 at avx512 and avx2
    expect_kernel_float64("digamma", cmp_digamma, [](double x) { return digamma_long(x); }, cmp::special::digamma_f64, 13.0);  // 12.3
}

}  // namespace
