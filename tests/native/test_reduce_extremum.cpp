// amax/amin over dense float rows, which take a vector path that must hand rows holding a NaN
// or an infinity back to the exact element-by-element rule (NaN wins; infinities compare).
// Expected values come from that rule applied directly to the row.
#include "engine_test_util.h"
#include "ops/reductions.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace {

using namespace engine_test;
namespace ops = cmp::ops;

template <typename T>
double expected_extremum(const std::vector<T>& row, bool max) {
    double r = max ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
    for (T v : row) {
        if (std::isnan(r)) break;
        const double d = static_cast<double>(v);
        if (std::isnan(d) || (max ? d > r : d < r)) r = d;
    }
    return r;
}

bool same_value(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

template <typename T>
void check_rows() {
    const T specials[] = {std::numeric_limits<T>::quiet_NaN(), std::numeric_limits<T>::infinity(),
                          -std::numeric_limits<T>::infinity()};
    for (int64_t n : {16, 40, 100, 1000}) {
        for (int s = -1; s < 3; ++s) {
            for (int64_t at : {int64_t{0}, n / 2, n - 1}) {
                std::vector<T> row;
                for (double v : random_values(static_cast<size_t>(n), static_cast<uint32_t>(n + at), -100, 100, true))
                    row.push_back(static_cast<T>(v));
                if (s >= 0) row[static_cast<size_t>(at)] = specials[s];
                Tensor t = from_vec(row, {1, n});
                for (bool max : {true, false}) {
                    Tensor got = max ? ops::amax(t, {1}, false) : ops::amin(t, {1}, false);
                    EXPECT_TRUE(same_value(values(got)[0], expected_extremum(row, max)))
                        << (max ? "amax" : "amin") << " n=" << n << " special=" << s << " at=" << at
                        << " got " << values(got)[0] << " expected " << expected_extremum(row, max);
                }
            }
        }
    }
}

TEST(ReduceExtremum, DenseRowsWithNanAndInfinityFloat32) { check_rows<float>(); }
TEST(ReduceExtremum, DenseRowsWithNanAndInfinityFloat64) { check_rows<double>(); }

// argmax/argmin and max over a dim with indices: dense finite rows take a vector path (the
// extremum, then the first element equal to it). Expected: the first index of the strictly
// best value, NaN first (PyTorch CPU), and that element's own value (+0/-0 ties keep the
// first). Rows of many lengths, several per tensor (so a row's offset into the indices shows),
// with ties, signed zeros, NaN and infinities.
template <typename T>
void check_arg_rows() {
    constexpr T nan = std::numeric_limits<T>::quiet_NaN(), inf = std::numeric_limits<T>::infinity();
    for (int64_t n : {16, 17, 31, 64, 65, 100, 1000, 1029}) {
        const int64_t rows = 12;
        std::vector<T> x;
        // Few distinct values so rows hold ties of their extremum.
        for (double v : random_values(static_cast<size_t>(rows * n), static_cast<uint32_t>(n), -4, 4, false))
            x.push_back(static_cast<T>(v));
        const auto at = [&](int64_t r, int64_t c) -> T& { return x[static_cast<size_t>(r * n + c)]; };
        at(1, n / 2) = nan;
        at(2, n - 1) = inf;
        at(3, 0) = -inf;
        at(4, 3) = nan, at(4, 1) = inf;
        for (int64_t c = 0; c < n; ++c) at(5, c) = (c % 3 == 0) ? T(-0.0) : T(-1);
        for (int64_t c = 0; c < n; ++c) at(6, c) = (c == n - 2) ? T(0.0) : (c > n / 2 ? T(-0.0) : T(-2));
        at(7, n - 1) = T(9);  // the extremum in the scalar tail
        at(8, 0) = T(9);
        for (bool max : {true, false}) {
            Tensor t = from_vec(x, {rows, n});
            const std::vector<double> idx = values(max ? ops::argmax(t, true, 1, false) : ops::argmin(t, true, 1, false));
            const auto vals = max ? ops::max_dim(t, 1, false) : ops::min_dim(t, 1, false);
            const std::vector<double> v = values(vals.first), vi = values(vals.second);
            for (int64_t r = 0; r < rows; ++r) {
                int64_t best = 0;
                for (int64_t c = 1; c < n; ++c) {
                    const T a = at(r, c), b = at(r, best);
                    if (std::isnan(b)) break;
                    if (std::isnan(a) || (max ? a > b : a < b)) best = c;
                }
                const size_t k = static_cast<size_t>(r);
                EXPECT_EQ(idx[k], static_cast<double>(best)) << (max ? "argmax" : "argmin") << " n=" << n << " row " << r;
                EXPECT_EQ(vi[k], static_cast<double>(best)) << "indices n=" << n << " row " << r;
                const double want = static_cast<double>(at(r, best));
                EXPECT_TRUE(same_value(v[k], want) && std::signbit(v[k]) == std::signbit(want))
                    << "value n=" << n << " row " << r << " got " << v[k] << " expected " << want;
            }
        }
    }
}

TEST(ReduceExtremum, ArgRowsFloat32) { check_arg_rows<float>(); }
TEST(ReduceExtremum, ArgRowsFloat64) { check_arg_rows<double>(); }

// amax/amin over the first dim: the column path folds blocks of rows (128, taken 4 at a time)
// across vectors of columns and must give what the element rule gives in row order: the first
// of equal values (so the sign of a +0/-0 tie is the first zero's), NaN wherever a column holds
// one, infinities compared. Row counts across the 4-row groups and the 128-row blocks, column
// counts across vectors and the 256-column work items.
template <typename T>
void check_columns() {
    constexpr T nan = std::numeric_limits<T>::quiet_NaN(), inf = std::numeric_limits<T>::infinity();
    for (int64_t rows : {3, 6, 130, 300}) {
        for (int64_t cols : {5, 37, 300}) {
            std::vector<T> x;
            for (double v : random_values(static_cast<size_t>(rows * cols), static_cast<uint32_t>(rows + cols), -4, 4, false))
                x.push_back(static_cast<T>(v));
            const auto at = [&](int64_t r, int64_t c) -> T& { return x[static_cast<size_t>(r * cols + c)]; };
            for (int64_t r = 0; r < rows; ++r) {
                at(r, 0) = (r % 3 == 1) ? T(0.0) : T(-0.0);      // ties of zeros, -0 first
                at(r, 1) = (r % 2 == 0) ? T(0.0) : T(-0.0);      // +0 first
                at(r, cols - 1) = (r == rows - 1) ? T(-0.0) : T(0.0);
            }
            at(rows - 1, 2) = nan;
            at(rows / 2, 3) = inf, at(0, 3) = -inf;
            at(rows / 2, cols / 2) = -inf;
            if (cols > 256) at(rows - 1, 260) = nan, at(0, 299) = inf;
            Tensor t = from_vec(x, {rows, cols});
            for (bool max : {true, false}) {
                const std::vector<double> got = values(max ? ops::amax(t, {0}, false) : ops::amin(t, {0}, false));
                for (int64_t c = 0; c < cols; ++c) {
                    T want = max ? -inf : inf;
                    for (int64_t r = 0; r < rows; ++r) {
                        const T v = at(r, c);
                        if (std::isnan(v) || (max ? v > want : v < want)) want = v;
                    }
                    const double g = got[static_cast<size_t>(c)];
                    EXPECT_TRUE(same_value(g, want) && (std::isnan(g) || std::signbit(g) == std::signbit(want)))
                        << (max ? "amax" : "amin") << " rows=" << rows << " cols=" << cols << " col " << c << " got " << g
                        << " expected " << want;
                }
            }
        }
    }
}

TEST(ReduceExtremum, ColumnsFloat32) { check_columns<float>(); }
TEST(ReduceExtremum, ColumnsFloat64) { check_columns<double>(); }

}  // namespace
