// Sum and mean kernels. Accumulation: float32 in float64, except dense runs (rows, chunks of at
// most kChunk elements), which are summed in float32 by vec_reduce.h's cascade_sum before their
// float64 total; float64 in float64, dense runs by the same cascade_sum (a [1M] sum at avx2 went
// from 0.52-0.57 of PyTorch with 16 scalar lanes under a pairwise split to 0.95-0.98);
// float16/bfloat16 in float32; integers and bool in int64 (wrapping). Results
// do not depend on the thread count: every output is the in-order fold of the same fixed-size
// chunks whichever thread computes them.
#include "core/parallel.h"
#include "cpu/loops.h"
#include "cpu/reduce_loops.h"
#include "cpu/reduce_stubs.h"
#include "cpu/vec_reduce.h"

#include <algorithm>
#include <cstdlib>
#include <vector>

namespace cmp::cpu {
namespace {

constexpr int64_t kChunk = 16384;       // reduced elements per deterministic chunk
constexpr int64_t kPairwiseBlock = 2048; // below this a run is summed with independent lanes
constexpr int kLanes = 16;
constexpr int64_t kRowBlock = 128;      // rows per partial in column reductions
constexpr int64_t kColBlock = 256;      // outputs per column-reduction work item

template <typename A>
inline A acc_add(A a, A b) { return wrap_add(a, b); }

// Sum of n contiguous elements: pairwise recursion over independent-lane blocks. The lanes are
// separate accumulators the compiler can keep in one vector register, and pairwise splitting
// keeps the rounding error growing like log(n) instead of n.
template <typename A, typename T>
A sum_dense(const T* p, int64_t n) {
    // float32 rows in float32 lanes (vec_reduce.h's cascade); the callers add the row/chunk
    // results (at most kChunk elements each) in float64. float64 in the same cascade.
    if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) return static_cast<A>(cascade_sum(p, n));
    if (n > kPairwiseBlock) {
        const int64_t half = (n / 2 + kLanes - 1) / kLanes * kLanes;
        return acc_add(sum_dense<A>(p, half), sum_dense<A>(p + half, n - half));
    }
    A lanes[kLanes] = {};
    int64_t i = 0;
    for (; i + kLanes <= n; i += kLanes)
        for (int k = 0; k < kLanes; ++k) lanes[k] = acc_add(lanes[k], static_cast<A>(static_cast<opmath_t<T>>(p[i + k])));
    A s = lane_tree<kLanes>(lanes, [](A& a, A b) { a = acc_add(a, b); });
    for (; i < n; ++i) s = acc_add(s, static_cast<A>(static_cast<opmath_t<T>>(p[i])));
    return s;
}

template <typename A, typename T>
A sum_strided(const T* p, int64_t stride, int64_t n) {
    if (stride == 1) return sum_dense<A>(p, n);
    if (n > kPairwiseBlock) {
        const int64_t half = n / 2;
        return acc_add(sum_strided<A>(p, stride, half), sum_strided<A>(p + half * stride, stride, n - half));
    }
    A s[4] = {};
    int64_t i = 0;
    for (; i + 4 <= n; i += 4)
        for (int k = 0; k < 4; ++k) s[k] = acc_add(s[k], static_cast<A>(static_cast<opmath_t<T>>(p[(i + k) * stride])));
    A r = acc_add(acc_add(s[0], s[1]), acc_add(s[2], s[3]));
    for (; i < n; ++i) r = acc_add(r, static_cast<A>(static_cast<opmath_t<T>>(p[i * stride])));
    return r;
}

// Sum of reduced linear indices [begin, end) of one output whose input starts at base: walks
// the reduced dims row by row along the innermost one.
template <typename A, typename T>
A sum_reduced_range(const T* base, const std::vector<ReduceDim>& r, int64_t begin, int64_t end) {
    const ReduceDim& inner = r.back();
    A total{};
    int64_t i = begin;
    while (i < end) {
        const int64_t pos = i % inner.size;
        const int64_t len = std::min(end - i, inner.size - pos);
        const T* row = base + offset_of(r, i, false);
        total = acc_add(total, sum_strided<A>(row, inner.in_stride, len));
        i += len;
    }
    return total;
}

template <typename A, typename T>
A sum_one_output(const T* base, const std::vector<ReduceDim>& r, int64_t reduce_numel) {
    // One reduced dim within a chunk (rows of a matrix): no index arithmetic at all.
    if (r.size() == 1 && reduce_numel <= kChunk) return sum_strided<A>(base, r[0].in_stride, reduce_numel);
    A total{};
    for (int64_t c = 0; c < reduce_numel; c += kChunk)
        total = acc_add(total, sum_reduced_range<A>(base, r, c, std::min(reduce_numel, c + kChunk)));
    return total;
}

template <typename out_t, typename A>
out_t finish(A acc, ReduceOp op, int64_t count) {
    if constexpr (std::is_floating_point_v<A>) {
        if (op == ReduceOp::Mean) return convert<out_t>(acc / static_cast<A>(count));
    }
    return convert<out_t>(acc);
}

// Whether sums have a block kernel for T: float32 only. (float64 had one, sum_dense's lanes
// side by side: 0.72-0.90 of the plain row path for rows of 32-64, measured 2026-12-05, taken out.)
template <typename T>
constexpr bool kHasSumRows = kHasRowBlocks<T> && std::is_same_v<T, float>;

// float32 short rows are summed in blocks by cascade_sum_blocks (vec_reduce.h), which needs
// rows that never reach a cascade level.
static_assert(kShortRow < kCascadeShortRow, "float32 short rows must not reach a cascade level");

// finish() of count outputs at once: the mean's divisions in one loop over the block, which
// vectorises (one scalar float64 division per output, ~5 cycles of divider each, was a fifth of
// the time of a mean over rows of 64). The same correctly rounded quotients.
template <typename out_t, typename A>
void finish_block(A* s, int count, ReduceOp op, int64_t n, out_t* out, const int64_t* out_offs) {
    if constexpr (std::is_floating_point_v<A>) {
        if (op == ReduceOp::Mean) {
            const A d = static_cast<A>(n);
            for (int r = 0; r < count; ++r) s[r] /= d;
        }
    }
    for (int r = 0; r < count; ++r) out[out_offs[r]] = convert<out_t>(s[r]);
}

// Many short dense float32 rows (is_short_row_reduction), a block of rows at a time through
// cascade_sum_blocks, then the block's finish_block. Every length: rows that are multiples of 16
// went one by one through cascade_sum until lane_fold_rows' full blocks lost their per-row tests,
// and are faster on the block path since (AVX2 rows of 16 290 -> 200 us, of 64 84 -> 70, 2026-12-07).
// (float64 rows of 64 were 3-10% slower this way than on reduce_inner, measured 2026-12-06, and
// stay there.)
template <typename T, typename out_t>
void reduce_short_rows(const ReducePlan& plan, ReduceOp op) {
    // Rows of at most kShortRow < kChunk elements are one float32 cascade each: the float64
    // accumulator would only hold float32 values, and the mean's float64 quotient of them rounds
    // to the float32 quotient (double rounding is exact for 53 >= 2 * 24 + 2 bits), so the block
    // stays in float32 (half the vector width of divisions and no conversions).
    static_assert(std::is_same_v<T, float> && kShortRow < kChunk, "reduce_short_rows: float32 rows of one cascade");
    using A = float;
    const T* in = static_cast<const T*>(plan.in);
    out_t* out = static_cast<out_t*>(plan.out);
    const int64_t rn = plan.reduce_numel;
    const int64_t grain = std::max<int64_t>(1, kDefaultGrain / rn);
    const int64_t readable = short_rows_readable(plan);
    parallel_for(0, plan.out_numel, grain, [&](int64_t b, int64_t e) {
        for_each_output_block(plan.kept, b, e, [&](int count, const int64_t* in_offs, const int64_t* out_offs) {
            A s[kShortRowBlock];
            cascade_sum_blocks(in, in_offs, count, rn, s, readable);
            finish_block(s, count, op, rn, out, out_offs);
        });
    });
}

template <typename T, typename out_t>
void reduce_inner(const ReducePlan& plan, ReduceOp op) {
    using A = acc_type_t<T>;
    const T* in = static_cast<const T*>(plan.in);
    out_t* out = static_cast<out_t*>(plan.out);
    const int64_t rn = plan.reduce_numel;
    const int64_t nchunks = (rn + kChunk - 1) / kChunk;
    if (plan.out_numel < get_num_threads() && nchunks > 1) {
        // Few outputs, long reductions: split each reduction into its chunks across threads,
        // then fold the partials in chunk order (the same fold the serial path does).
        std::vector<A> partial(static_cast<size_t>(nchunks));
        for (int64_t k = 0; k < plan.out_numel; ++k) {
            const T* base = in + offset_of(plan.kept, k, false);
            parallel_for(0, nchunks, 1, [&](int64_t b, int64_t e) {
                for (int64_t c = b; c < e; ++c)
                    partial[static_cast<size_t>(c)] =
                        sum_reduced_range<A>(base, plan.reduced, c * kChunk, std::min(rn, (c + 1) * kChunk));
            });
            A total{};
            for (A v : partial) total = acc_add(total, v);
            out[offset_of(plan.kept, k, true)] = finish<out_t>(total, op, rn);
        }
        return;
    }
    const int64_t grain = std::max<int64_t>(1, kDefaultGrain / std::max<int64_t>(rn, 1));
    parallel_for(0, plan.out_numel, grain, [&](int64_t b, int64_t e) {
        for_each_output(plan.kept, b, e, [&](int64_t, int64_t in_off, int64_t out_off) {
            out[out_off] = finish<out_t>(sum_one_output<A>(in + in_off, plan.reduced, rn), op, rn);
        });
    });
}

// Column reduction: the innermost kept dim (size m) has the smallest input stride, so one
// work item accumulates a block of up to kColBlock neighbouring outputs across every reduced
// row; the inner loop runs along the outputs and vectorises. Rows are summed in blocks of
// kRowBlock into a partial first, which bounds the rounding error growth for long columns.
// float32 partials are float32 (at most kRowBlock terms, as a dense run's float32 cascade),
// added into the float64 total: converting every element to float64 bound the loop (0.83 of
// PyTorch for [16384, 64] over dim 0).
template <typename T, typename out_t>
void reduce_outer(const ReducePlan& plan, ReduceOp op) {
    using A = acc_type_t<T>;
    using P = std::conditional_t<std::is_same_v<T, float>, float, A>;
    const T* in = static_cast<const T*>(plan.in);
    out_t* out = static_cast<out_t*>(plan.out);
    const ReduceDim col = plan.kept.back();
    const std::vector<ReduceDim> outer_kept(plan.kept.begin(), plan.kept.end() - 1);
    const int64_t outer_numel = plan.out_numel / col.size;
    const int64_t blocks = (col.size + kColBlock - 1) / kColBlock;
    const int64_t rn = plan.reduce_numel;
    const int64_t grain = std::max<int64_t>(1, kDefaultGrain / std::max<int64_t>(rn * kColBlock, 1));
    parallel_for(0, outer_numel * blocks, grain, [&](int64_t b, int64_t e) {
        A acc[kColBlock];
        P part[kColBlock];
        int64_t roff[kRowBlock];  // input offsets of the rows of one block, walked once
        for (int64_t item = b; item < e; ++item) {
            const int64_t o = item / blocks;
            const int64_t j0 = (item % blocks) * kColBlock;
            const int64_t len = std::min(kColBlock, col.size - j0);
            const T* base = in + offset_of(outer_kept, o, false) + j0 * col.in_stride;
            std::fill(acc, acc + len, A{});
            for (int64_t r0 = 0; r0 < rn; r0 += kRowBlock) {
                const int64_t r1 = std::min(rn, r0 + kRowBlock);
                for_each_output(plan.reduced, r0, r1, [&](int64_t r, int64_t off, int64_t) { roff[r - r0] = off; });
                std::fill(part, part + len, P{});
                for (int64_t r = 0; r < r1 - r0; ++r) {
                    const T* row = base + roff[r];
                    if (col.in_stride == 1) {
                        for (int64_t j = 0; j < len; ++j)
                            part[j] = acc_add(part[j], static_cast<P>(static_cast<opmath_t<T>>(row[j])));
                    } else {
                        for (int64_t j = 0; j < len; ++j)
                            part[j] = acc_add(part[j], static_cast<P>(static_cast<opmath_t<T>>(row[j * col.in_stride])));
                    }
                }
                for (int64_t j = 0; j < len; ++j) acc[j] = acc_add(acc[j], static_cast<A>(part[j]));
            }
            out_t* dst = out + offset_of(outer_kept, o, true) + j0 * col.out_stride;
            for (int64_t jj = 0; jj < len; ++jj) dst[jj * col.out_stride] = finish<out_t>(acc[jj], op, rn);
        }
    });
}

template <typename T>
void reduce_typed(const ReducePlan& plan, ReduceOp op) {
    using out_t = std::conditional_t<std::is_integral_v<T>, int64_t, T>;
    CMP_CHECK(plan.out_dtype == dtype_of<out_t>, INTERNAL_ERROR, plan.op, ": unexpected output dtype ",
              dtype_name(plan.out_dtype));
    if (plan.out_numel == 0) return;
    if (is_column_reduction(plan)) {
        reduce_outer<T, out_t>(plan, op);
        return;
    }
    if constexpr (kHasSumRows<T>) {
        if (is_short_row_reduction(plan)) {
            reduce_short_rows<T, out_t>(plan, op);
            return;
        }
    }
    reduce_inner<T, out_t>(plan, op);
}

void reduce_kernel(const ReducePlan& plan, ReduceOp op) {
    CMP_DISPATCH_ALL_TYPES(plan.in_dtype, plan.op, [&] { reduce_typed<scalar_t>(plan, op); });
}

}  // namespace

CMP_REGISTER_KERNEL(reduce_stub, reduce_kernel)

}  // namespace cmp::cpu
