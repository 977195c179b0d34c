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

namespace cmp::reference {
namespace {

// The fixtures are small enough to run on one thread; these inputs span several parallel
// chunks, and every kernel must give the same bits whatever the thread count (each plane or
// batch item is computed by one thread, in one order).
std::vector<float> values_of(cmp_tensor t) {
    int64_t n = 1;
    for (int64_t s : sizes_of(t)) n *= s;
    std::vector<float> v(static_cast<size_t>(n));
    check(cmp_tensor_copy_to_buffer(t, v.data(), n * 4), "cmp_tensor_copy_to_buffer");
    return v;
}

Tensor random_tensor(std::vector<int64_t> shape, double scale) {
    cmp_tensor raw = nullptr, scaled = nullptr, s = nullptr;
    check(cmp_randn(shape.data(), static_cast<int64_t>(shape.size()), CMP_DTYPE_FLOAT32, cmp_device{CMP_DEVICE_CPU, 0}, &raw),
          "cmp_randn");
    Tensor r(raw);
    cmp_scalar k{};
    k.kind = CMP_SCALAR_FLOAT;
    k.f = scale;
    check(cmp_scalar_tensor(k, cmp_device{CMP_DEVICE_CPU, 0}, &s), "cmp_scalar_tensor");
    Tensor st(s);
    check(cmp_mul(r.get(), st.get(), &scaled), "cmp_mul");
    return Tensor(scaled);
}

// Runs every op of the family (forward and backward) and returns all results, flattened.
std::vector<std::vector<float>> run_all(cmp_tensor x, cmp_tensor grid, cmp_tensor g_grid) {
    std::vector<std::vector<float>> r;
    const int64_t k[2] = {3, 3}, s[2] = {2, 2}, p[2] = {1, 1}, d[2] = {1, 1}, size[2] = {50, 45};
    cmp_tensor out = nullptr, idx = nullptr, grad = nullptr, grad2 = nullptr;
    check(cmp_max_pool(x, 2, k, s, p, d, 1, &out, &idx), "cmp_max_pool");
    Tensor o(out), i(idx);
    r.push_back(values_of(o.get()));
    check(cmp_max_pool_backward(o.get(), x, 2, i.get(), &grad), "cmp_max_pool_backward");
    r.push_back(values_of(Tensor(grad).get()));
    check(cmp_avg_pool(x, 2, k, s, p, 1, 0, 0, &out), "cmp_avg_pool");
    Tensor a(out);
    r.push_back(values_of(a.get()));
    check(cmp_avg_pool_backward(a.get(), x, 2, k, s, p, 1, 0, 0, &grad), "cmp_avg_pool_backward");
    r.push_back(values_of(Tensor(grad).get()));
    check(cmp_interpolate(x, 2, size, nullptr, CMP_INTERPOLATE_LINEAR, 0, 0, &out), "cmp_interpolate");
    Tensor b(out);
    r.push_back(values_of(b.get()));
    const std::vector<int64_t> in_size = sizes_of(x);
    check(cmp_interpolate_backward(b.get(), in_size.data(), 4, nullptr, CMP_INTERPOLATE_LINEAR, 0, 0, &grad),
          "cmp_interpolate_backward");
    r.push_back(values_of(Tensor(grad).get()));
    check(cmp_grid_sample(x, grid, CMP_GRID_SAMPLE_BILINEAR, CMP_GRID_PADDING_REFLECTION, 0, &out), "cmp_grid_sample");
    r.push_back(values_of(Tensor(out).get()));
    check(cmp_grid_sample_backward(g_grid, x, grid, CMP_GRID_SAMPLE_BILINEAR, CMP_GRID_PADDING_REFLECTION, 0, &grad, &grad2),
          "cmp_grid_sample_backward");
    r.push_back(values_of(Tensor(grad).get()));
    r.push_back(values_of(Tensor(grad2).get()));
    return r;
}

TEST(NNPoolParallel, ThreadCountDoesNotChangeResults) {
    Tensor x = random_tensor({6, 16, 33, 35}, 1.0);
    Tensor grid = random_tensor({6, 20, 21, 2}, 0.8);
    Tensor g_grid = random_tensor({6, 16, 20, 21}, 1.0);
    int32_t saved = 1;
    check(cmp_get_num_threads(&saved), "cmp_get_num_threads");
    check(cmp_set_num_threads(1), "cmp_set_num_threads");
    const auto one = run_all(x.get(), grid.get(), g_grid.get());
    check(cmp_set_num_threads(4), "cmp_set_num_threads");
    const auto four = run_all(x.get(), grid.get(), g_grid.get());
    check(cmp_set_num_threads(saved), "cmp_set_num_threads");
    ASSERT_EQ(one.size(), four.size());
    for (size_t i = 0; i < one.size(); ++i) EXPECT_TRUE(one[i] == four[i]) << "result " << i << " differs between 1 and 4 threads";
}

TEST(NNPoolAbi, BadArgumentsReturnStatusesWithMessages) {
    Tensor x = random_tensor({1, 2, 5, 5}, 1.0);
    const int64_t k[3] = {2, 2, 2}, p[3] = {0, 0, 0}, d[3] = {1, 1, 1};
    cmp_tensor out = nullptr, idx = nullptr;
    EXPECT_EQ(cmp_max_pool(x.get(), 4, k, nullptr, p, d, 0, &out, &idx), CMP_STATUS_INVALID_ARGUMENT);
    EXPECT_NE(std::string(cmp_last_error()).find("nspatial"), std::string::npos) << cmp_last_error();
    EXPECT_EQ(cmp_max_pool(x.get(), 2, k, nullptr, p, d, 0, nullptr, &idx), CMP_STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(cmp_max_pool(x.get(), 1, k, nullptr, p, d, 0, &out, &idx), CMP_STATUS_SHAPE_MISMATCH);
    EXPECT_NE(std::string(cmp_last_error()).find("[1, 2, 5, 5]"), std::string::npos) << cmp_last_error();
    EXPECT_EQ(out, nullptr);
    EXPECT_EQ(idx, nullptr);
    const int64_t size[2] = {4, 4};
    const double scale[2] = {2.0, 2.0};
    EXPECT_EQ(cmp_interpolate(x.get(), 2, size, nullptr, 7, 0, 0, &out), CMP_STATUS_INVALID_ARGUMENT);
    EXPECT_NE(std::string(cmp_last_error()).find("mode"), std::string::npos) << cmp_last_error();
    EXPECT_EQ(cmp_interpolate(x.get(), 2, size, scale, CMP_INTERPOLATE_NEAREST, 0, 0, &out), CMP_STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(cmp_interpolate(x.get(), 2, nullptr, scale, CMP_INTERPOLATE_NEAREST, 0, 1, &out), CMP_STATUS_OK);
    Tensor up(out);
    EXPECT_EQ(sizes_of(up.get()), (std::vector<int64_t>{1, 2, 10, 10}));
    Tensor grid = random_tensor({1, 3, 3, 2}, 1.0);
    EXPECT_EQ(cmp_grid_sample(x.get(), grid.get(), 2, 0, 0, &out), CMP_STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(cmp_grid_sample(x.get(), grid.get(), 0, 3, 0, &out), CMP_STATUS_INVALID_ARGUMENT);
    EXPECT_NE(std::string(cmp_last_error()).find("padding_mode"), std::string::npos) << cmp_last_error();
    // Indices that do not belong to the input plane are rejected, not written out of bounds.
    const int64_t k2[2] = {2, 2}, p2[2] = {0, 0}, d2[2] = {1, 1};
    check(cmp_max_pool(x.get(), 2, k2, nullptr, p2, d2, 0, &out, &idx), "cmp_max_pool");
    Tensor o(out), i(idx);
    cmp_tensor bad = nullptr, grad = nullptr;
    cmp_scalar big{};
    big.kind = CMP_SCALAR_INT;
    big.i = 1000;
    cmp_tensor bs = nullptr;
    check(cmp_scalar_tensor(big, cmp_device{CMP_DEVICE_CPU, 0}, &bs), "cmp_scalar_tensor");
    Tensor bst(bs);
    cmp_scalar one{};
    one.kind = CMP_SCALAR_INT;
    one.i = 1;
    check(cmp_add(i.get(), bst.get(), one, &bad), "cmp_add");
    Tensor badt(bad);
    EXPECT_EQ(cmp_max_pool_backward(o.get(), x.get(), 2, badt.get(), &grad), CMP_STATUS_INDEX_OUT_OF_RANGE);
    EXPECT_NE(std::string(cmp_last_error()).find("max_pool_backward"), std::string::npos) << cmp_last_error();
    EXPECT_EQ(grad, nullptr);
}

}  // namespace
}  // namespace cmp::reference
