// The iteration engine: broadcasting rules, output allocation and checks, dim reordering and
// coalescing, and the strides the inner loops receive.
#include "core/iterator.h"
#include "engine_test_util.h"

#include <gtest/gtest.h>

namespace {

using namespace engine_test;
using cmp::TensorIterator;

TEST(Iterator, BroadcastShapes) {
    EXPECT_EQ(cmp::broadcast_shapes({2, 3}, {3}, "t"), (Shape{2, 3}));
    EXPECT_EQ(cmp::broadcast_shapes({2, 1, 4}, {3, 1}, "t"), (Shape{2, 3, 4}));
    EXPECT_EQ(cmp::broadcast_shapes({}, {5}, "t"), (Shape{5}));
    EXPECT_EQ(cmp::broadcast_shapes({0, 1}, {1, 7}, "t"), (Shape{0, 7}));
    EXPECT_EQ(cmp::broadcast_shapes({1}, {0}, "t"), (Shape{0}));
    expect_error([] { cmp::broadcast_shapes({2, 3}, {4}, "add"); }, CMP_STATUS_SHAPE_MISMATCH,
                 {"add: shapes [2, 3] and [4] cannot be broadcast"});
    expect_error([] { cmp::broadcast_shapes({2}, {0}, "mul"); }, CMP_STATUS_SHAPE_MISMATCH, {"mul", "[2]", "[0]"});
}

TEST(Iterator, ContiguousOperandsCoalesceToOneDim) {
    Tensor a = make(random_values(24, 1, -4, 4, true), {2, 3, 4}, CMP_DTYPE_FLOAT32);
    Tensor b = make(random_values(24, 2, -4, 4, true), {2, 3, 4}, CMP_DTYPE_FLOAT32);
    TensorIterator it(TensorIterator::pointwise("t", {a, b}));
    EXPECT_EQ(it.ndim(), 1);
    EXPECT_EQ(it.shape(), (Shape{24}));
    EXPECT_TRUE(it.is_contiguous());
    EXPECT_EQ(it.output().sizes(), (Shape{2, 3, 4}));
    EXPECT_TRUE(it.output().is_contiguous());
}

TEST(Iterator, BroadcastInputGetsZeroStride) {
    Tensor a = make(random_values(12, 3, -4, 4, true), {3, 4}, CMP_DTYPE_FLOAT64);
    Tensor row = make(random_values(4, 4, -4, 4, true), {4}, CMP_DTYPE_FLOAT64);
    Tensor col = make(random_values(3, 5, -4, 4, true), {3, 1}, CMP_DTYPE_FLOAT64);
    TensorIterator it(TensorIterator::pointwise("t", {a, row, col}));
    ASSERT_EQ(it.ndim(), 2);
    EXPECT_EQ(it.shape(), (Shape{4, 3}));  // innermost first
    EXPECT_EQ(it.strides(1), (std::vector<int64_t>{8, 32}));
    EXPECT_EQ(it.strides(2), (std::vector<int64_t>{8, 0}));
    EXPECT_EQ(it.strides(3), (std::vector<int64_t>{0, 8}));
    EXPECT_FALSE(it.is_contiguous());
}

TEST(Iterator, InnerLoopFollowsMemoryOfTransposedOutput) {
    // In place on a transposed tensor: the inner loop must run along the output's memory.
    Tensor base = make(random_values(12, 6, -4, 4, true), {3, 4}, CMP_DTYPE_FLOAT32);
    Tensor t = cmp::ops::transpose(base, 0, 1);  // [4, 3], strides [1, 4]
    TensorIterator it(TensorIterator::pointwise("t", {t, t}, t));
    EXPECT_EQ(it.ndim(), 1);  // transposed-contiguous coalesces too
    EXPECT_EQ(it.strides(0), (std::vector<int64_t>{4}));
}

TEST(Iterator, SlicedInputKeepsTwoDims) {
    Tensor a = make(random_values(40, 7, -4, 4, true), {4, 10}, CMP_DTYPE_FLOAT32);
    // Step 2 over 10 columns is one uniform stride across rows too: it coalesces to one dim.
    Tensor even = cmp::ops::slice(a, 1, 0, 10, 2);  // [4, 5], strides [10, 2]
    TensorIterator it2(TensorIterator::pointwise("t", {even}));
    EXPECT_EQ(it2.shape(), (Shape{20}));
    EXPECT_EQ(it2.strides(1), (std::vector<int64_t>{8}));
    // Step 3 leaves a gap between rows (columns 0, 3, 6, 9): two dims.
    Tensor s = cmp::ops::slice(a, 1, 0, 10, 3);  // [4, 4], strides [10, 3]
    TensorIterator it(TensorIterator::pointwise("t", {s}));
    EXPECT_EQ(it.shape(), (Shape{4, 4}));
    EXPECT_EQ(it.strides(1), (std::vector<int64_t>{12, 40}));
    EXPECT_EQ(it.strides(0), (std::vector<int64_t>{4, 16}));
}

TEST(Iterator, ForEachVisitsEveryElementOnceInParallel) {
    // Each element of the output is written by exactly one inner-loop call, whatever the
    // chunking: count visits in an int32 output.
    for (int64_t n : {1, 7, 1000, 200003}) {
        Tensor out = cmp::ops::full({n}, cmp::ops::scalar_int(0), CMP_DTYPE_INT32, cmp::Device::cpu());
        auto cfg = TensorIterator::pointwise("t", {out}, out);
        TensorIterator it(cfg);
        it.for_each(
            [](char** data, const int64_t* s, int64_t len) {
                for (int64_t i = 0; i < len; ++i) *reinterpret_cast<int32_t*>(data[0] + i * s[0]) += 1;
            },
            /*grain=*/64);
        for (int32_t v : raw<int32_t>(out)) ASSERT_EQ(v, 1);
    }
}

TEST(Iterator, InPlaceOutputMustHaveBroadcastShape) {
    Tensor a = make({1, 2, 3, 4}, {4}, CMP_DTYPE_FLOAT32);
    Tensor b = make(std::vector<double>(8, 1.0), {2, 4}, CMP_DTYPE_FLOAT32);
    expect_error([&] { TensorIterator it(TensorIterator::pointwise("add_", {a, b}, a)); }, CMP_STATUS_SHAPE_MISMATCH,
                 {"add_: output with shape [4] doesn't match the broadcast shape [2, 4]"});
}

TEST(Iterator, InPlaceCastCheck) {
    Tensor a = make({1, 2}, {2}, CMP_DTYPE_INT64);
    Tensor b = make({1, 2}, {2}, CMP_DTYPE_FLOAT32);
    expect_error([&] { TensorIterator it(TensorIterator::pointwise("add_", {a, b}, a)); }, CMP_STATUS_DTYPE_MISMATCH,
                 {"result type Float can't be cast to the desired output type Long"});
}

TEST(Iterator, WrittenToTensorMayNotOverlapItself) {
    Tensor a = make({1, 2}, {2}, CMP_DTYPE_FLOAT32);
    Tensor e = cmp::ops::expand(a, {3, 2});
    expect_error([&] { cmp::ops::add_(e, a, cmp::ops::scalar_int(1)); }, CMP_STATUS_INVALID_ARGUMENT,
                 {"add_", "more than one element of the written-to tensor refers to a single memory location"});
}

TEST(Iterator, ZeroSizedShapes) {
    Tensor a = cmp::ops::empty({0, 3}, CMP_DTYPE_FLOAT32, cmp::Device::cpu());
    Tensor b = make({1, 2, 3}, {3}, CMP_DTYPE_FLOAT32);
    Tensor r = cmp::ops::add(a, b, cmp::ops::scalar_int(1));
    EXPECT_EQ(r.sizes(), (Shape{0, 3}));
    TensorIterator it(TensorIterator::pointwise("t", {a, b}));
    EXPECT_EQ(it.numel(), 0);
    bool called = false;
    it.for_each([&](char**, const int64_t*, int64_t) { called = true; });
    EXPECT_FALSE(called);
}

TEST(Iterator, ZeroDimOperands) {
    Tensor a = make({2.5}, {}, CMP_DTYPE_FLOAT32);
    Tensor r = cmp::ops::mul(a, a);
    EXPECT_EQ(r.dim(), 0);
    EXPECT_EQ(at(r, {}), 6.25);
}

}  // namespace
