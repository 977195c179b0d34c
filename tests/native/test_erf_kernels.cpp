// erf (and float64 erfc and erfinv) through the C ABI, i.e. in the kernels of the ISA the library dispatches to (COMPUTE_CPU_ISA
// picks it): test_vec_math.cpp checks cpu/unary_math_vec.h compiled with the test's own flags,
// while the avx2/avx512 kernels are compiled with FMA (GCC contracts a*b + c into fma there), so
// their results differ and are checked here.
//
// float64: random doubles and every double near the split, against long double erfl (erfc: erfcl,
// erfinv: the long double root of erf(y) = x, erf_reference.h).
// float32: every float with 0.25 <= |x| < 4 and a sweep of the rest by default, every float bit
// pattern with COMPUTE_EXHAUSTIVE_TESTS=1. The error is measured against the exact value (the double
// function, whose own error is far below a float ulp) in ulps of the float at that value, so the
// bound says how far from exact, not only how far from the correctly rounded float; below 1 ulp
// the result is faithfully rounded (one of the two floats around the exact value). Measured
// (dev run, tools/fit_erf_f32.py's coefficients): 0.91 ulp at avx512 and avx2, 1.06 at the x86
// baseline (no FMA: every product is rounded); at most 1 ulp from the correctly rounded result
// at every ISA.
#include "abi_helpers.h"
#include "erf_reference.h"
#include "ulp_distance.h"

#include <algorithm>
#include <cstdlib>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <utility>
#include <vector>

namespace cmp::testing {
namespace {

// erf(x) in double for a float x: the Taylor series x (2/sqrt(pi)) (1 - x^2/3) below 2^-12 (the
// next term is below 2^-48 relative there, and the C library's erf of tiny x is not needed),
// the C library's erf elsewhere.
double erf_reference(float x) {
    const double d = x;
    if (std::fabs(d) < 0x1p-12) return d * 1.1283791670955126 * (1.0 - d * d / 3.0);
    return std::erf(d);
}

// |got - exact| in ulps of the float at exact (the smallest subnormal's spacing below 2^-126).
double real_ulps(float got, double exact) {
    int e;
    std::frexp(exact, &e);
    return std::fabs(static_cast<double>(got) - exact) / std::ldexp(1.0, std::max(e - 24, -149));
}

// The float bit patterns the float32 test checks: every one with 0.25 <= |x| < 4 (both branches,
// the split at 0.92 and the clamp, where the error is largest) and every 61st elsewhere; with
// COMPUTE_EXHAUSTIVE_TESTS=1 in the environment, every one (minutes, not seconds, on a loaded
// 2-core machine, which is why it is not the default).
std::vector<std::pair<uint64_t, uint64_t>> erf_f32_patterns(bool exhaustive) {  // [start, end) at step 1
    if (exhaustive) return {{0, uint64_t{1} << 32}};
    return {{0x3e800000u, 0x40800000u}, {0xbe800000u, 0xc0800000u}};
}

TEST(ErfKernels, Float32) {
    const char* isa = "?";
    CMP_ASSERT_OK(cmp_cpu_isa(&isa));
    const char* env = std::getenv("COMPUTE_EXHAUSTIVE_TESTS");
    const bool exhaustive = env != nullptr && std::strcmp(env, "1") == 0;
    std::vector<uint32_t> bits;  // the patterns, built chunk by chunk
    constexpr size_t chunk = size_t{1} << 22;
    double worst = 0;
    float worst_x = 0;
    int64_t worst_rounded = 0, bad_specials = 0, checked = 0;
    auto run_chunk = [&]() {
        const int64_t n = static_cast<int64_t>(bits.size());
        if (n == 0) return;
        cmp_tensor a = nullptr, out = nullptr;
        ASSERT_EQ(cmp_from_buffer(bits.data(), n * 4, &n, 1, CMP_DTYPE_FLOAT32, &a), CMP_STATUS_OK) << cmp_last_error();
        Handle owned_a(a);
        ASSERT_EQ(cmp_erf(a, &out), CMP_STATUS_OK) << cmp_last_error();
        Handle owned_out(out);
        void* data = nullptr;
        ASSERT_EQ(cmp_tensor_data_ptr(out, &data), CMP_STATUS_OK) << cmp_last_error();
        const float* got = static_cast<const float*>(data);
        for (int64_t i = 0; i < n; ++i) {
            float x;
            std::memcpy(&x, &bits[static_cast<size_t>(i)], 4);
            const float y = got[i];
            if (std::isnan(x) || std::fabs(x) >= 4.0f) {  // NaN, or exactly +-1 (erfc(4) < 2^-25)
                const bool ok = std::isnan(x) ? std::isnan(y) : y == std::copysign(1.0f, x);
                bad_specials += ok ? 0 : 1;
                continue;
            }
            const double exact = erf_reference(x);
            const double u = real_ulps(y, exact);
            if (u > worst) worst = u, worst_x = x;
            worst_rounded = std::max(worst_rounded, ulps(y, static_cast<float>(exact)));
            if (x == 0.0f) bad_specials += std::signbit(y) == std::signbit(x) && y == 0.0f ? 0 : 1;
        }
        checked += n;
        bits.clear();
    };
    auto add = [&](uint64_t b) {
        bits.push_back(static_cast<uint32_t>(b));
        if (bits.size() == chunk) run_chunk();
    };
    for (const auto& [start, end] : erf_f32_patterns(exhaustive)) {
        for (uint64_t b = start; b < end; ++b) add(b);
    }
    if (!exhaustive) {
        for (uint64_t b = 0; b <= 0xffffffffull; b += 61) add(b);
    }
    run_chunk();
    std::printf("erf float32 at %s, %lld inputs: max error %.4f ulp of the exact value (at %.9g), %lld from the rounded one\n",
                isa, static_cast<long long>(checked), worst, worst_x, static_cast<long long>(worst_rounded));
    EXPECT_EQ(bad_specials, 0) << "NaN, +-0, |x| >= 4";
    EXPECT_LE(worst_rounded, 1);
    // Faithful where the kernels have an FMA; the x86 baseline rounds each product (1.06 measured).
    EXPECT_LT(worst, std::strcmp(isa, "baseline") == 0 ? 1.1 : 1.0) << "at x = " << worst_x;
}

// op (cmp_erf, cmp_erfc, cmp_erfinv) on the float64 inputs x through the C ABI; the worst ulp
// distance from reference over them, printed with the ISA and where it was. Signed zeros must keep
// their sign when zero_keeps_sign (erf, erfinv).
template <typename Op, typename Ref>
int64_t float64_worst_ulps(const char* name, Op op, const std::vector<double>& x, Ref reference, bool zero_keeps_sign) {
    const char* isa = "?";
    EXPECT_EQ(cmp_cpu_isa(&isa), CMP_STATUS_OK);
    const int64_t n = static_cast<int64_t>(x.size());
    cmp_tensor a = nullptr, out = nullptr;
    EXPECT_EQ(cmp_from_buffer(x.data(), n * 8, &n, 1, CMP_DTYPE_FLOAT64, &a), CMP_STATUS_OK) << cmp_last_error();
    Handle owned_a(a);
    EXPECT_EQ(op(a, &out), CMP_STATUS_OK) << cmp_last_error();
    Handle owned_out(out);
    void* data = nullptr;
    EXPECT_EQ(cmp_tensor_data_ptr(out, &data), CMP_STATUS_OK) << cmp_last_error();
    if (data == nullptr) return std::numeric_limits<int64_t>::max();
    const double* got = static_cast<const double*>(data);
    int64_t worst = 0;
    double worst_x = 0;
    for (int64_t i = 0; i < n; ++i) {
        const double xi = x[static_cast<size_t>(i)];
        const int64_t u = ulps(got[i], static_cast<double>(reference(xi)));
        if (u > worst) worst = u, worst_x = xi;
        if (zero_keeps_sign && xi == 0.0) {
            EXPECT_EQ(std::signbit(got[i]), std::signbit(xi)) << name;
        }
    }
    std::printf("%s float64 at %s, %lld inputs: max error %lld ulp (at %.17g)\n", name, isa, static_cast<long long>(n),
                static_cast<long long>(worst), worst_x);
    return worst;
}

// float64 erf (erf_f64 in the kernels): random doubles on [-7, 7] and log-uniform magnitudes, and
// every double near the split 0.84375, against long double erfl: within 2 ulp (measured 1.5).
TEST(ErfKernels, Float64) {
    std::mt19937_64 gen(3);
    std::uniform_real_distribution<double> lin(-7.0, 7.0), mag(-700.0, 2.0);
    std::vector<double> x;
    for (int i = 0; i < 1000000; ++i) {
        x.push_back(lin(gen));
        x.push_back(i % 2 ? std::exp(mag(gen)) : -std::exp(mag(gen)));
    }
    double v = 0.84375;
    for (int i = 0; i < 10000; ++i) v = std::nextafter(v, 0.0);
    for (int i = 0; i < 20000; ++i, v = std::nextafter(v, 1.0)) x.push_back(v);
    for (double s : {0.0, -0.0, 6.0, -6.0, 1e-310}) x.push_back(s);
    EXPECT_LE(float64_worst_ulps("erf", cmp_erf, x, [](double d) { return erfl(d); }, true), 2);
}

// float64 erfc (erfc_f64): erf_reference.h's inputs against long double erfcl, within 3 ulp where
// the kernels have an FMA (measured 2 at avx2 and avx512) and 4 at the x86 baseline, which rounds
// every product (measured 4 at one input of the 2 million, 26.347...; the C library's erfc, used
// before, is within 1).
TEST(ErfKernels, ErfcFloat64) {
    const char* isa = "?";
    CMP_ASSERT_OK(cmp_cpu_isa(&isa));
    const std::vector<double> x = erfc_f64_inputs();
    EXPECT_LE(float64_worst_ulps("erfc", cmp_erfc, x, [](double d) { return erfcl(d); }, false),
              std::strcmp(isa, "baseline") == 0 ? 4 : 3);
}

// float64 erfinv (erfinv_f64): erf_reference.h's inputs (the whole of (-1, 1), the tail down to
// 1 - 2^-53, the branch points) against the long double root of erf(y) = x: within 3 ulp at every
// ISA (measured 3 at a handful of the 1.2 million inputs, 2 at nearly all the rest).
TEST(ErfKernels, ErfinvFloat64) {
    std::vector<double> x = erfinv_f64_inputs();
    for (double s : {1.0, -1.0, 1.5, -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN()}) {
        x.push_back(s);
    }
    EXPECT_LE(float64_worst_ulps("erfinv", cmp_erfinv, x, [](double d) { return erfinv_reference(d); }, true), 3);
}

}  // namespace
}  // namespace cmp::testing
