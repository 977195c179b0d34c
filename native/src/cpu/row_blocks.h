// Reductions of a block of short rows at once. A row of 64 elements costs only a few vector
// steps, so folding each row's lanes to one value (log2(lanes) shuffle-and-merge levels, in a
// dependency chain) and the per-row set-up were most of its time. Here R rows (R = lanes of one
// vector register of the ISA, in the accumulator's type) are folded side by side, and their lane
// merges are done together by a transposing tree: each level merges two vectors of row partials
// into one, so R rows cost R - 1 merges instead of R * log2(R).
//
// Everything here works on vectors of the ISA's own width (cpu/vec_width.h), never wider: GCC
// has no register mode for a 64-byte vector under AVX2 or SSE, so it kept such accumulators on
// the stack (every add a store and reloads) and lowered their shuffles element by element
// through memory, which made AVX2 7x slower than AVX-512 on global average pooling.
//
// Lanes are merged in exactly the pairs that lane_tree/vec_tree (cpu/vec_reduce.h) use for one
// row (lane k with lane k + W/2, then the halves again), so a row folded here gives the same
// bits as the same row folded alone, whatever R is. Per-ISA namespace as cpu/loops.h.
#pragma once

#ifndef CMP_ISA_NAME
#error "cpu/row_blocks.h is for kernel files compiled per ISA (native/src/cpu/kernels/*.cpp)"
#endif

#include "cpu/vec_width.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <utility>

namespace cmp::cpu {
inline namespace CMP_ISA_NAME {

// The signed integer of N bytes: the lane type of a comparison mask of N-byte elements.
template <size_t N>
using sized_int_t = std::conditional_t<N == 1, int8_t, std::conditional_t<N == 2, int16_t, std::conditional_t<N == 4, int32_t, int64_t>>>;

// Whether the block kernels exist for accumulator A (GCC/Clang vector extensions, arithmetic A).
template <typename A>
constexpr bool kHasRowBlocks =
#if defined(__GNUC__)
    std::is_arithmetic_v<A> && !std::is_same_v<A, bool>;
#else
    false;
#endif

#if defined(__GNUC__)
// One vector register of A, and its lane count: the rows a block folds together.
template <typename A>
struct BlockVec {
    typedef A type __attribute__((vector_size(kVecBytes)));
    static constexpr int kLanes = static_cast<int>(kVecBytes / sizeof(A));
};

// Source lane of output lane j when two vectors of n lanes, each holding groups of w lanes (one
// group per row), are split into the groups' low halves (hi = false) or high halves: the output
// holds the first vector's groups, then the second's, each w/2 wide.
constexpr int tree_source(int j, int n, int w, bool hi) {
    const int half = w / 2, groups = n / w, group = j / half, pos = j % half + (hi ? half : 0);
    return group < groups ? group * w + pos : n + (group - groups) * w + pos;
}

template <int W, typename V, typename F, size_t... J>
inline void tree_merge_pair(V& p, const V& q, const F& f, std::index_sequence<J...>) {
    constexpr int kN = static_cast<int>(sizeof...(J));
    V lo = __builtin_shufflevector(p, q, tree_source(static_cast<int>(J), kN, W, false)...);
    const V hi = __builtin_shufflevector(p, q, tree_source(static_cast<int>(J), kN, W, true)...);
    f(lo, hi);
    p = lo;
}

// v[0..W) each hold the rows' partials in groups of W lanes (at the first level one vector per
// row, in row order); merges them level by level down to v[0], whose lane r is then row r's
// fold. f(a, b) merges b into a in place, as vec_tree's.
template <typename A, int W, typename V, typename F>
inline void transpose_tree(V* v, const F& f) {
    if constexpr (W > 1) {
        for (int i = 0; i < W / 2; ++i) {
            tree_merge_pair<W>(v[2 * i], v[2 * i + 1], f, std::make_index_sequence<BlockVec<A>::kLanes>());
            v[i] = v[2 * i];
        }
        transpose_tree<A, W / 2>(v, f);
    }
}

// Fills tail[0, L) with src[0, rem) and padv's lanes after it, reading src only up to the end of the last
// vector that holds an element of [0, rem) (the caller knows that much is readable):
// whole vectors loaded and blended with pad, then stored as whole vectors. Copying the rem
// elements into a padded array instead (memcpy of a few bytes, then 64-byte loads across it)
// stalled every load on store forwarding, which was most of the time of rows of 8-49.
template <typename T, int L, size_t... J>
inline void masked_tail(const T* src, int64_t rem, const typename BlockVec<T>::type& padv, T* tail, std::index_sequence<J...>) {
    using I = sized_int_t<sizeof(T)>;
    using IV = typename BlockVec<I>::type;
    constexpr int kT = BlockVec<T>::kLanes;
    const IV iota = IV{static_cast<I>(J)...};
    IV padi = IV{};
    std::memcpy(&padi, &padv, sizeof padi);
    for (int j = 0; j < L / kT; ++j) {
        IV v = padi;
        if (j * kT < rem) {
            std::memcpy(&v, src + j * kT, sizeof v);
            const IV keep = (iota + static_cast<I>(j * kT)) < static_cast<I>(rem);
            v = (v & keep) | (padi & ~keep);
        }
        std::memcpy(tail + j * kT, &v, sizeof v);
    }
}

// Folds rows base + offs[r], r < count <= R (R = BlockVec<A>::kLanes), of n elements each, the way
// one row's L independent lanes are folded: element i + k of a whole run of L goes to lane k
// (step(acc, p) folds the R elements at p into one vector of lanes), then the lanes are merged
// pairwise (lane k with k + L/2, ...) with combine. With pad (the op's identity, exact under
// step) the last partial run is folded too, from a copy filled with *pad; without it that tail
// is left to the caller. out[r] receives row r's fold; returns the elements folded per row.
template <typename A, int L, typename T, typename Step, typename Combine>
int64_t lane_fold_rows(const T* base, const int64_t* offs, int count, int64_t n, A init, const T* pad, const Step& step,
                       const Combine& combine, A* out) {
    using V = typename BlockVec<A>::type;
    constexpr int kR = BlockVec<A>::kLanes;
    constexpr int kPerRow = L / kR;  // vectors of lanes per row
    static_assert(L % kR == 0 && (kPerRow & (kPerRow - 1)) == 0, "lane_fold_rows: L must be a power-of-two multiple of R");
    const int64_t whole = n / L * L;
    const int64_t done = pad && whole < n ? n : whole;
    // The end of the block's highest row: memory from a row's start up to it is one tensor's
    // storage, so a row's last partial run may be read whole vectors at a time below it.
    constexpr int kT = static_cast<int>(kVecBytes / sizeof(T));  // not BlockVec<T>: T may be bool
    const int64_t tail_read = (n - whole + kT - 1) / kT * kT;
    int64_t readable = 0;
    if (done > whole)
        for (int r = 0; r < count; ++r) readable = std::max(readable, offs[r] + n);
    // The broadcasts of init and pad once per call, not per row (they were, when these vectors
    // were 64 bytes wide under AVX2 too, built from one scalar store per lane and reloaded).
    const V initv = V{} + init;
    V padv = initv;  // masked_tail's pad, where it reads the element type (A == T)
    if constexpr (std::is_same_v<A, T>)
        if (pad) padv = V{} + *pad;
    V rows[kR];
    for (int r = 0; r < kR; ++r) {
        V acc[kPerRow];
        for (int j = 0; j < kPerRow; ++j) acc[j] = initv;
        if (r < count) {
            const T* p = base + offs[r];
            for (int64_t i = 0; i < whole; i += L)
                for (int j = 0; j < kPerRow; ++j) step(acc[j], p + i + j * kR);
            if (done > whole) {
                alignas(64) T tail[L];
                bool filled = false;
                if constexpr (std::is_same_v<A, T>) {
                    if (offs[r] + whole + tail_read <= readable) {
                        masked_tail<T, L>(p + whole, n - whole, padv, tail, std::make_index_sequence<kT>());
                        filled = true;
                    }
                }
                if (!filled) {
                    for (int k = 0; k < L; ++k) tail[k] = *pad;
                    std::memcpy(tail, p + whole, static_cast<size_t>(n - whole) * sizeof(T));
                }
                for (int j = 0; j < kPerRow; ++j) step(acc[j], tail + j * kR);
            }
        }
        // The first levels of the lane tree stay within the row: vector j with j + kPerRow/2.
        for (int w = kPerRow / 2; w > 0; w /= 2)
            for (int j = 0; j < w; ++j) combine(acc[j], acc[j + w]);
        rows[r] = acc[0];
    }
    transpose_tree<A, kR>(rows, combine);
    for (int r = 0; r < count; ++r) out[r] = rows[0][r];
    return done;
}

// Loads the R elements at p into v. (By reference: vectors passed or returned by value change
// the ABI on baseline x86-64.)
template <typename A>
inline void load_as(typename BlockVec<A>::type& v, const A* p) {
    std::memcpy(&v, p, sizeof v);
}
#endif

}  // namespace CMP_ISA_NAME
}  // namespace cmp::cpu
