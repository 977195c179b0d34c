// float64 pow through the C ABI, i.e. in the kernels of the ISA the library dispatches to
// (COMPUTE_CPU_ISA picks it): pow_f64 (cpu/vec_pow.h) at avx2 and avx512, the C library's pow at
// the x86 baseline. The fixtures compare with PyTorch within 2 ulps (two 1-ulp functions); here
// the bound is 1 ulp from the correctly rounded result, over a dense random sweep against long
// double powl (64-bit significand: its own error, a few 2^-64, decides the rounding of the double
// result except within that distance of a tie), and the C special cases bit for bit against the
// C library's pow (signed zeros, infinities, NaN) on every pair of a set of special values.
//
// The sweep aims at where the error is largest: |y log|x|| near its limit of ~745 (an error in
// log|x| is multiplied by it), with |x| near sqrt(2) and sqrt(1/2) (the ends of the log's
// reduction) or anywhere in the double range; results near overflow and in the subnormals (pow_f64
// rounds those twice: still within 1 ulp); x within 1e-8 of 1 with exponents to 1e10; negative
// bases with integer exponents; random bit patterns. Measured (these 2.4 million pairs): at
// most 0.628 ulp from the exact value for normal results, 0.771 for subnormal ones, at avx2 and
// avx512 (glibc's pow at the baseline: 0.506); never more than 1 ulp from the rounded powl.
#include "abi_helpers.h"
#include "ulp_distance.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

namespace cmp::testing {
namespace {

// pow of the float64 pairs (x[i], y[i]) through cmp_pow.
std::vector<double> pow_kernel(const std::vector<double>& x, const std::vector<double>& y) {
    const int64_t n = static_cast<int64_t>(x.size());
    cmp_tensor a = nullptr, b = nullptr, out = nullptr;
    EXPECT_EQ(cmp_from_buffer(x.data(), n * 8, &n, 1, CMP_DTYPE_FLOAT64, &a), CMP_STATUS_OK) << cmp_last_error();
    Handle owned_a(a);
    EXPECT_EQ(cmp_from_buffer(y.data(), n * 8, &n, 1, CMP_DTYPE_FLOAT64, &b), CMP_STATUS_OK) << cmp_last_error();
    Handle owned_b(b);
    EXPECT_EQ(cmp_pow(a, b, &out), CMP_STATUS_OK) << cmp_last_error();
    Handle owned_out(out);
    std::vector<double> got(x.size(), std::numeric_limits<double>::quiet_NaN());
    if (out != nullptr) {
        EXPECT_EQ(cmp_tensor_copy_to_buffer(out, got.data(), n * 8), CMP_STATUS_OK) << cmp_last_error();
    }
    return got;
}

// |got - exact| in ulps of the double at exact (the smallest subnormal's spacing below 2^-1022).
double real_ulps(double got, long double exact) {
    int e;
    std::frexp(static_cast<double>(exact), &e);
    return static_cast<double>(std::fabs(static_cast<long double>(got) - exact) / std::ldexp(1.0L, std::max(e - 53, -1074)));
}

TEST(PowKernels, Float64Random) {
    const char* isa = "?";
    CMP_ASSERT_OK(cmp_cpu_isa(&isa));
    std::mt19937_64 gen(64);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    std::vector<double> x, y;
    constexpr int kPairs = 2400000;
    for (int i = 0; i < kPairs; ++i) {
        double xi = 0, yi = 0;
        switch (i % 6) {
            case 0: {  // x anywhere (log-uniform), |y log x| up to 760: overflow, subnormals, 0
                xi = std::exp(u(gen) * 740.0);
                const double l = std::log(xi);
                yi = l == 0.0 ? u(gen) : u(gen) * 760.0 / l;
                break;
            }
            case 1: {  // near the ends of the log's reduction, |y log x| up to 745
                xi = (u(gen) < 0 ? std::sqrt(2.0) : std::sqrt(0.5)) * (1.0 + u(gen) * 1e-3);
                yi = u(gen) * 745.0 / std::log(xi);
                break;
            }
            case 2: {  // |x| in [e^-10, e^10], |y log x| up to 745
                xi = std::exp(u(gen) * 10.0);
                const double l = std::log(xi);
                yi = l == 0.0 ? u(gen) : u(gen) * 745.0 / l;
                break;
            }
            case 3:  // negative and positive bases, integer exponents
                xi = u(gen) * 10.0;
                yi = std::floor(u(gen) * 60.0);
                break;
            case 4:  // x near 1, huge exponents
                xi = 1.0 + u(gen) * 1e-8;
                yi = u(gen) * 1e10;
                break;
            default: {  // any finite x of either sign, |y log|x|| up to 760
                const uint64_t bits = gen() & 0x7fefffffffffffffull;
                std::memcpy(&xi, &bits, 8);
                const double l = std::log(xi);
                yi = l == 0.0 ? u(gen) : u(gen) * 760.0 / l;
                if (u(gen) < -0.4) xi = -xi;  // NaN for a non-integer y: checked as a special
                break;
            }
        }
        x.push_back(xi);
        y.push_back(yi);
    }
    const std::vector<double> got = pow_kernel(x, y);
    int64_t worst_rounded = 0, bad_specials = 0;
    double worst_normal = 0, worst_subnormal = 0, wx = 0, wy = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        const long double exact = powl(static_cast<long double>(x[i]), static_cast<long double>(y[i]));
        const double rounded = static_cast<double>(exact);
        if (std::isnan(rounded) || std::isinf(rounded)) {
            // Exactly C's value (NaN for a negative base to a non-integer power, inf past the range).
            const double c = std::pow(x[i], y[i]);
            bad_specials += (std::isnan(c) ? std::isnan(got[i]) : got[i] == c) ? 0 : 1;
            continue;
        }
        if (rounded == 0.0) {  // 0 with the result's sign, or the smallest subnormal (1 ulp)
            const bool ok = std::fabs(got[i]) <= std::numeric_limits<double>::denorm_min() &&
                            std::signbit(got[i]) == std::signbit(rounded);
            bad_specials += ok ? 0 : 1;
            continue;
        }
        const int64_t r = ulps(got[i], rounded);
        if (r > worst_rounded) worst_rounded = r, wx = x[i], wy = y[i];
        const double e = real_ulps(got[i], exact);
        double& worst = std::fabs(rounded) < std::numeric_limits<double>::min() ? worst_subnormal : worst_normal;
        worst = std::max(worst, e);
    }
    std::printf("pow float64 at %s, %d pairs: max error %.4f ulp of the exact value (normal results), %.4f "
                "(subnormal results), %lld from the rounded one\n",
                isa, kPairs, worst_normal, worst_subnormal, static_cast<long long>(worst_rounded));
    EXPECT_EQ(bad_specials, 0) << "NaN, inf and 0 results";
    EXPECT_LE(worst_rounded, 1) << "at x = " << wx << ", y = " << wy;
    EXPECT_LT(worst_normal, 1.0);
}

// Every pair of a set of special values, bit for bit the C library's pow (whose special cases
// are C's: pow(x, +-0) = 1, pow(1, y) = 1, pow(-1, +-inf) = 1, signed zeros and infinities by
// the parity of an integer y, NaN for a negative finite base to a non-integer power, overflow
// and underflow), and every pair of small integers exactly (those results are exact in double).
TEST(PowKernels, Float64SpecialValues) {
    const double inf = std::numeric_limits<double>::infinity();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double two52 = 4503599627370496.0, two53 = 9007199254740992.0;
    const std::vector<double> s = {0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 3.0, -3.0, 2.5, -2.5, 7.0, inf, -inf, nan,
                                   two52, -two52, two52 + 1.0, -(two52 + 1.0), two53, -two53, two53 + 2.0, two52 - 0.5,
                                   4.9e-324, -4.9e-324, 2.2250738585072014e-308, 1e308, -1e308,
                                   1e-300, 1.0000000000000002, 0.9999999999999999, -1.0000000000000002, 1023.0, 1024.0,
                                   -1074.0, -1075.0, 0.25};
    std::vector<double> x, y;
    for (double a : s) {
        for (double b : s) x.push_back(a), y.push_back(b);
    }
    const size_t n_special = x.size();
    for (int a = -30; a <= 30; ++a) {
        for (int b = -20; b <= 40; ++b) {
            // Exact in double: |a|^b below 2^53 (b >= 0), or a power of two (b < 0).
            const bool power_of_two = a != 0 && (std::abs(a) & (std::abs(a) - 1)) == 0;
            if ((b >= 0 && std::pow(std::fabs(a), b) < two53) || (b < 0 && power_of_two)) x.push_back(a), y.push_back(b);
        }
    }
    const std::vector<double> got = pow_kernel(x, y);
    int64_t bad = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        const double c = std::pow(x[i], y[i]);
        const bool same = std::isnan(c) ? std::isnan(got[i]) : std::memcmp(&c, &got[i], 8) == 0;
        // The special grid also holds non-special pairs, which need only be within 1 ulp.
        const bool ok = same || (i < n_special && !std::isnan(c) && !std::isinf(c) && c != 0.0 && ulps(got[i], c) <= 1);
        if (!ok) {
            ++bad;
            ADD_FAILURE() << "pow(" << x[i] << ", " << y[i] << ") = " << got[i] << ", C: " << c;
        }
    }
    EXPECT_EQ(bad, 0);
}

}  // namespace
}  // namespace cmp::testing
