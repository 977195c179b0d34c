// Layer norm, group norm and RMS norm: rows normalised on their own (see RowNormPlan).
//
// Forward: one Welford pass per row gives mean and M2 (sum of squared deviations), which stays
// accurate when |mean| >> std, unlike sum/sum-of-squares; RMS norm needs only the sum of squares.
// A second pass writes y = (x - mean) * rstd * w + b.
//
// Backward, per row with dyw = grad_out * w and xhat = (x - mean) * rstd:
//   grad_in = rstd * (dyw - mean(dyw) - xhat * mean(dyw * xhat))   (RMS: no mean(dyw) term,
//   mean = 0), and grad_weight/grad_bias sum grad_out * xhat / grad_out over rows. Rows are cut
// into fixed chunks whose partial parameter sums (float64) are added in chunk order, so the
// result does not depend on the thread count.
//
// A row is `channels` runs of `inner` elements; each run shares one weight/bias value, except
// when inner == 1 (layer norm), where the whole row is one run with a weight per element.
#include "core/parallel.h"
#include "cpu/kernels/nn_norm_vec.h"
#include "cpu/loops.h"
#include "cpu/nn_norm_stubs.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace cmp::cpu {
namespace {

// Weight (or bias) values of one run: per element, one value for the run, or a constant.
template <typename T>
struct RunParam {
    const T* p = nullptr;  // per element when set
    opmath_t<T> v;
    opmath_t<T> operator[](int64_t i) const { return p ? static_cast<opmath_t<T>>(p[i]) : v; }
};

// Calls fn(offset, len, w, b, param_index) for each run of row r; param_index is the affine
// index of the run's first element (consecutive along the run when inner == 1).
template <typename T, typename Fn>
void for_each_run(const RowNormPlan& p, const T* w, const T* b, int64_t r, const Fn& fn) {
    using A = opmath_t<T>;
    const int64_t base = (r % p.groups) * p.channels;
    if (p.inner == 1) {
        fn(0, p.row_len, RunParam<T>{w ? w + base : nullptr, A(1)}, RunParam<T>{b ? b + base : nullptr, A(0)}, base);
        return;
    }
    for (int64_t k = 0; k < p.channels; ++k) {
        const int64_t c = base + k;
        fn(k * p.inner, p.inner, RunParam<T>{nullptr, w ? static_cast<A>(w[c]) : A(1)},
           RunParam<T>{nullptr, b ? static_cast<A>(b[c]) : A(0)}, c);
    }
}

template <typename T>
void row_norm_typed(const RowNormPlan& p, const RowNormData& d) {
    using A = opmath_t<T>;
    const T* x = static_cast<const T*>(d.x);
    const T* w = static_cast<const T*>(d.weight);
    const T* b = static_cast<const T*>(d.bias);
    T* y = static_cast<T*>(d.y);
    A* mean_out = static_cast<A*>(d.mean);
    A* rstd_out = static_cast<A*>(d.rstd);
    const int64_t n = p.row_len;
    parallel_for(0, p.rows, rows_grain(n), [&](int64_t r0, int64_t r1) {
        for (int64_t r = r0; r < r1; ++r) {
            const T* xr = x + r * n;
            T* yr = y + r * n;
            A mean = 0, var = 0;
            if (p.rms) {
                var = lane_sum<A>(n, [&](int64_t i) {
                    const A v = static_cast<A>(xr[i]);
                    return v * v;
                }) / static_cast<A>(n);
            } else if (n > 0) {
                A m2;
                lane_moments<A>(n, [&](int64_t i) { return static_cast<A>(xr[i]); }, mean, m2);
                var = m2 / static_cast<A>(n);
            }
            const A rstd = A(1) / std::sqrt(var + static_cast<A>(p.eps));
            if (mean_out) mean_out[r] = mean;
            rstd_out[r] = rstd;
            for_each_run(p, w, b, r, [&](int64_t off, int64_t len, const RunParam<T>& wr, const RunParam<T>& br, int64_t) {
                const T* xs = xr + off;
                T* ys = yr + off;
                for (int64_t i = 0; i < len; ++i) ys[i] = static_cast<T>((static_cast<A>(xs[i]) - mean) * rstd * wr[i] + br[i]);
            });
        }
    });
}

void row_norm_kernel(const RowNormPlan& p, const RowNormData& d) {
    CMP_DISPATCH_FLOATING_TYPES(p.dtype, "layer_norm", [&] { row_norm_typed<scalar_t>(p, d); });
}

template <typename T>
void row_norm_backward_typed(const RowNormPlan& p, const RowNormGrads& g) {
    using A = opmath_t<T>;
    const T* go = static_cast<const T*>(g.grad_out);
    const T* x = static_cast<const T*>(g.x);
    const T* w = static_cast<const T*>(g.weight);
    const A* mean_in = static_cast<const A*>(g.mean);
    const A* rstd_in = static_cast<const A*>(g.rstd);
    T* gi = static_cast<T*>(g.grad_in);
    const int64_t n = p.row_len;
    const int64_t params = p.groups * p.channels;
    const int64_t chunk = rows_grain(n);
    const int64_t chunks = (p.rows + chunk - 1) / chunk;
    // Per chunk: params sums of grad_out * xhat, then params sums of grad_out.
    std::vector<double> partial(static_cast<size_t>(chunks * 2 * params), 0.0);
    parallel_for(0, chunks, 1, [&](int64_t c0, int64_t c1) {
        for (int64_t c = c0; c < c1; ++c) {
            double* pw = partial.data() + c * 2 * params;
            double* pb = pw + params;
            for (int64_t r = c * chunk; r < std::min(p.rows, (c + 1) * chunk); ++r) {
                const T* gr = go + r * n;
                const T* xr = x + r * n;
                T* ir = gi + r * n;
                const A mean = mean_in ? mean_in[r] : A(0);
                const A rstd = rstd_in[r];
                A sum_dyw = 0, sum_dyw_xhat = 0;
                for_each_run(p, w, static_cast<const T*>(nullptr), r, [&](int64_t off, int64_t len, const RunParam<T>& wr, const RunParam<T>&, int64_t pi) {
                    const T* gs = gr + off;
                    const T* xs = xr + off;
                    sum_dyw += lane_sum<A>(len, [&](int64_t i) { return static_cast<A>(gs[i]) * wr[i]; });
                    sum_dyw_xhat += lane_sum<A>(len, [&](int64_t i) {
                        return static_cast<A>(gs[i]) * wr[i] * ((static_cast<A>(xs[i]) - mean) * rstd);
                    });
                    if (p.inner == 1) {
                        for (int64_t i = 0; i < len; ++i) {
                            const double dy = static_cast<A>(gs[i]);
                            pw[pi + i] += dy * static_cast<double>((static_cast<A>(xs[i]) - mean) * rstd);
                            pb[pi + i] += dy;
                        }
                    } else {
                        pw[pi] += static_cast<double>(lane_sum<A>(len, [&](int64_t i) {
                            return static_cast<A>(gs[i]) * ((static_cast<A>(xs[i]) - mean) * rstd);
                        }));
                        pb[pi] += static_cast<double>(lane_sum<A>(len, [&](int64_t i) { return static_cast<A>(gs[i]); }));
                    }
                });
                const A a = p.rms ? A(0) : sum_dyw / static_cast<A>(n);
                const A bq = sum_dyw_xhat / static_cast<A>(n);
                for_each_run(p, w, static_cast<const T*>(nullptr), r, [&](int64_t off, int64_t len, const RunParam<T>& wr, const RunParam<T>&, int64_t) {
                    const T* gs = gr + off;
                    const T* xs = xr + off;
                    T* is = ir + off;
                    for (int64_t i = 0; i < len; ++i) {
                        const A xhat = (static_cast<A>(xs[i]) - mean) * rstd;
                        is[i] = static_cast<T>(rstd * (static_cast<A>(gs[i]) * wr[i] - a - xhat * bq));
                    }
                });
            }
        }
    });
    T* gw = static_cast<T*>(g.grad_weight);
    T* gb = static_cast<T*>(g.grad_bias);
    for (int64_t k = 0; k < params; ++k) {
        double sw = 0, sb = 0;
        for (int64_t c = 0; c < chunks; ++c) {
            sw += partial[static_cast<size_t>(c * 2 * params + k)];
            sb += partial[static_cast<size_t>(c * 2 * params + params + k)];
        }
        if (gw) gw[k] = static_cast<T>(static_cast<A>(sw));
        if (gb) gb[k] = static_cast<T>(static_cast<A>(sb));
    }
}

void row_norm_backward_kernel(const RowNormPlan& p, const RowNormGrads& g) {
    CMP_DISPATCH_FLOATING_TYPES(p.dtype, "layer_norm_backward", [&] { row_norm_backward_typed<scalar_t>(p, g); });
}

}  // namespace

CMP_REGISTER_KERNEL(row_norm_stub, row_norm_kernel)
CMP_REGISTER_KERNEL(row_norm_backward_stub, row_norm_backward_kernel)

}  // namespace cmp::cpu
