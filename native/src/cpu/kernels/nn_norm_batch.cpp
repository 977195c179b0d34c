// Batch norm over a contiguous [batch, channels, inner] tensor: statistics per channel, over
// `batch` runs of `inner` contiguous elements. Work is split by channel, so each channel's sums
// are formed by one thread in a fixed order (deterministic for any thread count).
//
// Training statistics: Welford moments of every run, merged run by run with Chan's formula
// (accurate when |mean| >> std). Normalisation uses the biased variance; the running variance is
// updated with the unbiased one, as PyTorch does.
#include "core/parallel.h"
#include "cpu/kernels/nn_norm_vec.h"
#include "cpu/loops.h"
#include "cpu/nn_norm_stubs.h"

#include <cmath>
#include <limits>

namespace cmp::cpu {
namespace {

// The elements of one channel as runs: element i of a run is at off + i * step. With inner > 1
// each sample contributes a contiguous run; with inner == 1 (an (N, C) input) the whole channel
// is one strided run, so the sums keep their lanes instead of restarting per element.
struct Run {
    int64_t off, len, step;
};

template <typename Fn>
void for_each_run(const BatchNormPlan& p, int64_t c, const Fn& fn) {
    if (p.inner == 1) {
        fn(Run{c, p.batch, p.channels});
        return;
    }
    for (int64_t n = 0; n < p.batch; ++n) fn(Run{(n * p.channels + c) * p.inner, p.inner, 1});
}

inline int64_t channel_grain(const BatchNormPlan& p) { return rows_grain(p.batch * p.inner); }

template <typename T>
void batch_norm_typed(const BatchNormPlan& p, const BatchNormData& d) {
    using A = opmath_t<T>;
    const T* x = static_cast<const T*>(d.x);
    const T* w = static_cast<const T*>(d.weight);
    const T* b = static_cast<const T*>(d.bias);
    T* rm = static_cast<T*>(d.running_mean);
    T* rv = static_cast<T*>(d.running_var);
    T* y = static_cast<T*>(d.y);
    A* save_mean = static_cast<A*>(d.save_mean);
    A* save_invstd = static_cast<A*>(d.save_invstd);
    const int64_t count = p.batch * p.inner;
    parallel_for(0, p.channels, channel_grain(p), [&](int64_t c0, int64_t c1) {
        for (int64_t c = c0; c < c1; ++c) {
            A mean, invstd;
            if (p.training && count == 0) {
                // An empty batch has no statistics: the saved ones are NaN and the running
                // ones stay as they were (PyTorch 1.13 crashes here).
                mean = invstd = std::numeric_limits<A>::quiet_NaN();
            } else if (p.training) {
                A m = 0, m2 = 0;
                int64_t seen = 0;
                for_each_run(p, c, [&](const Run& r) {
                    A rmean, rm2;
                    lane_moments<A>(r.len, [&](int64_t i) { return static_cast<A>(x[r.off + i * r.step]); }, rmean, rm2);
                    const int64_t total = seen + r.len;
                    const A delta = rmean - m;
                    const A frac = static_cast<A>(r.len) / static_cast<A>(total);
                    m += delta * frac;
                    m2 += rm2 + delta * delta * static_cast<A>(seen) * frac;
                    seen = total;
                });
                mean = m;
                invstd = A(1) / std::sqrt(m2 / static_cast<A>(count) + static_cast<A>(p.eps));
                if (rm) rm[c] = static_cast<T>((1 - p.momentum) * static_cast<A>(rm[c]) + p.momentum * m);
                if (rv) {
                    const A unbiased = m2 / static_cast<A>(count - 1);
                    rv[c] = static_cast<T>((1 - p.momentum) * static_cast<A>(rv[c]) + p.momentum * unbiased);
                }
            } else {
                mean = static_cast<A>(rm[c]);
                invstd = A(1) / std::sqrt(static_cast<A>(rv[c]) + static_cast<A>(p.eps));
            }
            save_mean[c] = mean;
            save_invstd[c] = invstd;
            const A scale = invstd * (w ? static_cast<A>(w[c]) : A(1));
            const A bias = b ? static_cast<A>(b[c]) : A(0);
            for_each_run(p, c, [&](const Run& r) {
                for (int64_t i = 0; i < r.len; ++i) {
                    const int64_t k = r.off + i * r.step;
                    y[k] = static_cast<T>((static_cast<A>(x[k]) - mean) * scale + bias);
                }
            });
        }
    });
}

void batch_norm_kernel(const BatchNormPlan& p, const BatchNormData& d) {
    CMP_DISPATCH_FLOATING_TYPES(p.dtype, "batch_norm", [&] { batch_norm_typed<scalar_t>(p, d); });
}

// grad_weight = sum(dy * xhat), grad_bias = sum(dy) per channel;
// training: grad_in = w * invstd * (dy - sum(dy) / M - xhat * sum(dy * xhat) / M)
// eval:     grad_in = w * invstd * dy
template <typename T>
void batch_norm_backward_typed(const BatchNormPlan& p, const BatchNormGrads& g) {
    using A = opmath_t<T>;
    const T* go = static_cast<const T*>(g.grad_out);
    const T* x = static_cast<const T*>(g.x);
    const T* w = static_cast<const T*>(g.weight);
    const A* save_mean = static_cast<const A*>(g.save_mean);
    const A* save_invstd = static_cast<const A*>(g.save_invstd);
    T* gi = static_cast<T*>(g.grad_in);
    T* gw = static_cast<T*>(g.grad_weight);
    T* gb = static_cast<T*>(g.grad_bias);
    const A count = static_cast<A>(p.batch * p.inner);
    parallel_for(0, p.channels, channel_grain(p), [&](int64_t c0, int64_t c1) {
        for (int64_t c = c0; c < c1; ++c) {
            const A mean = save_mean[c], invstd = save_invstd[c];
            A sum_dy = 0, sum_dy_xhat = 0;
            for_each_run(p, c, [&](const Run& r) {
                sum_dy += lane_sum<A>(r.len, [&](int64_t i) { return static_cast<A>(go[r.off + i * r.step]); });
                sum_dy_xhat += lane_sum<A>(r.len, [&](int64_t i) {
                    const int64_t k = r.off + i * r.step;
                    return static_cast<A>(go[k]) * (static_cast<A>(x[k]) - mean) * invstd;
                });
            });
            gw[c] = static_cast<T>(sum_dy_xhat);
            gb[c] = static_cast<T>(sum_dy);
            const A scale = invstd * (w ? static_cast<A>(w[c]) : A(1));
            const A a = p.training && count > 0 ? sum_dy / count : A(0);
            const A bq = p.training && count > 0 ? sum_dy_xhat / count : A(0);
            for_each_run(p, c, [&](const Run& r) {
                for (int64_t i = 0; i < r.len; ++i) {
                    const int64_t k = r.off + i * r.step;
                    const A xhat = (static_cast<A>(x[k]) - mean) * invstd;
                    gi[k] = static_cast<T>(scale * (static_cast<A>(go[k]) - a - xhat * bq));
                }
            });
        }
    });
}

void batch_norm_backward_kernel(const BatchNormPlan& p, const BatchNormGrads& g) {
    CMP_DISPATCH_FLOATING_TYPES(p.dtype, "batch_norm_backward", [&] { batch_norm_backward_typed<scalar_t>(p, g); });
}

}  // namespace

CMP_REGISTER_KERNEL(batch_norm_stub, batch_norm_kernel)
CMP_REGISTER_KERNEL(batch_norm_backward_stub, batch_norm_backward_kernel)

}  // namespace cmp::cpu
