// atan, asin, acos, atan2 and hypot through the C ABI, i.e. in the kernels of the ISA the library
// dispatches to (COMPUTE_CPU_ISA picks it). test_vec_math.cpp checks cpu/vec_atan.h compiled with
// the test's own flags; the avx2/avx512 kernels are compiled with FMA, and GCC contracts a*b + c
// into fma there, so their accuracy is checked again here, on float32 and float64 tensors of
// sweep values against the C library (float: rounded from the double function; double: the long
// double functions). Measured at avx512, avx2 and baseline: 1 ulp for all ten. At avx2 and avx512
// the float32 ones compute in float lanes (cpu/vec_atan.h, kFastFma), at baseline in double lanes.
#include "abi_helpers.h"
#include "ulp_distance.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

namespace cmp::testing {
namespace {

// Every 4099th float bit pattern (NaNs, infinities, subnormals included), as doubles.
std::vector<double> float_sweep() {
    std::vector<double> v;
    for (uint64_t bits = 0; bits <= 0xffffffffull; bits += 4099) {
        const uint32_t b = static_cast<uint32_t>(bits);
        float x;
        std::memcpy(&x, &b, 4);
        v.push_back(x);
    }
    return v;
}

// Random doubles: uniform on [-range, range] and log-uniform in magnitude over the whole range.
std::vector<double> double_sweep(double range, uint64_t seed) {
    std::mt19937_64 gen(seed);
    std::uniform_real_distribution<double> lin(-range, range), mag(-744.0, 709.0);
    std::vector<double> v;
    for (int i = 0; i < 200000; ++i) {
        v.push_back(lin(gen));
        v.push_back(i % 2 ? std::exp(mag(gen)) : -std::exp(mag(gen)));
    }
    return v;
}

// The worst distance of op(inputs) from ref over the elements, computed in dtype T.
template <typename T, typename Ref>
int64_t worst_unary(cmp_status (*op)(cmp_tensor, cmp_tensor*), const std::vector<double>& in, Ref ref) {
    const cmp_dtype dtype = sizeof(T) == 4 ? CMP_DTYPE_FLOAT32 : CMP_DTYPE_FLOAT64;
    Handle a = tensor_from(in, {static_cast<int64_t>(in.size())}, dtype);
    cmp_tensor out = nullptr;
    EXPECT_EQ(op(a.get(), &out), CMP_STATUS_OK) << cmp_last_error();
    Handle owned(out);
    const std::vector<double> got = values_of(out);
    int64_t worst = 0;
    size_t at = 0;
    for (size_t i = 0; i < in.size(); ++i) {
        const int64_t u = ulps(static_cast<T>(got[i]), ref(static_cast<T>(in[i])));
        if (u > worst) worst = u, at = i;
    }
    std::printf("max error %lld ulp (at %.17g)\n", static_cast<long long>(worst), in.empty() ? 0.0 : in[at]);
    return worst;
}

// op(y, x) through the C ABI on 1-D tensors of dtype, read back as doubles.
std::vector<double> binary_values(cmp_status (*op)(cmp_tensor, cmp_tensor, cmp_tensor*), const std::vector<double>& y,
                                  const std::vector<double>& x, cmp_dtype dtype) {
    Handle a = tensor_from(y, {static_cast<int64_t>(y.size())}, dtype);
    Handle b = tensor_from(x, {static_cast<int64_t>(x.size())}, dtype);
    cmp_tensor out = nullptr;
    EXPECT_EQ(op(a.get(), b.get(), &out), CMP_STATUS_OK) << cmp_last_error();
    Handle owned(out);
    return out ? values_of(out) : std::vector<double>(y.size(), std::nan(""));
}

template <typename T, typename Ref>
int64_t worst_binary(cmp_status (*op)(cmp_tensor, cmp_tensor, cmp_tensor*), const std::vector<double>& y,
                     const std::vector<double>& x, Ref ref) {
    const std::vector<double> got = binary_values(op, y, x, sizeof(T) == 4 ? CMP_DTYPE_FLOAT32 : CMP_DTYPE_FLOAT64);
    int64_t worst = 0;
    size_t at = 0;
    for (size_t i = 0; i < y.size(); ++i) {
        const int64_t u = ulps(static_cast<T>(got[i]), ref(static_cast<T>(y[i]), static_cast<T>(x[i])));
        if (u > worst) worst = u, at = i;
    }
    std::printf("max error %lld ulp (at %.17g, %.17g)\n", static_cast<long long>(worst), y.empty() ? 0.0 : y[at],
                x.empty() ? 0.0 : x[at]);
    return worst;
}

TEST(AtanKernels, UnaryFloat32Sweep) {
    const std::vector<double> in = float_sweep();
    auto rounded = [](double (*f)(double)) { return [f](float x) { return static_cast<float>(f(x)); }; };
    EXPECT_LE(worst_unary<float>(cmp_atan, in, rounded([](double x) { return std::atan(x); })), 1);
    EXPECT_LE(worst_unary<float>(cmp_asin, in, rounded([](double x) { return std::asin(x); })), 1);
    EXPECT_LE(worst_unary<float>(cmp_acos, in, rounded([](double x) { return std::acos(x); })), 1);
}

TEST(AtanKernels, UnaryFloat64Random) {
    const std::vector<double> wide = double_sweep(4.0, 1), unit = double_sweep(1.0, 2);
    auto ref = [](long double (*f)(long double)) { return [f](double x) { return static_cast<double>(f(x)); }; };
    EXPECT_LE(worst_unary<double>(cmp_atan, wide, ref([](long double x) { return atanl(x); })), 1);
    EXPECT_LE(worst_unary<double>(cmp_asin, unit, ref([](long double x) { return asinl(x); })), 1);
    EXPECT_LE(worst_unary<double>(cmp_acos, unit, ref([](long double x) { return acosl(x); })), 1);
}

// Pairs: independent values of the sweep (every ratio of magnitudes, infinities and NaNs), and
// pairs of nearby magnitude (atan2's middle reduction, hypot's sum of similar squares).
template <typename T>
void pairs(const std::vector<double>& values, std::vector<double>& y, std::vector<double>& x) {
    std::mt19937_64 gen(3);
    std::uniform_real_distribution<double> near(0.2, 5.0);
    std::uniform_int_distribution<size_t> pick(0, values.size() - 1);
    for (size_t i = 0; i < 400000; ++i) {
        const double a = values[pick(gen)];
        y.push_back(a);
        x.push_back(i % 2 ? values[pick(gen)] : static_cast<double>(static_cast<T>(a * near(gen) * (gen() & 1 ? 1 : -1))));
    }
}

TEST(AtanKernels, Atan2HypotFloat32) {
    std::vector<double> y, x;
    pairs<float>(float_sweep(), y, x);
    EXPECT_LE(worst_binary<float>(cmp_atan2, y, x, [](float a, float b) { return static_cast<float>(std::atan2(double{a}, double{b})); }), 1);
    EXPECT_LE(worst_binary<float>(cmp_hypot, y, x, [](float a, float b) { return static_cast<float>(std::hypot(double{a}, double{b})); }), 1);
}

// float32 atan2 just below |y / x| = 1/2 (random mantissas, so that 1/x rounds), where the float-lane
// kernels (avx2, avx512) err most: below 0.8 ulp of the exact value (double atan2). They reached
// 0.92 there when the correction c of the quotient was added at full weight instead of c (1 - q^2).
TEST(AtanKernels, Atan2Float32NearHalf) {
    std::mt19937_64 gen(6);
    std::uniform_real_distribution<double> ratio(0.4, 0.5), mantissa(1.0, 2.0);
    std::vector<double> y, x;
    for (int i = 0; i < 1000000; ++i) {
        const float xf = static_cast<float>(std::ldexp(mantissa(gen), static_cast<int>(gen() % 40) - 20)) * (gen() & 1 ? 1.0f : -1.0f);
        x.push_back(xf);
        y.push_back(static_cast<float>(xf * ratio(gen)) * (gen() & 1 ? 1.0f : -1.0f));
    }
    const std::vector<double> got = binary_values(cmp_atan2, y, x, CMP_DTYPE_FLOAT32);
    double worst = 0;
    size_t at = 0;
    for (size_t i = 0; i < y.size(); ++i) {
        const double exact = std::atan2(y[i], x[i]);
        int e;
        std::frexp(exact, &e);
        const double err = std::fabs(got[i] - exact) / std::ldexp(1.0, e - 24);
        if (err > worst) worst = err, at = i;
    }
    std::printf("max error %.3f ulp (at %.9g, %.9g)\n", worst, y[at], x[at]);
    EXPECT_LT(worst, 0.8) << "at y = " << y[at] << ", x = " << x[at];
}

TEST(AtanKernels, Atan2HypotFloat64) {
    std::vector<double> y, x;
    pairs<double>(double_sweep(4.0, 4), y, x);
    EXPECT_LE(worst_binary<double>(cmp_atan2, y, x, [](double a, double b) { return static_cast<double>(atan2l(a, b)); }), 1);
    EXPECT_LE(worst_binary<double>(cmp_hypot, y, x, [](double a, double b) { return static_cast<double>(hypotl(a, b)); }), 1);
}

}  // namespace
}  // namespace cmp::testing
