// Pointwise ops against PyTorch: add/sub (with alpha), mul, div, neg, exp and the six
// comparisons, with broadcasting, 0-dim and empty operands, mixed dtypes, Python scalars,
// special values (NaN, ±inf, -0.0, division by zero), exp overflow/underflow, and the inputs
// PyTorch rejects (which must fail with a status and a message, never crash).
#include "fixture.h"

#include <functional>
#include <map>

namespace cmp::reference {
namespace {

using Binary = std::function<cmp_status(cmp_tensor, cmp_tensor, const Json&, cmp_tensor*)>;
using Unary = cmp_status (*)(cmp_tensor, cmp_tensor*);

const std::map<std::string, Binary>& binary_ops() {
    static const std::map<std::string, Binary> ops = {
        {"add", [](cmp_tensor a, cmp_tensor b, const Json& c, cmp_tensor* o) { return cmp_add(a, b, scalar_from_json(c.at("alpha")), o); }},
        {"sub", [](cmp_tensor a, cmp_tensor b, const Json& c, cmp_tensor* o) { return cmp_sub(a, b, scalar_from_json(c.at("alpha")), o); }},
        {"mul", [](cmp_tensor a, cmp_tensor b, const Json&, cmp_tensor* o) { return cmp_mul(a, b, o); }},
        {"div", [](cmp_tensor a, cmp_tensor b, const Json&, cmp_tensor* o) { return cmp_div(a, b, o); }},
        {"eq", [](cmp_tensor a, cmp_tensor b, const Json&, cmp_tensor* o) { return cmp_eq(a, b, o); }},
        {"ne", [](cmp_tensor a, cmp_tensor b, const Json&, cmp_tensor* o) { return cmp_ne(a, b, o); }},
        {"lt", [](cmp_tensor a, cmp_tensor b, const Json&, cmp_tensor* o) { return cmp_lt(a, b, o); }},
        {"le", [](cmp_tensor a, cmp_tensor b, const Json&, cmp_tensor* o) { return cmp_le(a, b, o); }},
        {"gt", [](cmp_tensor a, cmp_tensor b, const Json&, cmp_tensor* o) { return cmp_gt(a, b, o); }},
        {"ge", [](cmp_tensor a, cmp_tensor b, const Json&, cmp_tensor* o) { return cmp_ge(a, b, o); }},
    };
    return ops;
}

const std::map<std::string, Unary>& unary_ops() {
    static const std::map<std::string, Unary> ops = {{"neg", cmp_neg}, {"exp", cmp_exp}};
    return ops;
}

bool alpha_is_one(const Json& c) {
    if (!c.has("alpha")) return true;
    cmp_scalar a = scalar_from_json(c.at("alpha"));
    return a.kind == CMP_SCALAR_FLOAT ? a.f == 1.0 : a.i == 1;
}

// The tolerance each op earns, and why.
Tolerance tolerance_for(const Json& c, cmp_dtype out) {
    const std::string& op = c.at("op").as_string();
    bool half = out == CMP_DTYPE_FLOAT16 || out == CMP_DTYPE_BFLOAT16;
    if (op == "exp") {
        // Not correctly rounded anywhere: PyTorch uses SLEEF's 1-ulp exp and a good exp is
        // within 1 ulp too, so the two may differ by 2 ulps. For float16/bfloat16 both round a
        // float32 result that is that close to the truth, so they can only straddle a rounding
        // boundary: 1 ulp of the 16-bit type.
        Tolerance t;
        t.ulps = half ? 1 : 2;
        return t;
    }
    if ((op == "add" || op == "sub") && !alpha_is_one(c) && dtype_is_floating(out)) {
        // a + alpha*b is one rounding when fused (PyTorch's vector path uses FMA) and two when
        // not (its scalar tail): each is within eps*(|a| + |alpha*b|) of the exact value in the
        // compute precision (float32 for the 16-bit types), hence 2*eps of that bound apart;
        // a 16-bit result may then round the two to neighbouring values: 1 more ulp.
        Tolerance t;
        t.bound_scale = 2.0 * dtype_epsilon(out == CMP_DTYPE_FLOAT64 ? CMP_DTYPE_FLOAT64 : CMP_DTYPE_FLOAT32);
        t.abs_bound = &c.at("abs_bound");
        t.ulps = half ? 1 : 0;
        return t;
    }
    // add/sub with alpha 1, mul, div and neg are single IEEE operations, correctly rounded in
    // PyTorch (generate.py asserts it against a float64 computation) and in any correct
    // implementation; float16/bfloat16 are computed in float32 and rounded once more, which is
    // innocuous for these operations (24 >= 2*11+2 bits). Comparisons and integers are exact.
    return Tolerance::exact();
}

class ReferencePointwise : public ::testing::TestWithParam<const Json*> {};

TEST_P(ReferencePointwise, MatchesTorch) {
    const Json& c = *GetParam();
    const std::string& op = c.at("op").as_string();
    const Json& inputs = c.at("inputs");
    cmp_tensor raw = nullptr;
    cmp_status status;
    Tensor a = make_operand(inputs.at(size_t{0}));
    if (inputs.size() == 1) {
        auto it = unary_ops().find(op);
        ASSERT_NE(it, unary_ops().end()) << "fixture op " << op;
        status = it->second(a.get(), &raw);
    } else {
        auto it = binary_ops().find(op);
        ASSERT_NE(it, binary_ops().end()) << "fixture op " << op;
        Tensor b = make_operand(inputs.at(size_t{1}));
        status = it->second(a.get(), b.get(), c, &raw);
    }
    Tensor out(raw);
    if (c.has("error")) {
        EXPECT_TRUE(fails_with_message(status, op.c_str())) << "PyTorch: " << c.at("error").as_string();
        return;
    }
    ASSERT_EQ(status, CMP_STATUS_OK) << cmp_last_error();
    const Json& expected = c.at("expected");
    EXPECT_TRUE(tensor_matches(out.get(), expected, tolerance_for(c, dtype_from_name(expected.at("dtype").as_string()))));
}

INSTANTIATE_TEST_SUITE_P(Torch, ReferencePointwise, ::testing::ValuesIn(fixture_cases("pointwise.json")), case_name);

}  // namespace
}  // namespace cmp::reference
