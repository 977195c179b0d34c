// The fold driver of cpu/kernels/reductions.cpp: how an op struct (init / step / combine / write,
// and the optional paths of cpu/fold_traits.h) is run over a ReducePlan. Rows (fold_inner: each
// output's elements, chunk-parallel when there are few long outputs; fold_short_rows: blocks of
// short dense rows for ops with fold_rows) and columns (fold_outer: a block of neighbouring
// outputs accumulated down the reduced rows). Partials are merged in a fixed order, so results
// do not depend on the thread count. Compiled per ISA with the kernel file that includes it
// (everything in an anonymous namespace).
#pragma once

#ifndef CMP_ISA_NAME
#error "cpu/fold_driver.h is for kernel files compiled per ISA (native/src/cpu/kernels/*.cpp)"
#endif

#include "core/parallel.h"
#include "cpu/fold_traits.h"
#include "cpu/loops.h"
#include "cpu/reduce_loops.h"
#include "cpu/vec_reduce.h"

#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

namespace cmp::cpu {
namespace {

using namespace fold;

constexpr int64_t kChunk = 16384;   // reduced elements per deterministic chunk
constexpr int64_t kColBlock = 256;  // outputs per column-reduction work item
// Finished rows per write_block call (HasWriteBlock ops).
constexpr int kWriteBlock = 16;
constexpr int64_t kRowBlock = 128;  // rows whose offsets a column work item walks at once

template <typename Op>
using acc_of = typename Op::acc_t;

template <typename Op>
opmath_t<typename Op::in_t> load(const typename Op::in_t* p) {
    return static_cast<opmath_t<typename Op::in_t>>(*p);
}

#if defined(__GNUC__)
#define CMP_FOLD_NOINLINE __attribute__((noinline))
#elif defined(_MSC_VER)
#define CMP_FOLD_NOINLINE __declspec(noinline)
#else
#define CMP_FOLD_NOINLINE
#endif


// fold_row's element-by-element part: kLanes independent accumulators (lane k takes elements
// k, k + kLanes, ...) over long rows, merged with combine(), which every op makes independent of
// the merge order (index ops compare indices), then the rest in order. Out of line: its lane
// array gives it a realigned stack frame that, inlined into fold_row, every row paid for, also
// the rows fold_dense takes (a tenth of an AVX2 amax over rows of 64 was that prologue and
// epilogue).
template <typename Op>
CMP_FOLD_NOINLINE void fold_row_steps(const Op& op, const typename Op::in_t* p, int64_t stride, int64_t n, int64_t idx0,
                                      acc_of<Op>& acc) {
    constexpr int kLanes = LanesOf<Op>::value;
    int64_t i = 0;
    if (n >= 2 * kLanes) {
        acc_of<Op> lanes[kLanes];
        for (int k = 0; k < kLanes; ++k) lanes[k] = op.init();
        if (stride == 1) {
            for (; i + kLanes <= n; i += kLanes)
                for (int k = 0; k < kLanes; ++k) op.step(lanes[k], load<Op>(p + i + k), idx0 + i + k);
        } else {
            for (; i + kLanes <= n; i += kLanes)
                for (int k = 0; k < kLanes; ++k) op.step(lanes[k], load<Op>(p + (i + k) * stride), idx0 + i + k);
        }
        op.combine(acc, lane_tree<kLanes>(lanes, [&](acc_of<Op>& a, const acc_of<Op>& b) { op.combine(a, b); }));
    }
    for (; i < n; ++i) op.step(acc, load<Op>(p + i * stride), idx0 + i);
}

// Folds n elements `stride` apart, whose reduced indices are idx0, idx0 + 1, ..., into acc:
// dense rows through the op's fold_dense where it has one and takes the row, else fold_row_steps.
template <typename Op>
inline void fold_row(const Op& op, const typename Op::in_t* p, int64_t stride, int64_t n, int64_t idx0, acc_of<Op>& acc) {
    if constexpr (HasFoldDense<Op>::value) {
        if (stride == 1 && n >= DenseMinOf<Op>::value && op.fold_dense(p, n, idx0, acc)) return;
    }
    fold_row_steps(op, p, stride, n, idx0, acc);
}

// Folds reduced linear indices [begin, end) of the output whose input starts at base.
template <typename Op>
void fold_range(const Op& op, const typename Op::in_t* base, const std::vector<ReduceDim>& r, int64_t begin, int64_t end,
                acc_of<Op>& acc) {
    const ReduceDim& inner = r.back();
    int64_t i = begin;
    while (i < end) {
        const int64_t pos = i % inner.size;
        const int64_t len = std::min(end - i, inner.size - pos);
        fold_row(op, base + offset_of(r, i, false), inner.in_stride, len, i, acc);
        i += len;
    }
}

// Many short dense rows (is_short_row_reduction) of an op with fold_rows: blocks of rows
// through it, the rows it declines through fold_row.
template <typename Op>
void fold_short_rows(const ReducePlan& plan, const Op& op) {
    using T = typename Op::in_t;
    const T* in = static_cast<const T*>(plan.in);
    const int64_t rn = plan.reduce_numel;
    const int64_t grain = std::max<int64_t>(1, kDefaultGrain / rn);
    const int64_t readable = short_rows_readable(plan);
    parallel_for(0, plan.out_numel, grain, [&](int64_t b, int64_t e) {
        for_each_output_block(plan.kept, b, e, [&](int count, const int64_t* in_offs, const int64_t* out_offs) {
            acc_of<Op> acc[kShortRowBlock];
            bool done[kShortRowBlock];
            for (int r = 0; r < count; ++r) acc[r] = op.init();
            op.fold_rows(in, in_offs, count, rn, readable, acc, done);
            for (int r = 0; r < count; ++r) {
                if (!done[r]) fold_row(op, in + in_offs[r], 1, rn, 0, acc[r]);
                op.write(acc[r], out_offs[r]);
            }
        });
    });
}

template <typename Op>
void fold_inner(const ReducePlan& plan, const Op& op) {
    using T = typename Op::in_t;
    const T* in = static_cast<const T*>(plan.in);
    const int64_t rn = plan.reduce_numel;
    const int64_t nchunks = (rn + kChunk - 1) / kChunk;
    if (plan.out_numel < get_num_threads() && nchunks > 1) {
        // Few long outputs: chunks in parallel, partials merged in chunk order.
        std::vector<acc_of<Op>> partial(static_cast<size_t>(nchunks));
        for (int64_t k = 0; k < plan.out_numel; ++k) {
            const T* base = in + offset_of(plan.kept, k, false);
            parallel_for(0, nchunks, 1, [&](int64_t b, int64_t e) {
                for (int64_t c = b; c < e; ++c) {
                    acc_of<Op> a = op.init();
                    fold_range(op, base, plan.reduced, c * kChunk, std::min(rn, (c + 1) * kChunk), a);
                    partial[static_cast<size_t>(c)] = a;
                }
            });
            acc_of<Op> total = op.init();
            for (const auto& a : partial) op.combine(total, a);
            op.write(total, offset_of(plan.kept, k, true));
        }
        return;
    }
    const int64_t grain = std::max<int64_t>(1, kDefaultGrain / std::max<int64_t>(rn, 1));
    const bool one_row = plan.reduced.size() == 1;  // rows of a matrix: no index arithmetic
    parallel_for(0, plan.out_numel, grain, [&](int64_t b, int64_t e) {
        [[maybe_unused]] acc_of<Op> done[HasWriteBlock<Op>::value ? kWriteBlock : 1];
        [[maybe_unused]] int64_t done_off[HasWriteBlock<Op>::value ? kWriteBlock : 1];
        [[maybe_unused]] int ndone = 0;
        for_each_output(plan.kept, b, e, [&](int64_t, int64_t in_off, int64_t out_off) {
            acc_of<Op> a = op.init();
            if (one_row) fold_row(op, in + in_off, plan.reduced[0].in_stride, rn, 0, a);
            else fold_range(op, in + in_off, plan.reduced, 0, rn, a);
            if constexpr (HasWriteBlock<Op>::value) {
                done[ndone] = a;
                done_off[ndone] = out_off;
                if (++ndone == kWriteBlock) op.write_block(done, done_off, std::exchange(ndone, 0));
            } else {
                op.write(a, out_off);
            }
        });
        if constexpr (HasWriteBlock<Op>::value) {
            if (ndone > 0) op.write_block(done, done_off, ndone);
        }
    });
}

// Column reduction: one work item holds the accumulators of up to kColBlock neighbouring
// outputs and runs down the reduced rows (in blocks of kRowBlock, whose offsets are walked
// once instead of a division per row); the inner loop goes across outputs.
template <typename Op>
void fold_outer(const ReducePlan& plan, const Op& op) {
    using T = typename Op::in_t;
    const T* in = static_cast<const T*>(plan.in);
    const ReduceDim col = plan.kept.back();
    const std::vector<ReduceDim> outer_kept(plan.kept.begin(), plan.kept.end() - 1);
    const int64_t outer_numel = plan.out_numel / col.size;
    const int64_t blocks = (col.size + kColBlock - 1) / kColBlock;
    const int64_t rn = plan.reduce_numel;
    const int64_t grain = std::max<int64_t>(1, kDefaultGrain / std::max<int64_t>(rn * kColBlock, 1));
    parallel_for(0, outer_numel * blocks, grain, [&](int64_t b, int64_t e) {
        // Not std::vector: vector<bool> has no bool& elements.
        std::unique_ptr<acc_of<Op>[]> acc(new acc_of<Op>[kColBlock]);
        int64_t roff[kRowBlock];
        for (int64_t item = b; item < e; ++item) {
            const int64_t o = item / blocks;
            const int64_t j0 = (item % blocks) * kColBlock;
            const int64_t len = std::min(kColBlock, col.size - j0);
            const T* base = in + offset_of(outer_kept, o, false) + j0 * col.in_stride;
            std::fill(acc.get(), acc.get() + len, op.init());
            for (int64_t r0 = 0; r0 < rn; r0 += kRowBlock) {
                const int64_t r1 = std::min(rn, r0 + kRowBlock);
                for_each_output(plan.reduced, r0, r1, [&](int64_t r, int64_t off, int64_t) { roff[r - r0] = off; });
                if constexpr (HasFoldColumns<Op>::value) {
                    if (col.in_stride == 1 && op.fold_columns(base, roff, r1 - r0, r0, len, acc.get())) continue;
                }
                for (int64_t r = r0; r < r1; ++r) {
                    const T* row = base + roff[r - r0];
                    if (col.in_stride == 1) {
                        for (int64_t j = 0; j < len; ++j) op.step(acc[j], load<Op>(row + j), r);
                    } else {
                        for (int64_t j = 0; j < len; ++j) op.step(acc[j], load<Op>(row + j * col.in_stride), r);
                    }
                }
            }
            const int64_t out0 = offset_of(outer_kept, o, true) + j0 * col.out_stride;
            for (int64_t jj = 0; jj < len; ++jj) op.write(acc[jj], out0 + jj * col.out_stride);
        }
    });
}

template <typename Op>
void run_fold(const ReducePlan& plan, const Op& op) {
    CMP_CHECK(plan.out_dtype == Op::out_dtype, INTERNAL_ERROR, plan.op, ": unexpected output dtype ",
              dtype_name(plan.out_dtype));
    if (plan.out_numel == 0) return;
    if (is_column_reduction(plan)) {
        fold_outer(plan, op);
        return;
    }
    if constexpr (HasFoldRows<Op>::value) {
        if (is_short_row_reduction(plan) && Op::takes_rows(plan.reduce_numel)) {
            fold_short_rows(plan, op);
            return;
        }
    }
    fold_inner(plan, op);
}

}  // namespace
}  // namespace cmp::cpu
