// Helpers shared by the reduction kernels (kernels/reduce.cpp and kernels/reductions.cpp):
// walking the kept and reduced dims of a ReducePlan. Per-ISA namespace for the same reason as
// cpu/loops.h: every kernel file compiles these once per ISA.
#pragma once

#ifndef CMP_ISA_NAME
#error "cpu/reduce_loops.h is for kernel files compiled per ISA (native/src/cpu/kernels/*.cpp)"
#endif

#include "cpu/reduce_stubs.h"
#include "cpu/vec_reduce.h"  // lane_tree

#include "core/dtype.h"

#include <algorithm>
#include <cstdint>
#include <type_traits>
#include <vector>

namespace cmp::cpu {
inline namespace CMP_ISA_NAME {

// Accumulation type of sums and products: float32 in float64, float16/bfloat16 in float32,
// integers and bool in int64 (wrapping), float64 in itself.
template <typename T>
using acc_type_t = std::conditional_t<std::is_same_v<T, float>, double,
                                      std::conditional_t<std::is_integral_v<T>, int64_t, opmath_t<T>>>;

// Offset (in elements) of linear index `linear` over dims (outermost first), in the input or
// (out == true) in the output.
inline int64_t offset_of(const std::vector<ReduceDim>& dims, int64_t linear, bool out) {
    int64_t off = 0;
    for (size_t d = dims.size(); d-- > 0;) {
        const int64_t i = linear % dims[d].size;
        linear /= dims[d].size;
        off += i * (out ? dims[d].out_stride : dims[d].in_stride);
    }
    return off;
}

// Calls f(k, in_off, out_off) for the outputs k in [begin, end) over the kept dims (outermost
// first). The offsets advance with a carry per step instead of offset_of's division per dim, which
// is most of the cost of an output whose reduction is short (rows of 64 elements).
template <typename F>
void for_each_output(const std::vector<ReduceDim>& kept, int64_t begin, int64_t end, const F& f) {
    if (begin >= end) return;
    const size_t nd = kept.size();
    if (nd <= 1) {
        const int64_t is = nd ? kept[0].in_stride : 0, os = nd ? kept[0].out_stride : 0;
        for (int64_t k = begin; k < end; ++k) f(k, k * is, k * os);
        return;
    }
    std::vector<int64_t> idx(nd);
    for (size_t d = nd, rest = static_cast<size_t>(begin); d-- > 0;) {
        idx[d] = static_cast<int64_t>(rest) % kept[d].size;
        rest /= static_cast<size_t>(kept[d].size);
    }
    int64_t in_off = offset_of(kept, begin, false), out_off = offset_of(kept, begin, true);
    const ReduceDim& inner = kept[nd - 1];
    for (int64_t k = begin; k < end;) {
        // A run along the innermost kept dim, then one carry into the outer dims.
        const int64_t run = std::min(end - k, inner.size - idx[nd - 1]);
        for (int64_t j = 0; j < run; ++j) f(k + j, in_off + j * inner.in_stride, out_off + j * inner.out_stride);
        k += run;
        in_off += run * inner.in_stride;
        out_off += run * inner.out_stride;
        idx[nd - 1] += run;
        for (size_t d = nd - 1; d > 0 && idx[d] == kept[d].size; --d) {
            in_off -= kept[d].size * kept[d].in_stride;
            out_off -= kept[d].size * kept[d].out_stride;
            idx[d] = 0;
            ++idx[d - 1];
            in_off += kept[d - 1].in_stride;
            out_off += kept[d - 1].out_stride;
        }
    }
}

// Rows per block of the short-row paths (a multiple of every block kernel's row count: the
// lanes of one vector register of the accumulator, cpu/row_blocks.h), and the longest reduction
// they take: beyond a few hundred elements the per-row cost they remove is a small part of a
// row's time.
constexpr int kShortRowBlock = 64;
constexpr int64_t kShortRow = 256;

// for_each_output in blocks: f(count, in_offs, out_offs) for up to kShortRowBlock outputs at a time.
template <typename F>
void for_each_output_block(const std::vector<ReduceDim>& kept, int64_t begin, int64_t end, const F& f) {
    int64_t in_offs[kShortRowBlock], out_offs[kShortRowBlock];
    if (kept.size() <= 1) {
        // One kept dim (the usual [rows, n] case): each block's offsets in one loop that
        // vectorises. Through for_each_output's callback, with f's body inlined into it, the
        // loop's state lived on the stack: a tenth of a prod over rows of 64.
        const int64_t is = kept.empty() ? 0 : kept[0].in_stride, os = kept.empty() ? 0 : kept[0].out_stride;
        // Stepped by additions: x86 has no 64-bit vector multiply, GCC emulated one per offset.
        int64_t io = begin * is, oo = begin * os;
        for (int64_t k0 = begin; k0 < end; k0 += kShortRowBlock) {
            const int count = static_cast<int>(std::min<int64_t>(kShortRowBlock, end - k0));
            for (int j = 0; j < count; ++j, io += is, oo += os) {
                in_offs[j] = io;
                out_offs[j] = oo;
            }
            f(count, in_offs, out_offs);
        }
        return;
    }
    int count = 0;
    for_each_output(kept, begin, end, [&](int64_t, int64_t in_off, int64_t out_off) {
        in_offs[count] = in_off;
        out_offs[count] = out_off;
        if (++count == kShortRowBlock) {
            f(count, in_offs, out_offs);
            count = 0;
        }
    });
    if (count > 0) f(count, in_offs, out_offs);
}

// Whether a reduction takes the short-row block path: one dense reduced dim of at most
// kShortRow elements, and more than one output (a single output keeps the plain row path,
// which the tests use as the reference for the block kernels' bits).
inline bool is_short_row_reduction(const ReducePlan& plan) {
    return plan.out_numel > 1 && plan.reduced.size() == 1 && plan.reduced[0].in_stride == 1 &&
           plan.reduce_numel >= 1 && plan.reduce_numel <= kShortRow;
}

// Elements readable from the input of a short-row reduction: up to its highest element (the
// storage spans every element's address), so each row's last partial run can be read as whole
// vectors (cpu/row_blocks.h's lane_fold_rows), not only those of the rows below the highest one
// of each block.
inline int64_t short_rows_readable(const ReducePlan& plan) {
    int64_t readable = plan.reduce_numel;
    for (const ReduceDim& d : plan.kept) readable += std::max<int64_t>(0, (d.size - 1) * d.in_stride);
    return readable;
}

// Whether the kernel should run as a column reduction: the innermost kept dim is closer
// together in memory than the innermost reduced one, so neighbouring outputs are accumulated
// side by side (vectorised across outputs) instead of one output at a time.
inline bool is_column_reduction(const ReducePlan& plan) {
    const auto abs64 = [](int64_t v) { return v < 0 ? -v : v; };
    return !plan.kept.empty() && abs64(plan.kept.back().in_stride) < abs64(plan.reduced.back().in_stride);
}

}  // namespace CMP_ISA_NAME
}  // namespace cmp::cpu
