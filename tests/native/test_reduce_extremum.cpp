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

}  // namespace
