// The fused activation derivatives (cmp_<op>_backward) through the public C ABI: each against its
// formula (PyTorch's *_backward, branch for branch) evaluated in long double, at float64 over a
// sweep that crosses every branch point and at the far tails, with NaN and +-inf, then in
// float32/float16/bfloat16, on non-contiguous operands, and the inputs they refuse. Run at each
// ISA (COMPUTE_CPU_ISA=avx512, avx2, baseline) to cover every compiled variant.
#include "abi_helpers.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

namespace cmp::testing {
namespace {

using LD = long double;

// A derivative f'(x) and the size of the terms its formula adds up (each computed to a few
// roundings of itself): a correct kernel is within a few eps of that magnitude, not of the
// result, which can cancel (gelu far below 0 is a tiny difference of terms near 1e-22 and 1).
struct Derivative {
    LD value;
    LD magnitude;
};

struct Case {
    const char* name;
    std::function<cmp_status(cmp_tensor g, cmp_tensor x, cmp_tensor* out)> call;
    std::function<Derivative(LD x)> reference;
    bool of_result = false;  // x is the forward's result (sigmoid, tanh): drawn from its range
};

constexpr LD kSqrt1_2 = 0.70710678118654752440084436210484903928L;
constexpr LD kInvSqrt2Pi = 0.39894228040143267793994605991L;
constexpr LD kBeta = 0.79788456080286535587989211986876L;  // sqrt(2/pi)
constexpr LD kKappa = 0.044715L;
constexpr LD kSeluAlpha = 1.6732632423543772848170429916717L;
constexpr LD kSeluScale = 1.0507009873554804934193349852946L;

LD sigmoid(LD x) { return 1.0L / (1.0L + std::exp(-x)); }

Derivative elu(LD x, LD alpha, LD scale, LD input_scale) {
    if (x <= 0) {
        const LD v = input_scale * alpha * scale * std::exp(x * input_scale);
        return {v, std::fabs(v) * (1 + std::fabs(x * input_scale))};
    }
    return {scale, std::fabs(scale)};  // NaN too, as PyTorch's kernel
}

const std::vector<Case>& cases() {
    static const std::vector<Case> all = {
        {"gelu", [](cmp_tensor g, cmp_tensor x, cmp_tensor* o) { return cmp_gelu_backward(g, x, 0, o); },
         [](LD x) {
             const LD e = std::erf(x * kSqrt1_2);
             const LD pdf = std::exp(-0.5L * x * x) * kInvSqrt2Pi;
             // exp's argument carries the rounding of x^2: relative error x^2 eps.
             return Derivative{0.5L * (1 + e) + x * pdf, 0.5L * (1 + std::fabs(e)) + std::fabs(x * pdf) * (1 + x * x)};
         }},
        {"gelu_tanh", [](cmp_tensor g, cmp_tensor x, cmp_tensor* o) { return cmp_gelu_backward(g, x, 1, o); },
         [](LD x) {
             const LD inner = kBeta * (x + kKappa * x * x * x);
             const LD t = std::tanh(inner);
             const LD slope = 0.5L * x * kBeta * (1 + 3 * kKappa * x * x);
             // 1 - t^2 is found to an absolute eps, whatever its size.
             return Derivative{0.5L * (1 + t) + slope * (1 - t * t), 0.5L * (1 + std::fabs(t)) + std::fabs(slope) * (1 + std::fabs(inner))};
         }},
        {"silu", cmp_silu_backward,
         [](LD x) {
             const LD s = sigmoid(x);
             return Derivative{s * (1 + x * (1 - s)), s * (1 + std::fabs(x)) * (1 + std::fabs(x))};
         }},
        {"mish", cmp_mish_backward,
         [](LD x) {
             const LD t = std::tanh(std::log1p(std::exp(x)));
             const LD s = sigmoid(x);
             return Derivative{t + x * s * (1 - t * t), (std::fabs(t) + std::fabs(x) * s) * (1 + std::fabs(x))};
         }},
        {"softplus", [](cmp_tensor g, cmp_tensor x, cmp_tensor* o) { return cmp_softplus_backward(g, x, 1.0, 20.0, o); },
         [](LD x) { return x > 20 ? Derivative{1, 1} : Derivative{sigmoid(x), sigmoid(x) * (1 + std::fabs(x))}; }},
        {"softplus_beta", [](cmp_tensor g, cmp_tensor x, cmp_tensor* o) { return cmp_softplus_backward(g, x, 2.0, 3.0, o); },
         [](LD x) {
             const LD z = x * 2;
             return z > 3 ? Derivative{1, 1} : Derivative{sigmoid(z), sigmoid(z) * (1 + std::fabs(z))};
         }},
        {"elu", [](cmp_tensor g, cmp_tensor x, cmp_tensor* o) { return cmp_elu_backward(g, x, 1.3, 1.0, 1.0, o); },
         [](LD x) { return elu(x, 1.3L, 1, 1); }},
        {"selu",
         [](cmp_tensor g, cmp_tensor x, cmp_tensor* o) {
             return cmp_elu_backward(g, x, static_cast<double>(kSeluAlpha), static_cast<double>(kSeluScale), 1.0, o);
         },
         [](LD x) { return elu(x, static_cast<double>(kSeluAlpha), static_cast<double>(kSeluScale), 1); }},
        {"celu", [](cmp_tensor g, cmp_tensor x, cmp_tensor* o) { return cmp_elu_backward(g, x, 0.7, 1.0, 1.0 / 0.7, o); },
         [](LD x) { return elu(x, 0.7L, 1, static_cast<LD>(1.0 / 0.7)); }},
        {"hardswish", cmp_hardswish_backward,
         [](LD x) {
             if (x < -3) return Derivative{0, 0};
             if (x <= 3) return Derivative{x / 3 + 0.5L, std::fabs(x) / 3 + 0.5L};
             return Derivative{1, 1};  // NaN too
         }},
        {"hardsigmoid", cmp_hardsigmoid_backward,
         [](LD x) { return x > -3 && x < 3 ? Derivative{1.0L / 6, 1.0L / 6} : Derivative{0, 0}; }},
        {"logsigmoid", cmp_logsigmoid_backward,
         [](LD x) { return Derivative{sigmoid(-x), sigmoid(-x) * (1 + std::fabs(x))}; }},
        {"leaky_relu", [](cmp_tensor g, cmp_tensor x, cmp_tensor* o) { return cmp_leaky_relu_backward(g, x, 0.2, o); },
         [](LD x) { return x > 0 ? Derivative{1, 1} : Derivative{0.2L, 0.2L}; }},
        {"hardtanh", [](cmp_tensor g, cmp_tensor x, cmp_tensor* o) { return cmp_hardtanh_backward(g, x, -0.5, 2.0, o); },
         [](LD x) { return x <= -0.5L || x >= 2 ? Derivative{0, 0} : Derivative{1, 1}; }},
        {"relu6", [](cmp_tensor g, cmp_tensor x, cmp_tensor* o) { return cmp_hardtanh_backward(g, x, 0.0, 6.0, o); },
         [](LD x) { return x <= 0 || x >= 6 ? Derivative{0, 0} : Derivative{1, 1}; }},
        {"sigmoid", cmp_sigmoid_backward,
         [](LD y) { return Derivative{(1 - y) * y, std::fabs(y) * (1 + std::fabs(y))}; }, true},
        {"tanh", cmp_tanh_backward, [](LD y) { return Derivative{1 - y * y, 1 + y * y}; }, true},
    };
    return all;
}

// Inputs: a sweep over [-12, 12] (the branch points -3, 0, 3, 6, 1.5... fall on it exactly),
// the far tails where the exponentials under- and overflow, signed zeros, NaN and infinities.
// For the ops of the result, the sweep over (-1, 1) and the ends instead.
std::vector<double> inputs(bool of_result) {
    std::vector<double> x;
    const double inf = std::numeric_limits<double>::infinity();
    if (of_result) {
        for (int i = -200; i <= 200; ++i) x.push_back(i / 200.0);
        for (double v : {1e-300, -1e-300, 0.999999999, -0.999999999}) x.push_back(v);
    } else {
        for (int i = -1200; i <= 1200; ++i) x.push_back(i / 100.0);
        for (double v : {-1e-300, 1e-300, -20.0, 20.0, 20.5, -40.0, 40.0, -100.0, 100.0, -745.0, 710.0, -1e5, 1e5})
            x.push_back(v);
        x.push_back(-inf);
        x.push_back(inf);
    }
    x.push_back(-0.0);
    x.push_back(std::numeric_limits<double>::quiet_NaN());
    return x;
}

// grad_output values of both signs and several sizes, none of them 1 (so a kernel that forgot
// the multiplication fails).
std::vector<double> grads(size_t n) {
    std::vector<double> g(n);
    for (size_t i = 0; i < n; ++i) g[i] = (static_cast<double>(i % 7) - 3.25) * (i % 3 == 0 ? 0.01 : 1.5);
    return g;
}

Handle run(const Case& c, cmp_tensor g, cmp_tensor x) {
    cmp_tensor out = nullptr;
    EXPECT_EQ(c.call(g, x, &out), CMP_STATUS_OK) << c.name << ": " << cmp_last_error();
    return Handle(out);
}

// Expected g * f'(x) against the kernel's value: NaN where the formula gives NaN, the same
// infinity, else within count eps of |g| times the formula's magnitude (double rounding of the
// 16-bit results adds one ulp of the result).
void expect_matches(const Case& c, const std::vector<double>& g, const std::vector<double>& x,
                    const std::vector<double>& got, cmp_dtype dtype) {
    const double eps = dtype == CMP_DTYPE_FLOAT64 ? std::numeric_limits<double>::epsilon()
                                                   : static_cast<double>(std::numeric_limits<float>::epsilon());
    const double out_eps = dtype == CMP_DTYPE_FLOAT16 ? std::ldexp(1.0, -10) : dtype == CMP_DTYPE_BFLOAT16 ? std::ldexp(1.0, -7) : 0.0;
    ASSERT_EQ(got.size(), x.size());
    for (size_t i = 0; i < x.size(); ++i) {
        const Derivative d = c.reference(static_cast<LD>(x[i]));
        const LD expected = static_cast<LD>(g[i]) * d.value;
        if (std::isnan(static_cast<double>(expected))) {
            EXPECT_TRUE(std::isnan(got[i])) << c.name << "(" << x[i] << "), g " << g[i] << ": got " << got[i] << ", expected NaN";
            continue;
        }
        // Below the normal range of the computing type (float32 for the 16-bit types) an
        // exponential underflows: within a few of its smallest normal numbers of 0 is right.
        // float16 results below its own normal range are rounded to an absolute 2^-25.
        const double min_normal = dtype == CMP_DTYPE_FLOAT64 ? std::numeric_limits<double>::min()
                                                             : static_cast<double>(std::numeric_limits<float>::min());
        const double floor = 16 * min_normal * std::max(1.0, std::fabs(g[i])) +
                             (dtype == CMP_DTYPE_FLOAT16 ? std::ldexp(1.0, -24) : 0.0);
        // At +-inf the limits are 0, g or g times a coefficient: a rounding or two of the result
        // (the magnitude, with its factors of |x|, is not a number there).
        const double terms = std::isfinite(x[i]) ? std::fabs(g[i]) * static_cast<double>(d.magnitude)
                                                 : std::fabs(static_cast<double>(expected)) / 16;
        const double tol = 64 * eps * terms + out_eps * std::fabs(static_cast<double>(expected)) + floor;
        EXPECT_NEAR(got[i], static_cast<double>(expected), tol)
            << c.name << "(" << x[i] << ") with grad " << g[i] << " in " << static_cast<int>(dtype);
    }
}

// A 16-bit input is what the kernel sees: compare against the formula at the rounded values.
std::vector<double> rounded(const std::vector<double>& v, cmp_dtype dtype) {
    Handle t = tensor_from(v, {static_cast<int64_t>(v.size())}, dtype);
    return values_of(t.get());
}

TEST(ActivationBackward, MatchesFormulaFloat64) {
    for (const Case& c : cases()) {
        const std::vector<double> x = inputs(c.of_result), g = grads(x.size());
        const std::vector<int64_t> n{static_cast<int64_t>(x.size())};
        Handle gt = tensor_from(g, n, CMP_DTYPE_FLOAT64), xt = tensor_from(x, n, CMP_DTYPE_FLOAT64);
        Handle out = run(c, gt.get(), xt.get());
        ASSERT_TRUE(out);
        expect_matches(c, g, x, values_of(out.get()), CMP_DTYPE_FLOAT64);
    }
}

TEST(ActivationBackward, MatchesFormulaReducedPrecision) {
    for (cmp_dtype dtype : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT16, CMP_DTYPE_BFLOAT16}) {
        for (const Case& c : cases()) {
            std::vector<double> x = inputs(c.of_result);
            // 16-bit types overflow beyond 65504 (float16): keep the values they can hold.
            if (dtype != CMP_DTYPE_FLOAT32) std::erase_if(x, [](double v) { return std::fabs(v) > 1e4 && std::isfinite(v); });
            x = rounded(x, dtype);
            const std::vector<double> g = rounded(grads(x.size()), dtype);
            const std::vector<int64_t> n{static_cast<int64_t>(x.size())};
            Handle gt = tensor_from(g, n, dtype), xt = tensor_from(x, n, dtype);
            Handle out = run(c, gt.get(), xt.get());
            ASSERT_TRUE(out);
            cmp_dtype got_dtype = CMP_DTYPE_FLOAT64;
            cmp_tensor_dtype(out.get(), &got_dtype);
            EXPECT_EQ(got_dtype, dtype) << c.name;
            expect_matches(c, g, x, values_of(out.get()), dtype);
        }
    }
}

// PyTorch's NaN conventions, stated outright (the sweep checks them through the formulas too):
// the branch a comparison with NaN falls into decides.
TEST(ActivationBackward, NanFollowsPyTorchBranches) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    Handle g = tensor_from({2.0}, {1}, CMP_DTYPE_FLOAT64), x = tensor_from({nan}, {1}, CMP_DTYPE_FLOAT64);
    auto value = [&](cmp_status (*fn)(cmp_tensor, cmp_tensor, cmp_tensor*)) {
        cmp_tensor out = nullptr;
        EXPECT_EQ(fn(g.get(), x.get(), &out), CMP_STATUS_OK) << cmp_last_error();
        Handle h(out);
        return values_of(out)[0];
    };
    EXPECT_EQ(value([](cmp_tensor a, cmp_tensor b, cmp_tensor* o) { return cmp_hardtanh_backward(a, b, -1, 1, o); }), 2.0);
    EXPECT_EQ(value([](cmp_tensor a, cmp_tensor b, cmp_tensor* o) { return cmp_elu_backward(a, b, 1.0, 1.5, 1.0, o); }), 3.0);
    EXPECT_EQ(value([](cmp_tensor a, cmp_tensor b, cmp_tensor* o) { return cmp_leaky_relu_backward(a, b, 0.25, o); }), 0.5);
    EXPECT_EQ(value(cmp_hardswish_backward), 2.0);
    EXPECT_EQ(value(cmp_hardsigmoid_backward), 0.0);
    EXPECT_TRUE(std::isnan(value(cmp_silu_backward)));
    EXPECT_TRUE(std::isnan(value([](cmp_tensor a, cmp_tensor b, cmp_tensor* o) { return cmp_gelu_backward(a, b, 0, o); })));
}

// The strided and broadcast loops (a transposed x, a grad that is one value expanded over the
// whole shape) against the formula. (Not bit for bit against the dense loop: its vector code
// may contract a multiply-add that the scalar loop rounds twice.)
TEST(ActivationBackward, NonContiguousOperands) {
    std::vector<double> x(6 * 5);
    for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<double>(i) / 4.0 - 3.6;
    x = rounded(x, CMP_DTYPE_FLOAT32);
    // Output element k = (i, j) of the [5, 6] transpose reads x[j * 5 + i].
    std::vector<double> xt_values(x.size());
    for (size_t k = 0; k < x.size(); ++k) xt_values[k] = x[(k % 6) * 5 + k / 6];
    const std::vector<double> g(x.size(), -0.75);
    for (const Case& c : cases()) {
        Handle base = tensor_from(x, {6, 5}, CMP_DTYPE_FLOAT32);
        cmp_tensor xt_raw = nullptr, ge_raw = nullptr;
        CMP_ASSERT_OK(cmp_transpose(base.get(), 0, 1, &xt_raw));
        Handle xt(xt_raw);
        Handle g1 = tensor_from({-0.75}, {1, 1}, CMP_DTYPE_FLOAT32);
        const int64_t shape[] = {5, 6};
        CMP_ASSERT_OK(cmp_expand(g1.get(), shape, 2, &ge_raw));
        Handle ge(ge_raw);
        Handle strided = run(c, ge.get(), xt.get());
        ASSERT_TRUE(strided);
        EXPECT_EQ(sizes_of(strided.get()), (std::vector<int64_t>{5, 6})) << c.name;
        expect_matches(c, g, xt_values, values_of(strided.get()), CMP_DTYPE_FLOAT32);
    }
}

TEST(ActivationBackward, EmptyAndScalar) {
    for (const Case& c : cases()) {
        Handle ge = tensor_from({}, {0, 3}, CMP_DTYPE_FLOAT32), xe = tensor_from({}, {0, 3}, CMP_DTYPE_FLOAT32);
        Handle empty = run(c, ge.get(), xe.get());
        ASSERT_TRUE(empty);
        EXPECT_EQ(sizes_of(empty.get()), (std::vector<int64_t>{0, 3})) << c.name;
        Handle g0 = tensor_from({1.5}, {}, CMP_DTYPE_FLOAT64), x0 = tensor_from({0.25}, {}, CMP_DTYPE_FLOAT64);
        Handle scalar = run(c, g0.get(), x0.get());
        ASSERT_TRUE(scalar);
        EXPECT_TRUE(sizes_of(scalar.get()).empty()) << c.name;
        expect_matches(c, {1.5}, {0.25}, values_of(scalar.get()), CMP_DTYPE_FLOAT64);
    }
}

// Mismatched operands are refused with a status and a message naming the op and the operands.
TEST(ActivationBackward, RefusesBadOperands) {
    Handle x = tensor_from({1, 2, 3, 4, 5, 6}, {2, 3}, CMP_DTYPE_FLOAT32);
    Handle g_shape = tensor_from({1, 2, 3}, {3}, CMP_DTYPE_FLOAT32);
    Handle g_dtype = tensor_from({1, 2, 3, 4, 5, 6}, {2, 3}, CMP_DTYPE_FLOAT64);
    Handle xi = tensor_from({1, 2, 3, 4, 5, 6}, {2, 3}, CMP_DTYPE_INT64);
    Handle gi = tensor_from({1, 2, 3, 4, 5, 6}, {2, 3}, CMP_DTYPE_INT64);
    for (const Case& c : cases()) {
        cmp_tensor out = nullptr;
        EXPECT_EQ(c.call(g_shape.get(), x.get(), &out), CMP_STATUS_SHAPE_MISMATCH) << c.name;
        EXPECT_NE(std::string(cmp_last_error()).find("_backward: grad_output has shape [3] but"), std::string::npos)
            << cmp_last_error();
        EXPECT_EQ(c.call(g_dtype.get(), x.get(), &out), CMP_STATUS_DTYPE_MISMATCH) << c.name;
        EXPECT_NE(std::string(cmp_last_error()).find("grad_output has dtype float64 but"), std::string::npos) << cmp_last_error();
        EXPECT_EQ(c.call(gi.get(), xi.get(), &out), CMP_STATUS_DTYPE_MISMATCH) << c.name;
        EXPECT_NE(std::string(cmp_last_error()).find("not implemented for dtype int64"), std::string::npos) << cmp_last_error();
        EXPECT_NE(c.call(nullptr, x.get(), &out), CMP_STATUS_OK) << c.name;
        EXPECT_NE(c.call(x.get(), x.get(), nullptr), CMP_STATUS_OK) << c.name;
        EXPECT_EQ(out, nullptr) << c.name;
    }
    cmp_tensor out = nullptr;
    EXPECT_EQ(cmp_gelu_backward(x.get(), x.get(), 2, &out), CMP_STATUS_INVALID_ARGUMENT);
    EXPECT_NE(std::string(cmp_last_error()).find("gelu_backward: argument 'tanh_approximation'"), std::string::npos)
        << cmp_last_error();
}

}  // namespace
}  // namespace cmp::testing
