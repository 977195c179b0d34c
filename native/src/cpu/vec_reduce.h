// Row reductions over contiguous float32/float64 elements written with GCC/Clang vector
// extensions, for the steps GCC 12 leaves scalar: a select such as `v > m ? v : m` is not
// vectorised as a reduction without -ffast-math (NaN ordering), whatever form it takes. Shared
// by amax/amin and logsumexp (cpu/kernels/reductions.cpp) and softmax's row maximum
// (cpu/kernels/nn_norm_vec.h). Per-ISA namespace as cpu/loops.h: each ISA gets its own copy.
#pragma once

#ifndef CMP_ISA_NAME
#error "cpu/vec_reduce.h is for kernel files compiled per ISA (native/src/cpu/kernels/*.cpp)"
#endif

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <utility>

namespace cmp::cpu {
inline namespace CMP_ISA_NAME {

// Whether dense_extremum has a vector body for T (float32/float64 with GCC vector extensions).
template <typename T>
constexpr bool kHasVecExtremum =
#if defined(__GNUC__)
    std::is_same_v<T, float> || std::is_same_v<T, double>;
#else
    false;
#endif

#if defined(__GNUC__)
// Splits x into its low and high halves (lane shuffles, no trip through memory: a memcpy of
// part of a vector kept the loop's accumulator on the stack, 3x slower on rows of 1024).
template <typename H, typename V, size_t... I>
inline void vec_split(const V& x, H& lo, H& hi, std::index_sequence<I...>) {
    lo = __builtin_shufflevector(x, x, I...);
    hi = __builtin_shufflevector(x, x, (I + sizeof...(I))...);
}

// Folds the lanes of x to one value with f(lo, hi), which merges hi into lo in place (by
// reference: vectors passed or returned by value change the ABI on baseline x86-64), halving
// the width each level.
template <typename T, int Bytes, typename V, typename F>
inline T vec_tree(const V& x, const F& f) {
    if constexpr (Bytes == sizeof(T)) {
        return x[0];
    } else {
        typedef T half_t __attribute__((vector_size(Bytes / 2)));
        half_t lo, hi;
        vec_split(x, lo, hi, std::make_index_sequence<Bytes / 2 / sizeof(T)>());
        f(lo, hi);
        return vec_tree<T, Bytes / 2>(lo, f);
    }
}
#endif

// The largest (Max) or smallest element of p[0..n) by the plain select `v > m ? v : m`, which
// skips NaN; starts from -inf (+inf for the minimum), which an empty row returns. When finite is
// not null it receives whether every element is finite (each 64-byte vector also sums v - v,
// which is NaN exactly when a NaN or an infinity went in), so callers with a stricter NaN/inf
// rule can redo only those rows. T must satisfy kHasVecExtremum.
template <bool Max, typename T>
T dense_extremum(const T* p, int64_t n, bool* finite) {
    static_assert(kHasVecExtremum<T>, "dense_extremum: float32/float64 with vector extensions only");
    constexpr T kInit = Max ? -std::numeric_limits<T>::infinity() : std::numeric_limits<T>::infinity();
    const auto better = [](T v, T m) { return Max ? v > m : v < m; };
    T m = kInit, check = 0;
    int64_t i = 0;
#if defined(__GNUC__)
    constexpr int kW = 64 / sizeof(T);
    typedef T vec_t __attribute__((vector_size(64)));
    if (n >= kW) {
        vec_t mv, cv = {};
        for (int k = 0; k < kW; ++k) mv[k] = kInit;
        for (; i + kW <= n; i += kW) {
            vec_t v;
            std::memcpy(&v, p + i, sizeof v);
            mv = (Max ? v > mv : v < mv) ? v : mv;
            cv += v - v;
        }
        m = vec_tree<T, 64>(mv, [](auto& a, const auto& b) { a = (Max ? b > a : b < a) ? b : a; });
        if (finite) check = vec_tree<T, 64>(cv, [](auto& a, const auto& b) { a += b; });
    }
#endif
    for (; i < n; ++i) {
        m = better(p[i], m) ? p[i] : m;
        check += p[i] - p[i];
    }
    if (finite) *finite = check == 0;
    return m;
}

constexpr int kVecSumLanes = 16;

// sum over i in [0, n) of f(i) in A, with kVecSumLanes independent partials (the compiler keeps
// them in vector registers when f vectorises, e.g. vec_math.h's vexp) merged pairwise in a fixed
// order, so the result does not depend on the ISA's vector width.
template <typename A, typename F>
A lane_sum(int64_t n, const F& f) {
    A s[kVecSumLanes] = {};
    int64_t i = 0;
    for (; i + kVecSumLanes <= n; i += kVecSumLanes) {
        for (int64_t k = 0; k < kVecSumLanes; ++k) s[k] += f(i + k);
    }
    for (int64_t k = 0; i < n; ++i, ++k) s[k] += f(i);
    for (int64_t w = kVecSumLanes / 2; w > 0; w /= 2) {
        for (int64_t k = 0; k < w; ++k) s[k] += s[k + w];
    }
    return s[0];
}

}  // namespace CMP_ISA_NAME
}  // namespace cmp::cpu
