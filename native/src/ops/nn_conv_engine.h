// The convolution engine behind every op of the family (nn_conv_engine.cpp). It knows one
// convolution: an image [batch, image_channels, *image] and a weight [out_channels,
// image_channels / groups, *kernel] give an output [batch, out_channels, *out]. Its three
// passes are the forward, the gradient of the image (which is also the transposed
// convolution's forward) and the gradient of the weight. Tensors passed in are contiguous,
// float32 or float64, batched and on one device; the front-ends (nn_conv.cpp) check and
// prepare them. CUDA tensors go to ops/cuda_conv.cpp (im2col / col2im kernels and cuBLAS).
#pragma once

#include "core/tensor.h"
#include "cpu/nn_conv_stubs.h"

namespace cmp::ops::conv_engine {

struct Problem {
    int64_t batch = 0, image_channels = 0, out_channels = 0, groups = 1;
    cpu::ConvGeom3 geom{};
};

// out = conv(image, weight) + bias (bias may be undefined).
void forward(const Problem& p, const Tensor& image, const Tensor& weight, const Tensor& bias, const Tensor& out);

// grad_image = conv^T(grad_out, weight) + bias per image channel (bias may be undefined; a
// transposed convolution's bias lives on this side).
void backward_image(const Problem& p, const Tensor& grad_out, const Tensor& weight, const Tensor& bias,
                    const Tensor& grad_image);

// grad_weight = sum over the batch of grad_out x im2col(image)^T.
void backward_weight(const Problem& p, const Tensor& image, const Tensor& grad_out, const Tensor& grad_weight);

// F.unfold: cols [batch, image_channels * kernel_volume, out_plane] = im2col of each image.
void unfold(const Problem& p, const Tensor& image, const Tensor& cols);

// F.fold: image = col2im of each [image_channels * kernel_volume, out_plane] column matrix.
void fold(const Problem& p, const Tensor& cols, const Tensor& image);

}  // namespace cmp::ops::conv_engine
