// var/std/var_mean over dense rows, which go through WelfordOp::fold_dense (blocks of 2048
// elements, each by the corrected two-pass algorithm in float64, merged by Chan's formula), and
// over columns (WelfordOp::fold_columns: the same per column over blocks of 128 rows), against a
// long double two-pass reference: lengths around the lane count (16) and the block
// (2048), data far from zero (where a naive sum of squares loses everything), constant rows
// (exactly 0), rows holding inf or NaN (NaN, from the per-element Welford steps as before) and
// float64 values near the overflow, where a block's sum overflows and the rows are stepped.
#include "engine_test_util.h"
#include "ops/ops.h"
#include "ops/reductions.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

namespace {

using namespace engine_test;
namespace ops = cmp::ops;

const int64_t kRowLengths[] = {1, 2, 15, 16, 17, 31, 64, 100, 1000, 2047, 2048, 2049, 4095, 4096, 4097, 6000};

// Unbiased variance of v (correction 1), two passes in long double.
template <typename T>
long double reference_var(const std::vector<T>& v) {
    long double sum = 0;
    for (T x : v) sum += x;
    const long double mean = sum / static_cast<long double>(v.size());
    long double sq = 0;
    for (T x : v) sq += (x - mean) * (x - mean);
    return v.size() > 1 ? sq / static_cast<long double>(v.size() - 1) : std::numeric_limits<long double>::quiet_NaN();
}

template <typename T>
void expect_rows_match_reference(double offset, double spread, double rel_tol) {
    std::mt19937 gen(7);
    std::normal_distribution<double> dist(offset, spread);
    for (const int64_t n : kRowLengths) {
        const int64_t rows = 3;
        std::vector<T> all(static_cast<size_t>(rows * n));
        for (auto& x : all) x = static_cast<T>(dist(gen));
        const Tensor t = from_vec(all, {rows, n});
        const auto var = values(ops::var(t, {1}, 1.0, false));
        const auto sd = values(ops::std_dev(t, {1}, 1.0, false));
        const auto [vm, mean] = ops::var_mean(t, {1}, 1.0, false);
        const auto vmv = values(vm), meanv = values(mean);
        for (int64_t r = 0; r < rows; ++r) {
            const std::vector<T> row(all.begin() + r * n, all.begin() + (r + 1) * n);
            const long double want = reference_var(row);
            const auto i = static_cast<size_t>(r);
            if (n == 1) {
                EXPECT_TRUE(std::isnan(var[i])) << "n=1 var";
                continue;
            }
            EXPECT_NEAR(var[i], static_cast<double>(want), rel_tol * static_cast<double>(want)) << "var n=" << n << " row " << r;
            EXPECT_NEAR(sd[i], std::sqrt(static_cast<double>(want)), rel_tol * std::sqrt(static_cast<double>(want)))
                << "std n=" << n << " row " << r;
            EXPECT_EQ(vmv[i], var[i]) << "var_mean's var n=" << n;
            long double sum = 0;
            for (T x : row) sum += x;
            const double want_mean = static_cast<double>(sum / static_cast<long double>(n));
            EXPECT_NEAR(meanv[i], want_mean, rel_tol * std::fabs(want_mean) + rel_tol * spread) << "mean n=" << n;
        }
    }
}

TEST(ReduceMoments, DenseRowsFloat32) { expect_rows_match_reference<float>(0.5, 2.0, 2e-7); }
TEST(ReduceMoments, DenseRowsFloat64) { expect_rows_match_reference<double>(0.5, 2.0, 1e-13); }
// Mean 1e4 times the spread: the sum of squares about zero would cancel 8 digits.
TEST(ReduceMoments, FarFromZeroFloat32) { expect_rows_match_reference<float>(1e4, 1.0, 2e-7); }
TEST(ReduceMoments, FarFromZeroFloat64) { expect_rows_match_reference<double>(1e6, 1.0, 1e-9); }

// A strided view of the same rows takes the per-element Welford steps: the two paths agree.
TEST(ReduceMoments, StridedRowsAgreeWithDenseRows) {
    std::mt19937 gen(11);
    std::normal_distribution<double> dist(3.0, 1.5);
    const int64_t rows = 5, n = 3000;
    std::vector<double> all(static_cast<size_t>(rows * n));
    for (auto& x : all) x = dist(gen);
    const Tensor t = from_vec(all, {rows, n});
    const auto dense = values(ops::var(t, {1}, 0.0, false));
    const auto strided = values(ops::var(ops::contiguous(ops::transpose(t, 0, 1)), {0}, 0.0, false));
    for (size_t r = 0; r < dense.size(); ++r) EXPECT_NEAR(dense[r], strided[r], 1e-13 * dense[r]) << r;
}

TEST(ReduceMoments, ConstantRowsAreExactlyZero) {
    for (const int64_t n : {64, 2048, 5000}) {
        const Tensor f = from_vec(std::vector<float>(static_cast<size_t>(2 * n), 0.1f), {2, n});
        const Tensor d = from_vec(std::vector<double>(static_cast<size_t>(2 * n), 1.0 / 3.0), {2, n});
        for (const Tensor& t : {f, d}) {
            for (double v : values(ops::var(t, {1}, 1.0, false))) EXPECT_EQ(v, 0.0) << "n=" << n;
            for (double v : values(ops::std_dev(t, {1}, 1.0, false))) EXPECT_EQ(v, 0.0) << "n=" << n;
        }
    }
}

TEST(ReduceMoments, InfAndNaNGiveNaN) {
    for (const int64_t at_pos : {0, 17, 2047, 2048, 4999}) {
        for (const double bad : {std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                                 std::numeric_limits<double>::quiet_NaN()}) {
            std::vector<double> v(5000, 1.25);
            v[static_cast<size_t>(at_pos)] = bad;
            for (const DType dt : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64}) {
                const Tensor t = ops::to_dtype(from_vec(v, {1, 5000}), dt);
                EXPECT_TRUE(std::isnan(values(ops::var(t, {1}, 1.0, false))[0])) << "at " << at_pos << " " << bad;
            }
        }
    }
}

// float64 values whose block sum overflows: stepped one at a time, the mean stays finite and the
// squared deviations overflow, as in PyTorch's Welford: inf, not NaN.
TEST(ReduceMoments, Float64NearOverflowIsInf) {
    std::vector<double> v(100);
    for (size_t i = 0; i < v.size(); ++i) v[i] = i % 2 ? 1e308 : 1.5e308;
    const auto var = values(ops::var(from_vec(v, {1, 100}), {1}, 1.0, false));
    EXPECT_TRUE(std::isinf(var[0]) && var[0] > 0) << var[0];
}

// Columns: row counts around the column path's row block (128) and column counts around its
// column block (256); one constant column (exactly 0) and one holding an inf (NaN).
template <typename T>
void expect_columns_match_reference(double rel_tol) {
    std::mt19937 gen(13);
    std::normal_distribution<double> dist(100.0, 3.0);
    for (const int64_t rows : {2, 3, 127, 128, 129, 300}) {
        for (const int64_t cols : {1, 7, 255, 256, 257}) {
            std::vector<T> all(static_cast<size_t>(rows * cols));
            for (auto& x : all) x = static_cast<T>(dist(gen));
            const int64_t constant = cols / 2, with_inf = cols - 1;
            for (int64_t r = 0; r < rows; ++r) all[static_cast<size_t>(r * cols + constant)] = static_cast<T>(0.1);
            if (with_inf != constant) all[static_cast<size_t>((rows / 2) * cols + with_inf)] = std::numeric_limits<T>::infinity();
            const auto got = values(ops::var(from_vec(all, {rows, cols}), {0}, 1.0, false));
            for (int64_t j = 0; j < cols; ++j) {
                std::vector<T> col;
                for (int64_t r = 0; r < rows; ++r) col.push_back(all[static_cast<size_t>(r * cols + j)]);
                const std::string what = "rows=" + std::to_string(rows) + " cols=" + std::to_string(cols) + " col " + std::to_string(j);
                if (j == constant) {
                    EXPECT_EQ(got[static_cast<size_t>(j)], 0.0) << what;
                } else if (j == with_inf) {
                    EXPECT_TRUE(std::isnan(got[static_cast<size_t>(j)])) << what;
                } else {
                    const double want = static_cast<double>(reference_var(col));
                    EXPECT_NEAR(got[static_cast<size_t>(j)], want, rel_tol * want) << what;
                }
            }
        }
    }
}

TEST(ReduceMoments, ColumnsFloat32) { expect_columns_match_reference<float>(2e-7); }
TEST(ReduceMoments, ColumnsFloat64) { expect_columns_match_reference<double>(1e-12); }

}  // namespace
