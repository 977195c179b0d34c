// Kernels of the convolution family: im2col, col2im and the direct depthwise convolution.
//
// All three walk the same structure: for an output row (od, oh) and a kernel tap (kd, kh) the
// input row is either inside the image or entirely padding, and along the last dim the output
// positions whose tap lands inside the image form one contiguous range [lo, hi). Computing that
// range up front leaves branch-free inner loops (plain copies/adds for stride 1), which the
// compiler vectorises for the ISA this file is built for. The depthwise loops of 1-d and 2-d
// problems with a width stride of 1 or 2 take the explicit vector code of nn_conv_direct.h;
// the loops here remain for the other cases.
#include "cpu/nn_conv_stubs.h"

#include "core/parallel.h"
#include "cpu/kernels/nn_conv_direct.h"

#include <algorithm>
#include <cstring>
#include <type_traits>

namespace cmp::cpu {
namespace {

// Output positions o in [0, out_len) with 0 <= o * stride + offset < in_len.
struct Range {
    int64_t lo, hi;
};

Range valid_range(int64_t out_len, int64_t in_len, int64_t stride, int64_t offset) {
    const int64_t lo = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
    const int64_t last = in_len - 1 - offset;  // o * stride <= last
    const int64_t hi = last < 0 ? 0 : last / stride + 1;
    const int64_t l = std::min(lo, out_len), h = std::clamp(hi, l, out_len);
    return {l, h};
}

// Offset (in elements) of input row (id, ih) that output row (od, oh) sees through tap (kd, kh),
// or -1 when that row lies in the padding.
int64_t input_row(const ConvGeom3& g, int64_t od, int64_t oh, int64_t kd, int64_t kh) {
    const int64_t id = od * g.stride[0] - g.pad[0] + kd * g.dilation[0];
    const int64_t ih = oh * g.stride[1] - g.pad[1] + kh * g.dilation[1];
    if (id < 0 || id >= g.image[0] || ih < 0 || ih >= g.image[1]) return -1;
    return (id * g.image[1] + ih) * g.image[2];
}

// a + b, wrapping around on overflow for integers as PyTorch's integer convolutions do (done
// in the unsigned type: signed overflow would be undefined behaviour).
template <typename T>
inline T wrap_add(T a, T b) {
    if constexpr (std::is_integral_v<T>) {
        using U = std::make_unsigned_t<T>;
        return static_cast<T>(static_cast<U>(static_cast<U>(a) + static_cast<U>(b)));
    } else {
        return a + b;
    }
}

// Work per parallel chunk: enough that tiny convolutions stay on one thread.
int64_t grain_for(int64_t work_per_item) { return std::max<int64_t>(1, kDefaultGrain / std::max<int64_t>(1, work_per_item)); }

template <typename T>
void im2col_typed(const T* image, T* col, int64_t channels, const ConvGeom3& g) {
    const int64_t K = g.kernel_volume(), P = g.out_plane(), W = g.out[2], sw = g.stride[2];
    const int64_t plane = g.image_plane();
    parallel_for(0, channels * K, grain_for(P), [&](int64_t begin, int64_t end) {
        for (int64_t r = begin; r < end; ++r) {
            const int64_t c = r / K, kd = r % K / (g.kernel[1] * g.kernel[2]);
            const int64_t kh = r / g.kernel[2] % g.kernel[1], kw = r % g.kernel[2];
            const T* src_plane = image + c * plane;
            const int64_t off = kw * g.dilation[2] - g.pad[2];
            const Range rw = valid_range(W, g.image[2], sw, off);
            T* dst = col + r * P;
            for (int64_t od = 0; od < g.out[0]; ++od) {
                for (int64_t oh = 0; oh < g.out[1]; ++oh, dst += W) {
                    const int64_t row = input_row(g, od, oh, kd, kh);
                    if (row < 0) {
                        std::fill(dst, dst + W, T(0));
                        continue;
                    }
                    const T* src = src_plane + row + off;
                    std::fill(dst, dst + rw.lo, T(0));
                    if (sw == 1) {
                        std::memcpy(dst + rw.lo, src + rw.lo, static_cast<size_t>(rw.hi - rw.lo) * sizeof(T));
                    } else {
                        for (int64_t o = rw.lo; o < rw.hi; ++o) dst[o] = src[o * sw];
                    }
                    std::fill(dst + rw.hi, dst + W, T(0));
                }
            }
        }
    });
}

template <typename T>
void col2im_typed(const T* col, T* image, int64_t channels, const ConvGeom3& g) {
    const int64_t K = g.kernel_volume(), P = g.out_plane(), W = g.out[2], sw = g.stride[2];
    const int64_t plane = g.image_plane();
    // Rows of one channel add into the same pixels, so channels (not rows) are shared out.
    parallel_for(0, channels, grain_for(K * P), [&](int64_t begin, int64_t end) {
        for (int64_t c = begin; c < end; ++c) {
            T* dst_plane = image + c * plane;
            for (int64_t k = 0; k < K; ++k) {
                const int64_t kd = k / (g.kernel[1] * g.kernel[2]), kh = k / g.kernel[2] % g.kernel[1];
                const int64_t kw = k % g.kernel[2];
                const int64_t off = kw * g.dilation[2] - g.pad[2];
                const Range rw = valid_range(W, g.image[2], sw, off);
                const T* src = col + (c * K + k) * P;
                for (int64_t od = 0; od < g.out[0]; ++od) {
                    for (int64_t oh = 0; oh < g.out[1]; ++oh, src += W) {
                        const int64_t row = input_row(g, od, oh, kd, kh);
                        if (row < 0) continue;
                        T* __restrict dst = dst_plane + row + off;
                        if (sw == 1) {
                            for (int64_t o = rw.lo; o < rw.hi; ++o) dst[o] = wrap_add(dst[o], src[o]);
                        } else {
                            for (int64_t o = rw.lo; o < rw.hi; ++o) dst[o * sw] = wrap_add(dst[o * sw], src[o]);
                        }
                    }
                }
            }
        }
    });
}

template <typename T>
void depthwise_typed(const T* image, const T* weight, const T* bias, T* out, int64_t batch, int64_t channels,
                     int64_t multiplier, const ConvGeom3& g) {
    const int64_t K = g.kernel_volume(), P = g.out_plane(), W = g.out[2], sw = g.stride[2];
    const int64_t plane = g.image_plane(), out_channels = channels * multiplier;
#if defined(__GNUC__)
    if (direct_conv::applies(g)) {
        const direct_conv::PlaneGeom pg = direct_conv::forward_geom(g);
        parallel_for(0, batch * out_channels, grain_for(K * P), [&](int64_t begin, int64_t end) {
            direct_conv::Padded<T> buf;
            int64_t built = -1;  // the input plane buf holds: planes of one input channel share it
            for (int64_t p = begin; p < end; ++p) {
                const int64_t n = p / out_channels, oc = p % out_channels, q = n * channels + oc / multiplier;
                if (q != built) {
                    buf.build(image + q * plane, g.image[1], g.image[2], 1, 1, g.pad[1], g.pad[2], pg,
                              direct_conv::kLanes<T>);
                    built = q;
                }
                direct_conv::conv_plane(buf, weight + oc * K, pg, out + p * P, false, bias ? bias[oc] : T(0));
            }
        });
        return;
    }
#endif
    parallel_for(0, batch * out_channels, grain_for(K * P), [&](int64_t begin, int64_t end) {
        for (int64_t p = begin; p < end; ++p) {
            const int64_t n = p / out_channels, oc = p % out_channels;
            const T* src_plane = image + (n * channels + oc / multiplier) * plane;
            const T* w = weight + oc * K;
            T* dst = out + p * P;
            const T init = bias ? bias[oc] : T(0);
            for (int64_t od = 0; od < g.out[0]; ++od) {
                for (int64_t oh = 0; oh < g.out[1]; ++oh, dst += W) {
                    std::fill(dst, dst + W, init);
                    for (int64_t kd = 0; kd < g.kernel[0]; ++kd) {
                        for (int64_t kh = 0; kh < g.kernel[1]; ++kh) {
                            const int64_t row = input_row(g, od, oh, kd, kh);
                            if (row < 0) continue;
                            const T* wrow = w + (kd * g.kernel[1] + kh) * g.kernel[2];
                            for (int64_t kw = 0; kw < g.kernel[2]; ++kw) {
                                const int64_t off = kw * g.dilation[2] - g.pad[2];
                                const Range rw = valid_range(W, g.image[2], sw, off);
                                const T* __restrict src = src_plane + row + off;
                                T* __restrict d = dst;
                                const T wv = wrow[kw];
                                if (sw == 1) {
                                    for (int64_t o = rw.lo; o < rw.hi; ++o) d[o] += wv * src[o];
                                } else {
                                    for (int64_t o = rw.lo; o < rw.hi; ++o) d[o] += wv * src[o * sw];
                                }
                            }
                        }
                    }
                }
            }
        }
    });
}

// Walks every (output row, kernel tap) pair of one plane whose input row is inside the image,
// calling fn(out_row_offset, input_row_offset + tap offset, tap index, valid range).
template <typename Fn>
void for_each_tap_row(const ConvGeom3& g, Fn&& fn) {
    const int64_t W = g.out[2];
    for (int64_t od = 0; od < g.out[0]; ++od) {
        for (int64_t oh = 0; oh < g.out[1]; ++oh) {
            const int64_t out_row = (od * g.out[1] + oh) * W;
            for (int64_t kd = 0; kd < g.kernel[0]; ++kd) {
                for (int64_t kh = 0; kh < g.kernel[1]; ++kh) {
                    const int64_t row = input_row(g, od, oh, kd, kh);
                    if (row < 0) continue;
                    for (int64_t kw = 0; kw < g.kernel[2]; ++kw) {
                        const int64_t off = kw * g.dilation[2] - g.pad[2];
                        fn(out_row, row + off, (kd * g.kernel[1] + kh) * g.kernel[2] + kw,
                           valid_range(W, g.image[2], g.stride[2], off));
                    }
                }
            }
        }
    }
}

// Input plane (n, c) collects from its `multiplier` output planes: planes are independent.
template <typename T>
void depthwise_backward_image_typed(const T* grad_out, const T* weight, const T* bias, T* grad_image, int64_t batch,
                                    int64_t channels, int64_t multiplier, const ConvGeom3& g) {
    const int64_t K = g.kernel_volume(), P = g.out_plane(), plane = g.image_plane(), sw = g.stride[2];
#if defined(__GNUC__)
    if (direct_conv::applies_backward_image(g)) {
        const direct_conv::PlaneGeom pg = direct_conv::backward_image_geom(g);
        // The flipped kernels: the transposed convolution reads the taps in reverse.
        std::vector<T> flipped(static_cast<size_t>(channels * multiplier * K));
        for (int64_t oc = 0; oc < channels * multiplier; ++oc) {
            std::reverse_copy(weight + oc * K, weight + (oc + 1) * K, flipped.begin() + oc * K);
        }
        const int64_t off_h = g.dilation[1] * (g.kernel[1] - 1) - g.pad[1];
        const int64_t off_w = g.dilation[2] * (g.kernel[2] - 1) - g.pad[2];
        parallel_for(0, batch * channels, grain_for(multiplier * K * P), [&](int64_t begin, int64_t end) {
            direct_conv::Padded<T> buf;
            for (int64_t q = begin; q < end; ++q) {
                const int64_t n = q / channels, c = q % channels;
                if (multiplier == 0) std::fill(grad_image + q * plane, grad_image + (q + 1) * plane, bias ? bias[c] : T(0));
                for (int64_t m = 0; m < multiplier; ++m) {
                    const int64_t oc = c * multiplier + m;
                    buf.build(grad_out + (n * channels * multiplier + oc) * P, g.out[1], g.out[2], g.stride[1],
                              g.stride[2], off_h, off_w, pg, direct_conv::kLanes<T>);
                    // The first plane writes bias (or 0) + its sum, the others add to it.
                    direct_conv::conv_plane(buf, flipped.data() + oc * K, pg, grad_image + q * plane, m > 0,
                                            bias ? bias[c] : T(0));
                }
            }
        });
        return;
    }
#endif
    parallel_for(0, batch * channels, grain_for(multiplier * K * P), [&](int64_t begin, int64_t end) {
        for (int64_t q = begin; q < end; ++q) {
            const int64_t n = q / channels, c = q % channels;
            T* gx = grad_image + q * plane;
            std::fill(gx, gx + plane, bias ? bias[c] : T(0));
            for (int64_t m = 0; m < multiplier; ++m) {
                const int64_t oc = c * multiplier + m;
                const T* gy = grad_out + (n * channels * multiplier + oc) * P;
                const T* w = weight + oc * K;
                for_each_tap_row(g, [&](int64_t out_row, int64_t in_off, int64_t k, Range rw) {
                    const T wv = w[k];
                    const T* __restrict src = gy + out_row;
                    T* __restrict dst = gx + in_off;
                    if (sw == 1) {
                        for (int64_t o = rw.lo; o < rw.hi; ++o) dst[o] += wv * src[o];
                    } else {
                        for (int64_t o = rw.lo; o < rw.hi; ++o) dst[o * sw] += wv * src[o];
                    }
                });
            }
        }
    });
}

// Output channel oc's taps are dot products of its grad planes with the shifted input planes.
template <typename T>
void depthwise_backward_weight_typed(const T* image, const T* grad_out, T* grad_weight, int64_t batch,
                                     int64_t channels, int64_t multiplier, const ConvGeom3& g) {
    const int64_t K = g.kernel_volume(), P = g.out_plane(), plane = g.image_plane(), sw = g.stride[2];
    const int64_t out_channels = channels * multiplier;
#if defined(__GNUC__)
    if (direct_conv::applies(g)) {
        const direct_conv::PlaneGeom pg = direct_conv::forward_geom(g);
        parallel_for(0, out_channels, grain_for(batch * K * P), [&](int64_t begin, int64_t end) {
            direct_conv::Padded<T> buf;
            for (int64_t oc = begin; oc < end; ++oc) {
                T* gw = grad_weight + oc * K;
                std::fill(gw, gw + K, T(0));
                for (int64_t n = 0; n < batch; ++n) {
                    buf.build(image + (n * channels + oc / multiplier) * plane, g.image[1], g.image[2], 1, 1, g.pad[1],
                              g.pad[2], pg, direct_conv::kLanes<T>);
                    direct_conv::weight_grad_plane(buf, grad_out + (n * out_channels + oc) * P, pg, gw);
                }
            }
        });
        return;
    }
#endif
    parallel_for(0, out_channels, grain_for(batch * K * P), [&](int64_t begin, int64_t end) {
        for (int64_t oc = begin; oc < end; ++oc) {
            T* gw = grad_weight + oc * K;
            std::fill(gw, gw + K, T(0));
            for (int64_t n = 0; n < batch; ++n) {
                const T* x = image + (n * channels + oc / multiplier) * plane;
                const T* gy = grad_out + (n * out_channels + oc) * P;
                for_each_tap_row(g, [&](int64_t out_row, int64_t in_off, int64_t k, Range rw) {
                    const T* src = x + in_off;
                    const T* dy = gy + out_row;
                    T acc = 0;
                    if (sw == 1) {
                        for (int64_t o = rw.lo; o < rw.hi; ++o) acc += dy[o] * src[o];
                    } else {
                        for (int64_t o = rw.lo; o < rw.hi; ++o) acc += dy[o] * src[o * sw];
                    }
                    gw[k] += acc;
                });
            }
        }
    });
}

// The stubs take untyped pointers. im2col/col2im serve float32, float64 and the integer types
// (integer convolutions run im2col + the integer GEMM); the front-ends compute float16 and
// bfloat16 in float32.
template <typename Fn>
void dispatch_types(DType dtype, const char* op, Fn&& fn) {
    switch (dtype) {
        case CMP_DTYPE_FLOAT32: return fn(float{});
        case CMP_DTYPE_FLOAT64: return fn(double{});
        case CMP_DTYPE_INT64: return fn(int64_t{});
        case CMP_DTYPE_INT32: return fn(int32_t{});
        case CMP_DTYPE_INT16: return fn(int16_t{});
        case CMP_DTYPE_INT8: return fn(int8_t{});
        case CMP_DTYPE_UINT8: return fn(uint8_t{});
        default: fail(CMP_STATUS_INTERNAL_ERROR, str(op, ": kernel called with dtype ", dtype_name(dtype)));
    }
}

void im2col_kernel(DType dtype, const void* image, void* col, int64_t channels, const ConvGeom3& g) {
    dispatch_types(dtype, "im2col", [&](auto t) {
        using T = decltype(t);
        im2col_typed(static_cast<const T*>(image), static_cast<T*>(col), channels, g);
    });
}

void col2im_kernel(DType dtype, const void* col, void* image, int64_t channels, const ConvGeom3& g) {
    dispatch_types(dtype, "col2im", [&](auto t) {
        using T = decltype(t);
        col2im_typed(static_cast<const T*>(col), static_cast<T*>(image), channels, g);
    });
}

void depthwise_kernel(DType dtype, const void* image, const void* weight, const void* bias, void* out, int64_t batch,
                      int64_t channels, int64_t multiplier, const ConvGeom3& g) {
    dispatch_types(dtype, "depthwise_conv", [&](auto t) {
        using T = decltype(t);
        if constexpr (std::is_integral_v<T>) {
            fail(CMP_STATUS_INTERNAL_ERROR, "depthwise_conv: integer dtypes take the GEMM path");
        } else {
            depthwise_typed(static_cast<const T*>(image), static_cast<const T*>(weight), static_cast<const T*>(bias),
                            static_cast<T*>(out), batch, channels, multiplier, g);
        }
    });
}

template <typename Fn>
void floating_only(DType dtype, const char* op, Fn&& fn) {
    if (dtype == CMP_DTYPE_FLOAT32) fn(float{});
    else if (dtype == CMP_DTYPE_FLOAT64) fn(double{});
    else fail(CMP_STATUS_INTERNAL_ERROR, str(op, ": kernel called with dtype ", dtype_name(dtype)));
}

void depthwise_backward_image_kernel(DType dtype, const void* grad_out, const void* weight, const void* bias,
                                     void* grad_image,
                                     int64_t batch, int64_t channels, int64_t multiplier, const ConvGeom3& g) {
    floating_only(dtype, "depthwise_conv_backward", [&](auto t) {
        using T = decltype(t);
        depthwise_backward_image_typed(static_cast<const T*>(grad_out), static_cast<const T*>(weight),
                                       static_cast<const T*>(bias), static_cast<T*>(grad_image), batch, channels,
                                       multiplier, g);
    });
}

void depthwise_backward_weight_kernel(DType dtype, const void* image, const void* grad_out, void* grad_weight,
                                      int64_t batch, int64_t channels, int64_t multiplier, const ConvGeom3& g) {
    floating_only(dtype, "depthwise_conv_backward", [&](auto t) {
        using T = decltype(t);
        depthwise_backward_weight_typed(static_cast<const T*>(image), static_cast<const T*>(grad_out),
                                        static_cast<T*>(grad_weight), batch, channels, multiplier, g);
    });
}

}  // namespace

CMP_REGISTER_KERNEL(depthwise_backward_image_stub, depthwise_backward_image_kernel)
CMP_REGISTER_KERNEL(depthwise_backward_weight_stub, depthwise_backward_weight_kernel)
CMP_REGISTER_KERNEL(im2col_stub, im2col_kernel)
CMP_REGISTER_KERNEL(col2im_stub, col2im_kernel)
CMP_REGISTER_KERNEL(depthwise_conv_stub, depthwise_kernel)

}  // namespace cmp::cpu
