// Sort/search family against PyTorch (sort_search.json) through the C ABI: sort, argsort,
// msort, topk, pad and pad_backward, repeat_interleave, searchsorted, bucketize, unique and
// unique_consecutive. Below the fixture test: bad C arguments, and sorting/padding tensors
// large enough to run over the thread pool compared with a plain definition.
#include "fixture.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <cstring>
#include <functional>
#include <map>

namespace cmp::reference {
namespace {

std::vector<int64_t> ints(const Json& j) {
    std::vector<int64_t> out;
    for (const Json& v : j.items()) out.push_back(v.as_int());
    return out;
}

int64_t n(const std::vector<int64_t>& v) { return static_cast<int64_t>(v.size()); }
bool flag(const Json& a, const char* key) { return a.at(key).as_bool(); }

// Results of one op call: status plus owned handles.
struct Results {
    cmp_status status = CMP_STATUS_OK;
    std::vector<Tensor> tensors;
};

// Taken by reference: read after the call that fills them has run.
Results outs(cmp_status status, std::initializer_list<const cmp_tensor*> raws) {
    Results r;
    r.status = status;
    for (const cmp_tensor* p : raws)
        if (*p) r.tensors.emplace_back(*p);
    return r;
}

int32_t pad_mode(const std::string& m) {
    if (m == "constant") return CMP_PAD_CONSTANT;
    if (m == "reflect") return CMP_PAD_REFLECT;
    if (m == "replicate") return CMP_PAD_REPLICATE;
    return CMP_PAD_CIRCULAR;
}

// unique's optional results are always returned by the ABI; PyTorch returns only those asked.
Results unique_results(cmp_status status, cmp_tensor v, cmp_tensor inv, cmp_tensor cnt, const Json& a) {
    Results r;
    r.status = status;
    Tensor tv(v), ti(inv), tc(cnt);
    if (status != CMP_STATUS_OK) return r;
    r.tensors.push_back(std::move(tv));
    if (flag(a, "return_inverse")) r.tensors.push_back(std::move(ti));
    if (flag(a, "return_counts")) r.tensors.push_back(std::move(tc));
    return r;
}

int64_t output_size(const Json& a) { return a.has("output_size") && !a.at("output_size").is_null() ? a.at("output_size").as_int() : -1; }

using Op = std::function<Results(const std::vector<cmp_tensor>&, const Json&)>;

const std::map<std::string, Op>& ops() {
    static const std::map<std::string, Op> table = {
        {"sort", [](const std::vector<cmp_tensor>& x, const Json& a) {
             cmp_tensor v = nullptr, i = nullptr;
             cmp_status s = cmp_sort(x[0], a.at("dim").as_int(), flag(a, "descending"), flag(a, "stable"), &v, &i);
             return outs(s, {&v, &i}); }},
        {"argsort", [](const std::vector<cmp_tensor>& x, const Json& a) {
             cmp_tensor o = nullptr;
             return outs(cmp_argsort(x[0], a.at("dim").as_int(), flag(a, "descending"), 0, &o), {&o}); }},
        {"msort", [](const std::vector<cmp_tensor>& x, const Json&) {
             cmp_tensor o = nullptr;
             return outs(cmp_msort(x[0], &o), {&o}); }},
        {"topk", [](const std::vector<cmp_tensor>& x, const Json& a) {
             cmp_tensor v = nullptr, i = nullptr;
             cmp_status s = cmp_topk(x[0], a.at("k").as_int(), a.at("dim").as_int(), flag(a, "largest"), flag(a, "sorted"), &v, &i);
             return outs(s, {&v, &i}); }},
        {"pad", [](const std::vector<cmp_tensor>& x, const Json& a) {
             auto p = ints(a.at("pad"));
             cmp_tensor o = nullptr;
             cmp_status s = cmp_pad(x[0], p.data(), n(p), pad_mode(a.at("mode").as_string()), a.at("value").as_double(), &o);
             return outs(s, {&o}); }},
        {"pad_backward", [](const std::vector<cmp_tensor>& x, const Json& a) {
             auto p = ints(a.at("pad"));
             auto sizes = sizes_of(x[0]);
             cmp_tensor o = nullptr;
             cmp_status s = cmp_pad_backward(x[1], sizes.data(), n(sizes), p.data(), n(p), pad_mode(a.at("mode").as_string()), &o);
             return outs(s, {&o}); }},
        {"repeat_interleave", [](const std::vector<cmp_tensor>& x, const Json& a) {
             const bool has_dim = !a.at("dim").is_null();
             const int64_t dim = has_dim ? a.at("dim").as_int() : 0;
             cmp_tensor o = nullptr;
             cmp_status s = x.size() > 1
                 ? cmp_repeat_interleave_tensor(x[0], x[1], has_dim, dim, output_size(a), &o)
                 : cmp_repeat_interleave(x[0], a.at("repeats").as_int(), has_dim, dim, output_size(a), &o);
             return outs(s, {&o}); }},
        {"repeat_interleave_indices", [](const std::vector<cmp_tensor>& x, const Json& a) {
             cmp_tensor o = nullptr;
             return outs(cmp_repeat_interleave_indices(x[0], output_size(a), &o), {&o}); }},
        {"searchsorted", [](const std::vector<cmp_tensor>& x, const Json& a) {
             cmp_tensor o = nullptr;
             const int32_t i32 = flag(a, "out_int32"), right = flag(a, "right");
             cmp_status s;
             if (a.has("scalar")) s = cmp_searchsorted_scalar(x[0], scalar_from_json(a.at("scalar")), i32, right, &o);
             else if (x.size() > 2) s = cmp_searchsorted_sorter(x[0], x[1], i32, right, x[2], &o);
             else s = cmp_searchsorted(x[0], x[1], i32, right, &o);
             return outs(s, {&o}); }},
        {"bucketize", [](const std::vector<cmp_tensor>& x, const Json& a) {
             cmp_tensor o = nullptr;
             return outs(cmp_bucketize(x[0], x[1], flag(a, "out_int32"), flag(a, "right"), &o), {&o}); }},
        {"unique", [](const std::vector<cmp_tensor>& x, const Json& a) {
             const bool has_dim = !a.at("dim").is_null();
             cmp_tensor v = nullptr, i = nullptr, c = nullptr;
             cmp_status s = cmp_unique(x[0], 1, flag(a, "return_inverse"), flag(a, "return_counts"), has_dim,
                                       has_dim ? a.at("dim").as_int() : 0, &v, &i, &c);
             return unique_results(s, v, i, c, a); }},
        {"unique_consecutive", [](const std::vector<cmp_tensor>& x, const Json& a) {
             const bool has_dim = !a.at("dim").is_null();
             cmp_tensor v = nullptr, i = nullptr, c = nullptr;
             cmp_status s = cmp_unique_consecutive(x[0], flag(a, "return_inverse"), flag(a, "return_counts"), has_dim,
                                                   has_dim ? a.at("dim").as_int() : 0, &v, &i, &c);
             return unique_results(s, v, i, c, a); }},
    };
    return table;
}

// topk where PyTorch leaves the order (sorted=False) or the choice among ties open: the indices
// must pick the returned values out of the input; values compare exactly (sorted) or after
// sorting both (unsorted).
void check_topk_loose(const Json& c, cmp_tensor input, const Results& r) {
    const Json& a = c.at("args");
    const int64_t dim = a.at("dim").as_int();
    cmp_tensor picked = nullptr;
    check(cmp_gather(input, dim, r.tensors[1].get(), &picked), "cmp_gather");
    Tensor p(picked);
    cmp_tensor same = nullptr, all = nullptr;
    check(cmp_eq(p.get(), r.tensors[0].get(), &same), "cmp_eq");
    Tensor s(same);
    check(cmp_all(s.get(), nullptr, 0, 0, &all), "cmp_all");
    Tensor al(all);
    bool ok = false;
    check(cmp_tensor_copy_to_buffer(al.get(), &ok, 1), "copy_to_buffer");
    EXPECT_TRUE(ok) << "indices do not pick the values out of the input";
    if (c.has("expected_sorted_values")) {
        cmp_tensor sv = nullptr, si = nullptr;
        check(cmp_sort(r.tensors[0].get(), dim, flag(a, "largest"), 1, &sv, &si), "cmp_sort");
        Tensor tv(sv), ti(si);
        EXPECT_TRUE(tensor_matches(tv.get(), c.at("expected_sorted_values"), Tolerance::exact()));
    } else {
        EXPECT_TRUE(tensor_matches(r.tensors[0].get(), c.at("expected").at(0), Tolerance::exact()));
    }
}

class ReferenceSortSearch : public ::testing::TestWithParam<const Json*> {};

TEST_P(ReferenceSortSearch, MatchesTorch) {
    const Json& c = *GetParam();
    const std::string& op = c.at("op").as_string();
    auto it = ops().find(op);
    ASSERT_NE(it, ops().end()) << "fixture op " << op;
    std::vector<Tensor> inputs;
    std::vector<cmp_tensor> raw;
    for (const Json& j : c.at("inputs").items()) {
        inputs.push_back(make_tensor(j));
        raw.push_back(inputs.back().get());
    }
    Results r = it->second(raw, c.at("args"));
    if (c.has("error")) {
        EXPECT_TRUE(fails_with_message(r.status, op.c_str())) << "PyTorch: " << c.at("error").as_string();
        return;
    }
    ASSERT_EQ(r.status, CMP_STATUS_OK) << op << ": " << cmp_last_error();
    const auto& expected = c.at("expected").items();
    ASSERT_EQ(r.tensors.size(), expected.size()) << "number of results";
    if (c.has("indices_exact")) {
        check_topk_loose(c, raw[0], r);
        return;
    }
    Tolerance tol = Tolerance::exact();
    if (c.has("abs_bound")) {
        // pad_backward: an input element sums up to `count` gradients, possibly in another order
        // than PyTorch's; each addition rounds by at most eps relative to the sum of magnitudes.
        tol.bound_scale = static_cast<double>(c.at("count").as_int()) * dtype_epsilon(dtype_of(r.tensors[0].get()));
        tol.abs_bound = &c.at("abs_bound");
    }
    // Everything else moves, compares or counts values: exact.
    for (size_t i = 0; i < expected.size(); ++i)
        EXPECT_TRUE(tensor_matches(r.tensors[i].get(), expected[i], tol)) << "result " << i;
}

INSTANTIATE_TEST_SUITE_P(Torch, ReferenceSortSearch, ::testing::ValuesIn(fixture_cases("sort_search.json")), case_name);

Tensor from_floats(const std::vector<float>& v, std::vector<int64_t> shape) {
    cmp_tensor raw = nullptr;
    check(cmp_from_buffer(v.data(), static_cast<int64_t>(v.size()) * 4, shape.data(), n(shape), CMP_DTYPE_FLOAT32, &raw),
          "cmp_from_buffer");
    return Tensor(raw);
}

template <typename T>
std::vector<T> read(cmp_tensor t, int64_t count) {
    std::vector<T> v(static_cast<size_t>(count));
    check(cmp_tensor_copy_to_buffer(t, v.data(), count * static_cast<int64_t>(sizeof(T))), "copy_to_buffer");
    return v;
}

TEST(SortSearchAbi, BadArgumentsGiveStatusesAndMessages) {
    Tensor t = from_floats({3, 1, 2, 0, 5, 4}, {2, 3});
    cmp_tensor v = nullptr, i = nullptr;
    EXPECT_EQ(cmp_sort(t.get(), 0, 0, 0, nullptr, &i), CMP_STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(cmp_sort(nullptr, 0, 0, 0, &v, &i), CMP_STATUS_INVALID_HANDLE);
    EXPECT_EQ(cmp_topk(t.get(), 4, 1, 1, 1, &v, &i), CMP_STATUS_INDEX_OUT_OF_RANGE);
    EXPECT_NE(std::string(cmp_last_error()).find("topk: k (4)"), std::string::npos) << cmp_last_error();
    EXPECT_EQ(v, nullptr);
    EXPECT_EQ(i, nullptr);
    const int64_t pad[2] = {3, 0};
    cmp_tensor o = nullptr;
    EXPECT_EQ(cmp_pad(t.get(), pad, 2, 7, 0.0, &o), CMP_STATUS_INVALID_ARGUMENT);
    EXPECT_NE(std::string(cmp_last_error()).find("cmp_pad_mode"), std::string::npos) << cmp_last_error();
    EXPECT_EQ(cmp_pad(t.get(), pad, 2, CMP_PAD_REFLECT, 0.0, &o), CMP_STATUS_INVALID_ARGUMENT);
    EXPECT_NE(std::string(cmp_last_error()).find("reflect padding (3, 0)"), std::string::npos) << cmp_last_error();
    EXPECT_EQ(cmp_pad(t.get(), nullptr, 2, CMP_PAD_CONSTANT, 0.0, &o), CMP_STATUS_INVALID_ARGUMENT);
    const int64_t sizes[2] = {2, 2};
    EXPECT_EQ(cmp_pad_backward(t.get(), sizes, 2, pad, 2, CMP_PAD_CONSTANT, &o), CMP_STATUS_SHAPE_MISMATCH);
    EXPECT_NE(std::string(cmp_last_error()).find("pad_backward: grad_output has shape [2, 3]"), std::string::npos)
        << cmp_last_error();
    cmp_tensor u[3] = {nullptr, nullptr, nullptr};
    EXPECT_EQ(cmp_unique(t.get(), 1, 1, 1, 0, 0, &u[0], &u[1], nullptr), CMP_STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(u[0], nullptr);
}

TEST(SortSearchAbi, LargeSortAndTopkMatchDefinition) {
    // Enough rows to run over the pool; every row is a rotated ramp with repeats, so sorted
    // order and stable tie order are known from the construction.
    const int64_t rows = 512, cols = 257;
    std::vector<float> v(static_cast<size_t>(rows * cols));
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c) v[static_cast<size_t>(r * cols + c)] = static_cast<float>((c * 7 + r) % 100);
    Tensor t = from_floats(v, {rows, cols});
    cmp_tensor sv = nullptr, si = nullptr;
    ASSERT_EQ(cmp_sort(t.get(), 1, 0, 1, &sv, &si), CMP_STATUS_OK) << cmp_last_error();
    Tensor tv(sv), ti(si);
    auto values = read<float>(tv.get(), rows * cols);
    auto idx = read<int64_t>(ti.get(), rows * cols);
    for (int64_t r = 0; r < rows; ++r) {
        std::vector<std::pair<float, int64_t>> want;
        for (int64_t c = 0; c < cols; ++c) want.push_back({v[static_cast<size_t>(r * cols + c)], c});
        std::stable_sort(want.begin(), want.end(), [](auto& a, auto& b) { return a.first < b.first; });
        for (int64_t c = 0; c < cols; ++c) {
            ASSERT_EQ(values[static_cast<size_t>(r * cols + c)], want[static_cast<size_t>(c)].first) << r << "," << c;
            ASSERT_EQ(idx[static_cast<size_t>(r * cols + c)], want[static_cast<size_t>(c)].second) << r << "," << c;
        }
    }
}

TEST(SortSearchAbi, TopkScanOfLongRowsKeepsNanZeroAndTieRules) {
    // k * 8 < cols: the heap path, whose scan skips blocks of 32 by their least key. Rows hold
    // NaN, +-0, +-inf and repeats in and across blocks; the expected order is PyTorch's rule
    // written out (NaN above everything and all NaNs equal, -0.0 equal to 0.0, ties by index)
    // and values are the input elements bit for bit. Row 2 is negative but for its zeros, -0.0 first.
    const int64_t rows = 4, cols = 300, k = 6;
    const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
    std::vector<float> v(static_cast<size_t>(rows * cols));
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c)
            v[static_cast<size_t>(r * cols + c)] = static_cast<float>((c * 37 + r * 11) % 23) - (r == 2 ? 24.0f : 11.0f);
    const std::vector<std::pair<int64_t, float>> specials = {
        {40, nan}, {45, -0.0f}, {70, 0.0f}, {71, -0.0f}, {130, inf}, {131, -inf}, {200, nan}, {299, -inf},
        {cols + 100, 11.5f}, {cols + 101, 11.5f}, {cols + 295, 11.5f}, {2 * cols + 33, -inf}, {2 * cols + 64, -inf},
        {2 * cols + 250, -25.0f}, {2 * cols + 10, -0.0f}, {2 * cols + 20, 0.0f}, {2 * cols + 90, -0.0f}, {3 * cols + 7, nan}, {3 * cols + 290, -nan}};
    for (const auto& [at, x] : specials) v[static_cast<size_t>(at)] = x;
    Tensor t = from_floats(v, {rows, cols});
    for (const int largest : {1, 0}) {
        cmp_tensor tv = nullptr, ti = nullptr;
        ASSERT_EQ(cmp_topk(t.get(), k, 1, largest, 1, &tv, &ti), CMP_STATUS_OK) << cmp_last_error();
        Tensor values(tv), indices(ti);
        const auto got_v = read<float>(values.get(), rows * k);
        const auto got_i = read<int64_t>(indices.get(), rows * k);
        const auto before = [&](float a, float b) {
            if (largest) return (std::isnan(a) && !std::isnan(b)) || a > b;
            return (!std::isnan(a) && std::isnan(b)) || a < b;
        };
        for (int64_t r = 0; r < rows; ++r) {
            std::vector<int64_t> order(static_cast<size_t>(cols));
            for (int64_t c = 0; c < cols; ++c) order[static_cast<size_t>(c)] = c;
            const float* row = v.data() + r * cols;
            std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return before(row[a], row[b]); });
            for (int64_t j = 0; j < k; ++j) {
                const int64_t want = order[static_cast<size_t>(j)];
                ASSERT_EQ(got_i[static_cast<size_t>(r * k + j)], want) << largest << " row " << r << " j " << j;
                const float gv = got_v[static_cast<size_t>(r * k + j)];
                ASSERT_EQ(std::memcmp(&gv, row + want, sizeof(float)), 0) << largest << " row " << r << " j " << j;
            }
        }
    }
}

TEST(SortSearchAbi, LargeReplicatePadBackwardSumsEdges) {
    // A gradient of ones: each input element receives one gradient per padded position that
    // copies it, so interior elements get 1 and the edges 1 + pad on that side (per dim).
    const int64_t planes = 64, h = 20, w = 30, p = 3;
    std::vector<float> ones(static_cast<size_t>(planes * (h + 2 * p) * (w + 2 * p)), 1.0f);
    Tensor g = from_floats(ones, {planes, 1, h + 2 * p, w + 2 * p});
    const int64_t sizes[4] = {planes, 1, h, w};
    const int64_t pad[4] = {p, p, p, p};
    cmp_tensor raw = nullptr;
    ASSERT_EQ(cmp_pad_backward(g.get(), sizes, 4, pad, 4, CMP_PAD_REPLICATE, &raw), CMP_STATUS_OK) << cmp_last_error();
    Tensor gi(raw);
    auto got = read<float>(gi.get(), planes * h * w);
    auto mult = [&](int64_t i, int64_t size) { return (i == 0 || i == size - 1) ? 1 + p : 1; };
    for (int64_t b = 0; b < planes; ++b)
        for (int64_t y = 0; y < h; ++y)
            for (int64_t x = 0; x < w; ++x)
                ASSERT_EQ(got[static_cast<size_t>((b * h + y) * w + x)], static_cast<float>(mult(y, h) * mult(x, w)))
                    << b << "," << y << "," << x;
}

}  // namespace
}  // namespace cmp::reference
