// Kernels of grid_sample 2-d (bilinear, nearest; zeros/border/reflection padding), forward and
// backward with respect to input and grid. The coordinate helpers return the source coordinate
// and, for the backward, d(source coordinate)/d(grid value), following PyTorch's definitions
// (unnormalise, then clip or reflect) so the gradients at the clipping edges agree.
#include "cpu/nn_pool_stubs.h"
#include "cpu/loops.h"

#include "core/parallel.h"

#include <algorithm>
#include <cmath>

namespace cmp::cpu {
namespace {

// A coordinate and its derivative with respect to the grid value it came from.
template <typename T>
struct Coord {
    T v;
    T grad;
};

template <typename T>
Coord<T> clip(Coord<T> c, int64_t size) {
    const T hi = static_cast<T>(size - 1);
    if (c.v <= T(0)) return {T(0), T(0)};
    if (c.v >= hi) return {hi, T(0)};
    return c;
}

// Reflects into [twice_low / 2, twice_high / 2] (PyTorch's reflect_coordinates); the sign of
// the derivative flips with each reflection.
template <typename T>
Coord<T> reflect(Coord<T> c, int64_t twice_low, int64_t twice_high) {
    if (twice_low == twice_high) return {T(0), T(0)};
    const T lo = static_cast<T>(twice_low) / 2, span = static_cast<T>(twice_high - twice_low) / 2;
    T in = c.v - lo;
    T sign = 1;
    if (in < T(0)) {
        sign = -1;
        in = -in;
    }
    const T extra = std::fmod(in, span);
    const int64_t flips = static_cast<int64_t>(std::floor(in / span));
    if (flips % 2 == 0) return {extra + lo, c.grad * sign};
    return {span - extra + lo, -c.grad * sign};
}

// Grid value in [-1, 1] -> pixel coordinate, then the padding mode's folding.
template <typename T>
Coord<T> source_coord(T g, int64_t size, const GridSampleArgs& a) {
    Coord<T> c = a.align_corners ? Coord<T>{(g + 1) / 2 * static_cast<T>(size - 1), static_cast<T>(size - 1) / 2}
                                 : Coord<T>{((g + 1) * static_cast<T>(size) - 1) / 2, static_cast<T>(size) / 2};
    if (a.padding == CMP_GRID_PADDING_BORDER) {
        c = clip(c, size);
    } else if (a.padding == CMP_GRID_PADDING_REFLECTION) {
        c = a.align_corners ? reflect(c, 0, 2 * (size - 1)) : reflect(c, -1, 2 * size - 1);
        c = clip(c, size);
    }
    // Non-finite or huge coordinates become a far-away point, as in PyTorch, so the integer
    // conversions below stay defined.
    if (!std::isfinite(c.v) || c.v > T(2147483647) || c.v < T(-2147483648.0)) c.v = T(-100);
    return c;
}

bool inside(int64_t y, int64_t x, int64_t H, int64_t W) { return y >= 0 && y < H && x >= 0 && x < W; }

// The four bilinear corners of (ix, iy): positions and weights in PyTorch's order nw, ne, sw, se.
template <typename T>
struct Corners {
    int64_t x0, y0;
    T ex0, ex1, ey0, ey1;  // x0 + 1 - ix, ix - x0, y0 + 1 - iy, iy - y0
    T w[4];
    int64_t xs[4], ys[4];
};

template <typename T>
Corners<T> corners_of(T ix, T iy) {
    Corners<T> k;
    k.x0 = static_cast<int64_t>(std::floor(ix));
    k.y0 = static_cast<int64_t>(std::floor(iy));
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
    const int64_t xs[4] = {k.x0, k.x0 + 1, k.x0, k.x0 + 1}, ys[4] = {k.y0, k.y0, k.y0 + 1, k.y0 + 1};
    std::copy(xs, xs + 4, k.xs);
    std::copy(ys, ys + 4, k.ys);
    return k;
}

struct GridShape {
    int64_t N, C, H, W, Ho, Wo;
};

GridShape shape_of(const Tensor& input, const Tensor& grid) {
    return {input.size(0), input.size(1), input.size(2), input.size(3), grid.size(1), grid.size(2)};
}

template <typename T>
void grid_sample_typed(const GridSampleArgs& a, const Tensor& input, const Tensor& grid, const Tensor& out) {
    const GridShape s = shape_of(input, grid);
    const T* x = input.data<T>();
    const T* g = grid.data<T>();
    T* y = out.data<T>();
    const int64_t plane = s.H * s.W, out_plane = s.Ho * s.Wo;
    const int64_t grain = std::max<int64_t>(1, kDefaultGrain / std::max<int64_t>(1, s.C * 4));
    parallel_for(0, s.N * out_plane, grain, [&](int64_t begin, int64_t end) {
        for (int64_t q = begin; q < end; ++q) {
            const int64_t n = q / out_plane, o = q % out_plane;
            const T ix = source_coord<T>(g[q * 2], s.W, a).v, iy = source_coord<T>(g[q * 2 + 1], s.H, a).v;
            const T* xn = x + n * s.C * plane;
            T* yn = y + n * s.C * out_plane + o;
            if (a.nearest) {
                const int64_t xi = static_cast<int64_t>(std::nearbyint(ix)), yi = static_cast<int64_t>(std::nearbyint(iy));
                const bool in = inside(yi, xi, s.H, s.W);
                for (int64_t c = 0; c < s.C; ++c) yn[c * out_plane] = in ? xn[c * plane + yi * s.W + xi] : T(0);
                continue;
            }
            const Corners<T> k = corners_of(ix, iy);
            for (int64_t c = 0; c < s.C; ++c) {
                T acc = 0;
                for (int j = 0; j < 4; ++j)
                    if (inside(k.ys[j], k.xs[j], s.H, s.W)) acc += xn[c * plane + k.ys[j] * s.W + k.xs[j]] * k.w[j];
                yn[c * out_plane] = acc;
            }
        }
    });
}

void grid_sample_kernel(const GridSampleArgs& a, const Tensor& input, const Tensor& grid, const Tensor& out) {
    switch (input.dtype()) {
        case CMP_DTYPE_FLOAT32: return grid_sample_typed<float>(a, input, grid, out);
        case CMP_DTYPE_FLOAT64: return grid_sample_typed<double>(a, input, grid, out);
        default: fail(CMP_STATUS_INTERNAL_ERROR, str("grid_sample kernel: unexpected dtype ", dtype_name(input.dtype())));
    }
}

// Samples are independent but scatter into grad_input, so the batch is the unit of parallelism:
// each batch item owns its slice of grad_input.
template <typename T>
void grid_sample_backward_typed(const GridSampleArgs& a, const Tensor& grad_out, const Tensor& input, const Tensor& grid,
                                const Tensor& grad_input, const Tensor& grad_grid) {
    const GridShape s = shape_of(input, grid);
    const T* x = input.data<T>();
    const T* g = grid.data<T>();
    const T* gy = grad_out.data<T>();
    T* gx = grad_input.data<T>();
    T* gg = grad_grid.data<T>();
    const int64_t plane = s.H * s.W, out_plane = s.Ho * s.Wo;
    const int64_t grain = std::max<int64_t>(1, kDefaultGrain / std::max<int64_t>(1, s.C * out_plane * 8));
    parallel_for(0, s.N, grain, [&](int64_t begin, int64_t end) {
        for (int64_t n = begin; n < end; ++n) {
            const T* xn = x + n * s.C * plane;
            T* gxn = gx + n * s.C * plane;
            for (int64_t o = 0; o < out_plane; ++o) {
                const int64_t q = n * out_plane + o;
                const Coord<T> cx = source_coord<T>(g[q * 2], s.W, a), cy = source_coord<T>(g[q * 2 + 1], s.H, a);
                const T* gyo = gy + n * s.C * out_plane + o;
                if (a.nearest) {
                    const int64_t xi = static_cast<int64_t>(std::nearbyint(cx.v)), yi = static_cast<int64_t>(std::nearbyint(cy.v));
                    if (inside(yi, xi, s.H, s.W))
                        for (int64_t c = 0; c < s.C; ++c) gxn[c * plane + yi * s.W + xi] += gyo[c * out_plane];
                    gg[q * 2] = gg[q * 2 + 1] = T(0);
                    continue;
                }
                const Corners<T> k = corners_of(cx.v, cy.v);
                // d(weight)/d(ix) and d(weight)/d(iy) of nw, ne, sw, se.
                const T dwx[4] = {-k.ey0, k.ey0, -k.ey1, k.ey1};
                const T dwy[4] = {-k.ex0, -k.ex1, k.ex0, k.ex1};
                T gix = 0, giy = 0;
                for (int64_t c = 0; c < s.C; ++c) {
                    const T go = gyo[c * out_plane];
                    for (int j = 0; j < 4; ++j) {
                        if (!inside(k.ys[j], k.xs[j], s.H, s.W)) continue;
                        const int64_t at = c * plane + k.ys[j] * s.W + k.xs[j];
                        gxn[at] += k.w[j] * go;
                        gix += xn[at] * dwx[j] * go;
                        giy += xn[at] * dwy[j] * go;
                    }
                }
                gg[q * 2] = cx.grad * gix;
                gg[q * 2 + 1] = cy.grad * giy;
            }
        }
    });
}

void grid_sample_backward_kernel(const GridSampleArgs& a, const Tensor& grad_out, const Tensor& input, const Tensor& grid,
                                 const Tensor& grad_input, const Tensor& grad_grid) {
    switch (input.dtype()) {
        case CMP_DTYPE_FLOAT32: return grid_sample_backward_typed<float>(a, grad_out, input, grid, grad_input, grad_grid);
        case CMP_DTYPE_FLOAT64: return grid_sample_backward_typed<double>(a, grad_out, input, grid, grad_input, grad_grid);
        default: fail(CMP_STATUS_INTERNAL_ERROR, str("grid_sample_backward kernel: unexpected dtype ", dtype_name(input.dtype())));
    }
}

}  // namespace

CMP_REGISTER_KERNEL(grid_sample_stub, grid_sample_kernel)
CMP_REGISTER_KERNEL(grid_sample_backward_stub, grid_sample_backward_kernel)

}  // namespace cmp::cpu
