// multinomial's per-row arithmetic as plain functions for every device: the CPU front-end
// (ops/distributions.cpp), the CUDA kernels (cuda/randperm_multinomial.cu) and the fake backend of
// the routing tests run these, so a seed gives the same samples on the CPU and on a GPU.
//
// Every operation rounds once (core/box_muller.h's add / sub / mul / div: the _rn intrinsics on
// the device, which nvcc never contracts) and the logarithm is box_muller_log, not the C
// library's log1p (which differs between systems and devices): ln(1 - u) with 1 - u exact (rand's
// float64 u is k * 2^-53, so 1 - u is in [2^-53, 1], box_muller_log's range).
#pragma once

#include "core/box_muller.h"
#include "core/philox.h"

#include <cstdint>

namespace cmp {

// With replacement: cum[0..cats) = the running sums of the row's p in index order (one rounding
// per addition, left to right, as a sequential loop); returns the last category with p > 0 (0 when
// none, which the caller's checks rule out).
CMP_PHILOX_HD int64_t multinomial_cumsum(const double* p, int64_t cats, double* cum) {
    double run = 0.0;
    int64_t last_nonzero = 0;
    for (int64_t c = 0; c < cats; ++c) {
        run = box_muller_detail::add(run, p[c]);
        cum[c] = run;
        if (p[c] > 0.0) last_nonzero = c;
    }
    return last_nonzero;
}

// With replacement: the sample of u: the first category whose running sum exceeds u * total
// (upper_bound over cum), capped at last_nonzero (rounding may leave u * total >= total).
CMP_PHILOX_HD int64_t multinomial_pick(const double* cum, int64_t cats, int64_t last_nonzero, double u) {
    const double target = box_muller_detail::mul(u, cum[cats - 1]);
    int64_t lo = 0, hi = cats;
    while (lo < hi) {
        const int64_t mid = lo + (hi - lo) / 2;
        if (cum[mid] <= target) lo = mid + 1;
        else hi = mid;
    }
    return lo < last_nonzero ? lo : last_nonzero;
}

// Without replacement: category weight w's key from its u, w / E with E = -ln(1 - u) exponential
// (E = +0 for u = 0, so the key is +inf for w > 0); weight 0 gives key 0. The num_samples largest
// keys, ties to the lower index, are an ordered sample without replacement; zero-weight categories
// come last, in index order.
CMP_PHILOX_HD double multinomial_key(double w, double u) {
    using namespace box_muller_detail;
    if (w == 0.0) return 0.0;
    const double e = sub(0.0, box_muller_log(sub(1.0, u)));  // 0 - (+0) = +0, never -0
    return div(w, e);
}

}  // namespace cmp
