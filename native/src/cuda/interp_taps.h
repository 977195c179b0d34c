// The per-element passes of interpolate over the CPU front-end's taps (ops/nn_pool_interp.cpp
// computes them on the host by PyTorch's coordinate rules and uploads them), written once for
// two users: cuda/interpolate.cu runs them in a thread per element, the fake backend of the
// routing tests in a loop on the host. The forward is cpu/kernels/nn_pool_interp.cpp's formula
// step for step (w, then h, then d; both taps read even when a weight is 0); the backward gathers
// an input's terms in the order in which the CPU kernel scatters them into its zero-filled
// grad_in (outputs in row-major order, for one output its taps d, h, w lexicographically), each
// term the product (((w_d) w_h) w_w) g of the real dims' weights. Products are rounded before
// they are added (cuda_scatter::mul: no FMA contraction on the device; the CPU file is compiled
// with -ffp-contract=off), so the results are the CPU's bit for bit.
#pragma once

#include "cuda/backend_api.h"
#include "cuda/scatter_combine.h"

#include <cstdint>
#include <type_traits>
#if defined(__CUDACC__)
#define CMP_INTERP_HD __host__ __device__ __forceinline__
#else
#define CMP_INTERP_HD inline
#endif

namespace cmp::cuda_interp {

CMP_INTERP_HD int64_t in_plane(const compute_cuda_interp& p) {
    return p.dims[0].in_size * p.dims[1].in_size * p.dims[2].in_size;
}
CMP_INTERP_HD int64_t out_plane(const compute_cuda_interp& p) {
    return p.dims[0].out_size * p.dims[1].out_size * p.dims[2].out_size;
}

// Element e of the output (planes x out_plane).
template <typename T>
CMP_INTERP_HD T forward_one(const compute_cuda_interp& p, const T* src, int64_t e) {
    const compute_cuda_interp_dim &D = p.dims[0], &H = p.dims[1], &W = p.dims[2];
    const int64_t ow = e % W.out_size, oh = e / W.out_size % H.out_size, od = e / (W.out_size * H.out_size) % D.out_size;
    const T* x = src + e / out_plane(p) * in_plane(p);
    const int64_t s0 = H.in_size * W.in_size, s1 = W.in_size;
    if constexpr (std::is_floating_point_v<T>) {
        if (p.linear) {
            using cuda_scatter::mul;
            const T* r00 = x + D.i0[od] * s0 + H.i0[oh] * s1;
            const T* r01 = x + D.i0[od] * s0 + H.i1[oh] * s1;
            const T* r10 = x + D.i1[od] * s0 + H.i0[oh] * s1;
            const T* r11 = x + D.i1[od] * s0 + H.i1[oh] * s1;
            const int64_t w0i = W.i0[ow], w1i = W.i1[ow];
            const T ww0 = static_cast<T>(W.w0[ow]), ww1 = static_cast<T>(W.w1[ow]);
            const T wh0 = static_cast<T>(H.w0[oh]), wh1 = static_cast<T>(H.w1[oh]);
            const T wd0 = static_cast<T>(D.w0[od]), wd1 = static_cast<T>(D.w1[od]);
            const auto f = [&](const T* r) { return mul(r[w0i], ww0) + mul(r[w1i], ww1); };
            T g0, g1 = T(0);
            if (H.real) {
                g0 = mul(f(r00), wh0) + mul(f(r01), wh1);
                if (D.real) g1 = mul(f(r10), wh0) + mul(f(r11), wh1);
            } else {
                g0 = f(r00);
                if (D.real) g1 = f(r10);
            }
            return D.real ? mul(g0, wd0) + mul(g1, wd1) : g0;
        }
    }
    return x[D.i0[od] * s0 + H.i0[oh] * s1 + W.i0[ow]];
}

// The end of the run of entries of one output starting at k (two when both taps of an output
// name the input).
CMP_INTERP_HD int64_t run_end(const compute_cuda_interp_dim& d, int64_t k, int64_t end) {
    int64_t j = k + 1;
    while (j < end && d.outputs[j] == d.outputs[k]) ++j;
    return j;
}

// Element e of grad_input (planes x in_plane) from grad_output src: its terms in the CPU's order.
template <typename T>
CMP_INTERP_HD T backward_one(const compute_cuda_interp& p, const T* src, int64_t e) {
    using cuda_scatter::mul;
    const compute_cuda_interp_dim &D = p.dims[0], &H = p.dims[1], &W = p.dims[2];
    const int64_t iw = e % W.in_size, ih = e / W.in_size % H.in_size, id = e / (W.in_size * H.in_size) % D.in_size;
    const T* g = src + e / in_plane(p) * out_plane(p);
    const int64_t d_end = D.first[id + 1], h_end = H.first[ih + 1], w_end = W.first[iw + 1];
    T acc = T(0);
    for (int64_t a = D.first[id], a_next; a < d_end; a = a_next) {
        a_next = run_end(D, a, d_end);
        for (int64_t b = H.first[ih], b_next; b < h_end; b = b_next) {
            b_next = run_end(H, b, h_end);
            for (int64_t c = W.first[iw], c_next; c < w_end; c = c_next) {
                c_next = run_end(W, c, w_end);
                const T go = g[(D.outputs[a] * H.out_size + H.outputs[b]) * W.out_size + W.outputs[c]];
                for (int64_t ta = a; ta < a_next; ++ta)
                    for (int64_t tb = b; tb < b_next; ++tb)
                        for (int64_t tc = c; tc < c_next; ++tc) {
                            if (!p.linear) {
                                acc = acc + go;
                                continue;
                            }
                            T w = T(1);
                            if (D.real) w = mul(w, static_cast<T>(D.weights[ta]));
                            if (H.real) w = mul(w, static_cast<T>(H.weights[tb]));
                            if (W.real) w = mul(w, static_cast<T>(W.weights[tc]));
                            acc = acc + mul(w, go);
                        }
            }
        }
    }
    return acc;
}

}  // namespace cmp::cuda_interp
