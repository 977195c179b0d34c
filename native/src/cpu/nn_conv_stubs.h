// Dispatch stubs of the convolution family: the im2col / col2im pair that turns a convolution
// into a GEMM, and the direct depthwise loop. float32 and float64 only: the op front-ends
// compute float16/bfloat16 in float32.
#pragma once

#include "core/dtype.h"
#include "cpu/dispatch_stub.h"

#include <cstdint>

namespace cmp::cpu {

// The geometry of one convolution, always with 3 spatial dims: 1-d and 2-d convolutions get
// leading dims of size 1 (kernel 1, stride 1, dilation 1, no padding), so one set of loops
// serves conv1d, conv2d and conv3d. "image" is the convolution's input side, "out" its output.
struct ConvGeom3 {
    int64_t image[3];
    int64_t out[3];
    int64_t kernel[3];
    int64_t stride[3];
    int64_t pad[3];  // zeros before the image's start; zeros after it only show in `out`
    int64_t dilation[3];

    int64_t image_plane() const { return image[0] * image[1] * image[2]; }
    int64_t out_plane() const { return out[0] * out[1] * out[2]; }
    int64_t kernel_volume() const { return kernel[0] * kernel[1] * kernel[2]; }
};

// col [channels * kernel_volume, out_plane] from image [channels, *image]: row (c, kd, kh, kw)
// holds, for every output position, the pixel that kernel tap sees, or 0 in the padding.
CMP_DECLARE_STUB(im2col_stub, void (*)(DType dtype, const void* image, void* col, int64_t channels,
                                       const ConvGeom3& g));

// out [out_rows, out_plane] = bias (out_rows values, or null: 0) + weight [out_rows, channels *
// kernel_volume] (row stride ldw) x im2col(image), without the column matrix: the GEMM reads
// its B operand from a zero-bordered copy of the image (float32 / float64, geometries with
// conv_gemm_applies; cpu/kernels/conv_gemm.cpp). out is written, not read. Uses the thread
// pool unless called inside a parallel region.
CMP_DECLARE_STUB(conv_gemm_stub, void (*)(DType dtype, int64_t out_rows, const void* weight, int64_t ldw,
                                          const void* image, int64_t channels, const ConvGeom3& g, const void* bias,
                                          void* out));

// grad_weight [out_rows, channels * kernel_volume] (row stride ldw) = grad_out [out_rows,
// out_plane] x im2col(image)^T, added to grad_weight when accumulate, without the column
// matrix: the GEMM reads its B operand in place from a channel-blocked, zero-bordered copy of
// the image (float32 / float64, conv_weight_grad_applies; cpu/kernels/conv_weight_grad.cpp).
// Uses the thread pool unless called inside a parallel region.
CMP_DECLARE_STUB(conv_weight_grad_stub, void (*)(DType dtype, int64_t out_rows, const void* grad_out,
                                                 const void* image, int64_t channels, const ConvGeom3& g,
                                                 void* grad_weight, int64_t ldw, bool accumulate));

inline bool conv_unit_stride(const ConvGeom3& g) { return g.stride[0] == 1 && g.stride[1] == 1 && g.stride[2] == 1; }

// No negative padding: every im2col row is then a plane of the padded image shifted, at a
// stride s > 1 a plane of one of its s phases along that dim (cpu/kernels/conv_shifted.h).
// With a stride, every phase must be read by some tap (k * dilation % s covers 0..s-1), or
// copying it is wasted: 1x1 kernels with a stride keep im2col, a cheap strided gather there.
inline bool conv_gemm_applies(const ConvGeom3& g) {
    for (int i = 0; i < 3; ++i) {
        if (g.pad[i] < 0 || g.stride[i] < 1) return false;
        const int64_t s = g.stride[i];
        if (s == 1) continue;
        if (s > g.kernel[i] || s > 64) return false;
        uint64_t seen = 0;
        for (int64_t k = 0; k < g.kernel[i]; ++k) seen |= uint64_t(1) << (k * g.dilation[i] % s);
        if (seen != (s == 64 ? ~uint64_t(0) : (uint64_t(1) << s) - 1)) return false;
    }
    return true;
}

// The weight gradient's implicit GEMM computes channels in blocks of the micro-kernel's width
// (8-32 lanes by ISA and dtype), a partial last block with zero lanes: it is taken where
// that costs at most 1/5 more (every block full, or 128 channels and up), at stride 1.
inline bool conv_weight_grad_applies(int64_t channels, const ConvGeom3& g) {
    return conv_gemm_applies(g) && conv_unit_stride(g) && (channels % 32 == 0 || channels >= 128);
}

// The adjoint of im2col: every col entry is added into the image pixel it was read from
// (entries that fell in the padding are dropped). image is accumulated into, not cleared.
CMP_DECLARE_STUB(col2im_stub, void (*)(DType dtype, const void* col, void* image, int64_t channels,
                                       const ConvGeom3& g));

// Depthwise convolution (groups == in_channels), computed directly: out [batch, channels *
// multiplier, *out], output channel o reads input channel o / multiplier with weight
// [channels * multiplier, kernel_volume]. bias ([channels * multiplier]) may be null.
CMP_DECLARE_STUB(depthwise_conv_stub, void (*)(DType dtype, const void* image, const void* weight, const void* bias,
                                               void* out, int64_t batch, int64_t channels, int64_t multiplier,
                                               const ConvGeom3& g));

// The depthwise gradients, computed directly: grad_image [batch, channels, *image] = bias (per
// image channel, may be null: a transposed convolution's bias) + the scatter of grad_out
// through the weight, and grad_weight
// [channels * multiplier, kernel_volume] = sum over batch and positions of grad_out x image.
CMP_DECLARE_STUB(depthwise_backward_image_stub,
                 void (*)(DType dtype, const void* grad_out, const void* weight, const void* bias, void* grad_image,
                          int64_t batch, int64_t channels, int64_t multiplier, const ConvGeom3& g));
CMP_DECLARE_STUB(depthwise_backward_weight_stub,
                 void (*)(DType dtype, const void* image, const void* grad_out, void* grad_weight, int64_t batch,
                          int64_t channels, int64_t multiplier, const ConvGeom3& g));

}  // namespace cmp::cpu
