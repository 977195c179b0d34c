// softmax / log_softmax and their gradients along the middle axis of a contiguous
// [outer, dim, inner] tensor. Two loop shapes:
//  * inner == 1 (the softmax dim is the last one): each row is contiguous; one pass finds the
//    maximum, a second computes exp(x - max) and its sum together (storing the exps when the
//    output type is the computation type), a third scales or writes x - max - log(sum).
//  * inner > 1: a block of up to kCols neighbouring columns is processed at once, so every pass
//    reads contiguous runs of `inner` and vectorises across columns.
// Arithmetic is in opmath (float32 for 16-bit floats); exp is vec_math's vexp.
#include "core/parallel.h"
#include "cpu/kernels/nn_norm_vec.h"
#include "cpu/loops.h"
#include "cpu/nn_norm_stubs.h"
#include "cpu/vec_math.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

namespace cmp::cpu {
namespace {

constexpr int64_t kCols = 64;

template <typename T>
void softmax_row(const T* x, T* y, int64_t n, bool log) {
    using A = opmath_t<T>;
    const A m = row_max<A>(x, n);
    if (log) {
        const A s = lane_sum<A>(n, [&](int64_t i) { return vexp(static_cast<A>(x[i]) - m); });
        // (x - m) - log(s), never x - (m + log(s)): m + log(s) would round at m's magnitude.
        const A lse = std::log(s);
        for (int64_t i = 0; i < n; ++i) y[i] = static_cast<T>((static_cast<A>(x[i]) - m) - lse);
        return;
    }
    if constexpr (std::is_same_v<T, A>) {
        const A s = lane_sum<A>(n, [&](int64_t i) {
            const A e = vexp(x[i] - m);
            y[i] = e;
            return e;
        });
        const A inv = A(1) / s;
        for (int64_t i = 0; i < n; ++i) y[i] *= inv;
    } else {
        // 16-bit output: recompute the exps rather than round them twice.
        const A s = lane_sum<A>(n, [&](int64_t i) { return vexp(static_cast<A>(x[i]) - m); });
        const A inv = A(1) / s;
        for (int64_t i = 0; i < n; ++i) y[i] = static_cast<T>(vexp(static_cast<A>(x[i]) - m) * inv);
    }
}

// Columns [c0, c0 + w) of one [dim, inner] block.
template <typename T>
void softmax_cols(const T* x, T* y, int64_t dim, int64_t inner, int64_t w, bool log) {
    using A = opmath_t<T>;
    A m[kCols], s[kCols];
    for (int64_t j = 0; j < w; ++j) {
        m[j] = -std::numeric_limits<A>::infinity();
        s[j] = 0;
    }
    for (int64_t d = 0; d < dim; ++d) {
        const T* r = x + d * inner;
        for (int64_t j = 0; j < w; ++j) {
            const A v = static_cast<A>(r[j]);
            m[j] = v > m[j] ? v : m[j];
        }
    }
    for (int64_t d = 0; d < dim; ++d) {
        const T* r = x + d * inner;
        for (int64_t j = 0; j < w; ++j) s[j] += vexp(static_cast<A>(r[j]) - m[j]);
    }
    for (int64_t j = 0; j < w; ++j) s[j] = log ? std::log(s[j]) : A(1) / s[j];
    for (int64_t d = 0; d < dim; ++d) {
        const T* r = x + d * inner;
        T* o = y + d * inner;
        if (log) {
            for (int64_t j = 0; j < w; ++j) o[j] = static_cast<T>((static_cast<A>(r[j]) - m[j]) - s[j]);
        } else {
            for (int64_t j = 0; j < w; ++j) o[j] = static_cast<T>(vexp(static_cast<A>(r[j]) - m[j]) * s[j]);
        }
    }
}

// Runs row(o) for inner == 1, else cols(o, c0, w) over column blocks; in parallel.
template <typename Row, typename Cols>
void for_each_slice(const SoftmaxPlan& p, const Row& row, const Cols& cols) {
    if (p.outer == 0 || p.dim == 0 || p.inner == 0) return;
    if (p.inner == 1) {
        parallel_for(0, p.outer, rows_grain(p.dim), [&](int64_t b, int64_t e) {
            for (int64_t o = b; o < e; ++o) row(o);
        });
        return;
    }
    const int64_t blocks = (p.inner + kCols - 1) / kCols;
    const int64_t per_task = std::min(p.inner, kCols) * p.dim;
    parallel_for(0, p.outer * blocks, rows_grain(per_task), [&](int64_t b, int64_t e) {
        for (int64_t t = b; t < e; ++t) {
            const int64_t o = t / blocks, c0 = (t % blocks) * kCols;
            cols(o, c0, std::min(kCols, p.inner - c0));
        }
    });
}

template <typename T>
void softmax_typed(const SoftmaxPlan& p, const T* x, T* y, bool log) {
    const int64_t block = p.dim * p.inner;
    for_each_slice(
        p, [&](int64_t o) { softmax_row(x + o * block, y + o * block, p.dim, log); },
        [&](int64_t o, int64_t c0, int64_t w) {
            softmax_cols(x + o * block + c0, y + o * block + c0, p.dim, p.inner, w, log);
        });
}

void softmax_kernel(const SoftmaxPlan& p, const void* in, void* out, bool log) {
    CMP_DISPATCH_FLOATING_TYPES(p.dtype, "softmax", [&] {
        softmax_typed(p, static_cast<const scalar_t*>(in), static_cast<scalar_t*>(out), log);
    });
}

// softmax:     gi = y * (go - sum(go * y))
// log_softmax: gi = go - exp(y) * sum(go)
template <typename T>
void softmax_backward_row(const T* go, const T* y, T* gi, int64_t n, bool log) {
    using A = opmath_t<T>;
    if (log) {
        const A s = lane_sum<A>(n, [&](int64_t i) { return static_cast<A>(go[i]); });
        for (int64_t i = 0; i < n; ++i) gi[i] = static_cast<T>(static_cast<A>(go[i]) - vexp(static_cast<A>(y[i])) * s);
    } else {
        const A s = lane_sum<A>(n, [&](int64_t i) { return static_cast<A>(go[i]) * static_cast<A>(y[i]); });
        for (int64_t i = 0; i < n; ++i) gi[i] = static_cast<T>(static_cast<A>(y[i]) * (static_cast<A>(go[i]) - s));
    }
}

template <typename T>
void softmax_backward_cols(const T* go, const T* y, T* gi, int64_t dim, int64_t inner, int64_t w, bool log) {
    using A = opmath_t<T>;
    A s[kCols] = {};
    for (int64_t d = 0; d < dim; ++d) {
        const T* g = go + d * inner;
        const T* r = y + d * inner;
        if (log) {
            for (int64_t j = 0; j < w; ++j) s[j] += static_cast<A>(g[j]);
        } else {
            for (int64_t j = 0; j < w; ++j) s[j] += static_cast<A>(g[j]) * static_cast<A>(r[j]);
        }
    }
    for (int64_t d = 0; d < dim; ++d) {
        const T* g = go + d * inner;
        const T* r = y + d * inner;
        T* o = gi + d * inner;
        if (log) {
            for (int64_t j = 0; j < w; ++j) o[j] = static_cast<T>(static_cast<A>(g[j]) - vexp(static_cast<A>(r[j])) * s[j]);
        } else {
            for (int64_t j = 0; j < w; ++j) o[j] = static_cast<T>(static_cast<A>(r[j]) * (static_cast<A>(g[j]) - s[j]));
        }
    }
}

template <typename T>
void softmax_backward_typed(const SoftmaxPlan& p, const T* go, const T* y, T* gi, bool log) {
    const int64_t block = p.dim * p.inner;
    for_each_slice(
        p, [&](int64_t o) { softmax_backward_row(go + o * block, y + o * block, gi + o * block, p.dim, log); },
        [&](int64_t o, int64_t c0, int64_t w) {
            const int64_t off = o * block + c0;
            softmax_backward_cols(go + off, y + off, gi + off, p.dim, p.inner, w, log);
        });
}

void softmax_backward_kernel(const SoftmaxPlan& p, const void* grad_out, const void* out, void* grad_in, bool log) {
    CMP_DISPATCH_FLOATING_TYPES(p.dtype, "softmax_backward", [&] {
        softmax_backward_typed(p, static_cast<const scalar_t*>(grad_out), static_cast<const scalar_t*>(out),
                               static_cast<scalar_t*>(grad_in), log);
    });
}

}  // namespace

CMP_REGISTER_KERNEL(softmax_stub, softmax_kernel)
CMP_REGISTER_KERNEL(softmax_backward_stub, softmax_backward_kernel)

}  // namespace cmp::cpu
