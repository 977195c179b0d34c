// The ordered keys of sort / argsort / msort / topk and the bisection of searchsorted / bucketize,
// written once for every device: the CPU kernels (cpu/kernels/sort_search.cpp), the CUDA backend
// (cuda/sort_search.cu) and the fake backend of the routing tests run these, so both devices put
// equal values, NaNs and signed zeros in the same order and find the same positions.
//
// A sort works on (key, index) pairs: an unsigned key that orders like the value in the wanted
// direction, then the input index. Comparing the pairs as pairs gives the order PyTorch defines
// (NaN largest, all NaNs equal, -0.0 equal to 0.0) with ties in input order, so every sort is
// stable (descending too: the key's bits are flipped, the index is not) and topk's choice among
// ties is deterministic.
//
// The key functions take the plain C++ types: bool, the integers, float and double. The 16-bit
// floats are keyed through their exact float value (a 32-bit key), which every device forms.
#pragma once

#include <cstdint>
#include <cstring>
#include <type_traits>

#if defined(__CUDACC__)
#define CMP_SORT_HD __host__ __device__ __forceinline__
#else
#include "cpu/vec_inline.h"
// Forced inline: topk's block scan vectorises with the key in its loop.
#define CMP_SORT_HD CMP_VEC_INLINE
#endif

namespace cmp::cpu {

// The key type of T: 64 bits for the 8-byte types, else 32 (16-bit floats: keyed as float).
template <typename T>
using radix_key_t = std::conditional_t<(sizeof(T) == 8), uint64_t, uint32_t>;

// The key of a float (U = uint32_t) or double (U = uint64_t) from its bits u, xor flip (all ones
// for descending): selects on the bits and no branch, so loops of keys vectorise. Positive values
// get the sign bit set, negative ones all bits flipped; both zeros take +0.0's key and every NaN
// the largest.
template <typename U>
CMP_SORT_HD U float_bits_key(U u, U flip) {
    const U sign = U(1) << (sizeof(U) * 8 - 1);
    const U inf = sizeof(U) == 4 ? U(0x7f800000u) : U(0x7ff0000000000000ull);
    const U mag = u & ~sign;
    const U neg = U(0) - (u >> (sizeof(U) * 8 - 1));  // all ones for a set sign bit
    U key = (u ^ (neg | sign));
    key = mag == 0 ? sign : key;
    key = mag > inf ? ~U(0) : key;
    return key ^ flip;
}

// The unsigned key of v (bool, an integer, float or double): ascending keys order like ascending
// values with NaN above +inf (all NaNs equal) and -0.0 equal to 0.0; descending flips every bit,
// which reverses the order and keeps ties in input order (the index breaks them).
template <typename T>
CMP_SORT_HD radix_key_t<T> sort_key(T v, bool descending) {
    using U = radix_key_t<T>;
    const U flip = descending ? ~U(0) : U(0);
    U u;
    if constexpr (std::is_same_v<T, bool>) {
        u = v ? 1u : 0u;
    } else if constexpr (std::is_integral_v<T>) {
        if constexpr (std::is_signed_v<T>)
            u = static_cast<U>(static_cast<std::make_signed_t<U>>(v)) ^ (U(1) << (sizeof(U) * 8 - 1));
        else u = static_cast<U>(v);
    } else {
        static_assert(std::is_same_v<T, float> || std::is_same_v<T, double>, "sort_key: float or double");
        std::memcpy(&u, &v, sizeof(U));
        return float_bits_key<U>(u, flip);
    }
    return u ^ flip;
}

// PyTorch's bisection of searchsorted / bucketize, comparison for comparison: left finds the
// first position whose element is not below v (!(s >= v) moves right), right the first whose
// element is above v. Matching its comparisons keeps NaN results identical to PyTorch's.
// at(i) gives the row's i-th element in the sorted order (through the sorter, if any) as K.
template <typename K, typename At>
CMP_SORT_HD int64_t bisect(const At& at, int64_t len, K v, bool right) {
    int64_t lo = 0, hi = len;
    while (lo < hi) {
        const int64_t mid = lo + (hi - lo) / 2;
        const K s = at(mid);
        const bool go_right = right ? !(s > v) : !(s >= v);
        if (go_right) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

}  // namespace cmp::cpu
