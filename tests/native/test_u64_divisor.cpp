// core/u64_divisor.h against the hardware remainder: divisors at every power-of-two edge
// (2^k - 1, 2^k, 2^k + 1, where the multiplier and shift change), the extremes 1, 2 and
// 2^64 - 1, and random divisors of every bit length; dividends at the same edges, at multiples
// of the divisor and next to them, and random.
#include "core/u64_divisor.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

namespace {

std::vector<uint64_t> edge_values() {
    std::vector<uint64_t> v = {0, 1, 2, 3, UINT64_MAX, UINT64_MAX - 1};
    for (int k = 1; k < 64; ++k) {
        const uint64_t p = uint64_t{1} << k;
        v.insert(v.end(), {p - 1, p, p + 1});
    }
    return v;
}

void expect_divides(const cmp::U64Divisor& div, uint64_t n) {
    const uint64_t d = div.divisor();
    ASSERT_EQ(div.quotient(n), n / d) << n << " / " << d;
    ASSERT_EQ(div.remainder(n), n % d) << n << " % " << d;
}

TEST(U64Divisor, MatchesTheHardwareDivision) {
    std::mt19937_64 rng(20261206);
    std::vector<uint64_t> divisors = edge_values();
    for (int bits = 1; bits <= 64; ++bits)
        for (int i = 0; i < 20; ++i) divisors.push_back((rng() >> (64 - bits)) | (uint64_t{1} << (bits - 1)));
    const std::vector<uint64_t> edges = edge_values();
    for (uint64_t d : divisors) {
        if (d == 0) continue;
        const cmp::U64Divisor div(d);
        for (uint64_t n : edges) expect_divides(div, n);
        // Around multiples of d, where the quotient steps (the largest multiple included).
        const uint64_t top = UINT64_MAX / d * d;
        for (uint64_t q : {uint64_t{1}, uint64_t{2}, UINT64_MAX / d / 2 + 1}) {
            if (q > UINT64_MAX / d) continue;
            for (uint64_t n : {q * d - 1, q * d, q * d + 1}) expect_divides(div, n);
        }
        for (uint64_t n : {top - 1, top, top + (top != UINT64_MAX ? 1 : 0)}) expect_divides(div, n);
        for (int i = 0; i < 2000; ++i) expect_divides(div, rng());
    }
}

}  // namespace
