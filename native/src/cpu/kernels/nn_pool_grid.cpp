// Kernels of grid_sample 2-d (bilinear, nearest; zeros/border/reflection padding), forward and
// backward with respect to input and grid. The coordinate helpers (cuda/grid_sample_math.h,
// shared with the CUDA kernels) return the source coordinate and, for the backward,
// d(source coordinate)/d(grid value), following PyTorch's definitions (unnormalise, then clip or
// reflect) so the gradients at the clipping edges agree. Compiled with -ffp-contract=off (the
// CUDA kernels round every product before it is added, and give these bits).
#include "cpu/nn_pool_stubs.h"
#include "cpu/loops.h"
#include "cuda/grid_sample_math.h"

#include "core/parallel.h"

#include <algorithm>
#include <cmath>

namespace cmp::cpu {
namespace {

using cuda_grid::Coord;
using cuda_grid::Corners;
using cuda_grid::corners_of;
using cuda_grid::inside;
using cuda_grid::mul;
using cuda_grid::nearest_index;
using cuda_grid::source_coord;

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
                const int64_t xi = nearest_index(ix), yi = nearest_index(iy);
                const bool in = inside(yi, xi, s.H, s.W);
                for (int64_t c = 0; c < s.C; ++c) yn[c * out_plane] = in ? xn[c * plane + yi * s.W + xi] : T(0);
                continue;
            }
            const Corners<T> k = corners_of(ix, iy);
            for (int64_t c = 0; c < s.C; ++c) {
                T acc = 0;
                for (int j = 0; j < 4; ++j)
                    if (inside(k.ys[j], k.xs[j], s.H, s.W)) acc += mul(xn[c * plane + k.ys[j] * s.W + k.xs[j]], k.w[j]);
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
                    const int64_t xi = nearest_index(cx.v), yi = nearest_index(cy.v);
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
                        gxn[at] += mul(k.w[j], go);
                        gix += mul(mul(xn[at], dwx[j]), go);
                        giy += mul(mul(xn[at], dwy[j]), go);
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
