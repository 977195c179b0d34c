// Reductions of a block of short rows at once. A row of 64 elements costs only a few vector
// steps, so folding each row's lanes to one value (log2(lanes) shuffle-and-merge levels, in a
// dependency chain) and the per-row set-up were most of its time. Here R rows (R = lanes of one
// vector register, in the accumulator's type) are folded side by side, and their lane merges are
// done together by a transposing tree: each level merges two vectors of row partials into one,
// so R rows cost R - 1 merges instead of R * log2(R).
//
// Everything here works on vectors of at most the ISA's own width (cpu/vec_width.h; 32 bytes at
// AVX-512, kBlockBytes), never wider: GCC
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
// The width of a block's vectors: the ISA's, but at most 32 bytes. At AVX-512 (AMD EPYC, Zen 4,
// which splits 64-byte operations in two) blocks of 16 rows in 64-byte vectors were slower than
// blocks of 8 in 32-byte ones on every length measured: sums over rows of 49 93 -> 70 us, of 100
// 89 -> 50, prod over rows of 64 102 -> 80, any/all rows of 64 96 -> 76 (2026-12-07), while any/all
// over long rows (fold_dense, also BlockVec) stayed at 58-60 us for [1, 1048576]. (Why is not
// known: perf on this VM shows the wide version waiting on its loads, not on more instructions.)
constexpr int kBlockBytes = kVecBytes > 32 ? 32 : kVecBytes;
// One vector register of A (at most kBlockBytes), and its lane count: the rows a block folds
// together.
template <typename A>
struct BlockVec {
    typedef A type __attribute__((vector_size(kBlockBytes)));
    static constexpr int kLanes = static_cast<int>(kBlockBytes / sizeof(A));
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

// Steps acc[j], j < L / R (R = BlockVec<T>::kLanes), with the vectors of src[0, rem) and padv's lanes
// after it, reading src only up to the end of the last vector that holds an element of [0, rem)
// (the caller knows that much is readable): whole vectors loaded, the one that straddles rem
// blended with pad, and handed to step without going through memory. (Copying the rem elements
// into a padded array instead, then loading it, stalled every load on store forwarding; a
// padded array written as whole vectors and reloaded kept the accumulators on the stack.)
template <typename T, int L, typename Step, size_t... J>
inline void masked_tail_step(const T* src, int64_t rem, const typename BlockVec<T>::type& padv, typename BlockVec<T>::type* acc,
                             const Step& step, std::index_sequence<J...>) {
    using I = sized_int_t<sizeof(T)>;
    using IV = typename BlockVec<I>::type;
    constexpr int kT = BlockVec<T>::kLanes;
    const IV iota = IV{static_cast<I>(J)...};
    IV padi = IV{};
    std::memcpy(&padi, &padv, sizeof padi);
#pragma GCC unroll 16
    for (int j = 0; j < L / kT; ++j) {
        IV v = padi;
        if (j * kT < rem) {
            std::memcpy(&v, src + j * kT, sizeof v);
            if ((j + 1) * kT > rem) {
                const IV keep = (iota + static_cast<I>(j * kT)) < static_cast<I>(rem);
                v = (v & keep) | (padi & ~keep);
            }
        }
        alignas(kBlockBytes) T x[kT];
        std::memcpy(x, &v, sizeof v);
        step(acc[j], x);
    }
}

// Folds rows base + offs[r], r < count <= R (R = BlockVec<A>::kLanes), of n elements each, the way
// one row's L independent lanes are folded: element i + k of a whole run of L goes to lane k
// (step(acc, p) folds the R elements at p into one vector of lanes), then the lanes are merged
// pairwise (lane k with k + L/2, ...) with combine. With pad (the op's identity, exact under
// step) the last partial run is folded too, as if padded with *pad; without it that tail is left
// to the caller. out[r] receives row r's fold; returns the elements folded per row. readable:
// elements from base that the caller knows to be readable (one tensor's storage; at least the
// rows themselves are), which lets a row's last partial run be read as whole vectors.
template <typename A, int L, typename T, typename Step, typename Combine>
int64_t lane_fold_rows(const T* base, const int64_t* offs, int count, int64_t n, A init, const T* pad, const Step& step,
                       const Combine& combine, A* out, int64_t readable = 0) {
    using V = typename BlockVec<A>::type;
    constexpr int kR = BlockVec<A>::kLanes;
    constexpr int kPerRow = L / kR;  // vectors of lanes per row
    static_assert(L % kR == 0 && (kPerRow & (kPerRow - 1)) == 0, "lane_fold_rows: L must be a power-of-two multiple of R");
    const int64_t whole = n / L * L;
    const int64_t done = pad && whole < n ? n : whole;
    constexpr int kT = static_cast<int>(kBlockBytes / sizeof(T));  // not BlockVec<T>: T may be bool
    const int64_t tail_read = (n - whole + kT - 1) / kT * kT;
    // The broadcasts of init and pad once per call, not per row (they were, when these vectors
    // were 64 bytes wide under AVX2 too, built from one scalar store per lane and reloaded).
    const V initv = V{} + init;
    V padv = initv;  // masked_tail_step's pad, where it reads the element type (A == T)
    if constexpr (std::is_same_v<A, T>)
        if (pad) padv = V{} + *pad;
    // Whether a tail may be read as vectors (A == T; bool rows, folded as masks, copy it).
    constexpr bool kVecTail = std::is_same_v<A, T>;
    // One row's fold into res: its whole runs, then its last partial run (Kind: none, read as
    // vectors, or from tail, a padded copy), and the first levels of the lane tree, which stay
    // within the row (vector j with j + kPerRow/2, ...). The loops over acc are unrolled before
    // GCC's scalar replacement of aggregates, so that acc lives in registers (left as an array it
    // was loaded and stored around every step).
    enum Kind { kNoTail, kVecRead, kCopied };
    const auto fold_row = [&](const T* p, auto kind, const T* tail, V& res) {
        constexpr Kind kK = decltype(kind)::value;
        V acc[kPerRow];
#pragma GCC unroll 16
        for (int j = 0; j < kPerRow; ++j) acc[j] = initv;
        for (int64_t i = 0; i < whole; i += L)
#pragma GCC unroll 16
            for (int j = 0; j < kPerRow; ++j) step(acc[j], p + i + j * kR);
        if constexpr (kK == kVecRead && kVecTail) masked_tail_step<T, L>(p + whole, n - whole, padv, acc, step, std::make_index_sequence<kT>());
        if constexpr (kK == kCopied)
#pragma GCC unroll 16
            for (int j = 0; j < kPerRow; ++j) step(acc[j], tail + j * kR);
#pragma GCC unroll 4
        for (int w = kPerRow / 2; w > 0; w /= 2)
#pragma GCC unroll 16
            for (int j = 0; j < w; ++j) combine(acc[j], acc[j + w]);
        res = acc[0];
    };
    using NoTail = std::integral_constant<Kind, kNoTail>;
    using VecRead = std::integral_constant<Kind, kVecRead>;
    using Copied = std::integral_constant<Kind, kCopied>;
    V rows[kR];
    // A full block whose tails are all read as vectors, or that has none (the common case: every
    // row but the tensor's last), with no per-row decision: on rows of 49 those tests and
    // branches were a third of the instructions.
    int64_t last = 0;  // the block's highest row: up to its end, everything is readable
    for (int r = 0; r < count; ++r) last = std::max(last, offs[r]);
    readable = std::max(readable, last + n);
    if (count == kR && done == whole) {
        for (int r = 0; r < kR; ++r) fold_row(base + offs[r], NoTail(), nullptr, rows[r]);
    } else if (count == kR && kVecTail && last + whole + tail_read <= readable) {
        for (int r = 0; r < kR; ++r) fold_row(base + offs[r], VecRead(), nullptr, rows[r]);
    } else {
        for (int r = 0; r < kR; ++r) {
            rows[r] = initv;  // a lane past count: any value, its lane of the tree is not read
            if (r >= count) continue;
            const T* p = base + offs[r];
            if (done == whole) {
                fold_row(p, NoTail(), nullptr, rows[r]);
            } else if (kVecTail && offs[r] + whole + tail_read <= readable) {
                fold_row(p, VecRead(), nullptr, rows[r]);
            } else {
                // Copied into a padded array before the row's accumulators are live (a memcpy
                // call among them spilled them in every row).
                alignas(64) T tail[L];
                for (int k = 0; k < L; ++k) tail[k] = *pad;
                std::memcpy(tail, p + whole, static_cast<size_t>(n - whole) * sizeof(T));
                fold_row(p, Copied(), tail, rows[r]);
            }
        }
    }
    transpose_tree<A, kR>(rows, combine);
    // A whole block leaves as one vector store: the caller's wider loads of out (a conversion to
    // the accumulator type, the mean's division) waited on store forwarding from kR scalar stores.
    if (count == kR) std::memcpy(out, &rows[0], sizeof rows[0]);
    else
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
