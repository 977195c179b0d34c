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

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
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
// with r = x - trunc(x) exact, the recurrence psi(x) = psi(x + 1) - 1/x up to x >= 20, then the
// asymptotic series to B_14 (the next term is below 1e-21 at 20). Near the positive zero the
// recurrence's sum of ~20 terms of order 1 leaves about 1e-18 absolute, 1e-10 of the smallest
// float result there: far below a float ulp.
double digamma_reference(float xf) {
    const long double pi = 3.141592653589793238462643383279502884L;
    long double x = xf;
    if (x == 0) return std::copysign(std::numeric_limits<double>::infinity(), -static_cast<double>(xf));
    long double result = 0;
    if (x < 0) {
        if (x == std::trunc(x)) return std::numeric_limits<double>::quiet_NaN();
        result = -pi / std::tan(pi * (x - std::trunc(x)));
        x = 1 - x;
    }
    for (; x < 20; x += 1) result -= 1 / x;
    if (std::isinf(x)) return static_cast<double>(result + x);
    const long double z = 1 / (x * x);
    long double s = -1.0L / 12;  // B_2k / 2k for k = 7 down to 1
    for (long double c : {691.0L / 32760, -1.0L / 132, 1.0L / 240, -1.0L / 252, 1.0L / 120, -1.0L / 12}) s = s * z + c;
    return static_cast<double>(result + std::log(x) - 0.5L / x + s * z);
}

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

void expect_same(float got, float want, const char* what, float x) {
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

// The float32 kernels (float16 and bfloat16 compute in float) through the ABI, at the ISA the
// library dispatches to: every 4099th float and some special values. avx2/avx512 run the functions
// above (within an ulp of the reference); the baseline keeps the C library's lgammaf_r and
// special::digamma_f64 (cpu/vec_gamma.h, kGammaVectorised), so there the results are theirs exactly.
template <typename R, typename B>
void expect_kernel_float32(const char* name, cmp_status (*op)(cmp_tensor, cmp_tensor*), R reference, B baseline) {
    std::vector<double> in;
    for (uint64_t bits = 0; bits <= 0xffffffffull; bits += 4099) in.push_back(float_of(static_cast<uint32_t>(bits)));
    for (double v : {0.0, -0.0, -1.0, -3.0, 1.0, 2.0, 1e38, -1e38, 1.4616321, -2.4570247}) in.push_back(v);
    cmp::testing::Handle a = cmp::testing::tensor_from(in, {static_cast<int64_t>(in.size())}, CMP_DTYPE_FLOAT32);
    cmp_tensor out = nullptr;
    ASSERT_EQ(op(a.get(), &out), CMP_STATUS_OK) << cmp_last_error();
    cmp::testing::Handle owned(out);
    const std::vector<double> got = cmp::testing::values_of(out);
    const char* isa = nullptr;
    ASSERT_EQ(cmp_cpu_isa(&isa), CMP_STATUS_OK);
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

}  // namespace
