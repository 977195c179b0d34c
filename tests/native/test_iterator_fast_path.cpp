// The iteration engine's dense fast path (TensorIterator::try_dense_layout): for each case the
// layout it produces (coalesced shape, per-operand strides, output dtype and shape) must equal
// the general path's, and ops must give the same bits with it on and off. The cases are the
// edges where a shortcut could differ: 0-d and empty tensors, wrapped numbers, mixed dtypes,
// outputs aliasing inputs, a dtype write-back, and layouts that must fall back (transposed,
// broadcast, sliced), plus size-1 dims with arbitrary strides, which it may take.
#include "core/iterator.h"
#include "engine_test_util.h"
#include "ops/binary_math.h"

#include <gtest/gtest.h>

#include <functional>

namespace {

using namespace engine_test;
using cmp::TensorIterator;

// Restores the default (fast path on) even when an assertion returns early.
struct DenseLayoutOff {
    DenseLayoutOff() { TensorIterator::set_dense_layout_enabled_for_testing(false); }
    ~DenseLayoutOff() { TensorIterator::set_dense_layout_enabled_for_testing(true); }
};

using MakeConfig = std::function<TensorIterator::Config()>;

// Builds the iterator with and without the fast path and compares everything a kernel sees.
// Returns whether the fast path was taken.
bool expect_same_layout(const MakeConfig& make_config) {
    TensorIterator fast(make_config());
    std::vector<std::vector<int64_t>> general_strides;
    std::vector<int64_t> general_shape;
    cmp::DType general_out;
    Shape general_out_shape;
    {
        DenseLayoutOff off;
        TensorIterator general(make_config());
        EXPECT_FALSE(general.used_dense_layout());
        general_shape = general.shape().to_vector();
        for (int i = 0; i < general.ntensors(); ++i) general_strides.push_back(general.strides(i).to_vector());
        general_out = general.output_dtype();
        general_out_shape = general.output().sizes();
    }
    EXPECT_EQ(fast.shape().to_vector(), general_shape);
    EXPECT_EQ(static_cast<size_t>(fast.ntensors()), general_strides.size());
    for (int i = 0; i < fast.ntensors() && static_cast<size_t>(i) < general_strides.size(); ++i)
        EXPECT_EQ(fast.strides(i).to_vector(), general_strides[static_cast<size_t>(i)]) << "operand " << i;
    EXPECT_EQ(fast.output_dtype(), general_out);
    EXPECT_EQ(fast.output().sizes(), general_out_shape);
    return fast.used_dense_layout();
}

// Runs op with the fast path on and off on fresh copies of the inputs (op may write into them)
// and expects the same result bits and the same input bits afterwards.
void expect_same_results(const std::function<Tensor(const std::vector<Tensor>&)>& op,
                         const std::vector<Tensor>& inputs) {
    auto copies = [&] {
        std::vector<Tensor> c;
        for (const Tensor& t : inputs) c.push_back(cmp::ops::clone(t));
        return c;
    };
    std::vector<Tensor> in_fast = copies(), in_general = copies();
    Tensor fast = op(in_fast);
    Tensor general;
    {
        DenseLayoutOff off;
        general = op(in_general);
    }
    EXPECT_TRUE(same_bits(fast, general));
    for (size_t i = 0; i < inputs.size(); ++i) EXPECT_TRUE(same_bits(in_fast[i], in_general[i])) << "input " << i;
}

Tensor floats(size_t n, uint32_t seed, const Shape& shape, cmp::DType dtype = CMP_DTYPE_FLOAT32) {
    return make(random_values(n, seed, -4, 4, true), shape, dtype);
}

TEST(IteratorFastPath, SameShapeContiguousTakesItWithTheGeneralLayout) {
    for (const Shape& shape : {Shape{16}, Shape{2, 3, 4}, Shape{2}, Shape{1, 5, 1}}) {
        Tensor a = floats(static_cast<size_t>(cmp::checked_numel(shape, "t")), 1, shape);
        Tensor b = floats(static_cast<size_t>(cmp::checked_numel(shape, "t")), 2, shape);
        EXPECT_TRUE(expect_same_layout([&] { return TensorIterator::pointwise("t", {a, b}); }));
        expect_same_results([](const std::vector<Tensor>& t) { return cmp::ops::add(t[0], t[1], cmp::ops::scalar_float(0.5)); },
                            {a, b});
    }
}

TEST(IteratorFastPath, ZeroDimTensors) {
    Tensor a = floats(1, 3, {});
    Tensor b = floats(1, 4, {});
    EXPECT_TRUE(expect_same_layout([&] { return TensorIterator::pointwise("t", {a, b}); }));
    expect_same_results([](const std::vector<Tensor>& t) { return cmp::ops::mul(t[0], t[1]); }, {a, b});
    // A 0-d tensor with a [1, 1] one broadcasts to [1, 1]: one element, strides 0 either way.
    Tensor one = floats(1, 5, {1, 1});
    EXPECT_TRUE(expect_same_layout([&] { return TensorIterator::pointwise("t", {one, a}); }));
}

TEST(IteratorFastPath, EmptyTensors) {
    for (const Shape& shape : {Shape{0}, Shape{2, 0, 3}}) {
        Tensor a = floats(0, 6, shape), b = floats(0, 7, shape);
        EXPECT_TRUE(expect_same_layout([&] { return TensorIterator::pointwise("t", {a, b}); }));
        expect_same_results([](const std::vector<Tensor>& t) { return cmp::ops::add(t[0], t[1], cmp::ops::scalar_int(1)); },
                            {a, b});
    }
    // Empty with a 0-d number.
    Tensor e = floats(0, 8, {3, 0});
    Tensor n = cmp::ops::scalar_tensor(cmp::ops::scalar_float(2.5), cmp::Device::cpu());
    EXPECT_TRUE(expect_same_layout([&] { return TensorIterator::pointwise("t", {e, n}); }));
}

TEST(IteratorFastPath, WrappedNumberOperand) {
    Tensor a = floats(12, 9, {3, 4});
    for (cmp_scalar s : {cmp::ops::scalar_float(0.25), cmp::ops::scalar_int(3)}) {
        Tensor n = cmp::ops::scalar_tensor(s, cmp::Device::cpu());
        EXPECT_TRUE(expect_same_layout([&] { return TensorIterator::pointwise("t", {a, n}); }));
        EXPECT_TRUE(expect_same_layout([&] { return TensorIterator::pointwise("t", {n, a}); }));
        expect_same_results([](const std::vector<Tensor>& t) { return cmp::ops::sub(t[0], t[1], cmp::ops::scalar_int(2)); },
                            {a, n});
    }
    // An int tensor with a float number computes in float32 (the number is cast first).
    Tensor i = make(random_values(8, 10, -9, 9, false), {8}, CMP_DTYPE_INT32);
    Tensor f = cmp::ops::scalar_tensor(cmp::ops::scalar_float(1.5), cmp::Device::cpu());
    EXPECT_TRUE(expect_same_layout([&] { return TensorIterator::pointwise("t", {i, f}); }));
    expect_same_results([](const std::vector<Tensor>& t) { return cmp::ops::mul(t[0], t[1]); }, {i, f});
}

TEST(IteratorFastPath, MixedDtypesGiveTheGeneralResult) {
    // Inputs of another dtype are converted (contiguously) before the layout is chosen, so the
    // layout is the general one's and so are the bits.
    Tensor a = make(random_values(16, 11, -9, 9, false), {4, 4}, CMP_DTYPE_INT32);
    for (cmp::DType other : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64, CMP_DTYPE_INT64, CMP_DTYPE_BOOL, CMP_DTYPE_FLOAT16}) {
        Tensor b = make(random_values(16, 12, -2, 2, false), {4, 4}, other);
        expect_same_layout([&] { return TensorIterator::pointwise("t", {a, b}); });
        expect_same_results([](const std::vector<Tensor>& t) { return cmp::ops::add(t[0], t[1], cmp::ops::scalar_int(1)); },
                            {a, b});
        expect_same_results([](const std::vector<Tensor>& t) { return cmp::ops::div(t[0], t[1]); }, {a, b});
        expect_same_results(
            [](const std::vector<Tensor>& t) { return cmp::ops::compare(cmp::ops::CompareOp::Lt, t[0], t[1]); }, {a, b});
    }
}

TEST(IteratorFastPath, OutputAliasingInputs) {
    // x.add_(x): output and both inputs are one tensor.
    Tensor x = floats(16, 13, {16});
    EXPECT_TRUE(expect_same_layout([&] { return TensorIterator::pointwise("t", {x, x}, x); }));
    expect_same_results(
        [](const std::vector<Tensor>& t) {
            cmp::ops::add_(t[0], t[0], cmp::ops::scalar_int(1));
            return t[0];
        },
        {x});
    // Overlapping contiguous slices of one storage, written in place: base[1:] += base[:-1].
    Tensor base = floats(17, 14, {17});
    expect_same_results(
        [](const std::vector<Tensor>& t) {
            Tensor hi = cmp::ops::slice(t[0], 0, 1, 17, 1), lo = cmp::ops::slice(t[0], 0, 0, 16, 1);
            cmp::ops::mul_(hi, lo);
            return t[0];
        },
        {base});
    // In place with a float64 operand on float32: computed into a float64 temporary, then
    // written back.
    Tensor f32 = floats(6, 15, {2, 3});
    Tensor f64 = floats(6, 16, {2, 3}, CMP_DTYPE_FLOAT64);
    EXPECT_TRUE(expect_same_layout([&] { return TensorIterator::pointwise("t", {f32, f64}, f32); }));
    expect_same_results(
        [](const std::vector<Tensor>& t) {
            cmp::ops::add_(t[0], t[1], cmp::ops::scalar_float(0.5));
            return t[0];
        },
        {f32, f64});
}

TEST(IteratorFastPath, NonContiguousAndBroadcastFallBack) {
    Tensor m = floats(12, 17, {3, 4});
    Tensor mt = cmp::ops::transpose(floats(12, 18, {4, 3}), 0, 1);  // [3, 4], not contiguous
    EXPECT_FALSE(expect_same_layout([&] { return TensorIterator::pointwise("t", {m, mt}); }));
    expect_same_results([](const std::vector<Tensor>& t) { return cmp::ops::mul(t[0], cmp::ops::transpose(t[1], 0, 1)); },
                        {m, floats(12, 18, {4, 3})});
    Tensor row = floats(4, 19, {4});
    EXPECT_FALSE(expect_same_layout([&] { return TensorIterator::pointwise("t", {m, row}); }));
    Tensor col = floats(3, 20, {3, 1});
    EXPECT_FALSE(expect_same_layout([&] { return TensorIterator::pointwise("t", {m, col}); }));
    Tensor strided = cmp::ops::slice(floats(24, 21, {3, 8}), 1, 0, 8, 2);  // [3, 4], stride 2
    EXPECT_FALSE(expect_same_layout([&] { return TensorIterator::pointwise("t", {m, strided}); }));
    // Into a transposed output in place.
    EXPECT_FALSE(expect_same_layout([&] { return TensorIterator::pointwise("t", {mt, m}, mt); }));
    expect_same_results(
        [](const std::vector<Tensor>& t) {
            Tensor out = cmp::ops::transpose(t[0], 0, 1);
            cmp::ops::add_(out, t[1], cmp::ops::scalar_int(1));
            return t[0];
        },
        {floats(12, 22, {4, 3}), m});
}

TEST(IteratorFastPath, SizeOneDimsWithAnyStride) {
    // [4, 1, 4] views whose size-1 dim has a stride no contiguous tensor would have: PyTorch
    // calls them contiguous, and the general path drops the dim, so both layouts agree.
    Tensor a = floats(16, 23, {4, 1, 4});
    Tensor odd = cmp::ops::as_strided(floats(16, 24, {16}), {4, 1, 4}, {4, 100, 1}, 0);
    EXPECT_TRUE(expect_same_layout([&] { return TensorIterator::pointwise("t", {a, odd}); }));
    expect_same_results(
        [](const std::vector<Tensor>& t) {
            return cmp::ops::add(t[0], cmp::ops::as_strided(t[1], {4, 1, 4}, {4, 100, 1}, 0), cmp::ops::scalar_int(1));
        },
        {a, floats(16, 24, {16})});
}

TEST(IteratorFastPath, ThreeInputsAndBoolOutput) {
    Tensor a = floats(10, 25, {2, 5}), b = floats(10, 26, {2, 5}), c = floats(10, 27, {2, 5});
    EXPECT_TRUE(expect_same_layout([&] { return TensorIterator::pointwise("t", {a, b, c}); }));
    expect_same_results(
        [](const std::vector<Tensor>& t) { return cmp::ops::addcmul(t[0], t[1], t[2], cmp::ops::scalar_float(0.5)); },
        {a, b, c});
    Tensor cond = cmp::ops::compare(cmp::ops::CompareOp::Gt, a, b);
    expect_same_results([](const std::vector<Tensor>& t) { return cmp::ops::where(t[0], t[1], t[2]); }, {cond, b, c});
}

TEST(IteratorFastPath, ManyOperandsAndDimsSpillToTheHeap) {
    // More dims and operands than the iterator keeps inline: same layout either way.
    Shape big{2, 1, 3, 1, 2, 1, 2, 2};
    Tensor a = floats(48, 28, big), b = floats(48, 29, big);
    EXPECT_TRUE(expect_same_layout([&] { return TensorIterator::pointwise("t", {a, b}); }));
    Tensor bt = cmp::ops::transpose(b, 0, 7);
    Tensor at = cmp::ops::transpose(a, 0, 7);
    EXPECT_FALSE(expect_same_layout([&] { return TensorIterator::pointwise("t", {at, bt, at, bt, at}); }));
}

}  // namespace
