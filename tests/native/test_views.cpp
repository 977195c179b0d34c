// Views share storage and address exactly the elements PyTorch's rules say. Values and shapes
// against PyTorch itself are covered by the views.json reference fixtures; these tests check
// the properties every view must have, the view/reshape compatibility rule, and the errors.
#include "core/tensor.h"
#include "ops/ops.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>

namespace cmp {
namespace {

template <typename Fn>
std::string expect_error(cmp_status status, Fn&& fn) {
    try {
        fn();
    } catch (const Error& e) {
        EXPECT_EQ(e.status(), status) << e.what();
        return e.what();
    }
    ADD_FAILURE() << "expected cmp::Error with status " << status;
    return {};
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// A float64 tensor whose element at storage index k holds k, so an element's value says where
// in storage it lives.
Tensor iota(const Shape& sizes) {
    Tensor t = Tensor::empty(sizes, CMP_DTYPE_FLOAT64, Device::cpu());
    for (int64_t k = 0; k < t.numel(); ++k) t.data<double>()[k] = static_cast<double>(k);
    return t;
}

// Visits every index of t in row-major order with the storage index of that element.
void for_each_element(const Tensor& t, const std::function<void(const Shape&, int64_t)>& fn) {
    if (t.numel() == 0) return;
    Shape idx(t.dim(), 0);
    while (true) {
        int64_t at = t.offset();
        for (int64_t d = 0; d < t.dim(); ++d) at += idx[d] * t.strides()[d];
        fn(idx, at);
        int64_t d = t.dim() - 1;
        while (d >= 0 && ++idx[d] == t.sizes()[d]) idx[d--] = 0;
        if (d < 0) return;
    }
}

// The row-major sequence of storage indices t visits.
std::vector<int64_t> visit_order(const Tensor& t) {
    std::vector<int64_t> order;
    for_each_element(t, [&](const Shape&, int64_t at) { order.push_back(at); });
    return order;
}

// A view reads the same elements as the equivalent contiguous tensor read in row-major order.
void expect_same_elements(const Tensor& view, const Tensor& base) {
    std::vector<double> got;
    const double* data = static_cast<const double*>(view.storage()->data());
    for_each_element(view, [&](const Shape&, int64_t at) { got.push_back(data[at]); });
    std::vector<double> want;
    const double* bdata = static_cast<const double*>(base.storage()->data());
    for_each_element(base, [&](const Shape&, int64_t at) { want.push_back(bdata[at]); });
    EXPECT_EQ(got, want);
}

TEST(Views, ViewKeepsRowMajorOrderAndSharesStorage) {
    Tensor t = iota({2, 3, 4});
    for (Shape s : {Shape{24}, Shape{4, 6}, Shape{2, 12}, Shape{3, -1}, Shape{1, 2, 1, 12, 1}, Shape{2, 3, 2, 2}}) {
        Tensor v = ops::view(t, s);
        EXPECT_EQ(v.storage().get(), t.storage().get());
        EXPECT_EQ(v.numel(), t.numel());
        EXPECT_EQ(visit_order(v), visit_order(t)) << shape_str(s);
    }
}

TEST(Views, ViewOfNonContiguousWhenChunksAllow) {
    // Transposing the outer two dims keeps the inner dim contiguous: splitting or merging
    // within a chunk is still a view; merging across the transposed dims is not.
    Tensor t = ops::transpose(iota({2, 3, 4}), 0, 1);  // [3, 2, 4]
    Tensor split = ops::view(t, {3, 2, 2, 2});
    EXPECT_EQ(visit_order(split), visit_order(t));
    std::string msg = expect_error(CMP_STATUS_LAYOUT_ERROR, [&] { ops::view(t, {6, 4}); });
    EXPECT_TRUE(contains(msg, "view")) << msg;
    EXPECT_TRUE(contains(msg, "[6, 4]")) << msg;
    EXPECT_TRUE(contains(msg, "[3, 2, 4]")) << msg;
    EXPECT_TRUE(contains(msg, "reshape")) << msg;
}

TEST(Views, ReshapeCopiesOnlyWhenNeeded) {
    Tensor t = iota({4, 6});
    Tensor v = ops::reshape(t, {6, 4});
    EXPECT_EQ(v.storage().get(), t.storage().get()) << "a compatible reshape is a view";
    Tensor tt = ops::transpose(t, 0, 1);
    Tensor c = ops::reshape(tt, {24});
    EXPECT_NE(c.storage().get(), t.storage().get()) << "an incompatible reshape copies";
    EXPECT_TRUE(c.is_contiguous());
    expect_same_elements(c, tt);
    // Size-1 dims with arbitrary strides never force a copy.
    Tensor odd = ops::as_strided(t, {4, 1, 6}, {6, 1000, 1}, 0);
    EXPECT_EQ(ops::reshape(odd, {24}).storage().get(), t.storage().get());
}

TEST(Views, ViewOfEmptyAndZeroDim) {
    Tensor e = iota({0, 3});
    EXPECT_EQ(ops::view(e, {3, 0}).numel(), 0);
    // As in PyTorch, -1 next to a 0 could be anything, so it is refused.
    std::string msg = expect_error(CMP_STATUS_SHAPE_MISMATCH, [&] { ops::view(e, {0, -1, 3}); });
    EXPECT_TRUE(contains(msg, "[0, -1, 3]")) << msg;
    Tensor s = iota({});
    Tensor v = ops::view(s, {1, 1});
    EXPECT_EQ(v.offset(), s.offset());
    EXPECT_EQ(ops::view(v, {}).dim(), 0);
}

TEST(Views, ViewShapeErrors) {
    Tensor t = iota({2, 3});
    std::string msg = expect_error(CMP_STATUS_SHAPE_MISMATCH, [&] { ops::view(t, {4, 2}); });
    EXPECT_TRUE(contains(msg, "[4, 2]") && contains(msg, "6")) << msg;
    expect_error(CMP_STATUS_INVALID_ARGUMENT, [&] { ops::view(t, {-1, -1}); });
    expect_error(CMP_STATUS_INVALID_ARGUMENT, [&] { ops::reshape(t, {-2, 3}); });
    expect_error(CMP_STATUS_SHAPE_MISMATCH, [&] { ops::view(t, {int64_t{1} << 62, int64_t{1} << 62}); });
}

TEST(Views, PermuteAndTranspose) {
    Tensor t = iota({2, 3, 4});
    Tensor p = ops::permute(t, {2, -3, 1});
    for (int i = 0; i < 3; ++i) {
        int src = i == 0 ? 2 : i == 1 ? 0 : 1;
        EXPECT_EQ(p.sizes()[i], t.sizes()[src]);
        EXPECT_EQ(p.strides()[i], t.strides()[src]);
    }
    expect_error(CMP_STATUS_INVALID_ARGUMENT, [&] { ops::permute(t, {0, 0, 1}); });
    expect_error(CMP_STATUS_SHAPE_MISMATCH, [&] { ops::permute(t, {0, 1}); });
    expect_error(CMP_STATUS_INDEX_OUT_OF_RANGE, [&] { ops::permute(t, {0, 1, 3}); });
    Tensor tr = ops::transpose(t, -1, 0);
    EXPECT_EQ(tr.sizes().front(), 4);
    EXPECT_EQ(tr.strides().front(), 1);
    expect_error(CMP_STATUS_INDEX_OUT_OF_RANGE, [&] { ops::transpose(t, 0, 3); });
}

TEST(Views, SliceClampsLikePython) {
    Tensor t = iota({10});
    // Every (start, end, step) against Python's own rule written as a direct loop.
    for (int64_t start : {-20LL, -10LL, -3LL, 0LL, 2LL, 9LL, 10LL, 15LL, (long long)INT64_MIN, (long long)INT64_MAX})
        for (int64_t end : {-20LL, -1LL, 0LL, 3LL, 10LL, 15LL, (long long)INT64_MAX, (long long)INT64_MIN})
            for (int64_t step : {1, 2, 3, 11}) {
                std::vector<int64_t> want;
                int64_t s = start < 0 ? std::max<int64_t>(start + 10, 0) : std::min<int64_t>(start, 10);
                int64_t e = end < 0 ? std::max<int64_t>(end + 10, 0) : std::min<int64_t>(end, 10);
                for (int64_t k = s; k < e; k += step) want.push_back(k);
                Tensor v = ops::slice(t, 0, start, end, step);
                EXPECT_EQ(visit_order(v), want) << start << ":" << end << ":" << step;
            }
    expect_error(CMP_STATUS_INVALID_ARGUMENT, [&] { ops::slice(t, 0, 0, 5, 0); });
    expect_error(CMP_STATUS_INVALID_ARGUMENT, [&] { ops::slice(t, 0, 0, 5, -1); });
    expect_error(CMP_STATUS_INDEX_OUT_OF_RANGE, [&] { ops::slice(t, 1, 0, 5, 1); });
    expect_error(CMP_STATUS_INDEX_OUT_OF_RANGE, [&] { ops::slice(iota({}), 0, 0, 1, 1); });
}

TEST(Views, SelectAndNarrow) {
    Tensor t = iota({3, 4});
    Tensor row = ops::select(t, 0, -1);
    EXPECT_EQ(visit_order(row), (std::vector<int64_t>{8, 9, 10, 11}));
    Tensor col = ops::select(t, 1, 2);
    EXPECT_EQ(visit_order(col), (std::vector<int64_t>{2, 6, 10}));
    std::string msg = expect_error(CMP_STATUS_INDEX_OUT_OF_RANGE, [&] { ops::select(t, 1, 4); });
    EXPECT_TRUE(contains(msg, "select") && contains(msg, "[3, 4]") && contains(msg, "4")) << msg;
    expect_error(CMP_STATUS_INDEX_OUT_OF_RANGE, [&] { ops::select(t, 0, -4); });
    EXPECT_EQ(visit_order(ops::narrow(t, 1, -3, 2)), (std::vector<int64_t>{1, 2, 5, 6, 9, 10}));
    EXPECT_EQ(ops::narrow(t, 0, 3, 0).numel(), 0);
    expect_error(CMP_STATUS_INDEX_OUT_OF_RANGE, [&] { ops::narrow(t, 0, 2, 2); });
    expect_error(CMP_STATUS_INVALID_ARGUMENT, [&] { ops::narrow(t, 0, 0, -1); });
}

TEST(Views, ExpandBroadcastsWithZeroStrides) {
    Tensor t = iota({3, 1});
    Tensor e = ops::expand(t, {2, -1, 4});
    EXPECT_EQ(e.sizes(), (Shape{2, 3, 4}));
    EXPECT_EQ(e.strides()[0], 0);
    EXPECT_EQ(e.strides()[2], 0);
    EXPECT_EQ(e.strides()[1], t.strides()[0]);
    std::string msg = expect_error(CMP_STATUS_SHAPE_MISMATCH, [&] { ops::expand(t, {4, 4}); });
    EXPECT_TRUE(contains(msg, "expand") && contains(msg, "[4, 4]") && contains(msg, "[3, 1]")) << msg;
    expect_error(CMP_STATUS_INVALID_ARGUMENT, [&] { ops::expand(t, {-1, 3, 1}); });
    expect_error(CMP_STATUS_SHAPE_MISMATCH, [&] { ops::expand(t, {3}); });
    EXPECT_EQ(ops::expand(iota({}), {2, 2}).numel(), 4);
}

TEST(Views, SqueezeAndUnsqueeze) {
    Tensor t = iota({1, 3, 1, 2});
    EXPECT_EQ(ops::squeeze(t).sizes(), (Shape{3, 2}));
    EXPECT_EQ(ops::squeeze_dim(t, -2).sizes(), (Shape{1, 3, 2}));
    EXPECT_EQ(ops::squeeze_dim(t, 1).sizes(), t.sizes()) << "no-op when the size is not 1";
    EXPECT_EQ(ops::squeeze_dim(iota({}), 0).dim(), 0);
    expect_error(CMP_STATUS_INDEX_OUT_OF_RANGE, [&] { ops::squeeze_dim(t, 4); });
    Tensor u = ops::unsqueeze(iota({3, 2}), 1);
    EXPECT_EQ(u.sizes(), (Shape{3, 1, 2}));
    EXPECT_TRUE(u.is_contiguous());
    EXPECT_EQ(ops::unsqueeze(iota({3, 2}), -1).sizes(), (Shape{3, 2, 1}));
    EXPECT_EQ(ops::unsqueeze(iota({}), 0).sizes(), (Shape{1}));
    expect_error(CMP_STATUS_INDEX_OUT_OF_RANGE, [&] { ops::unsqueeze(iota({3, 2}), 3); });
    expect_error(CMP_STATUS_INDEX_OUT_OF_RANGE, [&] { ops::unsqueeze(iota({3, 2}), -4); });
}

TEST(Views, AsStridedIsBoundsChecked) {
    Tensor t = iota({12});
    Tensor v = ops::as_strided(t, {3, 3}, {1, 3}, 2);  // last element: 2 + 2 + 6 = 10
    EXPECT_EQ(visit_order(v), (std::vector<int64_t>{2, 5, 8, 3, 6, 9, 4, 7, 10}));
    EXPECT_EQ(ops::as_strided(t, {2, 2}, {0, 11}, 0).numel(), 4);  // reaches element 11 exactly
    std::string msg = expect_error(CMP_STATUS_INDEX_OUT_OF_RANGE, [&] { ops::as_strided(t, {2, 2}, {0, 11}, 1); });
    EXPECT_TRUE(contains(msg, "as_strided") && contains(msg, "[2, 2]") && contains(msg, "96 bytes")) << msg;
    // Bounds are those of the storage, not of the view it starts from.
    Tensor narrow = ops::narrow(t, 0, 0, 2);
    EXPECT_EQ(ops::as_strided(narrow, {12}, {1}, 0).numel(), 12);
    expect_error(CMP_STATUS_INVALID_ARGUMENT, [&] { ops::as_strided(t, {2}, {-1}, 5); });
    expect_error(CMP_STATUS_INVALID_ARGUMENT, [&] { ops::as_strided(t, {2}, {1}, -1); });
    expect_error(CMP_STATUS_INDEX_OUT_OF_RANGE,
                 [&] { ops::as_strided(t, {int64_t{1} << 62, 4}, {int64_t{1} << 62, 1}, 0); });
    EXPECT_EQ(ops::as_strided(t, {0, 5}, {1000, 1000}, 100).numel(), 0) << "an empty view addresses nothing";
}

TEST(Views, Flatten) {
    Tensor t = iota({2, 3, 4});
    EXPECT_EQ(ops::flatten(t, 0, -1).sizes(), (Shape{24}));
    EXPECT_EQ(ops::flatten(t, 1, 2).sizes(), (Shape{2, 12}));
    EXPECT_EQ(ops::flatten(t, 1, 1).impl(), t.impl()) << "flattening one dim returns the input";
    EXPECT_EQ(ops::flatten(iota({}), 0, -1).sizes(), (Shape{1}));
    Tensor tt = ops::transpose(t, 0, 2);
    Tensor f = ops::flatten(tt, 0, 1);
    EXPECT_NE(f.storage().get(), t.storage().get()) << "non-viewable flatten copies";
    expect_same_elements(f, tt);
    expect_error(CMP_STATUS_INVALID_ARGUMENT, [&] { ops::flatten(t, 2, 1); });
}

TEST(Views, WritesThroughAViewReachTheBase) {
    Tensor t = iota({4, 4});
    Tensor v = ops::select(ops::transpose(t, 0, 1), 0, 2);  // column 2
    double* base = t.data<double>();
    for (int64_t i = 0; i < 4; ++i) v.data<double>()[i * v.strides()[0]] = -1.0;
    for (int64_t r = 0; r < 4; ++r) EXPECT_EQ(base[r * 4 + 2], -1.0);
    EXPECT_EQ(v.storage()->use_count(), 2) << "the base and the view hold the storage";
}

}  // namespace
}  // namespace cmp
