// The windows of max / average / adaptive pooling and the per-element passes over them, written
// once for three users: the CPU front-end (ops/nn_pool.cpp) builds its kernels' window tables
// from window(), cuda/pool.cu runs the passes in a thread per element, and the fake backend of
// the routing tests runs them in a loop on the host. A pass visits a window in the CPU kernel's
// order (d, then h, then w) and a backward gathers an input's terms in output order, so sums and
// maxima are the CPU kernel's (cpu/kernels/nn_pool.cpp), bit for bit.
#pragma once

#include "cuda/backend_api.h"

#include <cmath>
#include <cstdint>
#if defined(__CUDACC__)
#define CMP_POOL_HD __host__ __device__ __forceinline__
#else
#define CMP_POOL_HD inline
#endif

namespace cmp::cuda_pool {

// Output o's positions of one dim: first + k * step for k in [0, count), all inside the input;
// divisor is the dim's factor of an average's divisor.
struct Window {
    int64_t first, count, divisor, step;
};

CMP_POOL_HD int64_t min_of(int64_t a, int64_t b) { return a < b ? a : b; }

// PyTorch's windows (compute_cuda_pool_dim): regular ones start at o * stride - pad, the part in
// the padding cut away; adaptive ones cover [floor(o in / out), ceil((o + 1) in / out)).
CMP_POOL_HD Window window(const compute_cuda_pool_dim& d, int64_t o) {
    if (d.adaptive) {
        const int64_t first = o * d.in_size / d.out_size;
        const int64_t end = ((o + 1) * d.in_size + d.out_size - 1) / d.out_size;
        return {first, end - first, end - first, 1};
    }
    const int64_t start = o * d.stride - d.pad;
    int64_t first = start;
    if (first < 0) first += (-first + d.dilation - 1) / d.dilation * d.dilation;
    const int64_t end = min_of(start + (d.kernel - 1) * d.dilation + 1, d.in_size);
    const int64_t count = first < end ? (end - first + d.dilation - 1) / d.dilation : 0;
    const int64_t divisor = d.include_pad ? min_of(start + d.kernel, d.in_size + d.pad) - start : count;
    return {first, count, divisor, d.dilation};
}

// Whether input position i of the dim is one of the window's positions.
CMP_POOL_HD bool holds(const Window& w, int64_t i) {
    const int64_t off = i - w.first;
    return off >= 0 && off % w.step == 0 && off / w.step < w.count;
}

// The outputs [*lo, *hi) whose windows may hold input position i (each still tested by holds()).
CMP_POOL_HD void candidates(const compute_cuda_pool_dim& d, int64_t i, int64_t* lo, int64_t* hi) {
    if (d.adaptive) {
        *lo = i * d.out_size / d.in_size;
        *hi = ((i + 1) * d.out_size + d.in_size - 1) / d.in_size;
    } else {
        // A window starting at s holds i when s <= i <= s + (kernel - 1) * dilation.
        const int64_t reach = i + d.pad - (d.kernel - 1) * d.dilation;
        *lo = reach <= 0 ? 0 : (reach + d.stride - 1) / d.stride;
        *hi = (i + d.pad) / d.stride + 1;
    }
    *hi = min_of(*hi, d.out_size);
}

// An average's sum divided as the CPU kernel divides it (compute_cuda_pool's divisor_override).
template <typename A>
CMP_POOL_HD A divide(A sum, int64_t divisor_override, const Window& wd, const Window& wh, const Window& ww) {
    if (divisor_override > 0) return sum / static_cast<A>(divisor_override);
    if (divisor_override < 0)
        return sum / static_cast<A>(wd.divisor) / static_cast<A>(wh.divisor) / static_cast<A>(ww.divisor);
    return sum / static_cast<A>(wd.divisor * wh.divisor * ww.divisor);
}

CMP_POOL_HD int64_t in_plane(const compute_cuda_pool& p) {
    return p.dims[0].in_size * p.dims[1].in_size * p.dims[2].in_size;
}
CMP_POOL_HD int64_t out_plane(const compute_cuda_pool& p) {
    return p.dims[0].out_size * p.dims[1].out_size * p.dims[2].out_size;
}

// Flat element e of [planes, a, b, c] as (plane, i, j, k).
struct Coords {
    int64_t plane, d, h, w;
};
CMP_POOL_HD Coords coords(int64_t e, int64_t a, int64_t b, int64_t c) {
    return {e / (a * b * c), e / (b * c) % a, e / c % b, e % c};
}

// The windows of output e (a flat index over planes x outputs).
struct OutputWindows {
    Coords at;
    Window d, h, w;
};
CMP_POOL_HD OutputWindows output_windows(const compute_cuda_pool& p, int64_t e) {
    const Coords c = coords(e, p.dims[0].out_size, p.dims[1].out_size, p.dims[2].out_size);
    return {c, window(p.dims[0], c.d), window(p.dims[1], c.h), window(p.dims[2], c.w)};
}

// POOL_MAX for output e: the window's maximum (a NaN replaces what came before it, so the last
// NaN wins) and its position in the plane (the window's first position when nothing beats -inf).
template <typename T>
CMP_POOL_HD void max_one(const compute_cuda_pool& p, const T* src, T* dst, int64_t* indices, int64_t e) {
    const OutputWindows o = output_windows(p, e);
    const int64_t sW = p.dims[2].in_size, sHW = p.dims[1].in_size * sW;
    const T* x = src + o.at.plane * in_plane(p);
    T best = static_cast<T>(-INFINITY);
    int64_t best_i = o.d.first * sHW + o.h.first * sW + o.w.first;
    for (int64_t kd = 0; kd < o.d.count; ++kd) {
        for (int64_t kh = 0; kh < o.h.count; ++kh) {
            const int64_t row = (o.d.first + kd * o.d.step) * sHW + (o.h.first + kh * o.h.step) * sW;
            for (int64_t kw = 0; kw < o.w.count; ++kw) {
                const int64_t i = row + o.w.first + kw * o.w.step;
                const T v = x[i];
                if (v > best || v != v) {
                    best = v;
                    best_i = i;
                }
            }
        }
    }
    dst[e] = best;
    indices[e] = best_i;
}

// POOL_AVG for output e: the window's sum in A (T itself, int64 for int64), divided.
template <typename T, typename A>
CMP_POOL_HD void avg_one(const compute_cuda_pool& p, const T* src, T* dst, int64_t e) {
    const OutputWindows o = output_windows(p, e);
    const int64_t sW = p.dims[2].in_size, sHW = p.dims[1].in_size * sW;
    const T* x = src + o.at.plane * in_plane(p);
    A sum = A(0);
    for (int64_t kd = 0; kd < o.d.count; ++kd) {
        for (int64_t kh = 0; kh < o.h.count; ++kh) {
            const T* row = x + (o.d.first + kd * o.d.step) * sHW + (o.h.first + kh * o.h.step) * sW + o.w.first;
            for (int64_t kw = 0; kw < o.w.count; ++kw) sum += static_cast<A>(row[kw * o.w.step]);
        }
    }
    dst[e] = static_cast<T>(divide<A>(sum, p.divisor_override, o.d, o.h, o.w));
}

// POOL_AVG_BACKWARD for input e: the shares (grad_out / divisor) of the windows holding it, added
// in output order from 0, as the CPU kernel adds them into its zero-filled grad_in.
template <typename T>
CMP_POOL_HD T avg_backward_one(const compute_cuda_pool& p, const T* grad_out, int64_t e) {
    const compute_cuda_pool_dim &D = p.dims[0], &H = p.dims[1], &W = p.dims[2];
    const Coords c = coords(e, D.in_size, H.in_size, W.in_size);
    int64_t d0, d1, h0, h1, w0, w1;
    candidates(D, c.d, &d0, &d1);
    candidates(H, c.h, &h0, &h1);
    candidates(W, c.w, &w0, &w1);
    const T* y = grad_out + c.plane * out_plane(p);
    T acc = T(0);
    for (int64_t od = d0; od < d1; ++od) {
        const Window wd = window(D, od);
        if (!holds(wd, c.d)) continue;
        for (int64_t oh = h0; oh < h1; ++oh) {
            const Window wh = window(H, oh);
            if (!holds(wh, c.h)) continue;
            for (int64_t ow = w0; ow < w1; ++ow) {
                const Window ww = window(W, ow);
                if (!holds(ww, c.w)) continue;
                acc += divide<T>(y[(od * H.out_size + oh) * W.out_size + ow], p.divisor_override, wd, wh, ww);
            }
        }
    }
    return acc;
}

// The sort key of MAX_BACKWARD's output position o: its plane's first input plus its index, or
// -1 for an index outside the plane.
CMP_POOL_HD int64_t max_key(const compute_cuda_pool& p, const int64_t* indices, int64_t o) {
    const int64_t i = indices[o], n_in = in_plane(p);
    return i < 0 || i >= n_in ? -1 : o / out_plane(p) * n_in + i;
}

// POOL_MAX_BACKWARD for input e, from the keys sorted stably with their positions: the run of
// keys equal to e, its grad_out values added in position order from 0 (the CPU kernel's order).
template <typename T>
CMP_POOL_HD T max_backward_one(const int64_t* keys, const int64_t* positions, int64_t count, const T* grad_out,
                               int64_t e) {
    int64_t lo = 0, hi = count;
    while (lo < hi) {
        const int64_t mid = lo + (hi - lo) / 2;
        if (keys[mid] < e) lo = mid + 1;
        else hi = mid;
    }
    T acc = T(0);
    for (; lo < count && keys[lo] == e; ++lo) acc += grad_out[positions[lo]];
    return acc;
}

}  // namespace cmp::cuda_pool
