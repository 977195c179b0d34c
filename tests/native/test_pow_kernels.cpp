// pow through the C ABI, i.e. in the kernels of the ISA the library dispatches to
// (COMPUTE_CPU_ISA picks it). float64: pow_f64 (cpu/vec_pow.h) at avx2 and avx512, the C
// library's pow at the x86 baseline. float32: pow_f32 (float lanes) at every ISA, with Dekker's
// products at the baseline instead of fmas. The fixtures compare with PyTorch within 2 ulps (two
// 1-ulp functions); here the bound is 1 ulp from the correctly rounded result, over a dense random
// sweep against long double powl (64-bit significand: its own error, a few 2^-64, decides the
// rounding of the result except within that distance of a tie), and the C special cases bit for
// bit against the C library's pow/powf (signed zeros, infinities, NaN) on every pair of a set of
// special values.
//
// The sweep aims at where the error is largest: |y log|x|| near its limit (~745 for double, ~104
// for float; an error in log|x| is multiplied by it), with |x| near sqrt(2) and sqrt(1/2) (the
// ends of the log's reduction) or anywhere in the range; results near overflow and in the
// subnormals (both pow_f64 and pow_f32 round those twice: still within 1 ulp); x near 1
// with huge exponents; negative bases with integer exponents; random bit patterns. Measured
// (these 2.4 million pairs each): float64 at most 0.628 ulp from the exact value for normal
// results, 0.771 for subnormal ones, at avx2 and avx512 (glibc's pow at the baseline: 0.506);
// float32 at most 0.633 / 0.763 ulp at avx2, avx512 and the baseline; never more than 1 ulp from
// the rounded powl.
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

// pow of the pairs (x[i], y[i]) through cmp_pow, float32 or float64.
template <typename T>
std::vector<T> pow_kernel(const std::vector<T>& x, const std::vector<T>& y) {
    constexpr cmp_dtype dtype = sizeof(T) == 4 ? CMP_DTYPE_FLOAT32 : CMP_DTYPE_FLOAT64;
    const int64_t n = static_cast<int64_t>(x.size());
    const int64_t bytes = n * static_cast<int64_t>(sizeof(T));
    cmp_tensor a = nullptr, b = nullptr, out = nullptr;
    EXPECT_EQ(cmp_from_buffer(x.data(), bytes, &n, 1, dtype, &a), CMP_STATUS_OK) << cmp_last_error();
    Handle owned_a(a);
    EXPECT_EQ(cmp_from_buffer(y.data(), bytes, &n, 1, dtype, &b), CMP_STATUS_OK) << cmp_last_error();
    Handle owned_b(b);
    EXPECT_EQ(cmp_pow(a, b, &out), CMP_STATUS_OK) << cmp_last_error();
    Handle owned_out(out);
    std::vector<T> got(x.size(), std::numeric_limits<T>::quiet_NaN());
    if (out != nullptr) {
        EXPECT_EQ(cmp_tensor_copy_to_buffer(out, got.data(), bytes), CMP_STATUS_OK) << cmp_last_error();
    }
    return got;
}

// |got - exact| in ulps of the T at exact (the smallest subnormal's spacing below the normals).
template <typename T>
double real_ulps(T got, long double exact) {
    constexpr int digits = std::numeric_limits<T>::digits;
    constexpr int min_exp = std::numeric_limits<T>::min_exponent - digits;  // -1074 or -149
    int e;
    std::frexp(static_cast<double>(exact), &e);
    return static_cast<double>(std::fabs(static_cast<long double>(got) - exact) /
                               std::ldexp(1.0L, std::max(e - digits, min_exp)));
}

// Worst errors of got against powl over the pairs; NaN, inf and 0 results must be C's.
template <typename T>
struct SweepResult {
    int64_t worst_rounded = 0, bad_specials = 0;
    double worst_normal = 0, worst_subnormal = 0;
    T wx = 0, wy = 0;
};
template <typename T>
SweepResult<T> check_sweep(const std::vector<T>& x, const std::vector<T>& y, const std::vector<T>& got) {
    SweepResult<T> res;
    for (size_t i = 0; i < x.size(); ++i) {
        const long double exact = powl(static_cast<long double>(x[i]), static_cast<long double>(y[i]));
        const T rounded = static_cast<T>(exact);
        if (std::isnan(rounded) || std::isinf(rounded)) {
            // Exactly C's value (NaN for a negative base to a non-integer power, inf past the range).
            const T c = std::pow(x[i], y[i]);
            res.bad_specials += (std::isnan(c) ? std::isnan(got[i]) : got[i] == c) ? 0 : 1;
            continue;
        }
        if (rounded == 0) {  // 0 with the result's sign, or the smallest subnormal (1 ulp)
            const bool ok = std::fabs(got[i]) <= std::numeric_limits<T>::denorm_min() &&
                            std::signbit(got[i]) == std::signbit(rounded);
            res.bad_specials += ok ? 0 : 1;
            continue;
        }
        const int64_t r = ulps(got[i], rounded);
        if (r > res.worst_rounded) res.worst_rounded = r, res.wx = x[i], res.wy = y[i];
        const double e = real_ulps(got[i], exact);
        double& worst = std::fabs(rounded) < std::numeric_limits<T>::min() ? res.worst_subnormal : res.worst_normal;
        worst = std::max(worst, e);
    }
    return res;
}

// pow of the pairs through cmp_pow, checked by check_sweep: within 1 ulp of the rounded powl and
// below 1 ulp of the exact value.
template <typename T>
void expect_sweep(const std::vector<T>& x, const std::vector<T>& y) {
    const char* isa = "?";
    CMP_ASSERT_OK(cmp_cpu_isa(&isa));
    const SweepResult<T> res = check_sweep(x, y, pow_kernel(x, y));
    std::printf("pow float%d at %s, %zu pairs: max error %.4f ulp of the exact value (normal results), %.4f "
                "(subnormal results), %lld from the rounded one\n",
                static_cast<int>(8 * sizeof(T)), isa, x.size(), res.worst_normal, res.worst_subnormal,
                static_cast<long long>(res.worst_rounded));
    EXPECT_EQ(res.bad_specials, 0) << "NaN, inf and 0 results";
    EXPECT_LE(res.worst_rounded, 1) << "at x = " << res.wx << ", y = " << res.wy;
    EXPECT_LT(res.worst_normal, 1.0);
    EXPECT_LT(res.worst_subnormal, 1.0);
}

TEST(PowKernels, Float64Random) {
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
    expect_sweep(x, y);
}

// Every pair of a set of special values, bit for bit the C library's pow/powf (whose special
// cases are C's: pow(x, +-0) = 1, pow(1, y) = 1, pow(-1, +-inf) = 1, signed zeros and infinities
// by the parity of an integer y, NaN for a negative finite base to a non-integer power, overflow
// and underflow; pairs of the grid that are none of these need only be within 1 ulp), and every
// pair of small integers whose power is exact in T, exactly.
template <typename T>
void check_special_grid(const std::vector<T>& s) {
    const T exact_bound = std::ldexp(T(1), std::numeric_limits<T>::digits);
    std::vector<T> x, y;
    for (T a : s) {
        for (T b : s) x.push_back(a), y.push_back(b);
    }
    const size_t n_special = x.size();
    for (int a = -30; a <= 30; ++a) {
        for (int b = -20; b <= 40; ++b) {
            // Exact in T: |a|^b below 2^digits (b >= 0), or a power of two (b < 0).
            const bool power_of_two = a != 0 && (std::abs(a) & (std::abs(a) - 1)) == 0;
            if ((b >= 0 && std::pow(std::fabs(static_cast<double>(a)), b) < exact_bound) || (b < 0 && power_of_two)) {
                x.push_back(static_cast<T>(a)), y.push_back(static_cast<T>(b));
            }
        }
    }
    const std::vector<T> got = pow_kernel(x, y);
    int64_t bad = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        const T c = std::pow(x[i], y[i]);
        const bool same = std::isnan(c) ? std::isnan(got[i]) : std::memcmp(&c, &got[i], sizeof(T)) == 0;
        const bool ok = same || (i < n_special && !std::isnan(c) && !std::isinf(c) && c != 0 && ulps(got[i], c) <= 1);
        if (!ok) {
            ++bad;
            ADD_FAILURE() << "pow(" << x[i] << ", " << y[i] << ") = " << got[i] << ", C: " << c;
        }
    }
    EXPECT_EQ(bad, 0);
}

TEST(PowKernels, Float64SpecialValues) {
    const double inf = std::numeric_limits<double>::infinity();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double two52 = 4503599627370496.0, two53 = 9007199254740992.0;
    check_special_grid<double>({0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 3.0, -3.0, 2.5, -2.5, 7.0, inf, -inf, nan,
                                two52, -two52, two52 + 1.0, -(two52 + 1.0), two53, -two53, two53 + 2.0, two52 - 0.5,
                                4.9e-324, -4.9e-324, 2.2250738585072014e-308, 1e308, -1e308, 1e-300,
                                1.0000000000000002, 0.9999999999999999, -1.0000000000000002, 1023.0, 1024.0, -1074.0,
                                -1075.0, 0.25});
}

// float32: the same groups as Float64Random, scaled to float's range (|y log|x|| up to ~107,
// past overflow at 88.7 and the last subnormal at -103.3), plus subnormal bases.
TEST(PowKernels, Float32Random) {
    std::mt19937_64 gen(32);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    std::vector<float> x, y;
    constexpr int kPairs = 2400000;
    // y with |y log x| up to limit for the float x (drawn in double, then rounded).
    const auto exponent_for = [&](float xi, double limit) {
        const double l = std::log(std::fabs(static_cast<double>(xi)));
        return static_cast<float>(l == 0.0 ? u(gen) : u(gen) * limit / l);
    };
    for (int i = 0; i < kPairs; ++i) {
        float xi = 0, yi = 0;
        switch (i % 7) {
            case 0:  // x anywhere in the normals (log-uniform): overflow, subnormals, 0
                xi = static_cast<float>(std::exp(u(gen) * 87.0));
                yi = exponent_for(xi, 107.0);
                break;
            case 1:  // near the ends of the log's reduction, |y log x| up to 104
                xi = static_cast<float>((u(gen) < 0 ? std::sqrt(2.0) : std::sqrt(0.5)) * (1.0 + u(gen) * 1e-3));
                yi = exponent_for(xi, 104.0);
                break;
            case 2:  // |x| in [e^-6, e^6], |y log x| up to 104
                xi = static_cast<float>(std::exp(u(gen) * 6.0));
                yi = exponent_for(xi, 104.0);
                break;
            case 3:  // negative and positive bases, integer exponents
                xi = static_cast<float>(u(gen) * 20.0);
                yi = static_cast<float>(std::floor(u(gen) * 40.0));
                break;
            case 4:  // x near 1, huge exponents
                xi = static_cast<float>(1.0 + u(gen) * 1e-5);
                yi = exponent_for(xi, 104.0);
                break;
            case 5: {  // subnormal bases
                const uint32_t bits = static_cast<uint32_t>(gen() % 0x7fffffu) + 1;
                std::memcpy(&xi, &bits, 4);
                yi = exponent_for(xi, 107.0);
                break;
            }
            default: {  // any finite x of either sign, |y log|x|| up to 107
                const uint32_t bits = static_cast<uint32_t>(gen()) & 0x7f7fffffu;
                std::memcpy(&xi, &bits, 4);
                yi = exponent_for(xi, 107.0);
                if (u(gen) < -0.4) xi = -xi;  // NaN for a non-integer y: checked as a special
                break;
            }
        }
        x.push_back(xi);
        y.push_back(yi);
    }
    expect_sweep(x, y);
}

TEST(PowKernels, Float32SpecialValues) {
    const float inf = std::numeric_limits<float>::infinity();
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const float two23 = 8388608.0f, two24 = 16777216.0f;
    check_special_grid<float>({0.0f, -0.0f, 1.0f, -1.0f, 0.5f, -0.5f, 2.0f, -2.0f, 3.0f, -3.0f, 2.5f, -2.5f, 7.0f, inf,
                               -inf, nan, two23, -two23, two23 + 1.0f, -(two23 + 1.0f), two24, -two24, two24 + 2.0f,
                               two23 - 0.5f, 1.4e-45f, -1.4e-45f, 1.17549435e-38f, 3e38f, -3e38f, 1e-30f,
                               1.00000012f, 0.99999994f, -1.00000012f, 127.0f, 128.0f, -149.0f, -150.0f, 0.25f});
}

}  // namespace
}  // namespace cmp::testing
