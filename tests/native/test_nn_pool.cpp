// The pooling family (max/avg/adaptive pooling, interpolate, grid_sample), forward and backward,
// against PyTorch (fixtures/nn_pool.json, written by tests/reference/gen_nn_pool.py), through the
// public C ABI only.
//
// Tolerances (derived in gen_nn_pool.py's docstring): maxima, indices, nearest copies and their
// gradients must match bit for bit; averages and interpolations may differ from PyTorch by
// count * eps * abs_bound (the rounding of count terms in another order or with fused
// multiply-adds) plus one ulp of the output dtype.
#include "fixture.h"

#include <string>

namespace cmp::reference {
namespace {

std::vector<int64_t> ints(const Json& c, const char* key) {
    std::vector<int64_t> v;
    if (c.has(key) && !c.at(key).is_null())
        for (const Json& e : c.at(key).items()) v.push_back(e.as_int());
    return v;
}

std::vector<double> doubles(const Json& c, const char* key) {
    std::vector<double> v;
    if (c.has(key) && !c.at(key).is_null())
        for (const Json& e : c.at(key).items()) v.push_back(e.as_double());
    return v;
}

int32_t flag(const Json& c, const char* key) { return c.has(key) && c.at(key).as_bool() ? 1 : 0; }

const int64_t* ptr_or_null(const std::vector<int64_t>& v) { return v.empty() ? nullptr : v.data(); }
const double* ptr_or_null(const std::vector<double>& v) { return v.empty() ? nullptr : v.data(); }

int32_t interp_mode(const std::string& m) {
    if (m == "nearest") return CMP_INTERPOLATE_NEAREST;
    if (m == "nearest-exact") return CMP_INTERPOLATE_NEAREST_EXACT;
    return CMP_INTERPOLATE_LINEAR;
}

int32_t grid_mode(const Json& c) {
    return c.at("mode").as_string() == "nearest" ? CMP_GRID_SAMPLE_NEAREST : CMP_GRID_SAMPLE_BILINEAR;
}

int32_t padding_mode(const Json& c) {
    const std::string& p = c.at("padding_mode").as_string();
    return p == "border" ? CMP_GRID_PADDING_BORDER : p == "reflection" ? CMP_GRID_PADDING_REFLECTION : CMP_GRID_PADDING_ZEROS;
}

Tolerance bounded(const Json& c, const char* bound_key, const char* count_key = "count") {
    if (!c.has(count_key) || !c.has(bound_key)) return Tolerance::exact();
    Tolerance t;
    t.ulps = 1;
    t.bound_scale = static_cast<double>(c.at(count_key).as_int()) * c.at("eps").as_double();
    t.abs_bound = &c.at(bound_key);
    return t;
}

struct Outputs {
    cmp_tensor out = nullptr, indices = nullptr;
};

cmp_status forward(const Json& c, cmp_tensor x, cmp_tensor grid, Outputs* r) {
    const std::string& op = c.at("op").as_string();
    const int64_t n = c.has("nspatial") ? c.at("nspatial").as_int() : 2;
    if (op == "max_pool") {
        return cmp_max_pool(x, n, ints(c, "kernel_size").data(), ptr_or_null(ints(c, "stride")), ints(c, "padding").data(),
                            ints(c, "dilation").data(), flag(c, "ceil_mode"), &r->out, &r->indices);
    }
    if (op == "avg_pool") {
        return cmp_avg_pool(x, n, ints(c, "kernel_size").data(), ptr_or_null(ints(c, "stride")), ints(c, "padding").data(),
                            flag(c, "ceil_mode"), flag(c, "count_include_pad"), c.at("divisor_override").as_int(), &r->out);
    }
    if (op == "adaptive_avg_pool") return cmp_adaptive_avg_pool(x, n, ints(c, "output_size").data(), &r->out);
    if (op == "adaptive_max_pool") return cmp_adaptive_max_pool(x, n, ints(c, "output_size").data(), &r->out, &r->indices);
    if (op == "interpolate") {
        return cmp_interpolate(x, n, ptr_or_null(ints(c, "size")), ptr_or_null(doubles(c, "scale_factor")),
                               interp_mode(c.at("mode").as_string()), flag(c, "align_corners"),
                               flag(c, "recompute_scale_factor"), &r->out);
    }
    if (op == "grid_sample") return cmp_grid_sample(x, grid, grid_mode(c), padding_mode(c), flag(c, "align_corners"), &r->out);
    throw std::runtime_error("unknown op " + op);
}

cmp_status backward(const Json& c, cmp_tensor g, cmp_tensor x, cmp_tensor grid, cmp_tensor indices, Outputs* r) {
    const std::string& op = c.at("op").as_string();
    const int64_t n = c.has("nspatial") ? c.at("nspatial").as_int() : 2;
    if (op == "max_pool" || op == "adaptive_max_pool") return cmp_max_pool_backward(g, x, n, indices, &r->out);
    if (op == "avg_pool") {
        return cmp_avg_pool_backward(g, x, n, ints(c, "kernel_size").data(), ptr_or_null(ints(c, "stride")),
                                     ints(c, "padding").data(), flag(c, "ceil_mode"), flag(c, "count_include_pad"),
                                     c.at("divisor_override").as_int(), &r->out);
    }
    if (op == "adaptive_avg_pool") return cmp_adaptive_avg_pool_backward(g, x, n, &r->out);
    if (op == "interpolate") {
        const std::vector<int64_t> in_size = sizes_of(x);
        return cmp_interpolate_backward(g, in_size.data(), static_cast<int64_t>(in_size.size()),
                                        ptr_or_null(doubles(c, "scale_factor")), interp_mode(c.at("mode").as_string()),
                                        flag(c, "align_corners"), flag(c, "recompute_scale_factor"), &r->out);
    }
    if (op == "grid_sample") {
        return cmp_grid_sample_backward(g, x, grid, grid_mode(c), padding_mode(c), flag(c, "align_corners"), &r->out,
                                        &r->indices);
    }
    throw std::runtime_error("unknown op " + op);
}

class ReferenceNNPool : public ::testing::TestWithParam<const Json*> {};

TEST_P(ReferenceNNPool, MatchesTorch) {
    const Json& c = *GetParam();
    const std::string& op = c.at("op").as_string();
    Tensor x = make_tensor(c.at("input"));
    Tensor grid = c.has("grid") ? make_tensor(c.at("grid")) : Tensor();
    Outputs r;
    const cmp_status status = forward(c, x.get(), grid.get(), &r);
    Tensor out(r.out), indices(r.indices);
    if (c.has("error")) {
        EXPECT_TRUE(fails_with_message(status, op.c_str())) << "PyTorch: " << c.at("error").as_string();
        EXPECT_NE(std::string(cmp_last_error()).find(op.substr(0, 4)), std::string::npos) << cmp_last_error();
        EXPECT_EQ(r.out, nullptr);
        EXPECT_EQ(r.indices, nullptr);
        return;
    }
    ASSERT_EQ(status, CMP_STATUS_OK) << cmp_last_error();
    EXPECT_TRUE(tensor_matches(out.get(), c.at("expected"), bounded(c, "abs_bound")));
    if (c.has("expected_indices")) {
        EXPECT_TRUE(tensor_matches(indices.get(), c.at("expected_indices"), Tolerance::exact()));
    }
    if (!c.has("grad_output")) return;
    Tensor g = make_tensor(c.at("grad_output"));
    Outputs gr;
    ASSERT_EQ(backward(c, g.get(), x.get(), grid.get(), indices.get(), &gr), CMP_STATUS_OK) << cmp_last_error();
    Tensor grad(gr.out), grad_grid(gr.indices);
    EXPECT_TRUE(tensor_matches(grad.get(), c.at("expected_grad"), bounded(c, "grad_abs_bound")));
    if (c.has("expected_grad_grid")) {
        const Tolerance t = c.has("grad_grid_abs_bound") ? bounded(c, "grad_grid_abs_bound", "grad_grid_count") : Tolerance::exact();
        EXPECT_TRUE(tensor_matches(grad_grid.get(), c.at("expected_grad_grid"), t));
    }
}

INSTANTIATE_TEST_SUITE_P(Torch, ReferenceNNPool, ::testing::ValuesIn(fixture_cases("nn_pool.json")), case_name);

}  // namespace
}  // namespace cmp::reference
