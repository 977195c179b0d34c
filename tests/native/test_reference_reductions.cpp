// The reductions of issue 3 against PyTorch (fixtures/reductions.json, written by
// tests/reference/gen_reductions.py), through the public C ABI only.
//
// Tolerances (derived in gen_reductions.py's docstring): results PyTorch defines exactly
// (extrema, indices, any/all, counts, integer arithmetic) must match bit for bit. Rounded
// float results may differ from PyTorch's by count * eps * abs_bound (the worst-case rounding
// difference of two evaluation orders, eps the accumulation's unit roundoff stored in the
// case) plus one ulp of the output dtype for the final rounding, because both libraries round
// a wider accumulator once at the end.
#include "fixture.h"

#include <cmath>
#include <string>

namespace cmp::reference {
namespace {

std::vector<int64_t> dims_of(const Json& c) {
    std::vector<int64_t> dims;
    if (c.has("dims") && !c.at("dims").is_null())
        for (const Json& d : c.at("dims").items()) dims.push_back(d.as_int());
    return dims;
}

Tolerance tolerance_of(const Json& c, const char* bound_key = "abs_bound") {
    if (!c.has("count")) return Tolerance::exact();
    Tolerance t;
    t.ulps = 1;
    t.bound_scale = static_cast<double>(c.at("count").as_int()) * c.at("eps").as_double();
    t.abs_bound = &c.at(bound_key);
    return t;
}

cmp_dtype dtype_arg(const Json& c) { return dtype_from_name(c.at("dtype").as_string()); }
bool has_dtype(const Json& c) { return c.has("dtype") && !c.at("dtype").is_null(); }

// Runs the case's op; out1 receives the second result (indices or mean) when there is one.
cmp_status run(const Json& c, cmp_tensor input, cmp_tensor* out, cmp_tensor* out1) {
    const std::string& op = c.at("op").as_string();
    const std::vector<int64_t> dims = dims_of(c);
    const int64_t* dp = dims.empty() ? nullptr : dims.data();
    const int64_t nd = static_cast<int64_t>(dims.size());
    const int32_t keep = c.has("keepdim") && c.at("keepdim").as_bool() ? 1 : 0;
    const bool has_dim = c.has("dim") && !c.at("dim").is_null();
    const int64_t dim = has_dim ? c.at("dim").as_int() : 0;
    const double corr = c.has("correction") ? c.at("correction").as_double() : 1.0;
    if (op == "prod") return has_dtype(c) ? cmp_prod_dtype(input, dp, nd, keep, dtype_arg(c), out) : cmp_prod(input, dp, nd, keep, out);
    if (op == "sum") return cmp_sum_dtype(input, dp, nd, keep, dtype_arg(c), out);
    if (op == "mean") return cmp_mean_dtype(input, dp, nd, keep, dtype_arg(c), out);
    if (op == "amax") return cmp_amax(input, dp, nd, keep, out);
    if (op == "amin") return cmp_amin(input, dp, nd, keep, out);
    if (op == "max") return c.has("dim") ? cmp_max_dim(input, dim, keep, out, out1) : cmp_max(input, out);
    if (op == "min") return c.has("dim") ? cmp_min_dim(input, dim, keep, out, out1) : cmp_min(input, out);
    if (op == "argmax") return cmp_argmax(input, has_dim ? 1 : 0, dim, keep, out);
    if (op == "argmin") return cmp_argmin(input, has_dim ? 1 : 0, dim, keep, out);
    if (op == "var") return cmp_var(input, dp, nd, corr, keep, out);
    if (op == "std") return cmp_std(input, dp, nd, corr, keep, out);
    if (op == "var_mean") return cmp_var_mean(input, dp, nd, corr, keep, out, out1);
    if (op == "std_mean") return cmp_std_mean(input, dp, nd, corr, keep, out, out1);
    if (op == "vector_norm") return cmp_vector_norm(input, c.at("ord").as_double(), dp, nd, keep, out);
    if (op == "logsumexp") return cmp_logsumexp(input, dp, nd, keep, out);
    if (op == "any") return cmp_any(input, dp, nd, keep, out);
    if (op == "all") return cmp_all(input, dp, nd, keep, out);
    if (op == "count_nonzero") return cmp_count_nonzero(input, dp, nd, out);
    if (op == "cumsum") return has_dtype(c) ? cmp_cumsum_dtype(input, dim, dtype_arg(c), out) : cmp_cumsum(input, dim, out);
    if (op == "cumprod") return has_dtype(c) ? cmp_cumprod_dtype(input, dim, dtype_arg(c), out) : cmp_cumprod(input, dim, out);
    throw std::runtime_error("unknown op " + op);
}

class ReferenceReductions : public ::testing::TestWithParam<const Json*> {};

TEST_P(ReferenceReductions, MatchesTorch) {
    const Json& c = *GetParam();
    const std::string& op = c.at("op").as_string();
    Tensor input = make_tensor(c.at("input"));
    cmp_tensor raw = nullptr, raw1 = nullptr;
    const cmp_status status = run(c, input.get(), &raw, &raw1);
    Tensor out(raw), out1(raw1);
    if (c.has("error")) {
        EXPECT_TRUE(fails_with_message(status, op.c_str())) << "PyTorch: " << c.at("error").as_string();
        // The message names the op (cmp_last_error() still holds this call's message).
        EXPECT_NE(std::string(cmp_last_error()).find(op), std::string::npos) << cmp_last_error();
        EXPECT_EQ(raw, nullptr);
        EXPECT_EQ(raw1, nullptr);
        return;
    }
    ASSERT_EQ(status, CMP_STATUS_OK) << cmp_last_error();
    EXPECT_TRUE(tensor_matches(out.get(), c.at("expected"), tolerance_of(c)));
    if (c.has("expected_indices")) {
        EXPECT_TRUE(tensor_matches(out1.get(), c.at("expected_indices"), Tolerance::exact()));
    }
    if (c.has("expected_mean")) {
        // The mean: any summation order is within n * eps * mean|x| (mean_abs_bound).
        EXPECT_TRUE(tensor_matches(out1.get(), c.at("expected_mean"), tolerance_of(c, "mean_abs_bound")));
    }
}

INSTANTIATE_TEST_SUITE_P(Torch, ReferenceReductions, ::testing::ValuesIn(fixture_cases("reductions.json")), case_name);

}  // namespace
}  // namespace cmp::reference
