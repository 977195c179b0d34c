// Row reductions over contiguous float32/float64 elements written with GCC/Clang vector
// extensions, for the steps GCC 12 leaves scalar: a select such as `v > m ? v : m` is not
// vectorised as a reduction without -ffast-math (NaN ordering), whatever form it takes. Shared
// by amax/amin and logsumexp (cpu/kernels/reductions.cpp) and softmax's row maximum
// (cpu/kernels/nn_norm_vec.h). Per-ISA namespace as cpu/loops.h: each ISA gets its own copy.
#pragma once

#ifndef CMP_ISA_NAME
#error "cpu/vec_reduce.h is for kernel files compiled per ISA (native/src/cpu/kernels/*.cpp)"
#endif

#include "cpu/row_blocks.h"
#include "cpu/vec_width.h"

#include <algorithm>
#include <bit>
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
// not null it receives whether every element is finite, so callers with a stricter NaN/inf
// rule can redo only those rows: the vector lanes also keep the largest |v| as an integer (the
// bits of v without the sign, which reach the exponent's all-ones, 0x7f800000 for float32,
// exactly for an infinity or a NaN), the tail sums v - v as before. T must satisfy kHasVecExtremum.
template <bool Max, typename T>
T dense_extremum(const T* p, int64_t n, bool* finite) {
    static_assert(kHasVecExtremum<T>, "dense_extremum: float32/float64 with vector extensions only");
    constexpr T kInit = Max ? -std::numeric_limits<T>::infinity() : std::numeric_limits<T>::infinity();
    const auto better = [](T v, T m) { return Max ? v > m : v < m; };
    T m = kInit, check = 0;
    int64_t i = 0;
    sized_int_t<sizeof(T)> big = 0;  // the largest |v| of the vector part, as bits
#if defined(__GNUC__)
    // 64 bytes a step, as kR vectors of the ISA's own width: GCC lowers a select on vectors
    // wider than the hardware's element by element (a 64-byte select ran scalar under AVX2,
    // 4x slower than AVX-512 on softmax rows). The maximum and the integer maximum of |v| do not
    // depend on the order, so every width gives the same result. (The finiteness check was a
    // float sum of v - v, whose 3-cycle add chain bound rows of 64 under AVX2: perf put most of
    // dense_extremum's samples on those adds; the integer maximum is a 1-cycle chain.)
    constexpr int kW = 64 / sizeof(T);
    constexpr int kR = 64 / kVecBytes;
    constexpr int kPer = kVecBytes / sizeof(T);
    using I = sized_int_t<sizeof(T)>;
    typedef T vec_t __attribute__((vector_size(kVecBytes)));
    typedef I ivec_t __attribute__((vector_size(kVecBytes)));
    constexpr I kAbs = std::numeric_limits<I>::max();  // every bit but the sign
    const auto pick = [](const vec_t& v, const vec_t& cur) { return (Max ? v > cur : v < cur) ? v : cur; };
    if (n >= kW) {
        vec_t mv[kR];
        ivec_t av[kR];
        for (int r = 0; r < kR; ++r) {
            mv[r] = vec_t{} + kInit;
            av[r] = ivec_t{};
        }
        for (; i + kW <= n; i += kW)
            for (int r = 0; r < kR; ++r) {
                vec_t v;
                ivec_t b;
                std::memcpy(&v, p + i + r * kPer, sizeof v);
                std::memcpy(&b, p + i + r * kPer, sizeof b);
                mv[r] = pick(v, mv[r]);
                b &= kAbs;
                av[r] = b > av[r] ? b : av[r];
            }
        for (int r = 1; r < kR; ++r) {
            mv[0] = pick(mv[r], mv[0]);
            av[0] = av[r] > av[0] ? av[r] : av[0];
        }
        m = vec_tree<T, kVecBytes>(mv[0], [](auto& a, const auto& b) { a = (Max ? b > a : b < a) ? b : a; });
        if (finite) big = vec_tree<I, kVecBytes>(av[0], [](auto& a, const auto& b) { a = b > a ? b : a; });
    }
#endif
    for (; i < n; ++i) {
        m = better(p[i], m) ? p[i] : m;
        check += p[i] - p[i];
    }
    if (finite) *finite = check == 0 && big < std::bit_cast<decltype(big)>(std::numeric_limits<T>::infinity());
    return m;
}

// dense_extremum's select and finiteness check down columns: for a block of nrows rows (at
// base + roff[r]) of len contiguous columns, m[j] receives the largest (Max) or smallest element of
// column j by the select `v > m ? v : m` in row order from -inf (+inf), and finite[j] whether every
// element of the column is finite (the integer maximum of the bits of |v|, as dense_extremum). The
// rows go kColRows at a time through each vector of columns, whose two accumulators are loaded and
// stored once per kColRows rows instead of once per row; the select applies the rows in order, so
// m[j] is the first element equal to the extremum, as one element at a time gives it.
// len <= kColumnExtremumMax.
constexpr int64_t kColumnExtremumMax = 256;
template <bool Max, typename T>
void column_extremum(const T* base, const int64_t* roff, int64_t nrows, int64_t len, T* m, bool* finite) {
    static_assert(kHasVecExtremum<T>, "column_extremum: float32/float64 with vector extensions only");
    constexpr T kInit = Max ? -std::numeric_limits<T>::infinity() : std::numeric_limits<T>::infinity();
    using I = sized_int_t<sizeof(T)>;
    constexpr I kAbs = std::numeric_limits<I>::max();
    constexpr I kInfBits = std::bit_cast<I>(std::numeric_limits<T>::infinity());
    constexpr int kColRows = 4;
    I ab[kColumnExtremumMax];
    for (int64_t j = 0; j < len; ++j) m[j] = kInit, ab[j] = 0;
#if defined(__GNUC__)
    constexpr int kPer = kVecBytes / sizeof(T);
    typedef T vec_t __attribute__((vector_size(kVecBytes)));
    typedef I ivec_t __attribute__((vector_size(kVecBytes)));
#endif
    const auto rows = [&](const T* const* p, auto count) {
        constexpr int kK = decltype(count)::value;
        int64_t j = 0;
#if defined(__GNUC__)
        for (; j + kPer <= len; j += kPer) {
            vec_t a;
            ivec_t b;
            std::memcpy(&a, m + j, sizeof a);
            std::memcpy(&b, ab + j, sizeof b);
            for (int k = 0; k < kK; ++k) {
                vec_t v;
                ivec_t w;
                std::memcpy(&v, p[k] + j, sizeof v);
                std::memcpy(&w, p[k] + j, sizeof w);
                a = (Max ? v > a : v < a) ? v : a;
                w &= kAbs;
                b = w > b ? w : b;
            }
            std::memcpy(m + j, &a, sizeof a);
            std::memcpy(ab + j, &b, sizeof b);
        }
#endif
        for (; j < len; ++j)
            for (int k = 0; k < kK; ++k) {
                const T v = p[k][j];
                m[j] = (Max ? v > m[j] : v < m[j]) ? v : m[j];
                const I w = std::bit_cast<I>(v) & kAbs;
                ab[j] = w > ab[j] ? w : ab[j];
            }
    };
    int64_t r = 0;
    for (; r + kColRows <= nrows; r += kColRows) {
        const T* p[kColRows];
        for (int k = 0; k < kColRows; ++k) p[k] = base + roff[r + k];
        rows(p, std::integral_constant<int, kColRows>());
    }
    for (; r < nrows; ++r) {
        const T* p[1] = {base + roff[r]};
        rows(p, std::integral_constant<int, 1>());
    }
    for (int64_t j = 0; j < len; ++j) finite[j] = ab[j] < kInfBits;
}

// Merges W partial accumulators (W a power of two) pairwise in a fixed order: v[k] with
// v[k + W/2], then the halves again. Each level goes into a fresh array, so the compiler keeps
// the partials in registers; merging in place through one array made it spill them to the
// stack and reload them across lanes (store-forwarding stalls), which dominated short rows.
template <int W, typename A, typename Combine>
inline A lane_tree(const A* v, const Combine& combine) {
    static_assert((W & (W - 1)) == 0, "lane_tree: W must be a power of two");
    if constexpr (W == 1) {
        return v[0];
    } else {
        A h[W / 2];
        for (int k = 0; k < W / 2; ++k) {
            h[k] = v[k];
            combine(h[k], v[k + W / 2]);
        }
        return lane_tree<W / 2>(h, combine);
    }
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
    // The last partial run into lanes 0, 1, ... with constant lane indices (s[k] for the
    // running k kept the whole array in memory, zeroed by a rep stos per call).
    const int64_t rest = n - i;
#pragma GCC unroll 16
    for (int k = 0; k < kVecSumLanes; ++k)
        if (k < rest) s[k] += f(i + k);
    return lane_tree<kVecSumLanes>(s, [](A& a, const A& b) { a += b; });
}

// Sum of p[0..n) accumulated in T (float32 sums, which a float64 accumulation slowed to ~0.7 of
// PyTorch: the conversion caps the loop at about 5 floats per cycle). The shape of PyTorch's
// cascade_sum with fixed widths: kCascadeLanes independent lanes (vector registers on every
// ISA, the same lanes everywhere, so results do not depend on the ISA), each adding runs of
// kCascadeStep elements; every kCascadeStep runs are carried one level up, and so on, and the
// levels and then the lanes (pairwise) are merged at the end. The error of each lane grows with
// kCascadeStep per level instead of with its length; PyTorch 1.13 uses runs of 16 or more on
// 4 levels per lane, so this is at least as accurate for n up to kCascadeLanes * 16^kCascadeLevels.
constexpr int kCascadeLanes = 32;
constexpr int kCascadeStep = 16;   // elements per lane per run, and runs per level carry
constexpr int kCascadeLevels = 6;  // levels above the run; the top one keeps accumulating

static_assert(kCascadeStep == 16, "cascade_sum carries every 16^l runs (shifts by 4 bits)");

// What cascade_sum adds of each element: the element itself (a sum), or its square or absolute
// value (the 2- and 1-norms), applied to single elements and to whole vectors of them. A map
// must send +0 to +0 (padding lanes hold +0).
struct SumOfValues {
    template <typename X>
    X operator()(const X& x) const { return x; }
};
// The square is rounded before it is added: GCC contracts a product and a following add into a
// fused multiply-add (-ffp-contract=fast, its C++ default, across statements after inlining), and
// did so in some inlined copies of the cascade and not others, so a row's 2-norm differed in the
// last bit between the block path and the same row alone (and between ISAs with and without FMA).
// The empty asm makes the product a value the compiler cannot see into; it costs no instruction.
struct SumOfSquares {
    template <typename X>
    X operator()(const X& x) const {
        X sq = x * x;
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
        asm("" : "+v"(sq));
#elif defined(__GNUC__) && defined(__aarch64__)
        asm("" : "+w"(sq));
#endif
        return sq;
    }
};
struct SumOfAbs {
    template <typename X>
    X operator()(const X& x) const { return x < 0 ? -x : x; }
};

#if defined(__GNUC__)
// The last partial run of cascade_sum (n < kCascadeLanes * kCascadeStep elements from p) in
// vectors of the ISA's width: elements k, k + kCascadeLanes, ... of the run go to lane k, as in
// cascade_sum; add_levels(lanes) then adds the levels carried so far, and the lanes are merged
// pairwise as lane_tree's (vector v with v + kV/2, ..., then vec_tree's halves). Written
// with vectors because GCC kept a T[kCascadeLanes] version of these lanes on the stack (for the
// tail's variable lane index), zeroed by a `rep stos` under AVX2 that every add then waited on:
// most of the time of an AVX2 sum over rows of 64. Only the vector holding the tail's last
// partial piece goes through memory (its other lanes +0, which is exact: a lane starts at +0 and
// so is never -0).
template <typename T, typename AddLevels, typename Map>
inline T cascade_last_run(const T* p, int64_t n, const AddLevels& add_levels, const Map& map) {
    typedef T vec_t __attribute__((vector_size(kVecBytes)));
    constexpr int kP = kVecBytes / sizeof(T), kV = kCascadeLanes / kP;
    vec_t a[kV];
    for (int v = 0; v < kV; ++v) a[v] = vec_t{};
    int64_t i = 0;
    for (; i + kCascadeLanes <= n; i += kCascadeLanes)
        for (int v = 0; v < kV; ++v) {
            vec_t x;
            std::memcpy(&x, p + i + v * kP, sizeof x);
            a[v] += map(x);
        }
    const int64_t rem = n - i;
    for (int v = 0; v < kV && v * kP < rem; ++v) {
        vec_t x = vec_t{};
        if ((v + 1) * kP <= rem) std::memcpy(&x, p + i + v * kP, sizeof x);
        else
            for (int64_t k = v * kP; k < rem; ++k) x[k - v * kP] = p[i + k];
        a[v] += map(x);
    }
    add_levels(a);
    const vec_t s = lane_tree<kV>(a, [](vec_t& x, const vec_t& y) { x += y; });
    return vec_tree<T, kVecBytes>(s, [](auto& x, const auto& y) { x += y; });
}
#endif

template <typename T, typename Map = SumOfValues>
T cascade_sum(const T* p, int64_t n, const Map& map = Map()) {
    constexpr int kL = kCascadeLanes;
    constexpr int64_t kBlock = int64_t{kL} * kCascadeStep;
#if defined(__GNUC__)
    if (n < kBlock) return cascade_last_run(p, n, [](auto*) {}, map);
#endif
    T level[kCascadeLevels][kL];
    int used = 0;  // levels touched so far (short rows never touch one)
    int64_t i = 0, runs = 0;
    for (; i + kBlock <= n; i += kBlock) {
        T a[kL];
#if defined(__GNUC__)
        // In vectors of the ISA's width, lane k of a as before: a scalar loop does not vectorise
        // around SumOfSquares' rounding barrier (a [1024, 1024] 2-norm took 3x as long).
        typedef T vec_t __attribute__((vector_size(kVecBytes)));
        constexpr int kP = kVecBytes / sizeof(T), kV = kL / kP;
        vec_t av[kV];
        for (int v = 0; v < kV; ++v) av[v] = vec_t{};
        for (int s = 0; s < kCascadeStep; ++s)
            for (int v = 0; v < kV; ++v) {
                vec_t x;
                std::memcpy(&x, p + i + s * kL + v * kP, sizeof x);
                av[v] += map(x);
            }
        std::memcpy(a, av, sizeof a);
#else
        for (int k = 0; k < kL; ++k) a[k] = T(0);
        for (int s = 0; s < kCascadeStep; ++s)
            for (int k = 0; k < kL; ++k) a[k] += map(p[i + s * kL + k]);
#endif
        if (used == 0) {
            for (int k = 0; k < kL; ++k) level[0][k] = T(0);
            used = 1;
        }
        for (int k = 0; k < kL; ++k) level[0][k] += a[k];
        ++runs;
        // Carry level l into l + 1 after every 16^(l+1) runs.
        for (int l = 0; l + 1 < kCascadeLevels && (runs & ((int64_t{1} << (4 * (l + 1))) - 1)) == 0; ++l) {
            if (used == l + 1) {
                for (int k = 0; k < kL; ++k) level[l + 1][k] = T(0);
                used = l + 2;
            }
            for (int k = 0; k < kL; ++k) {
                level[l + 1][k] += level[l][k];
                level[l][k] = T(0);
            }
        }
    }
#if defined(__GNUC__)
    return cascade_last_run(p + i, n - i, [&](auto* a) {
        using vec_t = std::remove_reference_t<decltype(*a)>;
        constexpr int kP = sizeof(vec_t) / sizeof(T);
        for (int l = 0; l < used; ++l)
            for (int v = 0; v < kL / kP; ++v) {
                vec_t x;
                std::memcpy(&x, level[l] + v * kP, sizeof x);
                a[v] += x;
            }
    }, map);
#else
    // The last partial run: whole lanes' worth, then the tail (lanes past it add zero).
    T a[kL] = {};
    for (; i + kL <= n; i += kL)
        for (int k = 0; k < kL; ++k) a[k] += map(p[i + k]);
    for (int k = 0; i + k < n; ++k) a[k] += map(p[i + k]);
    for (int l = 0; l < used; ++l)
        for (int k = 0; k < kL; ++k) a[k] += level[l][k];
    return lane_tree<kL>(a, [](T& x, T y) { x += y; });
#endif
}

// cascade_sum of the rows base + offs[r], r < count <= kCascadeRows, of n < kCascadeShortRow
// elements each (no level is ever touched), folded side by side (cpu/row_blocks.h): out[r] is
// cascade_sum(base + offs[r], n) bit for bit. The last partial run is added into the lanes
// zero-padded, which is exact: a lane starts at +0 and so is never -0, and x + 0 == x. readable:
// as lane_fold_rows's (elements from base known to be readable).
constexpr int64_t kCascadeShortRow = int64_t{kCascadeLanes} * kCascadeStep;

#if defined(__GNUC__)
constexpr int kCascadeRows = BlockVec<float>::kLanes;
template <typename Map = SumOfValues>
inline void cascade_sum_rows(const float* base, const int64_t* offs, int count, int64_t n, float* out, int64_t readable,
                             const Map& map = Map()) {
    using V = typename BlockVec<float>::type;
    const float zero = 0.0f;
    lane_fold_rows<float, kCascadeLanes>(base, offs, count, n, 0.0f, &zero,
                                         [&map](V& a, const float* p) {
                                             V v;
                                             load_as<float>(v, p);
                                             a += map(v);
                                         },
                                         [](V& a, const V& b) { a += b; }, out, readable);
}

// cascade_sum_rows over count <= kShortRowBlock rows (blocks of kCascadeRows), out[r] = row r's
// sum: what cascade_sum gives that row alone, bit for bit. readable and map as cascade_sum_rows's.
template <typename Map = SumOfValues>
void cascade_sum_blocks(const float* base, const int64_t* offs, int count, int64_t n, float* out, int64_t readable,
                        const Map& map = Map()) {
    for (int r0 = 0; r0 < count; r0 += kCascadeRows)
        cascade_sum_rows(base, offs + r0, std::min(kCascadeRows, count - r0), n, out + r0, readable, map);
}
#endif

}  // namespace CMP_ISA_NAME
}  // namespace cmp::cpu
