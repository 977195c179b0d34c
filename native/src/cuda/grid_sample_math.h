// grid_sample 2-d's coordinate math and per-element passes, written once for three users: the
// CPU kernels (cpu/kernels/nn_pool_grid.cpp), cuda/grid_sample.cu (a thread per element) and
// the fake backend of the routing tests (a loop on the host). The coordinate helpers return the
// source coordinate and d(source coordinate)/d(grid value), following PyTorch's definitions
// (unnormalise, then clip or reflect) so the gradients at the clipping edges agree. Products
// that feed a sum are rounded first (cuda_scatter::mul: no FMA contraction on the device; the
// CPU kernel file is compiled with -ffp-contract=off), and every sum runs in the CPU kernel's
// order, so both devices give the same bits.
#pragma once

#include "compute/compute.h"
#include "cuda/scatter_combine.h"

#include <cmath>
#include <cstdint>
#if defined(__CUDACC__)
#define CMP_GRID_HD __host__ __device__ __forceinline__
#else
#define CMP_GRID_HD inline __attribute__((always_inline))
#endif

namespace cmp::cuda_grid {

using cuda_scatter::mul;

// A coordinate and its derivative with respect to the grid value it came from.
template <typename T>
struct Coord {
    T v;
    T grad;
};

template <typename T>
CMP_GRID_HD Coord<T> clip(Coord<T> c, int64_t size) {
    const T hi = static_cast<T>(size - 1);
    if (c.v <= T(0)) return {T(0), T(0)};
    if (c.v >= hi) return {hi, T(0)};
    return c;
}

// Reflects into [twice_low / 2, twice_high / 2] (PyTorch's reflect_coordinates); the sign of
// the derivative flips with each reflection. fmod and floor are exact, so computing them in
// double gives T's values.
template <typename T>
CMP_GRID_HD Coord<T> reflect(Coord<T> c, int64_t twice_low, int64_t twice_high) {
    if (twice_low == twice_high) return {T(0), T(0)};
    const T lo = static_cast<T>(twice_low) / 2, span = static_cast<T>(twice_high - twice_low) / 2;
    T in = c.v - lo;
    T sign = 1;
    if (in < T(0)) {
        sign = -1;
        in = -in;
    }
    const T extra = static_cast<T>(::fmod(static_cast<double>(in), static_cast<double>(span)));
    const auto flips = static_cast<int64_t>(::floor(static_cast<double>(in / span)));
    if (flips % 2 == 0) return {extra + lo, c.grad * sign};
    return {span - extra + lo, -c.grad * sign};
}

// Grid value in [-1, 1] -> pixel coordinate, then the padding mode's folding. A holds padding
// (cmp_grid_padding_mode) and align_corners.
template <typename T, typename A>
CMP_GRID_HD Coord<T> source_coord(T g, int64_t size, const A& a) {
    Coord<T> c = a.align_corners ? Coord<T>{mul((g + 1) / 2, static_cast<T>(size - 1)), static_cast<T>(size - 1) / 2}
                                 : Coord<T>{(mul(g + 1, static_cast<T>(size)) - 1) / 2, static_cast<T>(size) / 2};
    if (a.padding == CMP_GRID_PADDING_BORDER) {
        c = clip(c, size);
    } else if (a.padding == CMP_GRID_PADDING_REFLECTION) {
        c = a.align_corners ? reflect(c, 0, 2 * (size - 1)) : reflect(c, -1, 2 * size - 1);
        c = clip(c, size);
    }
    // Non-finite or huge coordinates become a far-away point, as in PyTorch, so the integer
    // conversions stay defined (NaN fails both comparisons).
    if (!(c.v <= T(2147483647) && c.v >= T(-2147483648.0))) c.v = T(-100);
    return c;
}

CMP_GRID_HD bool inside(int64_t y, int64_t x, int64_t H, int64_t W) { return y >= 0 && y < H && x >= 0 && x < W; }

// The nearest mode's pixel (rounding half to even, as std::nearbyint).
template <typename T>
CMP_GRID_HD int64_t nearest_index(T v) {
    return static_cast<int64_t>(::nearbyint(static_cast<double>(v)));
}

// The four bilinear corners of (ix, iy): positions and weights in PyTorch's order nw, ne, sw, se.
template <typename T>
struct Corners {
    int64_t x0, y0;
    T ex0, ex1, ey0, ey1;  // x0 + 1 - ix, ix - x0, y0 + 1 - iy, iy - y0
    T w[4];
    int64_t xs[4], ys[4];
};

template <typename T>
CMP_GRID_HD Corners<T> corners_of(T ix, T iy) {
    Corners<T> k;
    k.x0 = static_cast<int64_t>(::floor(static_cast<double>(ix)));
    k.y0 = static_cast<int64_t>(::floor(static_cast<double>(iy)));
    const T x1 = static_cast<T>(k.x0 + 1), y1 = static_cast<T>(k.y0 + 1);
    const T x0 = static_cast<T>(k.x0), y0 = static_cast<T>(k.y0);
    k.ex0 = x1 - ix;
    k.ex1 = ix - x0;
    k.ey0 = y1 - iy;
    k.ey1 = iy - y0;
    k.w[0] = k.ex0 * k.ey0;
    k.w[1] = k.ex1 * k.ey0;
    k.w[2] = k.ex0 * k.ey1;
    k.w[3] = k.ex1 * k.ey1;
    k.xs[0] = k.x0;
    k.xs[1] = k.x0 + 1;
    k.xs[2] = k.x0;
    k.xs[3] = k.x0 + 1;
    k.ys[0] = k.y0;
    k.ys[1] = k.y0;
    k.ys[2] = k.y0 + 1;
    k.ys[3] = k.y0 + 1;
    return k;
}

// The sizes of one grid_sample: input [N, C, H, W], grid [N, Ho, Wo, 2], output [N, C, Ho, Wo].
struct Shape {
    int64_t N, C, H, W, Ho, Wo;
};

// Output element e ((n, c) plane, then the sample) of grid_sample: the CPU kernel's sum.
template <typename T, typename A>
CMP_GRID_HD T forward_one(const A& a, const Shape& s, const T* x, const T* g, int64_t e) {
    const int64_t out_plane = s.Ho * s.Wo, o = e % out_plane, nc = e / out_plane, n = nc / s.C;
    const int64_t q = n * out_plane + o;
    const T ix = source_coord<T>(g[q * 2], s.W, a).v, iy = source_coord<T>(g[q * 2 + 1], s.H, a).v;
    const T* xc = x + nc * s.H * s.W;
    if (a.nearest) {
        const int64_t xi = nearest_index(ix), yi = nearest_index(iy);
        return inside(yi, xi, s.H, s.W) ? xc[yi * s.W + xi] : T(0);
    }
    const Corners<T> k = corners_of(ix, iy);
    T acc = 0;
    for (int j = 0; j < 4; ++j)
        if (inside(k.ys[j], k.xs[j], s.H, s.W)) acc = acc + mul(xc[k.ys[j] * s.W + k.xs[j]], k.w[j]);
    return acc;
}

// grad_grid of sample q (n, o): the channels' terms in the CPU kernel's order; 0 for nearest.
template <typename T, typename A>
CMP_GRID_HD void grad_grid_one(const A& a, const Shape& s, const T* grad_out, const T* x, const T* g, T* grad_grid,
                               int64_t q) {
    if (a.nearest) {
        grad_grid[q * 2] = grad_grid[q * 2 + 1] = T(0);
        return;
    }
    const int64_t out_plane = s.Ho * s.Wo, plane = s.H * s.W, n = q / out_plane, o = q % out_plane;
    const Coord<T> cx = source_coord<T>(g[q * 2], s.W, a), cy = source_coord<T>(g[q * 2 + 1], s.H, a);
    const Corners<T> k = corners_of(cx.v, cy.v);
    // d(weight)/d(ix) and d(weight)/d(iy) of nw, ne, sw, se.
    const T dwx[4] = {-k.ey0, k.ey0, -k.ey1, k.ey1};
    const T dwy[4] = {-k.ex0, -k.ex1, k.ex0, k.ex1};
    T gix = 0, giy = 0;
    for (int64_t c = 0; c < s.C; ++c) {
        const T go = grad_out[(n * s.C + c) * out_plane + o];
        const T* xc = x + (n * s.C + c) * plane;
        for (int j = 0; j < 4; ++j) {
            if (!inside(k.ys[j], k.xs[j], s.H, s.W)) continue;
            const T v = xc[k.ys[j] * s.W + k.xs[j]];
            gix = gix + mul(mul(v, dwx[j]), go);
            giy = giy + mul(mul(v, dwy[j]), go);
        }
    }
    grad_grid[q * 2] = cx.grad * gix;
    grad_grid[q * 2 + 1] = cy.grad * giy;
}

// grad_input as a gather. Entry t = q * 4 + j names corner j of sample q: its key is the flat
// input pixel n * H * W + y * W + x it adds to, or N * H * W (after every pixel) when it adds
// nothing (outside the input; the nearest mode's corners 1-3); its weight is the corner's (1 for
// nearest). The entries sorted stably by key keep, for each pixel, the order of the samples,
// which is the order in which the CPU kernel adds them.
template <typename T, typename A>
CMP_GRID_HD void corner_entry(const A& a, const Shape& s, const T* g, int64_t t, int64_t* key, T* weight) {
    const int64_t q = t / 4, j = t % 4, plane = s.H * s.W, n = q / (s.Ho * s.Wo);
    const T ix = source_coord<T>(g[q * 2], s.W, a).v, iy = source_coord<T>(g[q * 2 + 1], s.H, a).v;
    *key = s.N * plane;
    *weight = T(1);
    if (a.nearest) {
        const int64_t xi = nearest_index(ix), yi = nearest_index(iy);
        if (j == 0 && inside(yi, xi, s.H, s.W)) *key = n * plane + yi * s.W + xi;
        return;
    }
    const Corners<T> k = corners_of(ix, iy);
    if (inside(k.ys[j], k.xs[j], s.H, s.W)) *key = n * plane + k.ys[j] * s.W + k.xs[j];
    *weight = k.w[j];
}

// Element e ((n, c) plane, then the pixel) of grad_input from the sorted keys and the entries
// they came from: the run of its pixel, each entry's weight times its sample's grad_output of
// channel c, added in order from 0.
template <typename T, typename A>
CMP_GRID_HD T grad_input_one(const A& a, const Shape& s, const int64_t* keys, const int64_t* entries, const T* weights,
                             int64_t count, const T* grad_out, int64_t e) {
    const int64_t plane = s.H * s.W, out_plane = s.Ho * s.Wo, nc = e / plane, n = nc / s.C;
    const int64_t key = n * plane + e % plane;
    int64_t lo = 0, hi = count;
    while (lo < hi) {
        const int64_t mid = lo + (hi - lo) / 2;
        if (keys[mid] < key) lo = mid + 1;
        else hi = mid;
    }
    const T* go = grad_out + nc * out_plane;
    T acc = T(0);
    for (; lo < count && keys[lo] == key; ++lo) {
        const int64_t t = entries[lo], o = t / 4 % out_plane;
        acc = a.nearest ? acc + go[o] : acc + mul(weights[t], go[o]);
    }
    return acc;
}

}  // namespace cmp::cuda_grid
