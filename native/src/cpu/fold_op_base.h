// What the op structs of the fold kernel (cpu/kernels/reductions.cpp, cpu/fold_logical.h) share:
// the driver's block sizes, OutBase (the output pointer of ops whose result has one dtype), and
// fold_rows_lanes, the block-of-short-rows path (cpu/row_blocks.h) that prod and any/all offer.
// Compiled per ISA with the kernel file that includes it (everything in an anonymous namespace).
#pragma once

#ifndef CMP_ISA_NAME
#error "cpu/fold_op_base.h is for kernel files compiled per ISA (native/src/cpu/kernels/*.cpp)"
#endif

#include "cpu/fold_traits.h"
#include "cpu/loops.h"
#include "cpu/reduce_loops.h"
#include "cpu/row_blocks.h"
#include "cpu/vec_reduce.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <type_traits>

namespace cmp::cpu {
namespace {

using namespace fold;

constexpr int64_t kChunk = 16384;   // reduced elements per deterministic chunk
constexpr int64_t kColBlock = 256;  // outputs per column-reduction work item
// Finished rows per write_block call (HasWriteBlock ops).
constexpr int kWriteBlock = 16;
static_assert(kColBlock <= kColumnExtremumMax, "fold_columns of amax/amin/logsumexp: column_extremum's limit");
constexpr int64_t kRowBlock = 128;  // rows whose offsets a column work item walks at once

template <typename V>
bool is_nan(V v) {
    if constexpr (std::is_floating_point_v<V>) return std::isnan(v);
    else return false;
}

// Base of the ops whose output has the input's element type, or out_t.
template <typename T, typename out_t>
struct OutBase {
    using in_t = T;
    out_t* out;
    explicit OutBase(const ReducePlan& p) : out(static_cast<out_t*>(p.out)) {}
    static constexpr DType out_dtype = dtype_of<out_t>;
};

// fold_row's lanes path for a block of rows (cpu/row_blocks.h), for ops whose lanes vectorise:
// L lanes of A (the op's accumulator, or a mask type for the logical ops) over the whole runs
// of L, merged pairwise, then combine()d into acc[r] and the tail step()ped in order, as
// fold_row does for one row. Rows shorter than 2 * L (which fold_row steps in order without
// lanes) are left to the caller: done[r] = false.
template <typename A, int L, typename Op, typename VStep, typename VCombine>
void fold_rows_lanes(const Op& op, const typename Op::in_t* base, const int64_t* offs, int count, int64_t n, A init,
                     const VStep& vstep, const VCombine& vcombine, typename Op::acc_t* acc, bool* done) {
    using T = typename Op::in_t;
    if (n < 2 * L) {
        std::fill(done, done + count, false);
        return;
    }
#if defined(__GNUC__)
    constexpr int kR = BlockVec<A>::kLanes;
    alignas(kBlockBytes) A tree[kR];
    std::fill(done, done + count, true);
    for (int r0 = 0; r0 < count; r0 += kR) {
        const int c = std::min(kR, count - r0);
        const int64_t i = lane_fold_rows<A, L>(base, offs + r0, c, n, init, static_cast<const T*>(nullptr), vstep, vcombine, tree);
        if constexpr (std::is_same_v<A, typename Op::acc_t>) {
            // A whole block of whole rows (no tail to step) in the accumulators' own type: one
            // vcombine instead of kR scalar combine()s, which it equals lane by lane when A is
            // acc_t (the per-row finishing was a quarter of a prod over rows of 64).
            if (c == kR && i == n) {
                typename BlockVec<A>::type a, t;
                std::memcpy(&a, acc + r0, sizeof a);
                std::memcpy(&t, tree, sizeof t);
                vcombine(a, t);
                std::memcpy(acc + r0, &a, sizeof a);
                continue;
            }
        }
        for (int r = 0; r < c; ++r) {
            const T* p = base + offs[r0 + r];
            op.combine(acc[r0 + r], static_cast<typename Op::acc_t>(tree[r]));
            for (int64_t k = i; k < n; ++k) op.step(acc[r0 + r], static_cast<opmath_t<T>>(p[k]), k);
        }
    }
#else
    (void)op, (void)base, (void)offs, (void)init, (void)vstep, (void)vcombine, (void)acc;
    std::fill(done, done + count, false);
#endif
}

}  // namespace
}  // namespace cmp::cpu
