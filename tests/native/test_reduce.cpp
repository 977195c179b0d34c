// sum and mean: dims, keepdim, dtype rules, empty reductions, layouts that take the inner and
// the column (outer) reduction paths, accuracy and thread-count independence. Expected values
// come from a straightforward reference that reads elements with item() and sums in long double.
#include "core/parallel.h"
#include "engine_test_util.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace {

using namespace engine_test;
namespace ops = cmp::ops;

// Reference reduction over `dims` (empty = all) of t, keepdim layout flattened row-major.
std::vector<long double> reference_sum(const Tensor& t, const Shape& dims) {
    const int64_t nd = t.dim();
    std::vector<bool> red(static_cast<size_t>(nd), dims.empty());
    for (int64_t d : dims) red[static_cast<size_t>(d < 0 ? d + nd : d)] = true;
    Shape out_shape = t.sizes();
    for (int64_t d = 0; d < nd; ++d)
        if (red[static_cast<size_t>(d)]) out_shape[static_cast<size_t>(d)] = 1;
    const Shape ostr = cmp::contiguous_strides(out_shape);
    std::vector<long double> out(static_cast<size_t>(cmp::checked_numel(out_shape, "test")), 0.0L);
    const auto v = values(t);
    Shape idx(static_cast<size_t>(nd), 0);
    for (size_t k = 0; k < v.size(); ++k) {
        int64_t o = 0;
        for (int64_t d = 0; d < nd; ++d)
            if (!red[static_cast<size_t>(d)]) o += idx[static_cast<size_t>(d)] * ostr[static_cast<size_t>(d)];
        out[static_cast<size_t>(o)] += v[k];
        for (int64_t d = nd - 1; d >= 0; --d) {
            if (++idx[static_cast<size_t>(d)] < t.sizes()[static_cast<size_t>(d)]) break;
            idx[static_cast<size_t>(d)] = 0;
        }
    }
    return out;
}

// Relative tolerance for a sum of n terms of magnitude |x| <= m rounded to dtype once at the end:
// float32 runs are cascade-summed and added in double, float64 pairwise, so the final rounding
// dominates at these sizes (Float32CascadeSumAccuracy checks the float32 bound).
double eps(DType d) {
    switch (d) {
        case CMP_DTYPE_FLOAT32: return std::ldexp(1.0, -24);
        case CMP_DTYPE_FLOAT64: return std::ldexp(1.0, -50);
        case CMP_DTYPE_FLOAT16: return std::ldexp(1.0, -11);
        case CMP_DTYPE_BFLOAT16: return std::ldexp(1.0, -8);
        default: return 0;
    }
}

void check(const Tensor& t, const Shape& dims, bool keepdim, bool mean, const std::string& what) {
    Tensor r = mean ? ops::mean(t, dims, keepdim) : ops::sum(t, dims, keepdim);
    const DType expect_dtype = cmp::is_floating(t.dtype()) ? t.dtype() : CMP_DTYPE_INT64;
    ASSERT_EQ(r.dtype(), expect_dtype) << what;
    auto ref = reference_sum(t, dims);
    int64_t count = 1;
    const int64_t nd = t.dim();
    for (int64_t d = 0; d < nd; ++d) {
        bool red = dims.empty();
        for (int64_t x : dims) red = red || (x < 0 ? x + nd : x) == d;
        if (red) count *= t.sizes()[static_cast<size_t>(d)];
    }
    // Shape: reduced dims become 1 (keepdim) or disappear.
    Shape shape;
    for (int64_t d = 0; d < nd; ++d) {
        bool red = dims.empty();
        for (int64_t x : dims) red = red || (x < 0 ? x + nd : x) == d;
        if (!red) shape.push_back(t.sizes()[static_cast<size_t>(d)]);
        else if (keepdim) shape.push_back(1);
    }
    ASSERT_EQ(r.sizes(), shape) << what;
    const auto got = values(r);
    ASSERT_EQ(got.size(), ref.size()) << what;
    double mag = 0;
    for (double x : values(t)) mag = std::max(mag, std::fabs(x));
    for (size_t k = 0; k < got.size(); ++k) {
        const long double expect = mean ? ref[k] / count : ref[k];
        if (!cmp::is_floating(t.dtype())) {
            ASSERT_EQ(got[k], static_cast<double>(expect)) << what;
        } else {
            // One final rounding of the result plus the accumulation error bound.
            const double tol = eps(t.dtype()) * (std::fabs(static_cast<double>(expect)) + mag * 1e-3);
            ASSERT_NEAR(got[k], static_cast<double>(expect), tol) << what << " at " << k;
        }
    }
}

TEST(Reduce, AllDimsAndDimListsEveryDtype) {
    for (DType d : all_dtypes()) {
        const bool small = d == CMP_DTYPE_BOOL || d == CMP_DTYPE_UINT8 || d == CMP_DTYPE_INT8;
        Tensor t = make(random_values(60, 71, d == CMP_DTYPE_BOOL ? 0 : -3, d == CMP_DTYPE_BOOL ? 1 : 3,
                                      cmp::is_floating(d)),
                        {3, 4, 5}, d);
        if (small && d == CMP_DTYPE_UINT8) t = make(random_values(60, 72, 0, 3, false), {3, 4, 5}, d);
        for (bool keep : {false, true}) {
            const std::string what = std::string(cmp::dtype_name(d)) + (keep ? " keepdim" : "");
            check(t, {}, keep, false, what + " all");
            check(t, {0}, keep, false, what + " dim0");
            check(t, {1}, keep, false, what + " dim1");
            check(t, {-1}, keep, false, what + " dim-1");
            check(t, {0, 2}, keep, false, what + " dims0,2");
            check(t, {2, 0, 1}, keep, false, what + " dims2,0,1");
            if (cmp::is_floating(d)) {
                check(t, {}, keep, true, what + " mean all");
                check(t, {1}, keep, true, what + " mean dim1");
                check(t, {0, 2}, keep, true, what + " mean dims0,2");
            }
        }
    }
}

TEST(Reduce, NonContiguousLayouts) {
    Tensor base = make(random_values(7 * 9 * 11, 81, -10, 10, true), {7, 9, 11}, CMP_DTYPE_FLOAT32);
    Tensor perm = ops::permute(base, {2, 0, 1});                    // [11, 7, 9]
    Tensor sl = ops::slice(ops::slice(base, 2, 1, 11, 3), 0, 0, 7, 2);  // [4, 9, 4]
    Tensor ex = ops::expand(make(random_values(9, 82, -5, 5, true), {9, 1}, CMP_DTYPE_FLOAT64), {9, 13});
    for (const Tensor& t : {perm, sl, ex}) {
        for (int64_t d = 0; d < t.dim(); ++d) {
            check(t, {d}, false, false, "sum dim " + std::to_string(d));
            check(t, {d}, true, true, "mean dim " + std::to_string(d));
        }
        check(t, {}, false, false, "sum all");
        check(t, {0, t.dim() - 1}, false, false, "sum outer+inner");
    }
}

TEST(Reduce, ColumnAndInnerPathsOnLargeInputs) {
    // [rows, cols] summed over rows is the column path; over cols the inner path. Sizes exceed
    // the chunk and block constants so every loop boundary is crossed.
    for (auto [rows, cols] : {std::pair<int64_t, int64_t>{1000, 300}, {3, 40000}, {40000, 3}, {70001, 1}}) {
        Tensor t = make(random_values(static_cast<size_t>(rows * cols), 91, -100, 100, true), {rows, cols},
                        CMP_DTYPE_FLOAT32);
        check(t, {0}, false, false, "rows");
        check(t, {1}, false, false, "cols");
        check(t, {}, false, true, "mean");
    }
}

TEST(Reduce, Float32AccuracyOnALongSum) {
    // 1e6 values: naive float accumulation would be off by ~1e-4 relative; the result must be
    // within one float32 rounding of the exact sum.
    const int64_t n = 1000000;
    std::vector<float> v(static_cast<size_t>(n));
    std::mt19937 gen(5);
    std::uniform_real_distribution<float> dist(0.0f, 1.0f);
    long double exact = 0;
    for (auto& x : v) {
        x = dist(gen);
        exact += x;
    }
    Tensor t = from_vec(v, {n});
    const float got = raw<float>(ops::sum(t, {}, false))[0];
    EXPECT_NEAR(got, static_cast<double>(exact), std::ldexp(static_cast<double>(exact), -24) * 1.01);
}

// float32 sums add dense runs (rows, chunks of up to 16384 elements) in float32 lanes with
// cpu/vec_reduce.h's cascade_sum and those runs' results in float64. Each element then goes
// through at most 16 additions in its run, 16 per cascade level (two levels within a chunk),
// the level merge and 5 pairwise lane merges: under 48 roundings, against at least 4 levels
// of 16 in PyTorch 1.13's cascade sum. Bound checked: half an ulp of the result (its final
// rounding) plus 48 * 2^-24 * sum |x|, for lengths around every lane/run/level/chunk boundary
// and a long one; a plain float32 running sum misses it by orders of magnitude.
TEST(Reduce, Float32CascadeSumAccuracy) {
    std::mt19937 gen(11);
    std::uniform_real_distribution<float> pos(0.0f, 1.0f), sym(-1.0f, 1.0f);
    std::uniform_int_distribution<int> scale(-12, 12);
    for (int64_t n : {int64_t{1}, int64_t{31}, int64_t{33}, int64_t{511}, int64_t{512}, int64_t{513}, int64_t{8191},
                      int64_t{8193}, int64_t{16385}, int64_t{131071}, int64_t{3000017}}) {
        for (int kind = 0; kind < 3; ++kind) {
            std::vector<float> v(static_cast<size_t>(n));
            long double exact = 0, mag = 0;
            for (auto& x : v) {
                x = kind == 0 ? pos(gen) : kind == 1 ? sym(gen) : std::ldexp(sym(gen), scale(gen));
                exact += x;
                mag += std::fabs(static_cast<long double>(x));
            }
            const double rounding = std::ldexp(std::fabs(static_cast<double>(exact)), -24);
            const double tol = rounding + 48 * std::ldexp(static_cast<double>(mag), -24);
            // One row (the whole tensor), then the same values as the second of three rows.
            const float got = raw<float>(ops::sum(from_vec(v, {n}), {}, false))[0];
            EXPECT_NEAR(got, static_cast<double>(exact), tol) << "n=" << n << " kind=" << kind;
            std::vector<float> rows(static_cast<size_t>(3 * n), 1.0f);
            std::copy(v.begin(), v.end(), rows.begin() + n);
            const float row = raw<float>(ops::sum(from_vec(rows, {3, n}), {1}, false))[1];
            EXPECT_NEAR(row, static_cast<double>(exact), tol) << "row n=" << n << " kind=" << kind;
            // A plain float running sum of the long positive case is far outside the bound: the
            // check can fail.
            if (n == 3000017 && kind == 0) {
                float naive = 0;
                for (float x : v) naive += x;
                EXPECT_GT(std::fabs(naive - static_cast<double>(exact)), tol);
            }
        }
    }
}

TEST(Reduce, SameBitsForAnyThreadCount) {
    const int32_t saved = cmp::get_num_threads();
    const int64_t n = 300007;
    Tensor t = make(random_values(static_cast<size_t>(n), 93, -1000, 1000, true), {n}, CMP_DTYPE_FLOAT64);
    Tensor m = ops::view(ops::slice(t, 0, 0, 300000, 1), {600, 500});
    std::vector<Tensor> results[2];
    for (int k = 0; k < 2; ++k) {
        cmp::set_num_threads(k == 0 ? 1 : 4);
        results[k] = {ops::sum(t, {}, false), ops::sum(m, {0}, false), ops::sum(m, {1}, false), ops::mean(m, {}, false)};
    }
    cmp::set_num_threads(saved);
    for (size_t i = 0; i < results[0].size(); ++i) EXPECT_TRUE(same_bits(results[0][i], results[1][i])) << i;
}

TEST(Reduce, EmptyAndZeroDim) {
    Tensor e = ops::empty({0, 3}, CMP_DTYPE_FLOAT32, cmp::Device::cpu());
    EXPECT_EQ(values(ops::sum(e, {}, false)), (std::vector<double>{0}));
    EXPECT_TRUE(std::isnan(values(ops::mean(e, {}, false))[0]));
    EXPECT_EQ(values(ops::sum(e, {0}, false)), (std::vector<double>{0, 0, 0}));
    const auto m0 = values(ops::mean(e, {0}, true));
    ASSERT_EQ(m0.size(), 3u);
    for (double x : m0) EXPECT_TRUE(std::isnan(x));
    EXPECT_EQ(ops::sum(e, {1}, false).sizes(), (Shape{0}));
    Tensor ei = ops::empty({0}, CMP_DTYPE_INT32, cmp::Device::cpu());
    Tensor si = ops::sum(ei, {}, false);
    EXPECT_EQ(si.dtype(), CMP_DTYPE_INT64);
    EXPECT_EQ(values(si), (std::vector<double>{0}));
    Tensor z = make({2.5}, {}, CMP_DTYPE_FLOAT64);
    EXPECT_EQ(values(ops::sum(z, {0}, false)), (std::vector<double>{2.5}));
    EXPECT_EQ(ops::sum(z, {-1}, true).dim(), 0);
    EXPECT_EQ(values(ops::mean(z, {}, false)), (std::vector<double>{2.5}));
}

TEST(Reduce, BoolAndIntegerSumsAreInt64) {
    Tensor b = make({1, 0, 1, 1}, {2, 2}, CMP_DTYPE_BOOL);
    Tensor s = ops::sum(b, {}, false);
    EXPECT_EQ(s.dtype(), CMP_DTYPE_INT64);
    EXPECT_EQ(values(s), (std::vector<double>{3}));
    // int8 values that overflow int8 but not int64.
    Tensor i = make(std::vector<double>(1000, 100), {1000}, CMP_DTYPE_INT8);
    EXPECT_EQ(values(ops::sum(i, {}, false)), (std::vector<double>{100000}));
}

TEST(Reduce, Errors) {
    Tensor t = make(random_values(6, 95, -3, 3, true), {2, 3}, CMP_DTYPE_FLOAT32);
    expect_error([&] { ops::sum(t, {0, 0}, false); }, CMP_STATUS_INVALID_ARGUMENT,
                 {"sum", "dim 0 appears multiple times in the list of dims"});
    expect_error([&] { ops::sum(t, {2}, false); }, CMP_STATUS_INDEX_OUT_OF_RANGE, {"sum"});
    Tensor i = make({1, 2}, {2}, CMP_DTYPE_INT64);
    expect_error([&] { ops::mean(i, {}, false); }, CMP_STATUS_DTYPE_MISMATCH,
                 {"mean(): could not infer output dtype. Input dtype must be either a floating point or complex "
                  "dtype. Got: Long"});
}

}  // namespace
