// The logical folds of the fold kernel (cpu/kernels/reductions.cpp): any/all (LogicalOp, with
// vector paths for blocks of short rows, long rows and columns) and count_nonzero.
#pragma once

#ifndef CMP_ISA_NAME
#error "cpu/fold_logical.h is for kernel files compiled per ISA (native/src/cpu/kernels/*.cpp)"
#endif

#include "cpu/fold_op_base.h"
#include "cpu/vec_inline.h"  // CMP_VEC_INLINE

#include <algorithm>
#include <cstring>

namespace cmp::cpu {
namespace {

template <typename T>
using logical_out_t = std::conditional_t<std::is_same_v<T, uint8_t>, uint8_t, bool>;

template <typename T, bool Any>
struct LogicalOp : OutBase<T, logical_out_t<T>> {
    using acc_t = bool;
    using OutBase<T, logical_out_t<T>>::OutBase;
    acc_t init() const { return !Any; }
    void step(acc_t& a, opmath_t<T> v, int64_t) const {
        const bool nz = v != opmath_t<T>(0);
        a = Any ? (a || nz) : (a && nz);
    }
    void combine(acc_t& a, const acc_t& b) const { a = Any ? (a || b) : (a && b); }
    void write(const acc_t& a, int64_t off) const { this->out[off] = static_cast<logical_out_t<T>>(a); }

    // Lanes of one row in fold_rows: 64 bytes of elements on every ISA (a multiple of the
    // block's rows, which are one register's lanes).
    static constexpr int kRowLanes = static_cast<int>(64 / sizeof(T));

    // Whether fold_rows folds rows of n elements: arithmetic dtypes, and at least two runs of
    // lanes (shorter rows it declines, and the block walk alone was 5-18% slower than the
    // plain row path for them: float32 rows of 4-24, float64 rows of 8).
    static constexpr bool takes_rows(int64_t n) {
        return kHasRowBlocks<sized_int_t<sizeof(T)>> && std::is_arithmetic_v<T> && n >= 2 * static_cast<int64_t>(kRowLanes);
    }

    // The vector kernels below work on lanes of the comparison mask x != 0 (the result does not
    // depend on the order, so any lanes give the same answer). Floats compare as floats (-0 is
    // zero, NaN is not); integers and bool through their bits. M is the mask's lane type.
    using M = sized_int_t<sizeof(T)>;
    static constexpr bool kVecMask = kHasRowBlocks<M> && std::is_arithmetic_v<T>;
#if defined(__GNUC__)
    using MaskV = typename BlockVec<M>::type;
    static CMP_VEC_INLINE void merge(MaskV& a, const MaskV& b) {
        if constexpr (Any) a |= b;
        else a &= b;
    }
    // Merges the mask of the vector of elements at p into a.
    static CMP_VEC_INLINE void mask_step(MaskV& a, const T* p) {
        using X = std::conditional_t<std::is_floating_point_v<T>, T, M>;
        using XV = typename BlockVec<X>::type;
        XV x;
        std::memcpy(&x, p, sizeof x);
        merge(a, x != XV{});
    }
#endif

    // Blocks of short rows of arithmetic dtypes.
    void fold_rows(const T* base, const int64_t* offs, int count, int64_t n, int64_t, acc_t* acc, bool* done) const {
        if constexpr (kVecMask) {
            fold_rows_lanes<M, kRowLanes>(*this, base, offs, count, n, M(Any ? 0 : -1),
                                          [](MaskV& a, const T* p) { mask_step(a, p); },
                                          [](MaskV& a, const MaskV& b) { merge(a, b); }, acc, done);
        } else {
            (void)base, (void)offs, (void)n, (void)acc;
            std::fill(done, done + count, false);
        }
    }

    // A long dense row of an arithmetic dtype: mask lanes a vector at a time (the scalar step
    // does not vectorise: GCC leaves bool || scalar, 0.75-0.88 of PyTorch on rows of 1024),
    // looked at every kDecideRun elements; once a lane decides the row (a nonzero for any, a
    // zero for all) the rest of it cannot change the result and is not read.
    bool fold_dense(const T* p, int64_t n, int64_t, acc_t& a) const {
        if constexpr (kVecMask) {
            if (a != !Any) return true;  // decided by an earlier row of this output
            constexpr int64_t kW = BlockVec<M>::kLanes, kDecideRun = 1024;
            const int64_t whole = n / kW * kW;
            for (int64_t i = 0; i < whole;) {
                MaskV m = MaskV{} + M(Any ? 0 : -1);
                for (const int64_t stop = std::min(whole, i + kDecideRun); i < stop; i += kW) mask_step(m, p + i);
                bool decided = false;
                for (int64_t k = 0; k < kW; ++k) decided |= Any ? m[k] != 0 : m[k] == 0;
                if (decided) {
                    a = Any;
                    return true;
                }
            }
            for (int64_t i = whole; i < n; ++i) step(a, static_cast<opmath_t<T>>(p[i]), i);
            return true;
        }
        (void)p, (void)n, (void)a;
        return false;
    }

    // A block of rows of len contiguous columns (the column path, e.g. any over dim 0): the
    // columns' masks in lanes of M, which vectorise across the columns where bool does not.
    bool fold_columns(const T* base, const int64_t* roff, int64_t nrows, int64_t, int64_t len, acc_t* acc) const {
        if constexpr (kVecMask) {
            M m[kColBlock];
            for (int64_t j = 0; j < len; ++j) m[j] = acc[j] ? M(1) : M(0);
            for (int64_t r = 0; r < nrows; ++r) {
                const T* row = base + roff[r];
                for (int64_t j = 0; j < len; ++j) {
                    const M nz = row[j] != T(0) ? M(1) : M(0);
                    m[j] = Any ? (m[j] | nz) : (m[j] & nz);
                }
            }
            for (int64_t j = 0; j < len; ++j) acc[j] = m[j] != 0;
            return true;
        }
        (void)base, (void)roff, (void)nrows, (void)len, (void)acc;
        return false;
    }
};

template <typename T>
struct CountNonzeroOp : OutBase<T, int64_t> {
    using acc_t = int64_t;
    using OutBase<T, int64_t>::OutBase;
    acc_t init() const { return 0; }
    void step(acc_t& a, opmath_t<T> v, int64_t) const { a += v != opmath_t<T>(0) ? 1 : 0; }
    void combine(acc_t& a, const acc_t& b) const { a += b; }
    void write(const acc_t& a, int64_t off) const { this->out[off] = a; }
};

}  // namespace
}  // namespace cmp::cpu
