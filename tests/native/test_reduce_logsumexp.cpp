// logsumexp over dense float rows, which take a vector path (maximum, then a sum of exps) that
// must hand rows holding a NaN or an infinity back to the exact rules PyTorch follows: NaN wins,
// then +inf gives +inf, a row of only -inf gives -inf, and -inf elements add nothing otherwise.
// Expected values: those rules applied to the row, else the definition m + log(sum exp(x - m))
// in long double.
#include "engine_test_util.h"
#include "ops/reductions.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace {

using namespace engine_test;
namespace ops = cmp::ops;

template <typename T>
long double expected_lse(const std::vector<T>& row) {
    constexpr long double inf = std::numeric_limits<long double>::infinity();
    bool pos_inf = false;
    long double m = -inf;
    for (T v : row) {
        if (std::isnan(v)) return std::numeric_limits<long double>::quiet_NaN();
        if (std::isinf(v) && v > 0) pos_inf = true;
        m = std::max(m, static_cast<long double>(v));
    }
    if (pos_inf) return inf;
    if (m == -inf) return -inf;
    long double s = 0;
    for (T v : row) s += std::exp(static_cast<long double>(v) - m);
    return m + std::log(s);
}

// Tolerance of a finite result: float32 computes the exps in float32 (as PyTorch does), which
// puts a few float32 ulps of relative error into the sum, i.e. a few 1e-7 absolute into its log,
// plus the rounding of the result to T; float64 the same at float64's epsilon.
template <typename T>
bool close(double got, long double want) {
    if (std::isnan(want)) return std::isnan(got);
    if (std::isinf(want)) return got == static_cast<double>(want);
    const double eps = std::numeric_limits<T>::epsilon();
    return std::fabs(static_cast<long double>(got) - want) <= 8 * eps * (1 + std::fabs(static_cast<double>(want)));
}

template <typename T>
void check_rows() {
    constexpr T nan = std::numeric_limits<T>::quiet_NaN(), inf = std::numeric_limits<T>::infinity();
    for (int64_t n : {16, 40, 64, 100, 1000}) {
        // s: -1 none, 0 NaN, 1 +inf, 2 -inf, 3 +inf and -inf, 4 NaN and +inf, 5 all -inf,
        // 6 all -inf but one finite element.
        for (int s = -1; s < 7; ++s) {
            for (int64_t at : {int64_t{0}, n / 2, n - 1}) {
                std::vector<T> row;
                for (double v : random_values(static_cast<size_t>(n), static_cast<uint32_t>(3 * n + at), -80, 80, true))
                    row.push_back(static_cast<T>(v));
                const size_t a = static_cast<size_t>(at), b = static_cast<size_t>((at + n / 3) % n);
                switch (s) {
                    case 0: row[a] = nan; break;
                    case 1: row[a] = inf; break;
                    case 2: row[a] = -inf; break;
                    case 3: row[a] = inf, row[b] = -inf; break;
                    case 4: row[a] = nan, row[b] = inf; break;
                    case 5: std::fill(row.begin(), row.end(), -inf); break;
                    case 6: {
                        const T keep = row[a];
                        std::fill(row.begin(), row.end(), -inf);
                        row[a] = keep;
                        break;
                    }
                    default: break;
                }
                Tensor got = ops::logsumexp(from_vec(row, {1, n}), {1}, false);
                const double g = values(got)[0];
                EXPECT_TRUE(close<T>(g, expected_lse(row)))
                    << "n=" << n << " case=" << s << " at=" << at << " got " << g << " expected "
                    << static_cast<double>(expected_lse(row));
            }
        }
    }
}

TEST(ReduceLogSumExp, DenseRowsWithNanAndInfinityFloat32) { check_rows<float>(); }
TEST(ReduceLogSumExp, DenseRowsWithNanAndInfinityFloat64) { check_rows<double>(); }

// Many short rows at once (the [rows, 64] shape the row driver batches), each against its own
// definition, so a row mixed up with its neighbour fails.
TEST(ReduceLogSumExp, ManyShortRowsFloat32) {
    const int64_t rows = 300, n = 64;
    std::vector<float> x;
    for (double v : random_values(static_cast<size_t>(rows * n), 7, -30, 30, true)) x.push_back(static_cast<float>(v));
    x[5 * n + 3] = std::numeric_limits<float>::infinity();
    x[9 * n + 60] = std::numeric_limits<float>::quiet_NaN();
    const std::vector<double> got = values(ops::logsumexp(from_vec(x, {rows, n}), {1}, false));
    for (int64_t r = 0; r < rows; ++r) {
        const std::vector<float> row(x.begin() + r * n, x.begin() + (r + 1) * n);
        EXPECT_TRUE(close<float>(got[static_cast<size_t>(r)], expected_lse(row))) << "row " << r;
    }
}


// Over dim 0 (the column path, vectorised across columns per block of 128 rows): columns with
// a NaN, +inf, -inf or only -inf in one block take the exact rules, the others the two-pass
// sum; sizes cross the row block (128), the exp run (16) and the column block (256).
template <typename T>
void check_columns() {
    constexpr T nan = std::numeric_limits<T>::quiet_NaN(), inf = std::numeric_limits<T>::infinity();
    const int64_t rows = 301, cols = 300;
    std::vector<T> x;
    for (double v : random_values(static_cast<size_t>(rows * cols), 13, -60, 60, true)) x.push_back(static_cast<T>(v));
    const auto at = [&](int64_t r, int64_t c) -> T& { return x[static_cast<size_t>(r * cols + c)]; };
    at(5, 3) = nan;
    at(200, 7) = inf;
    at(130, 7) = nan;  // NaN in an earlier block than the +inf: NaN
    at(140, 11) = inf;
    at(290, 11) = nan;  // +inf in one block, NaN in a later one: NaN
    at(0, 270) = -inf;
    at(300, 299) = inf;
    for (int64_t r = 0; r < rows; ++r) at(r, 260) = -inf;  // a column of only -inf
    for (int64_t r = 0; r < rows; ++r)
        if (r != 150) at(r, 100) = -inf;  // only one finite element
    const std::vector<double> got = values(ops::logsumexp(from_vec(x, {rows, cols}), {0}, false));
    for (int64_t c = 0; c < cols; ++c) {
        std::vector<T> column;
        for (int64_t r = 0; r < rows; ++r) column.push_back(at(r, c));
        EXPECT_TRUE(close<T>(got[static_cast<size_t>(c)], expected_lse(column)))
            << "column " << c << " got " << got[static_cast<size_t>(c)] << " expected "
            << static_cast<double>(expected_lse(column));
    }
}

TEST(ReduceLogSumExp, ColumnsWithNanAndInfinityFloat32) { check_columns<float>(); }
TEST(ReduceLogSumExp, ColumnsWithNanAndInfinityFloat64) { check_columns<double>(); }

}  // namespace
