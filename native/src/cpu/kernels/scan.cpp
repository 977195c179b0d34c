// The scan kernel behind cumsum/cumprod (the folds of reductions_stubs.h are in reductions.cpp).
#include "core/parallel.h"
#include "cpu/loops.h"
#include "cpu/reduce_loops.h"
#include "cpu/reductions_stubs.h"

#include <algorithm>
#include <cstdint>

namespace cmp::cpu {
namespace {

// Running sum/product of each line in the sum accumulation type (float64 for float32, as
// PyTorch's CPU cumsum), stored back in the line's dtype. Lines run in parallel.
//
// Lines that are neighbours in memory (the innermost other dim contiguous in input and output,
// e.g. cumsum over dim 0 of a matrix) are scanned kScanBlock at a time, step by step along the
// scanned dim: out[i, j..] = out[i - 1, j..] + x[i, j..] reads whole rows and vectorises across
// the lines, where one line at a time read one element per cache line (13 ms for [1024, 1024]).
// Each line still adds its elements in scan order, so the results are the same bits.
constexpr int64_t kScanBlock = 256;

template <typename T, typename A, typename Step>
void scan_lines(const ScanPlan& plan, A init, const Step& step) {
    const T* in = static_cast<const T*>(plan.in);
    T* out = static_cast<T*>(plan.out);
    const ReduceDim& inner = plan.outer.back();
    if (plan.len > 1 && inner.size > 1 && inner.in_stride == 1 && inner.out_stride == 1) {
        const int64_t blocks = (inner.size + kScanBlock - 1) / kScanBlock;  // per run of the inner dim
        const int64_t items = plan.lines / inner.size * blocks;
        const int64_t grain = std::max<int64_t>(1, kDefaultGrain / (plan.len * std::min(inner.size, kScanBlock)));
        parallel_for(0, items, grain, [&](int64_t b, int64_t e) {
            A acc[kScanBlock];
            for (int64_t item = b; item < e; ++item) {
                const int64_t j0 = item % blocks * kScanBlock, n = std::min(kScanBlock, inner.size - j0);
                const int64_t first = item / blocks * inner.size + j0;  // the block's first line
                const T* src = in + offset_of(plan.outer, first, false);
                T* dst = out + offset_of(plan.outer, first, true);
                for (int64_t j = 0; j < n; ++j) acc[j] = init;
                for (int64_t i = 0; i < plan.len; ++i) {
                    const T* __restrict s = src + i * plan.in_step;
                    T* __restrict d = dst + i * plan.out_step;
                    for (int64_t j = 0; j < n; ++j) {
                        acc[j] = step(acc[j], static_cast<A>(static_cast<opmath_t<T>>(s[j])));
                        d[j] = convert<T>(acc[j]);
                    }
                }
            }
        });
        return;
    }
    const int64_t grain = std::max<int64_t>(1, kDefaultGrain / std::max<int64_t>(plan.len, 1));
    parallel_for(0, plan.lines, grain, [&](int64_t b, int64_t e) {
        for (int64_t k = b; k < e; ++k) {
            const T* src = in + offset_of(plan.outer, k, false);
            T* dst = out + offset_of(plan.outer, k, true);
            A acc = init;
            for (int64_t i = 0; i < plan.len; ++i) {
                acc = step(acc, static_cast<A>(static_cast<opmath_t<T>>(src[i * plan.in_step])));
                dst[i * plan.out_step] = convert<T>(acc);
            }
        }
    });
}

template <typename T>
void scan_typed(const ScanPlan& plan, ScanOp op) {
    using A = acc_type_t<T>;
    if (op == ScanOp::CumSum) scan_lines<T>(plan, A(0), [](A a, A v) { return wrap_add(a, v); });
    else scan_lines<T>(plan, A(1), [](A a, A v) { return wrap_mul(a, v); });
}

void scan_kernel(const ScanPlan& plan, ScanOp op) {
    CMP_DISPATCH_NUMERIC_TYPES(plan.dtype, plan.op, [&] { scan_typed<scalar_t>(plan, op); });
}

}  // namespace

CMP_REGISTER_KERNEL(scan_stub, scan_kernel)

}  // namespace cmp::cpu
