// Pointwise ops and copies through the internal API. Expected values come from an
// element-at-a-time reference: inputs read with item() (no iteration engine), the operation done
// in double, and the result rounded to the result dtype. For + - * / of values exactly held in
// the operand dtype, double-then-round equals PyTorch's opmath-then-round exactly (double has
// more than twice the precision of float32 plus two bits), so results are compared exactly.
#include "core/iterator.h"
#include "core/promotion.h"
#include "engine_test_util.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>

namespace {

using namespace engine_test;
namespace ops = cmp::ops;

const cmp_scalar kOne = ops::scalar_int(1);

// Value of t at output index idx under broadcasting.
double broadcast_at(const Tensor& t, const Shape& idx) {
    Shape ti(static_cast<size_t>(t.dim()));
    const size_t lead = idx.size() - ti.size();
    for (size_t d = 0; d < ti.size(); ++d) ti[d] = t.sizes()[d] == 1 ? 0 : idx[lead + d];
    return at(t, ti);
}

// Checks r == round(f(a, b)) element by element over the broadcast shape.
void expect_binary(const Tensor& r, const Tensor& a, const Tensor& b, const std::function<double(double, double)>& f,
                   const std::string& what) {
    const Shape shape = cmp::broadcast_shapes(a.sizes(), b.sizes(), "test");
    ASSERT_EQ(r.sizes(), shape) << what;
    Shape idx(shape.size(), 0);
    for (int64_t k = 0; k < r.numel(); ++k) {
        const double expect = round_to(f(broadcast_at(a, idx), broadcast_at(b, idx)), r.dtype());
        const double got = at(r, idx);
        if (std::isnan(expect)) ASSERT_TRUE(std::isnan(got)) << what << " at " << k;
        else ASSERT_EQ(got, expect) << what << " at " << k;
        for (size_t d = shape.size(); d-- > 0;) {
            if (++idx[d] < shape[d]) break;
            idx[d] = 0;
        }
    }
}

TEST(Elementwise, ArithmeticEveryDtypePair) {
    for (DType da : all_dtypes()) {
        for (DType db : all_dtypes()) {
            // Values every dtype holds exactly (bool: 0/1; uint8: non-negative).
            const bool boolish = da == CMP_DTYPE_BOOL || db == CMP_DTYPE_BOOL;
            const bool unsig = da == CMP_DTYPE_UINT8 || db == CMP_DTYPE_UINT8;
            const double lo = boolish || unsig ? 0 : -6, hi = boolish ? 1 : 6;
            Tensor a = make(random_values(12, 11, lo, hi, false), {3, 4}, da);
            Tensor b = make(random_values(4, 12, lo, hi, false, true), {4}, db);
            const DType common = cmp::promote_types(da, db);
            const std::string what = std::string(cmp::dtype_name(da)) + " with " + cmp::dtype_name(db);
            Tensor sum = ops::add(a, b, kOne);
            EXPECT_EQ(sum.dtype(), common) << what;
            expect_binary(sum, a, b, [&](double x, double y) { return common == CMP_DTYPE_BOOL ? double(x || y) : x + y; },
                          "add " + what);
            Tensor prod = ops::mul(a, b);
            EXPECT_EQ(prod.dtype(), common);
            expect_binary(prod, a, b, [](double x, double y) { return x * y; }, "mul " + what);
            Tensor quot = ops::div(a, b);
            EXPECT_EQ(quot.dtype(), cmp::is_floating(common) ? common : CMP_DTYPE_FLOAT32);
            if (!boolish) {
                Tensor diff = ops::sub(a, b, kOne);
                expect_binary(diff, a, b, [](double x, double y) { return x - y; }, "sub " + what);
            }
            // Division rounds once in the compute dtype; the reference divides the values
            // converted to that dtype. Both operands here are exact in it.
            expect_binary(quot, a, b, [](double x, double y) { return x / y; }, "div " + what);
        }
    }
}

TEST(Elementwise, AlphaScalesTheSecondOperand) {
    Tensor a = make(random_values(50, 21, -8, 8, true), {50}, CMP_DTYPE_FLOAT64);
    Tensor b = make(random_values(50, 22, -8, 8, true), {50}, CMP_DTYPE_FLOAT64);
    expect_binary(ops::add(a, b, ops::scalar_float(0.5)), a, b, [](double x, double y) { return x + 0.5 * y; }, "alpha");
    expect_binary(ops::sub(a, b, ops::scalar_int(3)), a, b, [](double x, double y) { return x - 3 * y; }, "alpha sub");
    Tensor i = make({1, 2, 3}, {3}, CMP_DTYPE_INT32);
    expect_binary(ops::add(i, i, ops::scalar_int(-2)), i, i, [](double x, double y) { return x - 2 * y; }, "int alpha");
}

TEST(Elementwise, AlphaErrors) {
    Tensor i = make({1, 2}, {2}, CMP_DTYPE_INT64);
    expect_error([&] { ops::add(i, i, ops::scalar_float(0.5)); }, CMP_STATUS_INVALID_ARGUMENT,
                 {"add", "For integral input tensors, argument alpha must not be a floating point number."});
    Tensor f = make({1, 2}, {2}, CMP_DTYPE_FLOAT32);
    expect_error([&] { ops::add(f, f, ops::scalar_bool(true)); }, CMP_STATUS_INVALID_ARGUMENT,
                 {"Boolean alpha only supported for Boolean results."});
}

TEST(Elementwise, BoolSubtractionAndNegationAreErrors) {
    Tensor b = make({1, 0}, {2}, CMP_DTYPE_BOOL);
    Tensor f = make({1, 0}, {2}, CMP_DTYPE_FLOAT32);
    expect_error([&] { ops::sub(b, b, kOne); }, CMP_STATUS_DTYPE_MISMATCH,
                 {"sub: Subtraction, the `-` operator, with two bool tensors is not supported."});
    expect_error([&] { ops::sub(f, b, kOne); }, CMP_STATUS_DTYPE_MISMATCH,
                 {"Subtraction, the `-` operator, with a bool tensor is not supported."});
    expect_error([&] { ops::neg(b); }, CMP_STATUS_DTYPE_MISMATCH,
                 {"neg", "Negation, the `-` operator, on a bool tensor is not supported"});
}

TEST(Elementwise, ShapeErrorsNameOpAndShapes) {
    Tensor a = make(std::vector<double>(6, 1), {2, 3}, CMP_DTYPE_FLOAT32);
    Tensor b = make(std::vector<double>(4, 1), {4}, CMP_DTYPE_FLOAT32);
    expect_error([&] { ops::add(a, b, kOne); }, CMP_STATUS_SHAPE_MISMATCH, {"add: shapes [2, 3] and [4] cannot be broadcast"});
    expect_error([&] { ops::mul(a, b); }, CMP_STATUS_SHAPE_MISMATCH, {"mul: shapes [2, 3] and [4]"});
    expect_error([&] { ops::compare(ops::CompareOp::Lt, a, b); }, CMP_STATUS_SHAPE_MISMATCH, {"lt: shapes [2, 3] and [4]"});
    Tensor i = make({1, 2}, {2}, CMP_DTYPE_INT64);
    expect_error([&] { ops::div_(i, i); }, CMP_STATUS_DTYPE_MISMATCH,
                 {"div_", "result type Float can't be cast to the desired output type Long"});
}

TEST(Elementwise, IntegerTrueDivisionByZero) {
    Tensor a = make({1, -2, 0}, {3}, CMP_DTYPE_INT32);
    Tensor z = make({0, 0, 0}, {3}, CMP_DTYPE_INT32);
    Tensor r = ops::div(a, z);
    EXPECT_EQ(r.dtype(), CMP_DTYPE_FLOAT32);
    std::vector<float> v = raw<float>(r);
    EXPECT_EQ(v[0], std::numeric_limits<float>::infinity());
    EXPECT_EQ(v[1], -std::numeric_limits<float>::infinity());
    EXPECT_TRUE(std::isnan(v[2]));
}

TEST(Elementwise, IntegerArithmeticWraps) {
    Tensor i32 = from_vec<int32_t>({std::numeric_limits<int32_t>::max()}, {1});
    EXPECT_EQ(raw<int32_t>(ops::add(i32, i32, kOne))[0], -2);
    Tensor i64 = from_vec<int64_t>({std::numeric_limits<int64_t>::min()}, {1});
    EXPECT_EQ(raw<int64_t>(ops::neg(i64))[0], std::numeric_limits<int64_t>::min());
    EXPECT_EQ(raw<int64_t>(ops::mul(i64, from_vec<int64_t>({-1}, {1})))[0], std::numeric_limits<int64_t>::min());
    Tensor i8 = from_vec<int8_t>({127, -128}, {2});
    EXPECT_EQ(raw<int8_t>(ops::add(i8, from_vec<int8_t>({1, -1}, {2}), kOne)), (std::vector<int8_t>{-128, 127}));
    EXPECT_EQ(raw<int8_t>(ops::neg(i8)), (std::vector<int8_t>{-127, -128}));
    Tensor u8 = from_vec<uint8_t>({5}, {1});
    EXPECT_EQ(raw<uint8_t>(ops::neg(u8))[0], 251);  // torch: tensor([251], dtype=torch.uint8)
}

TEST(Elementwise, BroadcastingAndWrappedNumbers) {
    Tensor a = make(random_values(24, 31, -5, 5, true), {2, 3, 4}, CMP_DTYPE_FLOAT32);
    Tensor col = make(random_values(3, 32, -5, 5, true), {3, 1}, CMP_DTYPE_FLOAT32);
    expect_binary(ops::mul(a, col), a, col, [](double x, double y) { return x * y; }, "[2,3,4]*[3,1]");
    expect_binary(ops::add(col, a, kOne), col, a, [](double x, double y) { return x + y; }, "[3,1]+[2,3,4]");
    Tensor s = ops::scalar_tensor(ops::scalar_float(0.5), cmp::Device::cpu());
    Tensor r = ops::add(a, s, kOne);
    EXPECT_EQ(r.dtype(), CMP_DTYPE_FLOAT32);
    expect_binary(r, a, s, [](double x, double y) { return x + y; }, "a + 0.5");
    Tensor i = make({1, 2, 3}, {3}, CMP_DTYPE_INT16);
    Tensor ri = ops::mul(i, s);
    EXPECT_EQ(ri.dtype(), CMP_DTYPE_FLOAT32);
    expect_binary(ri, i, s, [](double x, double y) { return x * y; }, "int16 * 0.5");
}

TEST(Elementwise, NonContiguousInputsAndOutputs) {
    Tensor base = make(random_values(60, 41, -5, 5, true), {6, 10}, CMP_DTYPE_FLOAT64);
    Tensor t = ops::transpose(base, 0, 1);             // [10, 6]
    Tensor s = ops::slice(ops::slice(base, 1, 1, 10, 3), 0, 0, 6, 2);  // [3, 3], strides [20, 3]
    Tensor e = ops::expand(make({1, 2, 3, 4, 5, 6}, {6}, CMP_DTYPE_FLOAT32), {10, 6});
    expect_binary(ops::add(t, e, kOne), t, e, [](double x, double y) { return x + y; }, "transposed + expanded");
    expect_binary(ops::mul(s, s), s, s, [](double x, double y) { return x * y; }, "sliced");
    // In place into a transposed view writes through to the base in the right places.
    Tensor before = ops::clone(t);
    ops::add_(t, e, ops::scalar_int(2));
    expect_binary(t, before, e, [](double x, double y) { return x + 2 * y; }, "in-place transposed");
    // In place with a dtype change: float32 output, float64 compute.
    Tensor f = make({1, 2, 3}, {3}, CMP_DTYPE_FLOAT32);
    Tensor f0 = ops::clone(f);
    Tensor d = make({0.25, 0.5, 0.75}, {3}, CMP_DTYPE_FLOAT64);
    ops::mul_(f, d);
    EXPECT_EQ(f.dtype(), CMP_DTYPE_FLOAT32);
    expect_binary(f, f0, d, [](double x, double y) { return x * y; }, "float32 *= float64");
}

TEST(Elementwise, LargeTensorsAllFastPaths) {
    // Above the parallel grain, hitting the dense, broadcast-scalar (either side) and strided loops.
    const int64_t n = 100003;
    Tensor a = make(random_values(n, 51, -50, 50, true), {n}, CMP_DTYPE_FLOAT32);
    Tensor b = make(random_values(n, 52, -50, 50, true, true), {n}, CMP_DTYPE_FLOAT32);
    Tensor one = make({3.0}, {1}, CMP_DTYPE_FLOAT32);
    const auto va = raw<float>(a), vb = raw<float>(b);
    const auto sum = raw<float>(ops::add(a, b, kOne));
    const auto left = raw<float>(ops::div(one, b));
    const auto right = raw<float>(ops::sub(a, one, kOne));
    Tensor a2 = ops::slice(make(random_values(2 * n, 53, -50, 50, true), {2 * n}, CMP_DTYPE_FLOAT32), 0, 0, 2 * n, 2);
    const auto va2 = raw<float>(a2);
    const auto strided = raw<float>(ops::mul(a2, b));
    for (int64_t i = 0; i < n; ++i) {
        const size_t k = static_cast<size_t>(i);
        ASSERT_EQ(sum[k], va[k] + vb[k]);
        ASSERT_EQ(left[k], 3.0f / vb[k]);
        ASSERT_EQ(right[k], va[k] - 3.0f);
        ASSERT_EQ(strided[k], va2[k] * vb[k]);
    }
}

TEST(Elementwise, Comparisons) {
    using C = ops::CompareOp;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    Tensor a = make({1, 2, 3, nan, -0.0}, {5}, CMP_DTYPE_FLOAT64);
    Tensor b = make({2, 2, 1, nan, 0.0}, {5}, CMP_DTYPE_FLOAT64);
    const std::vector<std::pair<C, std::function<bool(double, double)>>> cases = {
        {C::Eq, [](double x, double y) { return x == y; }}, {C::Ne, [](double x, double y) { return x != y; }},
        {C::Lt, [](double x, double y) { return x < y; }},  {C::Le, [](double x, double y) { return x <= y; }},
        {C::Gt, [](double x, double y) { return x > y; }},  {C::Ge, [](double x, double y) { return x >= y; }}};
    for (const auto& [op, f] : cases) {
        Tensor r = ops::compare(op, a, b);
        EXPECT_EQ(r.dtype(), CMP_DTYPE_BOOL);
        expect_binary(r, a, b, [&](double x, double y) { return double(f(x, y)); }, "compare");
        // Mixed dtypes compare in the promoted dtype: int64 tensor vs wrapped 1.5.
        Tensor i = make({0, 1, 2, 3}, {4}, CMP_DTYPE_INT64);
        Tensor s = ops::scalar_tensor(ops::scalar_float(1.5), cmp::Device::cpu());
        expect_binary(ops::compare(op, i, s), i, s, [&](double x, double y) { return double(f(x, y)); }, "mixed");
        Tensor h = make({0.5, 1, 2}, {3}, CMP_DTYPE_FLOAT16);
        Tensor u = make({1}, {1}, CMP_DTYPE_UINT8);
        expect_binary(ops::compare(op, h, u), h, u, [&](double x, double y) { return double(f(x, y)); }, "half/uint8");
    }
}

TEST(Elementwise, NegAndExpDtypes) {
    for (DType d : all_dtypes()) {
        if (d == CMP_DTYPE_BOOL) continue;
        const bool unsig = d == CMP_DTYPE_UINT8;
        Tensor a = make(random_values(20, 61, unsig ? 0 : -5, 5, cmp::is_floating(d)), {4, 5}, d);
        Tensor n = ops::neg(a);
        EXPECT_EQ(n.dtype(), d);
        if (!unsig) expect_binary(n, a, a, [](double x, double) { return -x; }, "neg");
        Tensor e = ops::exp(a);
        EXPECT_EQ(e.dtype(), cmp::is_floating(d) ? d : CMP_DTYPE_FLOAT32);
        const auto va = values(a), ve = values(e);
        for (size_t k = 0; k < va.size(); ++k) {
            // vec_math's exp is within 2 ulp of std::exp (test_vec_math); in a 16-bit dtype the
            // final rounding dominates, so compare against the correctly rounded value +- 1 step.
            const double ref = std::exp(va[k]);
            const double tol = d == CMP_DTYPE_FLOAT64 ? 4e-16 * ref
                               : d == CMP_DTYPE_FLOAT16 ? std::ldexp(ref, -10)
                               : d == CMP_DTYPE_BFLOAT16 ? std::ldexp(ref, -7)
                                                         : 2.5e-7 * ref;
            EXPECT_NEAR(ve[k], ref, tol) << cmp::dtype_name(d) << " exp(" << va[k] << ")";
        }
    }
    Tensor b = make({1, 0}, {2}, CMP_DTYPE_BOOL);
    EXPECT_EQ(ops::exp(b).dtype(), CMP_DTYPE_FLOAT32);
}

TEST(Copy, EveryDtypePairConvertsLikeATorchCast) {
    // Values chosen so every cast is defined and exact where the target can hold the value.
    const std::vector<double> src = {0, 1, 2, 5, 7, 100, 0.5, 2.75, 127};
    for (DType from : all_dtypes()) {
        for (DType to : all_dtypes()) {
            std::vector<double> v = src;
            if (from == CMP_DTYPE_BOOL) for (auto& x : v) x = x != 0;
            if (!cmp::is_floating(from)) for (auto& x : v) x = std::trunc(x);
            Tensor a = make(v, {3, 3}, from);
            Tensor t = ops::transpose(a, 0, 1);  // exercise the strided cast loop too
            Tensor r = ops::to_dtype(t, to);
            EXPECT_EQ(r.dtype(), to);
            const auto got = values(r), orig = values(t);
            for (size_t k = 0; k < got.size(); ++k) {
                double expect = orig[k];
                if (to == CMP_DTYPE_BOOL) expect = expect != 0;
                else if (!cmp::is_floating(to)) expect = std::trunc(expect);
                ASSERT_EQ(got[k], expect) << cmp::dtype_name(from) << " -> " << cmp::dtype_name(to) << " at " << k;
            }
        }
    }
}

TEST(Copy, OutOfRangeFloatToIntMatchesTorch) {
    // torch 1.13 on x86: x.to(dtype) for x = [-1.0, 300.5, -129.7, 1e10, nan, inf, -inf, 2.9, -2.9].
    const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
    Tensor x = make({-1.0, 300.5, -129.7, 1e10, nan, inf, -inf, 2.9, -2.9}, {9}, CMP_DTYPE_FLOAT32);
    EXPECT_EQ(raw<uint8_t>(ops::to_dtype(x, CMP_DTYPE_UINT8)), (std::vector<uint8_t>{255, 44, 127, 0, 0, 0, 0, 2, 254}));
    EXPECT_EQ(raw<int8_t>(ops::to_dtype(x, CMP_DTYPE_INT8)), (std::vector<int8_t>{-1, 44, 127, 0, 0, 0, 0, 2, -2}));
    EXPECT_EQ(raw<int16_t>(ops::to_dtype(x, CMP_DTYPE_INT16)), (std::vector<int16_t>{-1, 300, -129, 0, 0, 0, 0, 2, -2}));
    const int32_t m32 = std::numeric_limits<int32_t>::min();
    EXPECT_EQ(raw<int32_t>(ops::to_dtype(x, CMP_DTYPE_INT32)), (std::vector<int32_t>{-1, 300, -129, m32, m32, m32, m32, 2, -2}));
    const int64_t m64 = std::numeric_limits<int64_t>::min();
    EXPECT_EQ(raw<int64_t>(ops::to_dtype(x, CMP_DTYPE_INT64)),
              (std::vector<int64_t>{-1, 300, -129, 10000000000, m64, m64, m64, 2, -2}));
    for (uint8_t b : raw<uint8_t>(ops::to_dtype(x, CMP_DTYPE_BOOL))) EXPECT_EQ(b, 1);
}

TEST(Copy, CopyBroadcastsAndHandlesOverlap) {
    Tensor dst = ops::empty({3, 4}, CMP_DTYPE_FLOAT64, cmp::Device::cpu());
    Tensor row = make({1, 2, 3, 4}, {4}, CMP_DTYPE_INT32);
    ops::copy_(dst, row);
    EXPECT_EQ(values(dst), (std::vector<double>{1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4}));
    expect_error([&] { ops::copy_(row, dst); }, CMP_STATUS_SHAPE_MISMATCH, {"copy_", "[4]", "[3, 4]"});
    // x[1:] = x[:-1] behaves as if the source were read first.
    Tensor x = make({1, 2, 3, 4, 5}, {5}, CMP_DTYPE_FLOAT32);
    ops::copy_(ops::slice(x, 0, 1, 5, 1), ops::slice(x, 0, 0, 4, 1));
    EXPECT_EQ(values(x), (std::vector<double>{1, 1, 2, 3, 4}));
    ops::copy_(x, x);
    EXPECT_EQ(values(x), (std::vector<double>{1, 1, 2, 3, 4}));
}

TEST(Copy, FillContiguousCloneToDtypeItem) {
    for (DType d : all_dtypes()) {
        Tensor base = ops::full({4, 6}, ops::scalar_int(0), d, cmp::Device::cpu());
        Tensor view = ops::slice(ops::transpose(base, 0, 1), 0, 1, 6, 2);  // every other column of base
        ops::fill_(view, ops::scalar_float(1.0));
        const auto v = values(base);
        for (int64_t r = 0; r < 4; ++r)
            for (int64_t c = 0; c < 6; ++c)
                ASSERT_EQ(v[static_cast<size_t>(r * 6 + c)], c % 2 == 1 ? 1.0 : 0.0) << cmp::dtype_name(d);
        Tensor c = ops::contiguous(view);
        EXPECT_TRUE(c.is_contiguous());
        EXPECT_EQ(values(c), values(view));
        EXPECT_EQ(ops::contiguous(base).impl(), base.impl());  // already contiguous: no copy
        Tensor cl = ops::clone(base);
        EXPECT_NE(cl.storage().get(), base.storage().get());
        EXPECT_EQ(values(cl), values(base));
        EXPECT_EQ(ops::to_dtype(base, d).impl(), base.impl());
    }
    Tensor f = ops::full({2}, ops::scalar_int(0), CMP_DTYPE_INT32, cmp::Device::cpu());
    ops::fill_(f, ops::scalar_float(2.9));  // torch: truncates to 2
    EXPECT_EQ(raw<int32_t>(f), (std::vector<int32_t>{2, 2}));
    Tensor m = make({1, 2, 3, 4, 5, 6}, {2, 3}, CMP_DTYPE_INT16);
    EXPECT_EQ(ops::item(m, {1, -1}).i, 6);
    EXPECT_EQ(ops::item(m, {1, -1}).kind, CMP_SCALAR_INT);
    EXPECT_EQ(ops::item(make({0.5}, {}, CMP_DTYPE_BFLOAT16), {}).f, 0.5);
    EXPECT_EQ(ops::item(make({1}, {1}, CMP_DTYPE_BOOL), {0}).kind, CMP_SCALAR_BOOL);
    expect_error([&] { ops::item(m, {2, 0}); }, CMP_STATUS_INDEX_OUT_OF_RANGE, {"item", "index 2", "size 2"});
    expect_error([&] { ops::item(m, {0}); }, CMP_STATUS_INVALID_ARGUMENT, {"item", "expected 2 indices"});
}

TEST(Copy, ToDeviceOnCpu) {
    Tensor a = make({1, 2}, {2}, CMP_DTYPE_FLOAT32);
    EXPECT_EQ(ops::to_device(a, cmp::Device::cpu()).impl(), a.impl());
    cmp::Device cuda;
    cuda.type = CMP_DEVICE_CUDA;
    try {
        ops::to_device(a, cuda);
        // Only reachable on a build with a loaded CUDA backend.
        SUCCEED();
    } catch (const cmp::Error& e) {
        EXPECT_EQ(e.status(), CMP_STATUS_DEVICE_ERROR) << e.what();
    }
}

}  // namespace
