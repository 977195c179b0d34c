// Exact unsigned 64-bit remainder by a divisor fixed for a whole loop, without a `div` per
// element (a 64-bit `div` costs tens of cycles on x86 and does not pipeline; randint with a
// range that is not a power of two spent most of its time in it).
//
// Granlund and Montgomery's round-up method ("Division by invariant integers using
// multiplication", 1994, section 4): for a divisor d >= 2 with l = ceil(log2 d), the multiplier
// m = floor(2^64 (2^l - d) / d) + 1 fits in 64 bits (2^l - d < d), and for every 64-bit n
//     t = mulhi(m, n),  q = (t + ((n - t) >> 1)) >> (l - 1)
// is floor(n / d) exactly. The half-sum keeps the (65-bit) n + t from overflowing.
// tests/native/test_u64_divisor.cpp checks it against `%` over edge and random divisors.
#pragma once

#include <bit>
#include <cstdint>
#if defined(_MSC_VER) && !defined(__clang__)
#include <intrin.h>
#endif

namespace cmp {

/// The high 64 bits of the 128-bit product a * b.
inline uint64_t mulhi_u64(uint64_t a, uint64_t b) {
#if defined(__SIZEOF_INT128__)
    __extension__ using u128 = unsigned __int128;
    return static_cast<uint64_t>((static_cast<u128>(a) * b) >> 64);
#else
    return __umulh(a, b);
#endif
}

class U64Divisor {
public:
    /// d >= 1. d = 1 and powers of two work too (l - 1 may be 0), though a mask is cheaper.
    explicit U64Divisor(uint64_t d) : d_(d) {
        if (d == 1) {
            one_ = true;  // l = 0: the formula would shift by -1
            return;
        }
        const int l = 64 - std::countl_zero(d - 1);       // ceil(log2 d), 1..64
        const uint64_t excess = (l == 64) ? (0 - d) : ((uint64_t{1} << l) - d);  // 2^l - d < d
        m_ = shifted_quotient(excess, d) + 1;
        shift_ = l - 1;
    }

    /// floor(n / d).
    uint64_t quotient(uint64_t n) const {
        if (one_) return n;
        const uint64_t t = mulhi_u64(m_, n);
        return (t + ((n - t) >> 1)) >> shift_;
    }

    /// n mod d.
    uint64_t remainder(uint64_t n) const { return n - quotient(n) * d_; }

    uint64_t divisor() const { return d_; }

private:
    // floor(hi * 2^64 / d) for hi < d, by binary long division (once per divisor, and portable:
    // MSVC has no 128-bit integer type).
    static uint64_t shifted_quotient(uint64_t hi, uint64_t d) {
        uint64_t q = 0, r = hi;
        for (int i = 0; i < 64; ++i) {
            const bool carry = (r >> 63) != 0;  // r < d < 2^64, so 2r fits in 65 bits
            r <<= 1;
            q <<= 1;
            if (carry || r >= d) {
                r -= d;
                q |= 1;
            }
        }
        return q;
    }

    uint64_t d_;
    uint64_t m_ = 0;
    int shift_ = 0;
    bool one_ = false;
};

}  // namespace cmp
