// Lane-parallel row loops shared by the normalisation kernels (nn_norm_*.cpp). Each keeps kLanes
// independent partial results so the compiler holds them in vector registers, and merges them
// in a fixed order, so results depend neither on the ISA's vector width nor on thread count.
#pragma once

#ifndef CMP_ISA_NAME
#error "nn_norm_vec.h is for kernel files compiled per ISA"
#endif

#include "core/dtype.h"
#include "cpu/vec_reduce.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace cmp::cpu {
inline namespace CMP_ISA_NAME {

constexpr int64_t kNormLanes = 16;

// Grain for parallel_for over rows of `len` elements: ~32K elements per task at least.
inline int64_t rows_grain(int64_t len) {
    const int64_t l = len > 0 ? len : 1;
    return l >= 32768 ? 1 : 32768 / l;
}

// Largest element of x[0..n) (opmath values); NaN is ignored here and propagates through the
// exp that follows, as in PyTorch. float32/float64 rows take vec_reduce.h's vector select.
template <typename A, typename T>
A row_max(const T* x, int64_t n) {
    if constexpr (std::is_same_v<A, T> && kHasVecExtremum<T>) {
        return dense_extremum<true>(x, n, nullptr);
    } else {
        A m[kNormLanes];
        for (auto& v : m) v = -std::numeric_limits<A>::infinity();
        int64_t i = 0;
        for (; i + kNormLanes <= n; i += kNormLanes) {
            for (int64_t k = 0; k < kNormLanes; ++k) {
                const A v = static_cast<A>(x[i + k]);
                m[k] = v > m[k] ? v : m[k];
            }
        }
        for (; i < n; ++i) {
            const A v = static_cast<A>(x[i]);
            m[0] = v > m[0] ? v : m[0];
        }
        A r = m[0];
        for (int64_t k = 1; k < kNormLanes; ++k) r = m[k] > r ? m[k] : r;
        return r;
    }
}

// Welford mean and M2 (sum of squared deviations) of f(0..n), lane-parallel: every lane sees
// the same count, so one reciprocal serves all lanes of a step; lanes merge with Chan's formula.
template <typename A, typename F>
void lane_moments(int64_t n, const F& f, A& mean_out, A& m2_out) {
    A mean[kNormLanes] = {}, m2[kNormLanes] = {};
    const int64_t full = n / kNormLanes;
    for (int64_t step = 0; step < full; ++step) {
        const A inv = A(1) / static_cast<A>(step + 1);
        const int64_t base = step * kNormLanes;
        for (int64_t k = 0; k < kNormLanes; ++k) {
            const A v = f(base + k);
            const A d = v - mean[k];
            mean[k] += d * inv;
            m2[k] += d * (v - mean[k]);
        }
    }
    int64_t count[kNormLanes];
    for (int64_t k = 0; k < kNormLanes; ++k) count[k] = full;
    for (int64_t i = full * kNormLanes, k = 0; i < n; ++i, ++k) {
        const A v = f(i);
        count[k] += 1;
        const A d = v - mean[k];
        mean[k] += d / static_cast<A>(count[k]);
        m2[k] += d * (v - mean[k]);
    }
    // Chan et al.: merge (n_a, mean_a, m2_a) with (n_b, mean_b, m2_b), pairwise in fixed order.
    for (int64_t w = kNormLanes / 2; w > 0; w /= 2) {
        for (int64_t k = 0; k < w; ++k) {
            const int64_t na = count[k], nb = count[k + w];
            if (nb == 0) continue;
            const int64_t nt = na + nb;
            const A d = mean[k + w] - mean[k];
            const A fb = static_cast<A>(nb) / static_cast<A>(nt);
            mean[k] += d * fb;
            m2[k] += m2[k + w] + d * d * static_cast<A>(na) * fb;
            count[k] = nt;
        }
    }
    mean_out = mean[0];
    m2_out = m2[0];
}

}  // namespace CMP_ISA_NAME
}  // namespace cmp::cpu
