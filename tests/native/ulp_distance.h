// Distance in units in the last place between two floats or two doubles, shared by the tests
// that check the vectorised math functions (test_vec_math.cpp, test_atan_kernels.cpp,
// test_unary_math_trig.cpp).
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace cmp::testing {

// Through the ordered integer view of the bits (which also counts steps between subnormals
// correctly). NaN is 0 from NaN and infinitely far from anything else; so is an infinity.
inline int64_t ordered(float f) {
    int32_t i;
    std::memcpy(&i, &f, 4);
    return i < 0 ? -static_cast<int64_t>(i & 0x7fffffff) : i;
}
inline int64_t ordered(double d) {
    int64_t i;
    std::memcpy(&i, &d, 8);
    return i < 0 ? -(i & 0x7fffffffffffffffLL) : i;
}
template <typename T>
int64_t ulps(T a, T b) {
    if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b) ? 0 : std::numeric_limits<int64_t>::max();
    if (a == b) return 0;  // also +-inf
    if (std::isinf(a) || std::isinf(b)) return std::numeric_limits<int64_t>::max();
    const int64_t d = ordered(a) - ordered(b);
    return d < 0 ? -d : d;
}

}  // namespace cmp::testing
