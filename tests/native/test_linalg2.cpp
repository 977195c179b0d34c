// mm, bmm, mv, dot, outer, addmm, baddbmm, addmv and einsum against PyTorch (fixture
// linalg2.json, written by tests/reference/gen_linalg2.py), through the public C ABI only.
#include "fixture.h"

#include <string>
#include <vector>

namespace cmp::reference {
namespace {

// Every float output is a sum of `count` rounded terms at most (count = the summed length
// plus the extra multiplies/adds of the op; see gen_linalg2.py), so any evaluation order is
// within count * u * (the same computation on |inputs|) of the exact value, and two
// implementations within count * eps * abs_bound of each other. bfloat16 is accumulated in
// float32 and rounded once: two close float32 results may round to neighbouring bfloat16
// values, hence 1 ulp more. Integers are exact.
Tolerance tolerance_for(const Json& c, cmp_dtype out) {
    if (!dtype_is_floating(out)) return Tolerance::exact();
    Tolerance t;
    const cmp_dtype acc = out == CMP_DTYPE_FLOAT64 ? CMP_DTYPE_FLOAT64 : CMP_DTYPE_FLOAT32;
    t.bound_scale = static_cast<double>(c.at("count").as_int()) * dtype_epsilon(acc);
    t.abs_bound = &c.at("abs_bound");
    t.ulps = out == CMP_DTYPE_BFLOAT16 || out == CMP_DTYPE_FLOAT16 ? 1 : 0;
    return t;
}

cmp_status run(const Json& c, const std::vector<Tensor>& in, cmp_tensor* out) {
    const std::string op = c.at("op").as_string();
    if (op == "mm") return cmp_mm(in[0].get(), in[1].get(), out);
    if (op == "bmm") return cmp_bmm(in[0].get(), in[1].get(), out);
    if (op == "mv") return cmp_mv(in[0].get(), in[1].get(), out);
    if (op == "dot") return cmp_dot(in[0].get(), in[1].get(), out);
    if (op == "outer") return cmp_outer(in[0].get(), in[1].get(), out);
    if (op == "addmm" || op == "baddbmm" || op == "addmv") {
        const cmp_scalar beta = scalar_from_json(c.at("beta")), alpha = scalar_from_json(c.at("alpha"));
        auto fn = op == "addmm" ? cmp_addmm : op == "baddbmm" ? cmp_baddbmm : cmp_addmv;
        return fn(in[0].get(), in[1].get(), in[2].get(), beta, alpha, out);
    }
    if (op == "einsum") {
        std::vector<cmp_tensor> handles;
        for (const Tensor& t : in) handles.push_back(t.get());
        return cmp_einsum(c.at("equation").as_string().c_str(), handles.data(), static_cast<int64_t>(handles.size()),
                          out);
    }
    throw std::runtime_error("unknown op " + op);
}

class ReferenceLinalg2 : public ::testing::TestWithParam<const Json*> {};

TEST_P(ReferenceLinalg2, MatchesTorch) {
    const Json& c = *GetParam();
    std::vector<Tensor> in;
    for (const Json& j : c.at("inputs").items()) in.push_back(make_tensor(j));
    cmp_tensor raw = nullptr;
    const cmp_status status = run(c, in, &raw);
    Tensor out(raw);
    if (c.has("error")) {
        EXPECT_TRUE(fails_with_message(status, c.at("op").as_string().c_str())) << "PyTorch: " << c.at("error").as_string();
        return;
    }
    ASSERT_EQ(status, CMP_STATUS_OK) << cmp_last_error();
    const Json& expected = c.at("expected");
    EXPECT_TRUE(tensor_matches(out.get(), expected, tolerance_for(c, dtype_from_name(expected.at("dtype").as_string()))));
}

INSTANTIATE_TEST_SUITE_P(Torch, ReferenceLinalg2, ::testing::ValuesIn(fixture_cases("linalg2.json")), case_name);

}  // namespace
}  // namespace cmp::reference
