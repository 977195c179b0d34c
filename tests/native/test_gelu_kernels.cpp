// float32 GELU with erf (cmp_gelu) and its derivative (cmp_gelu_backward) through the C ABI, i.e. in
// the kernels of the ISA the library dispatches to (COMPUTE_CPU_ISA picks it), over a third of the
// floats with 2^-6 <= |x| < 8 and every float near |x| = 6, where Phi becomes exactly 1 or 0. Both rest on
// normal_cdf_f32 (cpu/unary_math_vec.h), the normal CDF Phi to an absolute accuracy. The error of
// x Phi(x) is measured in units of |x| 2^-24 (|x| times an ulp of 1/2): Phi's own error in ulps of
// 1/2 plus the product's rounding. The derivative Phi(x) + x phi(x) is measured in units of
// 2^-24 (1 + |x phi(x)|): the terms' size. Measured on this grid (dev run, 2026-12-07): forward
// 3.45 at avx512 and avx2 (FMA), 4.95 at the x86 baseline (every product rounded); derivative
// 3.88 and 5.11. PyTorch 1.13's float32 GELU (its AVX2 erf) measures 5.07 and 5.23 on the same
// grid (tests/reference/measure_torch_gelu_error.py). Exact values come from the C library's
// double erfc and exp.
#include "abi_helpers.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <utility>
#include <vector>

namespace cmp::testing {
namespace {

constexpr double kSqrt1_2 = 0.70710678118654752440;
constexpr double kInvSqrt2Pi = 0.39894228040143267794;

double phi_exact(double x) { return 0.5 * std::erfc(-x * kSqrt1_2); }

std::vector<float> grid() {
    std::vector<float> xs;
    auto add_range = [&](uint32_t start, uint32_t end, uint32_t step) {
        for (uint32_t b = start; b < end; b += step) {
            float x;
            std::memcpy(&x, &b, 4);
            xs.push_back(x);
            xs.push_back(-x);
        }
    };
    add_range(0x3c800000u, 0x41000000u, 3);  // 2^-6 <= |x| < 8, every third float
    add_range(0x40bc0000u, 0x40c40000u, 1);  // 5.875 <= |x| < 6.125: every float around the switch
    return xs;
}

// cmp_gelu (backward false) or cmp_gelu_backward with a gradient of ones, at float32.
std::vector<float> run(const std::vector<float>& xs, bool backward) {
    const int64_t n = static_cast<int64_t>(xs.size());
    cmp_tensor x = nullptr, g = nullptr, out = nullptr;
    EXPECT_EQ(cmp_from_buffer(xs.data(), n * 4, &n, 1, CMP_DTYPE_FLOAT32, &x), CMP_STATUS_OK) << cmp_last_error();
    Handle owned_x(x);
    if (backward) {
        const std::vector<float> ones(xs.size(), 1.0f);
        EXPECT_EQ(cmp_from_buffer(ones.data(), n * 4, &n, 1, CMP_DTYPE_FLOAT32, &g), CMP_STATUS_OK) << cmp_last_error();
        Handle owned_g(g);
        EXPECT_EQ(cmp_gelu_backward(g, x, 0, &out), CMP_STATUS_OK) << cmp_last_error();
    } else {
        EXPECT_EQ(cmp_gelu(x, 0, &out), CMP_STATUS_OK) << cmp_last_error();
    }
    Handle owned_out(out);
    void* data = nullptr;
    EXPECT_EQ(cmp_tensor_data_ptr(out, &data), CMP_STATUS_OK) << cmp_last_error();
    if (data == nullptr) return {};
    const float* p = static_cast<const float*>(data);
    return std::vector<float>(p, p + n);
}

const char* isa_name() {
    const char* isa = "?";
    EXPECT_EQ(cmp_cpu_isa(&isa), CMP_STATUS_OK);
    return isa;
}

bool is_baseline() { return std::strcmp(isa_name(), "baseline") == 0; }

// The largest error(x, got) over the grid and where it is, printed with the ISA; backward picks
// cmp_gelu_backward (gradient of ones) instead of cmp_gelu.
template <typename Error>
std::pair<double, float> worst_over_grid(const char* what, bool backward, Error error) {
    const std::vector<float> xs = grid();
    const std::vector<float> got = run(xs, backward);
    EXPECT_EQ(got.size(), xs.size());
    double worst = 0;
    float worst_x = 0;
    for (size_t i = 0; i < std::min(xs.size(), got.size()); ++i) {
        const double e = error(static_cast<double>(xs[i]), got[i]);
        if (e > worst) worst = e, worst_x = xs[i];
    }
    std::printf("%s float32 at %s, %zu inputs: max error %.3f (at %.9g)\n", what, isa_name(), xs.size(), worst, worst_x);
    return {worst, worst_x};
}

// Forward, in units of |x| 2^-24; from |x| = 6 on Phi must be exactly 1 or 0, so GELU is x itself
// or zero there (a miss counts as an error of 1000).
TEST(GeluKernels, Float32WithinAFewUlpsOfPhi) {
    const auto [worst, at] = worst_over_grid("gelu", false, [](double x, float got) {
        if (x >= 6.0) return got == static_cast<float>(x) ? 0.0 : 1000.0;
        if (x <= -6.0) return got == 0.0f ? 0.0 : 1000.0;
        return std::fabs(got - x * phi_exact(x)) / (std::fabs(x) * 0x1p-24);
    });
    EXPECT_LT(worst, is_baseline() ? 5.0 : 3.5) << "at x = " << at;
}

// Derivative, in units of 2^-24 (1 + |x phi(x)|).
TEST(GeluKernels, Float32DerivativeWithinAFewUlps) {
    const auto [worst, at] = worst_over_grid("gelu_backward", true, [](double x, float got) {
        const double density = x * std::exp(-0.5 * x * x) * kInvSqrt2Pi;
        return std::fabs(got - (phi_exact(x) + density)) / ((1.0 + std::fabs(density)) * 0x1p-24);
    });
    EXPECT_LT(worst, is_baseline() ? 5.5 : 4.0) << "at x = " << at;
}

TEST(GeluKernels, Float32SpecialValues) {
    const float inf = INFINITY;
    const std::vector<float> xs = {NAN, inf, -inf, 0.0f, -0.0f, 1e-40f, -1e-40f, 1e30f, -1e30f};
    const std::vector<float> got = run(xs, false);
    ASSERT_EQ(got.size(), xs.size());
    EXPECT_TRUE(std::isnan(got[0]));
    EXPECT_EQ(got[1], inf);
    EXPECT_TRUE(std::isnan(got[2]));  // -inf * Phi(-inf) = -inf * 0, as PyTorch
    EXPECT_EQ(got[3], 0.0f);
    EXPECT_EQ(got[4], 0.0f);
    EXPECT_EQ(got[5], 5e-41f);  // x / 2, exactly
    EXPECT_EQ(got[6], -5e-41f);
    EXPECT_EQ(got[7], 1e30f);
    EXPECT_EQ(got[8], 0.0f);
    const std::vector<float> grad = run(xs, true);
    ASSERT_EQ(grad.size(), xs.size());
    EXPECT_TRUE(std::isnan(grad[0]));
    EXPECT_EQ(grad[3], 0.5f);
    EXPECT_EQ(grad[5], 0.5f);
}

}  // namespace
}  // namespace cmp::testing
