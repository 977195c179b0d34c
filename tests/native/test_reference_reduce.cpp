// sum and mean against PyTorch: all dims, one dim, dim lists, negative dims, keepdim,
// integer/bool inputs (sum to int64), float16/bfloat16, empty inputs (sum 0, mean NaN),
// non-contiguous inputs, special values, and the dims PyTorch rejects.
#include "fixture.h"

namespace cmp::reference {
namespace {

// Any summation order of n terms (sequential, pairwise, blocked, vectorised) is within
// (n-1)*u*sum|x| of the exact sum, u = eps/2 of the accumulation type; two such results are
// within n*eps*sum|x| of each other. abs_bound is sum|x| (divided by n for mean), count is n.
// PyTorch accumulates float16/bfloat16 in float32, as the library's opmath does. The final
// rounding to a 16-bit dtype can split two close float32 sums: 1 ulp; PyTorch's mean rounds
// the sum to the output dtype and then divides (2 roundings), hence 1 ulp for float32 mean
// and 2 for the 16-bit means.
Tolerance tolerance_for(const Json& c, cmp_dtype out) {
    if (!dtype_is_floating(out)) return Tolerance::exact();
    bool half = out == CMP_DTYPE_FLOAT16 || out == CMP_DTYPE_BFLOAT16;
    bool mean = c.at("op").as_string() == "mean";
    Tolerance t;
    cmp_dtype acc = out == CMP_DTYPE_FLOAT64 ? CMP_DTYPE_FLOAT64 : CMP_DTYPE_FLOAT32;
    t.bound_scale = static_cast<double>(c.at("count").as_int()) * dtype_epsilon(acc);
    t.abs_bound = &c.at("abs_bound");
    t.ulps = (half ? 1 : 0) + (mean ? 1 : 0);
    return t;
}

class ReferenceReduce : public ::testing::TestWithParam<const Json*> {};

TEST_P(ReferenceReduce, MatchesTorch) {
    const Json& c = *GetParam();
    const std::string& op = c.at("op").as_string();
    Tensor input = make_tensor(c.at("input"));
    std::vector<int64_t> dims;
    if (!c.at("dims").is_null())
        for (const Json& d : c.at("dims").items()) dims.push_back(d.as_int());
    // A null dims list is PyTorch's "all dims"; the ABI spells it as (NULL, 0). An explicit
    // list naming every dim is passed as such.
    const int64_t* dims_ptr = dims.empty() ? nullptr : dims.data();
    int32_t keepdim = c.at("keepdim").as_bool() ? 1 : 0;
    cmp_tensor raw = nullptr;
    cmp_status status = op == "sum" ? cmp_sum(input.get(), dims_ptr, static_cast<int64_t>(dims.size()), keepdim, &raw)
                                    : cmp_mean(input.get(), dims_ptr, static_cast<int64_t>(dims.size()), keepdim, &raw);
    Tensor out(raw);
    if (c.has("error")) {
        EXPECT_TRUE(fails_with_message(status, op.c_str())) << "PyTorch: " << c.at("error").as_string();
        return;
    }
    ASSERT_EQ(status, CMP_STATUS_OK) << cmp_last_error();
    const Json& expected = c.at("expected");
    EXPECT_TRUE(tensor_matches(out.get(), expected, tolerance_for(c, dtype_from_name(expected.at("dtype").as_string()))));
}

INSTANTIATE_TEST_SUITE_P(Torch, ReferenceReduce, ::testing::ValuesIn(fixture_cases("reduce.json")), case_name);

}  // namespace
}  // namespace cmp::reference
