// Kernels of interpolate (nearest, nearest-exact, linear/bilinear/trilinear), forward and
// backward, over an InterpPlan (cpu/nn_pool_stubs.h). Interpolation is separable: the front-end
// computes, per spatial dim and output index, the source taps and weights once, so the kernels
// only gather (forward) or scatter-add (backward). Planes (N * C) are shared out over the pool.
#include "cpu/nn_pool_stubs.h"
#include "cpu/loops.h"

#include "core/parallel.h"

#include <algorithm>
#include <cstring>

namespace cmp::cpu {
namespace {

int64_t plane_grain(int64_t visits_per_plane) {
    return std::max<int64_t>(1, kDefaultGrain / std::max<int64_t>(1, visits_per_plane));
}

// Calls fn(flat output index, output position [3]) over one plane in order.
template <typename Fn>
void for_each_output(const InterpPlan& plan, Fn&& fn) {
    int64_t o[kMaxPoolDims];
    int64_t flat = 0;
    for (o[0] = 0; o[0] < plan.dims[0].out_size; ++o[0])
        for (o[1] = 0; o[1] < plan.dims[1].out_size; ++o[1])
            for (o[2] = 0; o[2] < plan.dims[2].out_size; ++o[2], ++flat) fn(flat, o);
}

struct PlaneLayout {
    int64_t in_plane, out_plane;
    int64_t strides[kMaxPoolDims];
};

PlaneLayout layout_of(const InterpPlan& plan) {
    PlaneLayout l;
    l.strides[2] = 1;
    l.strides[1] = plan.dims[2].in_size;
    l.strides[0] = plan.dims[1].in_size * plan.dims[2].in_size;
    l.in_plane = l.strides[0] * plan.dims[0].in_size;
    l.out_plane = plan.dims[0].out_size * plan.dims[1].out_size * plan.dims[2].out_size;
    return l;
}

// The W taps as arrays in T (the innermost loop reads them for every output row).
template <typename T>
struct WTaps {
    std::vector<int64_t> i0, i1;
    std::vector<T> w0, w1;
    explicit WTaps(const InterpDim& W) {
        for (const InterpTap& t : W.taps) {
            i0.push_back(t.i0);
            i1.push_back(t.i1);
            w0.push_back(static_cast<T>(t.w0));
            w1.push_back(static_cast<T>(t.w1));
        }
    }
};

// One output row (od, oh) of a linear interpolation, w0 * f(i0) + w1 * f(i1) per real dim with
// W innermost, then H, then D: PyTorch's nesting, so rounding follows the same steps. Both taps
// are read even when w1 is 0, as PyTorch does (an Inf there gives NaN in both libraries); a dim
// of the padding takes its one tap unweighted. Row pointers are hoisted out of the W loop.
template <typename T>
void linear_row(const InterpPlan& plan, const WTaps<T>& w, const T* x, const int64_t* strides, int64_t od, int64_t oh, T* y) {
    const InterpDim &D = plan.dims[0], &H = plan.dims[1];
    const InterpTap &td = D.taps[od], &th = H.taps[oh];
    const T* rows[2][2];
    for (int a = 0; a < 2; ++a)
        for (int b = 0; b < 2; ++b) rows[a][b] = x + (a ? td.i1 : td.i0) * strides[0] + (b ? th.i1 : th.i0) * strides[1];
    const T wd0 = static_cast<T>(td.w0), wd1 = static_cast<T>(td.w1), wh0 = static_cast<T>(th.w0), wh1 = static_cast<T>(th.w1);
    const int64_t n = static_cast<int64_t>(w.i0.size());
    auto f = [&](const T* r, int64_t ow) { return r[w.i0[ow]] * w.w0[ow] + r[w.i1[ow]] * w.w1[ow]; };
    for (int64_t ow = 0; ow < n; ++ow) {
        T g0, g1 = 0;
        if (H.real) {
            g0 = f(rows[0][0], ow) * wh0 + f(rows[0][1], ow) * wh1;
            if (D.real) g1 = f(rows[1][0], ow) * wh0 + f(rows[1][1], ow) * wh1;
        } else {
            g0 = f(rows[0][0], ow);
            if (D.real) g1 = f(rows[1][0], ow);
        }
        y[ow] = D.real ? g0 * wd0 + g1 * wd1 : g0;
    }
}

// The backward of one output row (od, oh) of a linear interpolation: each gradient g goes to
// every tap, times the product of the weights, formed as the forward's nesting does (D's
// weight, times H's, times W's, then times g, each product rounded: this file is compiled
// without FMA contraction, so the CUDA backend gives the same bits). The order in which an
// input element receives its terms is the output order, and within an output D's taps, then
// H's, then W's i0 before i1: the order cuda/interpolate.cu reproduces. K = the row pairs
// (D, H) taken (1, 2 or 4: the real dims among D and H); the row pointers and their weights
// are formed once per output row instead of per element.
template <typename T, int K>
void linear_row_backward(const WTaps<T>& w, T* const* rows, const T* weights, const T* g, int64_t n) {
    const int64_t* i0 = w.i0.data();
    const int64_t* i1 = w.i1.data();
    const T* w0 = w.w0.data();
    const T* w1 = w.w1.data();
    for (int64_t ow = 0; ow < n; ++ow) {
        const T gv = g[ow];
        for (int k = 0; k < K; ++k) {
            rows[k][i0[ow]] += (weights[k] * w0[ow]) * gv;
            rows[k][i1[ow]] += (weights[k] * w1[ow]) * gv;
        }
    }
}

template <typename T>
void linear_backward_plane(const InterpPlan& plan, const WTaps<T>& w, T* x, const int64_t* strides, const T* y) {
    const InterpDim &D = plan.dims[0], &H = plan.dims[1];
    const int64_t n = static_cast<int64_t>(w.i0.size());
    const int na = D.real ? 2 : 1, nb = H.real ? 2 : 1;
    int64_t o = 0;
    for (int64_t od = 0; od < D.out_size; ++od) {
        for (int64_t oh = 0; oh < H.out_size; ++oh, o += n) {
            const InterpTap &td = D.taps[od], &th = H.taps[oh];
            T* rows[4];
            T weights[4];
            int k = 0;
            for (int a = 0; a < na; ++a) {
                // A dim of the padding takes its one tap unweighted (and does not move x).
                const T wa = D.real ? T(1) * static_cast<T>(a ? td.w1 : td.w0) : T(1);
                T* ra = x + (D.real ? (a ? td.i1 : td.i0) * strides[0] : 0);
                for (int b = 0; b < nb; ++b, ++k) {
                    weights[k] = H.real ? wa * static_cast<T>(b ? th.w1 : th.w0) : wa;
                    rows[k] = ra + (H.real ? (b ? th.i1 : th.i0) * strides[1] : 0);
                }
            }
            if (k == 1) linear_row_backward<T, 1>(w, rows, weights, y + o, n);
            else if (k == 2) linear_row_backward<T, 2>(w, rows, weights, y + o, n);
            else linear_row_backward<T, 4>(w, rows, weights, y + o, n);
        }
    }
}

template <typename T>
void interpolate_typed(const InterpPlan& plan, const Tensor& in, const Tensor& out) {
    const PlaneLayout l = layout_of(plan);
    const T* src = in.data<T>();
    T* dst = out.data<T>();
    const InterpDim& W = plan.dims[2];
    const WTaps<T> wtaps(W);
    parallel_for(0, plan.planes, plane_grain(l.out_plane * (plan.linear ? 8 : 1)), [&](int64_t begin, int64_t end) {
        for (int64_t p = begin; p < end; ++p) {
            const T* x = src + p * l.in_plane;
            T* y = dst + p * l.out_plane;
            if (!plan.linear) {
                // Nearest: one source row per output row, then a gather along W (the indices
                // read from WTaps' array, not from the 32-byte taps). An output row with the same
                // source row as the one before it (each row of an upscale, repeated) is a copy of it.
                const int64_t* wi = wtaps.i0.data();
                const T* prev = nullptr;
                int64_t o = 0;
                for (int64_t od = 0; od < plan.dims[0].out_size; ++od) {
                    for (int64_t oh = 0; oh < plan.dims[1].out_size; ++oh, o += W.out_size) {
                        const T* row = x + plan.dims[0].taps[od].i0 * l.strides[0] + plan.dims[1].taps[oh].i0 * l.strides[1];
                        if (row == prev) {
                            std::memcpy(y + o, y + o - W.out_size, static_cast<size_t>(W.out_size) * sizeof(T));
                        } else {
                            for (int64_t ow = 0; ow < W.out_size; ++ow) y[o + ow] = row[wi[ow]];
                            prev = row;
                        }
                    }
                }
            } else if constexpr (std::is_floating_point_v<T>) {
                int64_t o = 0;
                for (int64_t od = 0; od < plan.dims[0].out_size; ++od)
                    for (int64_t oh = 0; oh < plan.dims[1].out_size; ++oh, o += W.out_size)
                        linear_row<T>(plan, wtaps, x, l.strides, od, oh, y + o);
            }
        }
    });
}

void interpolate_kernel(const InterpPlan& plan, const Tensor& in, const Tensor& out) {
    switch (in.dtype()) {
        case CMP_DTYPE_FLOAT32: return interpolate_typed<float>(plan, in, out);
        case CMP_DTYPE_FLOAT64: return interpolate_typed<double>(plan, in, out);
        case CMP_DTYPE_UINT8:
            CMP_CHECK(!plan.linear, INTERNAL_ERROR, "interpolate kernel: linear mode on uint8");
            return interpolate_typed<uint8_t>(plan, in, out);
        default: fail(CMP_STATUS_INTERNAL_ERROR, str("interpolate kernel: unexpected dtype ", dtype_name(in.dtype())));
    }
}

template <typename T>
void interpolate_backward_typed(const InterpPlan& plan, const Tensor& grad_out, const Tensor& grad_in) {
    const PlaneLayout l = layout_of(plan);
    const T* gy = grad_out.data<T>();
    T* gx = grad_in.data<T>();
    const WTaps<T> wtaps(plan.dims[2]);
    parallel_for(0, plan.planes, plane_grain(l.out_plane * (plan.linear ? 8 : 1)), [&](int64_t begin, int64_t end) {
        for (int64_t p = begin; p < end; ++p) {
            T* x = gx + p * l.in_plane;
            const T* y = gy + p * l.out_plane;
            if (plan.linear) {
                linear_backward_plane<T>(plan, wtaps, x, l.strides, y);
                continue;
            }
            for_each_output(plan, [&](int64_t flat, const int64_t* o) {
                x[plan.dims[0].taps[o[0]].i0 * l.strides[0] + plan.dims[1].taps[o[1]].i0 * l.strides[1] +
                  plan.dims[2].taps[o[2]].i0] += y[flat];
            });
        }
    });
}

void interpolate_backward_kernel(const InterpPlan& plan, const Tensor& grad_out, const Tensor& grad_in) {
    switch (grad_out.dtype()) {
        case CMP_DTYPE_FLOAT32: return interpolate_backward_typed<float>(plan, grad_out, grad_in);
        case CMP_DTYPE_FLOAT64: return interpolate_backward_typed<double>(plan, grad_out, grad_in);
        default:
            fail(CMP_STATUS_INTERNAL_ERROR, str("interpolate_backward kernel: unexpected dtype ", dtype_name(grad_out.dtype())));
    }
}

}  // namespace

CMP_REGISTER_KERNEL(interpolate_stub, interpolate_kernel)
CMP_REGISTER_KERNEL(interpolate_backward_stub, interpolate_backward_kernel)

}  // namespace cmp::cpu
