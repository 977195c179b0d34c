// Kernels of max/avg/adaptive pooling, forward and backward, over a PoolPlan (cpu/nn_pool_stubs.h).
//
// One engine for 1-d, 2-d and 3-d and for regular and adaptive windows: the front-end turns
// kernel/stride/padding/dilation (or the adaptive start/end formulas) into, per spatial dim and
// output index, the first in-bounds input position and the number of positions, so the loops
// here never test bounds. Planes (N * C) are independent and shared out over the pool; the
// window of each output is visited in PyTorch's order (d, then h, then w), so maxima, their
// indices and the summation order of averages are PyTorch's.
#include "cpu/nn_pool_stubs.h"
#include "cpu/loops.h"

#include "core/parallel.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cmp::cpu {
namespace {

// Planes per parallel chunk: about kDefaultGrain element visits, at least one plane.
int64_t plane_grain(int64_t visits_per_plane) {
    return std::max<int64_t>(1, kDefaultGrain / std::max<int64_t>(1, visits_per_plane));
}

int64_t window_volume(const PoolPlan& plan) {
    int64_t v = 1;
    for (const PoolDim& d : plan.dims) {
        int64_t m = 0;
        for (int64_t c : d.count) m = std::max(m, c);
        v *= std::max<int64_t>(m, 1);
    }
    return v;
}

template <typename T>
bool is_nan_value(T v) {
    if constexpr (std::is_floating_point_v<T>) return std::isnan(v);
    else return false;
}

// Calls fn(o, od, oh, ow) for every output position of one plane, in
// order; o is the flat output index.
template <typename Fn>
void for_each_window(const PoolPlan& plan, Fn&& fn) {
    const PoolDim& D = plan.dims[0];
    const PoolDim& H = plan.dims[1];
    const PoolDim& W = plan.dims[2];
    int64_t o = 0;
    for (int64_t od = 0; od < D.out_size; ++od)
        for (int64_t oh = 0; oh < H.out_size; ++oh)
            for (int64_t ow = 0; ow < W.out_size; ++ow, ++o) fn(o, od, oh, ow);
}

// The divisor of an average at output (od, oh, ow), applied to sum as PyTorch does.
template <typename Acc>
Acc divide(const PoolPlan& plan, Acc sum, int64_t od, int64_t oh, int64_t ow) {
    const int64_t fd = plan.dims[0].divisor[od], fh = plan.dims[1].divisor[oh], fw = plan.dims[2].divisor[ow];
    if (plan.divisor_override > 0) return sum / static_cast<Acc>(plan.divisor_override);
    if (plan.divisor_override < 0) return sum / static_cast<Acc>(fd) / static_cast<Acc>(fh) / static_cast<Acc>(fw);
    return sum / static_cast<Acc>(fd * fh * fw);
}

// Where position o * stride + off of a dim lies inside [0, in): the outputs [lo, hi).
std::pair<int64_t, int64_t> inside_range(const PoolDim& d, int64_t off) {
    const int64_t lo = off >= 0 ? 0 : (-off + d.stride - 1) / d.stride;
    const int64_t hi = d.in_size - 1 - off < 0 ? 0 : std::min(d.out_size, (d.in_size - 1 - off) / d.stride + 1);
    return {lo, std::max(lo, hi)};
}

// One output row (fixed d and h windows) of a max or average pooling.
template <typename T, typename Acc>
struct RowPool {
    const PoolPlan& plan;
    PoolKind kind;
    int64_t sHW, sW;

    // The window of output (od, oh, ow) visited position by position (adaptive or irregular W).
    void per_output(const T* x, T* y, int64_t* yi, int64_t od, int64_t oh) const {
        const PoolDim &D = plan.dims[0], &H = plan.dims[1], &W = plan.dims[2];
        for (int64_t ow = 0; ow < W.out_size; ++ow) {
            const int64_t w0 = W.first[ow], nw = W.count[ow];
            if (kind == PoolKind::Max) {
                T best = -std::numeric_limits<T>::infinity();
                int64_t best_i = D.first[od] * sHW + H.first[oh] * sW + w0;
                for (int64_t kd = 0; kd < D.count[od]; ++kd) {
                    for (int64_t kh = 0; kh < H.count[oh]; ++kh) {
                        const int64_t row = (D.first[od] + kd * D.step) * sHW + (H.first[oh] + kh * H.step) * sW;
                        for (int64_t kw = 0; kw < nw; ++kw) {
                            const int64_t i = row + w0 + kw * W.step;
                            // A NaN replaces whatever came before it (PyTorch's rule).
                            if (x[i] > best || is_nan_value(x[i])) {
                                best = x[i];
                                best_i = i;
                            }
                        }
                    }
                }
                y[ow] = best;
                yi[ow] = best_i;
            } else {
                Acc sum = 0;
                for (int64_t kd = 0; kd < D.count[od]; ++kd) {
                    for (int64_t kh = 0; kh < H.count[oh]; ++kh) {
                        const T* row = x + (D.first[od] + kd * D.step) * sHW + (H.first[oh] + kh * H.step) * sW + w0;
                        for (int64_t kw = 0; kw < nw; ++kw) sum += static_cast<Acc>(row[kw * W.step]);
                    }
                }
                y[ow] = static_cast<T>(divide<Acc>(plan, sum, od, oh, ow));
            }
        }
    }

    // Regular W windows: the kernel's W offsets are the outer loop and the outputs the inner
    // one, a contiguous loop for stride 1 that the compiler vectorises. Each output still sees
    // its window positions in PyTorch's order, so results are those of per_output. acc holds
    // W.out_size accumulators.
    void by_offset(const T* x, T* y, int64_t* yi, int64_t od, int64_t oh, Acc* acc) const {
        const PoolDim &D = plan.dims[0], &H = plan.dims[1], &W = plan.dims[2];
        const int64_t n = W.out_size, s = W.stride;
        const int64_t base = D.first[od] * sHW + H.first[oh] * sW;
        for (int64_t ow = 0; ow < n; ++ow) {
            acc[ow] = kind == PoolKind::Max ? static_cast<Acc>(-std::numeric_limits<T>::infinity()) : Acc(0);
            if (kind == PoolKind::Max) yi[ow] = base + W.first[ow];
        }
        for (int64_t kd = 0; kd < D.count[od]; ++kd) {
            for (int64_t kh = 0; kh < H.count[oh]; ++kh) {
                const int64_t row = (D.first[od] + kd * D.step) * sHW + (H.first[oh] + kh * H.step) * sW;
                for (int64_t kw = 0; kw < W.kernel; ++kw) {
                    const int64_t off = W.offset + kw * W.step;
                    const auto [lo, hi] = inside_range(W, off);
                    const T* src = x + row + off;
                    if (kind == PoolKind::Max) {
                        for (int64_t ow = lo; ow < hi; ++ow) {
                            const T v = src[ow * s];
                            const bool take = v > acc[ow] || is_nan_value(v);
                            acc[ow] = take ? v : acc[ow];
                            yi[ow] = take ? row + off + ow * s : yi[ow];
                        }
                    } else {
                        for (int64_t ow = lo; ow < hi; ++ow) acc[ow] += static_cast<Acc>(src[ow * s]);
                    }
                }
            }
        }
        for (int64_t ow = 0; ow < n; ++ow)
            y[ow] = kind == PoolKind::Max ? static_cast<T>(acc[ow]) : static_cast<T>(divide<Acc>(plan, acc[ow], od, oh, ow));
    }
};

template <typename T>
void pool_forward_typed(const PoolPlan& plan, PoolKind kind, const Tensor& in, const Tensor& out, const Tensor& indices) {
    using Acc = std::conditional_t<std::is_integral_v<T>, int64_t, T>;
    const PoolDim &D = plan.dims[0], &H = plan.dims[1], &W = plan.dims[2];
    const int64_t in_plane = plan.in_plane(), out_plane = plan.out_plane();
    const RowPool<T, Acc> pool{plan, kind, H.in_size * W.in_size, W.in_size};
    const T* src = in.data<T>();
    T* dst = out.data<T>();
    int64_t* idx = indices.defined() ? indices.data<int64_t>() : nullptr;
    parallel_for(0, plan.planes, plane_grain(out_plane * window_volume(plan)), [&](int64_t begin, int64_t end) {
        std::vector<Acc> acc(static_cast<size_t>(W.out_size));
        std::vector<int64_t> scratch_idx(idx ? 0 : static_cast<size_t>(W.out_size));
        for (int64_t p = begin; p < end; ++p) {
            int64_t o = 0;
            for (int64_t od = 0; od < D.out_size; ++od) {
                for (int64_t oh = 0; oh < H.out_size; ++oh, o += W.out_size) {
                    const T* x = src + p * in_plane;
                    T* y = dst + p * out_plane + o;
                    int64_t* yi = idx ? idx + p * out_plane + o : scratch_idx.data();
                    if (W.regular) pool.by_offset(x, y, yi, od, oh, acc.data());
                    else pool.per_output(x, y, yi, od, oh);
                }
            }
        }
    });
}

void pool_forward_kernel(const PoolPlan& plan, PoolKind kind, const Tensor& in, const Tensor& out, const Tensor& indices) {
    switch (in.dtype()) {
        case CMP_DTYPE_FLOAT32: return pool_forward_typed<float>(plan, kind, in, out, indices);
        case CMP_DTYPE_FLOAT64: return pool_forward_typed<double>(plan, kind, in, out, indices);
        case CMP_DTYPE_INT64:
            CMP_CHECK(kind == PoolKind::Avg, INTERNAL_ERROR, "max_pool kernel: int64 input");
            return pool_forward_typed<int64_t>(plan, kind, in, out, indices);
        default: fail(CMP_STATUS_INTERNAL_ERROR, str("pool kernel: unexpected dtype ", dtype_name(in.dtype())));
    }
}

// Windows that tile the planes (plan.tiles()): every input position gets its window's share,
// written once - grad_in was not zero-filled. A W row of shares is expanded once per (od, oh)
// and copied to the window's rows; a plane that is one window (global pooling) is one fill.
template <typename T>
void tiled_avg_backward(const PoolPlan& plan, const T* gy, T* gx) {
    const PoolDim &D = plan.dims[0], &H = plan.dims[1], &W = plan.dims[2];
    const int64_t in_plane = plan.in_plane(), out_plane = plan.out_plane();
    const int64_t sW = W.in_size, kw = W.in_size / W.out_size;
    parallel_for(0, plan.planes, plane_grain(in_plane), [&](int64_t begin, int64_t end) {
        if (out_plane == 1) {
            for (int64_t p = begin; p < end; ++p) std::fill_n(gx + p * in_plane, in_plane, divide<T>(plan, gy[p], 0, 0, 0));
            return;
        }
        std::vector<T> row(static_cast<size_t>(sW));
        for (int64_t p = begin; p < end; ++p) {
            T* x = gx + p * in_plane;
            const T* y = gy + p * out_plane;
            int64_t o = 0;
            for (int64_t od = 0; od < D.out_size; ++od) {
                for (int64_t oh = 0; oh < H.out_size; ++oh, o += W.out_size) {
                    for (int64_t ow = 0; ow < W.out_size; ++ow)
                        std::fill_n(row.data() + ow * kw, kw, divide<T>(plan, y[o + ow], od, oh, ow));
                    for (int64_t kd = 0; kd < D.count[od]; ++kd)
                        for (int64_t kh = 0; kh < H.count[oh]; ++kh)
                            std::copy_n(row.data(), sW, x + ((D.first[od] + kd) * H.in_size + H.first[oh] + kh) * sW);
                }
            }
        }
    });
}

template <typename T>
void avg_pool_backward_typed(const PoolPlan& plan, const Tensor& grad_out, const Tensor& grad_in) {
    if (plan.tiles()) return tiled_avg_backward<T>(plan, grad_out.data<T>(), grad_in.data<T>());
    const PoolDim& D = plan.dims[0];
    const PoolDim& H = plan.dims[1];
    const PoolDim& W = plan.dims[2];
    const int64_t in_plane = plan.in_plane(), out_plane = plan.out_plane();
    const int64_t sHW = H.in_size * W.in_size, sW = W.in_size;
    const T* gy = grad_out.data<T>();
    T* gx = grad_in.data<T>();
    parallel_for(0, plan.planes, plane_grain(out_plane * window_volume(plan)), [&](int64_t begin, int64_t end) {
        for (int64_t p = begin; p < end; ++p) {
            T* x = gx + p * in_plane;
            const T* y = gy + p * out_plane;
            for_each_window(plan, [&](int64_t o, int64_t od, int64_t oh, int64_t ow) {
                const T share = divide<T>(plan, y[o], od, oh, ow);
                for (int64_t kd = 0; kd < D.count[od]; ++kd) {
                    for (int64_t kh = 0; kh < H.count[oh]; ++kh) {
                        T* row = x + (D.first[od] + kd * D.step) * sHW + (H.first[oh] + kh * H.step) * sW + W.first[ow];
                        for (int64_t kw = 0; kw < W.count[ow]; ++kw) row[kw * W.step] += share;
                    }
                }
            });
        }
    });
}

void avg_pool_backward_kernel(const PoolPlan& plan, const Tensor& grad_out, const Tensor& grad_in) {
    switch (grad_out.dtype()) {
        case CMP_DTYPE_FLOAT32: return avg_pool_backward_typed<float>(plan, grad_out, grad_in);
        case CMP_DTYPE_FLOAT64: return avg_pool_backward_typed<double>(plan, grad_out, grad_in);
        default: fail(CMP_STATUS_INTERNAL_ERROR, str("avg_pool_backward kernel: unexpected dtype ", dtype_name(grad_out.dtype())));
    }
}

template <typename T>
void max_pool_backward_typed(const Tensor& grad_out, const Tensor& indices, const Tensor& grad_in, int64_t planes,
                             int64_t in_plane, int64_t out_plane) {
    const T* gy = grad_out.data<T>();
    const int64_t* idx = indices.data<int64_t>();
    T* gx = grad_in.data<T>();
    parallel_for(0, planes, plane_grain(out_plane), [&](int64_t begin, int64_t end) {
        for (int64_t p = begin; p < end; ++p) {
            T* x = gx + p * in_plane;
            const T* y = gy + p * out_plane;
            const int64_t* yi = idx + p * out_plane;
            for (int64_t o = 0; o < out_plane; ++o) {
                const int64_t i = yi[o];
                CMP_CHECK(i >= 0 && i < in_plane, INDEX_OUT_OF_RANGE, "max_pool_backward: index ", i,
                          " is out of range for an input plane of ", in_plane, " elements");
                x[i] += y[o];
            }
        }
    });
}

void max_pool_backward_kernel(const Tensor& grad_out, const Tensor& indices, const Tensor& grad_in, int64_t planes,
                              int64_t in_plane, int64_t out_plane) {
    switch (grad_out.dtype()) {
        case CMP_DTYPE_FLOAT32: return max_pool_backward_typed<float>(grad_out, indices, grad_in, planes, in_plane, out_plane);
        case CMP_DTYPE_FLOAT64: return max_pool_backward_typed<double>(grad_out, indices, grad_in, planes, in_plane, out_plane);
        default: fail(CMP_STATUS_INTERNAL_ERROR, str("max_pool_backward kernel: unexpected dtype ", dtype_name(grad_out.dtype())));
    }
}

}  // namespace

CMP_REGISTER_KERNEL(pool_forward_stub, pool_forward_kernel)
CMP_REGISTER_KERNEL(avg_pool_backward_stub, avg_pool_backward_kernel)
CMP_REGISTER_KERNEL(max_pool_backward_stub, max_pool_backward_kernel)

}  // namespace cmp::cpu
