// softmax / log_softmax and their gradients along the lines of a [outer, dim, inner] layout
// (cuda/lines.cuh): the core builds the CPU's SoftmaxPlan (ops/nn_norm_softmax.cpp) and the
// kernels follow the CPU's (cpu/kernels/nn_norm_softmax.cpp) pass by pass, in opmath (float32
// for 16-bit floats): the maximum m (x > m replaces it, so a NaN never becomes m but reaches
// every output through the sum; a line of -inf gives (-inf) - (-inf) = NaN, as on the CPU and
// in PyTorch), the sum s of exp(x - m), then exp(x - m) * (1 / s) or (x - m) - log(s), never
// x - (m + log(s)), which would round at m's magnitude. exp(x - m) is computed again in the last
// pass rather than stored: the same bits, and no second rounding for 16-bit outputs.
#include "cuda/combiners.h"
#include "cuda/dtypes.cuh"
#include "cuda/entries.h"
#include "cuda/lines.cuh"

#include <math.h>

namespace cmp::cuda_backend {

namespace {

template <typename T, bool Log>
struct SoftmaxLine {
    const T* in;
    T* out;
    int64_t n;

    template <typename G>
    __device__ void operator()(const G& g, Line l) const {
        using A = opmath_t<T>;
        const T* x = in + l.base;
        T* y = out + l.base;
        A m = MaxOf<A>::identity();
        for (int64_t k = g.rank(); k < n; k += g.size()) m = MaxOf<A>::combine(m, to_opmath(x[k * l.stride]));
        m = g.all(MaxOf<A>{}, m);
        A s = 0;
        for (int64_t k = g.rank(); k < n; k += g.size()) s += exp(to_opmath(x[k * l.stride]) - m);
        s = g.all(SumOf<A>{}, s);
        if constexpr (Log) {
            const A lse = log(s);
            for (int64_t k = g.rank(); k < n; k += g.size())
                y[k * l.stride] = from_opmath<T>((to_opmath(x[k * l.stride]) - m) - lse);
        } else {
            const A inv = A(1) / s;
            for (int64_t k = g.rank(); k < n; k += g.size())
                y[k * l.stride] = from_opmath<T>(exp(to_opmath(x[k * l.stride]) - m) * inv);
        }
    }
};

// softmax:     gi = y * (go - sum(go * y))
// log_softmax: gi = go - exp(y) * sum(go)
template <typename T, bool Log>
struct SoftmaxBackwardLine {
    const T* grad_out;
    const T* out;
    T* grad_in;
    int64_t n;

    template <typename G>
    __device__ void operator()(const G& g, Line l) const {
        using A = opmath_t<T>;
        const T* go = grad_out + l.base;
        const T* y = out + l.base;
        T* gi = grad_in + l.base;
        A s = 0;
        for (int64_t k = g.rank(); k < n; k += g.size()) {
            const A gk = to_opmath(go[k * l.stride]);
            s += Log ? gk : gk * to_opmath(y[k * l.stride]);
        }
        s = g.all(SumOf<A>{}, s);
        for (int64_t k = g.rank(); k < n; k += g.size()) {
            const A gk = to_opmath(go[k * l.stride]), yk = to_opmath(y[k * l.stride]);
            gi[k * l.stride] = from_opmath<T>(Log ? gk - exp(yk) * s : yk * (gk - s));
        }
    }
};

// Runs body with scalar_t bound to the floating device type of dtype; other dtypes fail.
template <typename Body>
void dispatch_floating(int32_t dtype, const char* what, const Body& body) {
    CMP_CUDA_DISPATCH_ALL_TYPES(dtype, what, [&] {
        if constexpr (is_float_v<scalar_t>) body(scalar_t{});
        else fail(CMP_STATUS_DTYPE_MISMATCH, what, ": floating dtypes only, got dtype ", dtype);
    });
}

}  // namespace

int32_t softmax(const compute_cuda_lines* lines, const void* in, void* out, int32_t log) {
    const char* what = log ? "cuda log_softmax" : "cuda softmax";
    return run_lines(what, lines, [&](const compute_cuda_lines& l) {
        dispatch_floating(l.dtype, what, [&](auto zero) {
            using T = decltype(zero);
            const auto* x = static_cast<const T*>(in);
            auto* y = static_cast<T*>(out);
            if (log) launch_lines(l, SoftmaxLine<T, true>{x, y, l.dim});
            else launch_lines(l, SoftmaxLine<T, false>{x, y, l.dim});
        });
    });
}

int32_t softmax_backward(const compute_cuda_lines* lines, const void* grad_out, const void* out, void* grad_in,
                         int32_t log) {
    const char* what = log ? "cuda log_softmax_backward" : "cuda softmax_backward";
    return run_lines(what, lines, [&](const compute_cuda_lines& l) {
        dispatch_floating(l.dtype, what, [&](auto zero) {
            using T = decltype(zero);
            const auto* go = static_cast<const T*>(grad_out);
            const auto* y = static_cast<const T*>(out);
            auto* gi = static_cast<T*>(grad_in);
            if (log) launch_lines(l, SoftmaxBackwardLine<T, true>{go, y, gi, l.dim});
            else launch_lines(l, SoftmaxBackwardLine<T, false>{go, y, gi, l.dim});
        });
    });
}

}  // namespace cmp::cuda_backend
