// Indexing ops against PyTorch (indexing.json) through the C ABI: gather, scatter (src, value,
// add/multiply), scatter_add, scatter_reduce, index_select, index_add, masked_select,
// nonzero, and advanced indexing (index, index_put with accumulate). Then what the fixture cannot show: out-of-range messages naming the index and the
// dim size, the in-place forms, and a large gather/scatter_add run over the thread pool.
#include "fixture.h"

#include <functional>
#include <map>
#include <string>

namespace cmp::reference {
namespace {

using Op = std::function<cmp_status(const std::vector<cmp_tensor>&, const Json&, cmp_tensor*)>;

int64_t I(const Json& a, const char* key) { return a.at(key).as_int(); }

// Advanced-index entries: "t" takes the next input tensor (after self), null a whole dim.
std::vector<cmp_tensor> layout(const std::vector<cmp_tensor>& x, const Json& a) {
    std::vector<cmp_tensor> out;
    size_t next = 1;
    for (const Json& e : a.at("layout").items()) out.push_back(e.is_null() ? nullptr : x[next++]);
    return out;
}

const std::map<std::string, Op>& ops() {
    static const std::map<std::string, Op> table = {
        {"gather", [](const std::vector<cmp_tensor>& x, const Json& a, cmp_tensor* o) { return cmp_gather(x[0], I(a, "dim"), x[1], o); }},
        {"scatter", [](const std::vector<cmp_tensor>& x, const Json& a, cmp_tensor* o) {
             return cmp_scatter(x[0], I(a, "dim"), x[1], x[2], static_cast<int32_t>(I(a, "reduce_code")), o); }},
        {"scatter_value", [](const std::vector<cmp_tensor>& x, const Json& a, cmp_tensor* o) {
             return cmp_scatter_value(x[0], I(a, "dim"), x[1], scalar_from_json(a.at("value")), static_cast<int32_t>(I(a, "reduce_code")), o); }},
        {"scatter_add", [](const std::vector<cmp_tensor>& x, const Json& a, cmp_tensor* o) { return cmp_scatter_add(x[0], I(a, "dim"), x[1], x[2], o); }},
        {"scatter_reduce", [](const std::vector<cmp_tensor>& x, const Json& a, cmp_tensor* o) {
             return cmp_scatter_reduce(x[0], I(a, "dim"), x[1], x[2], static_cast<int32_t>(I(a, "reduce_code")),
                                       a.at("include_self").as_bool() ? 1 : 0, o); }},
        {"index_select", [](const std::vector<cmp_tensor>& x, const Json& a, cmp_tensor* o) { return cmp_index_select(x[0], I(a, "dim"), x[1], o); }},
        {"index_add", [](const std::vector<cmp_tensor>& x, const Json& a, cmp_tensor* o) {
             return cmp_index_add(x[0], I(a, "dim"), x[1], x[2], scalar_from_json(a.at("alpha")), o); }},
        {"masked_select", [](const std::vector<cmp_tensor>& x, const Json&, cmp_tensor* o) { return cmp_masked_select(x[0], x[1], o); }},
        {"nonzero", [](const std::vector<cmp_tensor>& x, const Json&, cmp_tensor* o) { return cmp_nonzero(x[0], o); }},
        {"index", [](const std::vector<cmp_tensor>& x, const Json& a, cmp_tensor* o) {
             std::vector<cmp_tensor> idx = layout(x, a);
             return cmp_index(x[0], idx.data(), static_cast<int64_t>(idx.size()), o); }},
        {"index_put", [](const std::vector<cmp_tensor>& x, const Json& a, cmp_tensor* o) {
             std::vector<cmp_tensor> idx = layout(x, a);
             return cmp_index_put(x[0], idx.data(), static_cast<int64_t>(idx.size()), x.back(),
                                  a.at("accumulate").as_bool() ? 1 : 0, o); }},
    };
    return table;
}

class ReferenceIndexing : public ::testing::TestWithParam<const Json*> {};

TEST_P(ReferenceIndexing, MatchesTorch) {
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
    cmp_tensor result = nullptr;
    cmp_status status = it->second(raw, c.at("args"), &result);
    Tensor out(result);
    if (c.has("error")) {
        EXPECT_TRUE(fails_with_message(status, op.c_str())) << "PyTorch: " << c.at("error").as_string();
        return;
    }
    ASSERT_EQ(status, CMP_STATUS_OK) << op << ": " << cmp_last_error();
    // Gather/select/nonzero only move values. The scatter reductions combine them in index
    // order, the order PyTorch's CPU kernel uses along one line, so they are exact as well; a
    // mean divides once, correctly rounded in both.
    EXPECT_TRUE(tensor_matches(out.get(), c.at("expected"), Tolerance::exact()));
}

INSTANTIATE_TEST_SUITE_P(Torch, ReferenceIndexing, ::testing::ValuesIn(fixture_cases("indexing.json")), case_name);

Tensor from_i64(std::vector<int64_t> v, std::vector<int64_t> shape) {
    cmp_tensor raw = nullptr;
    check(cmp_from_buffer(v.data(), static_cast<int64_t>(v.size() * 8), shape.data(), static_cast<int64_t>(shape.size()),
                          CMP_DTYPE_INT64, &raw),
          "cmp_from_buffer");
    return Tensor(raw);
}

Tensor from_f64(std::vector<double> v, std::vector<int64_t> shape) {
    cmp_tensor raw = nullptr;
    check(cmp_from_buffer(v.data(), static_cast<int64_t>(v.size() * 8), shape.data(), static_cast<int64_t>(shape.size()),
                          CMP_DTYPE_FLOAT64, &raw),
          "cmp_from_buffer");
    return Tensor(raw);
}

std::vector<double> values(cmp_tensor t) {
    int64_t n = 0;
    check(cmp_tensor_numel(t, &n), "numel");
    std::vector<double> v(static_cast<size_t>(n));
    check(cmp_tensor_copy_to_buffer(t, v.data(), n * 8), "copy_to_buffer");
    return v;
}

TEST(IndexingAbi, OutOfRangeMessagesNameOpIndexAndSize) {
    Tensor x = from_f64({1, 2, 3, 4, 5, 6}, {2, 3});
    Tensor bad = from_i64({0, 7}, {2});
    cmp_tensor out = nullptr;
    ASSERT_EQ(cmp_index_select(x.get(), 1, bad.get(), &out), CMP_STATUS_INDEX_OUT_OF_RANGE);
    const std::string msg = cmp_last_error();
    EXPECT_NE(msg.find("index_select"), std::string::npos) << msg;
    EXPECT_NE(msg.find("index 7"), std::string::npos) << msg;
    EXPECT_NE(msg.find("size 3"), std::string::npos) << msg;
    // gather checks a whole line before copying it: the first bad index of the line is named.
    Tensor gidx = from_i64({0, 1, 2, 1, -1, 2}, {2, 3});
    ASSERT_EQ(cmp_gather(x.get(), 1, gidx.get(), &out), CMP_STATUS_INDEX_OUT_OF_RANGE);
    const std::string gmsg = cmp_last_error();
    EXPECT_NE(gmsg.find("gather"), std::string::npos) << gmsg;
    EXPECT_NE(gmsg.find("index -1"), std::string::npos) << gmsg;
    EXPECT_NE(gmsg.find("size 3"), std::string::npos) << gmsg;
    Tensor src = from_f64({1, 1}, {1, 2});
    Tensor huge = from_i64({INT64_MIN, 0}, {1, 2});
    EXPECT_EQ(cmp_scatter_add(x.get(), 1, huge.get(), src.get(), &out), CMP_STATUS_INDEX_OUT_OF_RANGE);
    EXPECT_NE(std::string(cmp_last_error()).find("scatter_add"), std::string::npos) << cmp_last_error();
    EXPECT_EQ(cmp_scatter(x.get(), 1, huge.get(), src.get(), 42, &out), CMP_STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(out, nullptr);
    // The input is untouched by failed out-of-place calls.
    EXPECT_EQ(values(x.get()), (std::vector<double>{1, 2, 3, 4, 5, 6}));
}

// gather copies a line by blocks of 8 indices with the checks folded into the copy: a bad
// index anywhere in a long line (inside a block or in the tail, negative or huge) is still
// reported by value, and good lines of float32 (4-byte path) and float64 are exact.
TEST(IndexingAbi, GatherLongLinesCheckEveryIndex) {
    const int64_t cols = 37, picks = 21;
    std::vector<float> xf(static_cast<size_t>(2 * cols));
    for (size_t i = 0; i < xf.size(); ++i) xf[i] = static_cast<float>(i) * 0.5f;
    const int64_t xshape[] = {2, cols};
    cmp_tensor raw = nullptr;
    check(cmp_from_buffer(xf.data(), static_cast<int64_t>(xf.size() * 4), xshape, 2, CMP_DTYPE_FLOAT32, &raw),
          "cmp_from_buffer");
    Tensor x(raw);
    std::vector<int64_t> iv(static_cast<size_t>(2 * picks));
    for (size_t i = 0; i < iv.size(); ++i) iv[i] = static_cast<int64_t>((i * 11) % cols);
    Tensor idx = from_i64(iv, {2, picks});
    ASSERT_EQ(cmp_gather(x.get(), 1, idx.get(), &raw), CMP_STATUS_OK) << cmp_last_error();
    Tensor g(raw);
    std::vector<float> gv(iv.size());
    check(cmp_tensor_copy_to_buffer(g.get(), gv.data(), static_cast<int64_t>(gv.size() * 4)), "copy_to_buffer");
    for (int64_t r = 0; r < 2; ++r)
        for (int64_t j = 0; j < picks; ++j)
            ASSERT_EQ(gv[static_cast<size_t>(r * picks + j)],
                      xf[static_cast<size_t>(r * cols + iv[static_cast<size_t>(r * picks + j)])]);
    Tensor xd = from_f64(std::vector<double>(static_cast<size_t>(2 * cols), 1.0), {2, cols});
    // Positions 3 and 11 sit inside the first two blocks of 8, 18 in the tail of 5.
    for (const auto& [at, bad] : std::vector<std::pair<size_t, int64_t>>{{3, cols}, {picks + 11, -2}, {18, INT64_MIN}, {picks + 18, cols + 100}}) {
        std::vector<int64_t> b = iv;
        b[at] = bad;
        Tensor bidx = from_i64(b, {2, picks});
        for (cmp_tensor src : {x.get(), xd.get()}) {
            cmp_tensor out = nullptr;
            ASSERT_EQ(cmp_gather(src, 1, bidx.get(), &out), CMP_STATUS_INDEX_OUT_OF_RANGE) << at;
            EXPECT_EQ(out, nullptr);
            const std::string msg = cmp_last_error();
            EXPECT_NE(msg.find("index " + std::to_string(bad) + " "), std::string::npos) << msg;
            EXPECT_NE(msg.find("size " + std::to_string(cols)), std::string::npos) << msg;
        }
    }
    // A dim of size 0 holds no valid index at all.
    Tensor empty = from_f64({}, {2, 0});
    Tensor zero = from_i64({0, 0}, {2, 1});
    cmp_tensor out = nullptr;
    EXPECT_EQ(cmp_gather(empty.get(), 1, zero.get(), &out), CMP_STATUS_INDEX_OUT_OF_RANGE);
}

TEST(IndexingAbi, InPlaceFormsWriteIntoTheirArgument) {
    Tensor x = from_f64({0, 0, 0}, {3});
    Tensor idx = from_i64({2, 2, 0}, {3});
    Tensor src = from_f64({1, 2, 4}, {3});
    ASSERT_EQ(cmp_scatter_add_(x.get(), 0, idx.get(), src.get()), CMP_STATUS_OK) << cmp_last_error();
    EXPECT_EQ(values(x.get()), (std::vector<double>{4, 0, 3}));
    ASSERT_EQ(cmp_index_add_(x.get(), 0, idx.get(), src.get(), cmp_scalar{CMP_SCALAR_FLOAT, 0, 0.5, 0}), CMP_STATUS_OK)
        << cmp_last_error();
    EXPECT_EQ(values(x.get()), (std::vector<double>{6, 0, 4.5}));
    // An expanded (self-overlapping) destination is refused rather than raced on.
    Tensor one = from_f64({0}, {1});
    int64_t sizes[] = {3};
    cmp_tensor expanded = nullptr;
    ASSERT_EQ(cmp_expand(one.get(), sizes, 1, &expanded), CMP_STATUS_OK);
    Tensor e(expanded);
    EXPECT_EQ(cmp_scatter_add_(e.get(), 0, idx.get(), src.get()), CMP_STATUS_INVALID_ARGUMENT);
}

TEST(IndexingAbi, LargeGatherAndScatterAddAgreeWithLoops) {
    // Rows x cols big enough for the pool to split the lines between threads.
    const int64_t rows = 512, cols = 300, picks = 257;
    std::vector<double> xv(static_cast<size_t>(rows * cols));
    for (size_t i = 0; i < xv.size(); ++i) xv[i] = static_cast<double>(i % 1009);
    std::vector<int64_t> iv(static_cast<size_t>(rows * picks));
    for (size_t i = 0; i < iv.size(); ++i) iv[i] = static_cast<int64_t>((i * 7919) % cols);
    Tensor x = from_f64(xv, {rows, cols});
    Tensor idx = from_i64(iv, {rows, picks});
    cmp_tensor raw = nullptr;
    ASSERT_EQ(cmp_gather(x.get(), 1, idx.get(), &raw), CMP_STATUS_OK) << cmp_last_error();
    Tensor g(raw);
    std::vector<double> gv = values(g.get());
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t j = 0; j < picks; ++j)
            ASSERT_EQ(gv[static_cast<size_t>(r * picks + j)], xv[static_cast<size_t>(r * cols + iv[static_cast<size_t>(r * picks + j)])]);
    // scatter_add of the gathered values back: gather's backward.
    Tensor zeros = from_f64(std::vector<double>(xv.size(), 0.0), {rows, cols});
    ASSERT_EQ(cmp_scatter_add(zeros.get(), 1, idx.get(), g.get(), &raw), CMP_STATUS_OK) << cmp_last_error();
    Tensor s(raw);
    std::vector<double> want(xv.size(), 0.0);
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t j = 0; j < picks; ++j) {
            const size_t at = static_cast<size_t>(r * cols + iv[static_cast<size_t>(r * picks + j)]);
            want[at] += gv[static_cast<size_t>(r * picks + j)];
        }
    EXPECT_EQ(values(s.get()), want);
}

}  // namespace
}  // namespace cmp::reference
