// The element functions of im2col and col2im (compute_cuda_im2col), written once for
// cuda/im2col.cu (a thread per element) and the fake backend that stands in for it in the
// routing tests (a loop over the elements); the CPU's im2col / col2im kernels
// (cpu/kernels/nn_conv.cpp) are the reference both are compared with. col2im is a gather:
// each pixel adds the column entries read from it, tap by tap in increasing order, the order
// in which the CPU's col2im adds them (so the same columns give the CPU's bits).
#pragma once

#include "cuda/backend_api.h"

#include <cstdint>
#if defined(__CUDACC__)
#define CMP_IM2COL_HD __host__ __device__ __forceinline__
#else
#define CMP_IM2COL_HD inline
#endif

namespace cmp::cuda_im2col {

CMP_IM2COL_HD int64_t kernel_volume(const compute_cuda_conv_geom& g) { return g.kernel[0] * g.kernel[1] * g.kernel[2]; }
CMP_IM2COL_HD int64_t out_plane(const compute_cuda_conv_geom& g) { return g.out[0] * g.out[1] * g.out[2]; }
CMP_IM2COL_HD int64_t image_plane(const compute_cuda_conv_geom& g) { return g.image[0] * g.image[1] * g.image[2]; }

// Element i of im2col, i = (n * channels * K + r) * P + p (p fastest): stores the pixel tap r
// reads at out position p of image n (0 in the padding) at its place in the columns.
template <typename T>
CMP_IM2COL_HD void im2col_element(const compute_cuda_im2col& d, int64_t i, const T* image, T* cols) {
    const compute_cuda_conv_geom& g = d.geom;
    const int64_t K = kernel_volume(g), P = out_plane(g), rows = d.channels * K;
    const int64_t p = i % P, nr = i / P, r = nr % rows, n = nr / rows;
    const int64_t c = r / K, k = r % K;
    const int64_t kw = k % g.kernel[2], kh = k / g.kernel[2] % g.kernel[1], kd = k / (g.kernel[1] * g.kernel[2]);
    const int64_t ow = p % g.out[2], oh = p / g.out[2] % g.out[1], od = p / (g.out[1] * g.out[2]);
    const int64_t id = od * g.stride[0] - g.pad[0] + kd * g.dilation[0];
    const int64_t ih = oh * g.stride[1] - g.pad[1] + kh * g.dilation[1];
    const int64_t iw = ow * g.stride[2] - g.pad[2] + kw * g.dilation[2];
    const bool inside = id >= 0 && id < g.image[0] && ih >= 0 && ih < g.image[1] && iw >= 0 && iw < g.image[2];
    T v = T(0);
    if (inside) v = image[((n * d.channels + c) * g.image[0] + id) * g.image[1] * g.image[2] + ih * g.image[2] + iw];
    cols[n * d.col_image_stride + r * d.col_row_stride + p] = v;
}

// The out position o along one dim whose tap k reads image position x, or -1 when none does.
CMP_IM2COL_HD int64_t out_index(int64_t x, int64_t k, int64_t stride, int64_t pad, int64_t dilation, int64_t out) {
    const int64_t t = x + pad - k * dilation;
    if (t < 0 || t % stride != 0) return -1;
    const int64_t o = t / stride;
    return o < out ? o : -1;
}

// Element i of col2im, i = (n * channels + c) * image plane + x: bias[c] (or 0) plus the
// column entries read from pixel x of channel c of image n, taps in increasing order.
template <typename T>
CMP_IM2COL_HD void col2im_element(const compute_cuda_im2col& d, int64_t i, const T* cols, const T* bias, T* image) {
    const compute_cuda_conv_geom& g = d.geom;
    const int64_t K = kernel_volume(g), plane = image_plane(g);
    const int64_t x = i % plane, nc = i / plane, c = nc % d.channels, n = nc / d.channels;
    const int64_t iw = x % g.image[2], ih = x / g.image[2] % g.image[1], id = x / (g.image[1] * g.image[2]);
    const T* base = cols + n * d.col_image_stride + c * K * d.col_row_stride;
    T acc = bias ? bias[c] : T(0);
    for (int64_t kd = 0; kd < g.kernel[0]; ++kd) {
        const int64_t od = out_index(id, kd, g.stride[0], g.pad[0], g.dilation[0], g.out[0]);
        if (od < 0) continue;
        for (int64_t kh = 0; kh < g.kernel[1]; ++kh) {
            const int64_t oh = out_index(ih, kh, g.stride[1], g.pad[1], g.dilation[1], g.out[1]);
            if (oh < 0) continue;
            for (int64_t kw = 0; kw < g.kernel[2]; ++kw) {
                const int64_t ow = out_index(iw, kw, g.stride[2], g.pad[2], g.dilation[2], g.out[2]);
                if (ow < 0) continue;
                const int64_t k = (kd * g.kernel[1] + kh) * g.kernel[2] + kw;
                acc = acc + base[k * d.col_row_stride + (od * g.out[1] + oh) * g.out[2] + ow];
            }
        }
    }
    image[i] = acc;
}

}  // namespace cmp::cuda_im2col
