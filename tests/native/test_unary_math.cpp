// The unary math family (sqrt, log, sin, ..., activations, predicates, nan_to_num, clamp)
// against PyTorch fixtures (tests/reference/fixtures/unary_math.json, written by
// tests/reference/gen_unary_math.py), through the public C ABI only: every dtype, NaN/Inf,
// -0.0, subnormals, non-contiguous, empty and 0-dim inputs, op arguments, the in-place forms,
// and the inputs PyTorch rejects (a status and a message, never a crash).
#include "fixture.h"

#include <functional>
#include <map>
#include <optional>
#include <string>

namespace cmp::reference {
namespace {

using Out = std::function<cmp_status(cmp_tensor a, const Json& args, const Json& inputs, cmp_tensor* out)>;
using InPlace = std::function<cmp_status(cmp_tensor a, const Json& args, const Json& inputs)>;

struct Op {
    Out out;
    InPlace inplace;  // empty when the op has no in-place form
};

// A keyword argument of the case (a Python-scalar operand), or PyTorch's default.
double arg(const Json& args, const char* key, double fallback) {
    if (!args.has(key)) return fallback;
    const cmp_scalar s = scalar_from_json(args.at(key));
    return s.kind == CMP_SCALAR_FLOAT ? s.f : static_cast<double>(s.i);
}
std::optional<double> optional_arg(const Json& args, const char* key) {
    if (!args.has(key)) return std::nullopt;
    return arg(args, key, 0.0);
}
std::optional<cmp_scalar> scalar_arg(const Json& args, const char* key) {
    if (!args.has(key)) return std::nullopt;
    return scalar_from_json(args.at(key));
}
template <typename T>
const T* ptr(const std::optional<T>& o) {
    return o ? &*o : nullptr;
}

#define PLAIN(name) {#name, {[](cmp_tensor a, const Json&, const Json&, cmp_tensor* o) { return cmp_##name(a, o); }, nullptr}}
#define PLAIN_INPLACE(name)                                                                       \
    {#name, {[](cmp_tensor a, const Json&, const Json&, cmp_tensor* o) { return cmp_##name(a, o); }, \
             [](cmp_tensor a, const Json&, const Json&) { return cmp_##name##_(a); }}}

// Tensor bounds of clamp_tensor cases: inputs[1] and inputs[2].
cmp_status with_bounds(const Json& inputs, const std::function<cmp_status(cmp_tensor, cmp_tensor)>& fn) {
    Tensor lo = make_tensor(inputs.at(size_t{1}));
    Tensor hi = make_tensor(inputs.at(size_t{2}));
    return fn(lo.get(), hi.get());
}

// clamp_min_tensor / clamp_max_tensor cases: the one bound is inputs[1]; the in-place form is
// cmp_clamp_tensor_ with the other bound NULL.
Op one_bound_clamp(cmp_status (*fn)(cmp_tensor, cmp_tensor, cmp_tensor*), bool is_min) {
    return {[fn](cmp_tensor a, const Json&, const Json& in, cmp_tensor* o) {
                Tensor b = make_tensor(in.at(size_t{1}));
                return fn(a, b.get(), o);
            },
            [is_min](cmp_tensor a, const Json&, const Json& in) {
                Tensor b = make_tensor(in.at(size_t{1}));
                return cmp_clamp_tensor_(a, is_min ? b.get() : nullptr, is_min ? nullptr : b.get());
            }};
}

const std::map<std::string, Op>& ops() {
    static const std::map<std::string, Op> table = {
        PLAIN_INPLACE(abs), PLAIN_INPLACE(sign), PLAIN_INPLACE(sqrt), PLAIN_INPLACE(rsqrt), PLAIN_INPLACE(square),
        PLAIN_INPLACE(exp2), PLAIN_INPLACE(expm1), PLAIN_INPLACE(log), PLAIN_INPLACE(log2), PLAIN_INPLACE(log10),
        PLAIN_INPLACE(log1p), PLAIN_INPLACE(sin), PLAIN_INPLACE(cos), PLAIN_INPLACE(tan), PLAIN_INPLACE(asin),
        PLAIN_INPLACE(acos), PLAIN_INPLACE(atan), PLAIN_INPLACE(sinh), PLAIN_INPLACE(cosh), PLAIN_INPLACE(tanh),
        PLAIN_INPLACE(asinh), PLAIN_INPLACE(acosh), PLAIN_INPLACE(atanh), PLAIN_INPLACE(sigmoid), PLAIN_INPLACE(erf),
        PLAIN_INPLACE(erfc), PLAIN_INPLACE(erfinv), PLAIN_INPLACE(lgamma), PLAIN_INPLACE(digamma), PLAIN_INPLACE(floor),
        PLAIN_INPLACE(ceil), PLAIN_INPLACE(trunc), PLAIN_INPLACE(frac), PLAIN_INPLACE(reciprocal), PLAIN_INPLACE(relu),
        PLAIN_INPLACE(relu6), PLAIN_INPLACE(silu), PLAIN_INPLACE(mish), PLAIN_INPLACE(selu), PLAIN_INPLACE(hardsigmoid),
        PLAIN_INPLACE(hardswish), PLAIN(logsigmoid), PLAIN_INPLACE(bitwise_not), PLAIN(isnan), PLAIN(isinf),
        PLAIN(isfinite), PLAIN(logical_not),
        {"logit",
         {[](cmp_tensor a, const Json& k, const Json&, cmp_tensor* o) { return cmp_logit(a, arg(k, "eps", -1.0), o); },
          [](cmp_tensor a, const Json& k, const Json&) { return cmp_logit_(a, arg(k, "eps", -1.0)); }}},
        {"round",
         {[](cmp_tensor a, const Json& k, const Json&, cmp_tensor* o) {
              return cmp_round(a, static_cast<int64_t>(arg(k, "decimals", 0)), o);
          },
          [](cmp_tensor a, const Json& k, const Json&) { return cmp_round_(a, static_cast<int64_t>(arg(k, "decimals", 0))); }}},
        {"gelu", {[](cmp_tensor a, const Json&, const Json&, cmp_tensor* o) { return cmp_gelu(a, 0, o); }, nullptr}},
        {"gelu_tanh", {[](cmp_tensor a, const Json&, const Json&, cmp_tensor* o) { return cmp_gelu(a, 1, o); }, nullptr}},
        {"softplus",
         {[](cmp_tensor a, const Json& k, const Json&, cmp_tensor* o) {
              return cmp_softplus(a, arg(k, "beta", 1.0), arg(k, "threshold", 20.0), o);
          },
          nullptr}},
        {"elu",
         {[](cmp_tensor a, const Json& k, const Json&, cmp_tensor* o) { return cmp_elu(a, arg(k, "alpha", 1.0), o); },
          [](cmp_tensor a, const Json& k, const Json&) { return cmp_elu_(a, arg(k, "alpha", 1.0)); }}},
        {"celu",
         {[](cmp_tensor a, const Json& k, const Json&, cmp_tensor* o) { return cmp_celu(a, arg(k, "alpha", 1.0), o); },
          [](cmp_tensor a, const Json& k, const Json&) { return cmp_celu_(a, arg(k, "alpha", 1.0)); }}},
        {"leaky_relu",
         {[](cmp_tensor a, const Json& k, const Json&, cmp_tensor* o) {
              return cmp_leaky_relu(a, arg(k, "negative_slope", 0.01), o);
          },
          [](cmp_tensor a, const Json& k, const Json&) { return cmp_leaky_relu_(a, arg(k, "negative_slope", 0.01)); }}},
        {"hardtanh",
         {[](cmp_tensor a, const Json& k, const Json&, cmp_tensor* o) {
              return cmp_hardtanh(a, arg(k, "min_val", -1.0), arg(k, "max_val", 1.0), o);
          },
          [](cmp_tensor a, const Json& k, const Json&) {
              return cmp_hardtanh_(a, arg(k, "min_val", -1.0), arg(k, "max_val", 1.0));
          }}},
        {"nan_to_num",
         {[](cmp_tensor a, const Json& k, const Json&, cmp_tensor* o) {
              const auto pos = optional_arg(k, "posinf"), neg = optional_arg(k, "neginf");
              return cmp_nan_to_num(a, arg(k, "nan", 0.0), ptr(pos), ptr(neg), o);
          },
          [](cmp_tensor a, const Json& k, const Json&) {
              const auto pos = optional_arg(k, "posinf"), neg = optional_arg(k, "neginf");
              return cmp_nan_to_num_(a, arg(k, "nan", 0.0), ptr(pos), ptr(neg));
          }}},
        {"clamp",
         {[](cmp_tensor a, const Json& k, const Json&, cmp_tensor* o) {
              const auto lo = scalar_arg(k, "min"), hi = scalar_arg(k, "max");
              return cmp_clamp(a, ptr(lo), ptr(hi), o);
          },
          [](cmp_tensor a, const Json& k, const Json&) {
              const auto lo = scalar_arg(k, "min"), hi = scalar_arg(k, "max");
              return cmp_clamp_(a, ptr(lo), ptr(hi));
          }}},
        {"clamp_tensor",
         {[](cmp_tensor a, const Json&, const Json& in, cmp_tensor* o) {
              return with_bounds(in, [&](cmp_tensor lo, cmp_tensor hi) { return cmp_clamp_tensor(a, lo, hi, o); });
          },
          [](cmp_tensor a, const Json&, const Json& in) {
              return with_bounds(in, [&](cmp_tensor lo, cmp_tensor hi) { return cmp_clamp_tensor_(a, lo, hi); });
          }}},
        {"clamp_min_tensor", one_bound_clamp(cmp_clamp_min_tensor, true)},
        {"clamp_max_tensor", one_bound_clamp(cmp_clamp_max_tensor, false)},
    };
    return table;
}

// Ops whose result is one IEEE operation on the input (or a selection of it), computed by the
// same formula as PyTorch: bit-exact, float16/bfloat16 included (a float32 result of one
// operation rounded again to 16 bits is the correctly rounded 16-bit result).
bool is_exact(const std::string& op) {
    static const char* const exact[] = {"abs", "sign", "square", "sqrt", "floor", "ceil", "trunc", "round", "frac",
                                        "reciprocal", "relu", "relu6", "hardtanh", "leaky_relu", "isnan", "isinf",
                                        "isfinite", "logical_not", "bitwise_not", "nan_to_num", "clamp", "clamp_tensor",
                                        "clamp_min_tensor", "clamp_max_tensor",
                                        "hardsigmoid", "hardswish"};
    for (const char* e : exact)
        if (op == e) return true;
    return false;
}

// The tolerance each op earns, and why.
Tolerance tolerance_for(const Json& c, cmp_dtype out) {
    const std::string& op = c.at("op").as_string();
    const bool half = out == CMP_DTYPE_FLOAT16 || out == CMP_DTYPE_BFLOAT16;
    if (is_exact(op) || !dtype_is_floating(out)) return Tolerance::exact();
    Tolerance t;
    // rsqrt is two roundings (sqrt, then 1/x), as in PyTorch, so float32/float64 agree exactly;
    // a 16-bit result can round that float32 value to either neighbour: 1 ulp.
    // Everything else is a libm/SLEEF-class function or a short formula of them: PyTorch's
    // (SLEEF, 1 ulp) and ours (glibc or cpu/unary_math_vec.h, within 1-2 ulps) can be 2 ulps
    // apart; 16-bit results round two such float32 values, so they differ by at most 1 ulp.
    if (op == "rsqrt") t.ulps = half ? 1 : 0;
    else t.ulps = half ? 1 : 2;
    if (c.has("abs_bound")) {
        // Cancelling results (see ABS_BOUND in gen_unary_math.py): gelu/mish are x times a
        // factor whose absolute error is a few eps, digamma/lgamma sum terms of order 1 with
        // one rounding each (up to ~10 at the roots): 8 eps of the terms covers both sides.
        const cmp_dtype compute = out == CMP_DTYPE_FLOAT64 ? CMP_DTYPE_FLOAT64 : CMP_DTYPE_FLOAT32;
        t.bound_scale = 8.0 * dtype_epsilon(compute);
        t.abs_bound = &c.at("abs_bound");
    }
    return t;
}

class ReferenceUnaryMath : public ::testing::TestWithParam<const Json*> {};

TEST_P(ReferenceUnaryMath, MatchesTorch) {
    const Json& c = *GetParam();
    const std::string& op = c.at("op").as_string();
    auto it = ops().find(op);
    ASSERT_NE(it, ops().end()) << "fixture op " << op;
    const Json& args = c.at("args");
    const Json& inputs = c.at("inputs");
    Tensor a = make_tensor(inputs.at(size_t{0}));
    cmp_tensor raw = nullptr;
    const cmp_status status = it->second.out(a.get(), args, inputs, &raw);
    Tensor out(raw);
    if (c.has("error")) {
        EXPECT_TRUE(fails_with_message(status, op.c_str())) << "PyTorch: " << c.at("error").as_string();
        if (it->second.inplace) {
            EXPECT_TRUE(fails_with_message(it->second.inplace(a.get(), args, inputs), (op + "_").c_str()));
        }
        return;
    }
    ASSERT_EQ(status, CMP_STATUS_OK) << cmp_last_error();
    const Json& expected = c.at("expected");
    const Tolerance tol = tolerance_for(c, dtype_from_name(expected.at("dtype").as_string()));
    EXPECT_TRUE(tensor_matches(out.get(), expected, tol));
    if (c.has("inplace") && c.at("inplace").as_bool()) {
        ASSERT_TRUE(it->second.inplace) << op << " has an in-place form in PyTorch";
        // On a contiguous copy, and on the (maybe non-contiguous) input itself.
        cmp_tensor clone = nullptr;
        check(cmp_clone(a.get(), &clone), "clone");
        Tensor cloned(clone);
        ASSERT_EQ(it->second.inplace(cloned.get(), args, inputs), CMP_STATUS_OK) << cmp_last_error();
        EXPECT_TRUE(tensor_matches(cloned.get(), expected, tol)) << "in place";
        ASSERT_EQ(it->second.inplace(a.get(), args, inputs), CMP_STATUS_OK) << cmp_last_error();
        EXPECT_TRUE(tensor_matches(a.get(), expected, tol)) << "in place, on the input view";
    }
}

INSTANTIATE_TEST_SUITE_P(Torch, ReferenceUnaryMath, ::testing::ValuesIn(fixture_cases("unary_math.json")), case_name);

// Bad arguments through the ABI: NULL handles and out pointers, an unknown gelu mode, a clamp
// without bounds; each is a status with a message naming the op.
TEST(UnaryMathErrors, BadArguments) {
    cmp_tensor t = nullptr;
    const int64_t shape[] = {3};
    check(cmp_full(shape, 1, cmp_scalar{CMP_SCALAR_FLOAT, 0, 0.5, 0}, CMP_DTYPE_FLOAT32, cmp_device{0, 0}, &t), "full");
    Tensor x(t);
    cmp_tensor o = nullptr;
    EXPECT_TRUE(fails_with_message(cmp_sqrt(nullptr, &o), "sqrt"));
    EXPECT_EQ(o, nullptr);
    EXPECT_TRUE(fails_with_message(cmp_sqrt(x.get(), nullptr), "sqrt"));
    EXPECT_TRUE(fails_with_message(cmp_sqrt_(nullptr), "sqrt_"));
    EXPECT_TRUE(fails_with_message(cmp_gelu(x.get(), 2, &o), "gelu"));
    EXPECT_NE(std::string(cmp_last_error()).find("tanh_approximation"), std::string::npos) << cmp_last_error();
    EXPECT_TRUE(fails_with_message(cmp_clamp(x.get(), nullptr, nullptr, &o), "clamp"));
    EXPECT_TRUE(fails_with_message(cmp_clamp_tensor(x.get(), nullptr, nullptr, &o), "clamp_tensor"));
    EXPECT_TRUE(fails_with_message(cmp_clamp_min_tensor(x.get(), nullptr, &o), "clamp_min_tensor"));
    const cmp_scalar bad{7, 0, 0.0, 0};
    EXPECT_TRUE(fails_with_message(cmp_clamp(x.get(), &bad, nullptr, &o), "clamp"));
}

// An in-place float op on an integer tensor cannot store its float result (PyTorch's rule).
TEST(UnaryMathErrors, InPlaceResultMustFit) {
    cmp_tensor t = nullptr;
    const int64_t shape[] = {2};
    check(cmp_full(shape, 1, cmp_scalar{CMP_SCALAR_INT, 0, 0.0, 4}, CMP_DTYPE_INT32, cmp_device{0, 0}, &t), "full");
    Tensor x(t);
    EXPECT_TRUE(fails_with_message(cmp_sqrt_(x.get()), "sqrt_"));
    EXPECT_NE(std::string(cmp_last_error()).find("can't be cast"), std::string::npos) << cmp_last_error();
    const cmp_scalar half{CMP_SCALAR_FLOAT, 0, 0.5, 0};
    EXPECT_TRUE(fails_with_message(cmp_clamp_(x.get(), &half, nullptr), "clamp_"));
}

}  // namespace
}  // namespace cmp::reference
