// Convolutions (nn_conv*.cpp): conv1d/2d/3d, transposed convolutions, their gradients, and
// unfold/fold. One N-d engine serves them all: a convolution, the gradient of its input (which
// is also the transposed convolution's forward) and the gradient of its weight, each built
// from im2col/col2im and the library's GEMM, with direct paths for 1x1 and depthwise shapes.
#pragma once

#include "ops/ops.h"

#include <array>

namespace cmp::ops {

enum class ConvPadding { Explicit = 0, Valid = 1, Same = 2 };

// What a convolution is given besides its tensors. Per-dim values hold one entry per spatial dim.
struct ConvArgs {
    Shape stride;
    Shape padding;         // used when padding_mode is Explicit (and always by transposed convs)
    ConvPadding padding_mode = ConvPadding::Explicit;
    Shape dilation;
    Shape output_padding;  // transposed convolutions only
    int64_t groups = 1;
};

// Which gradients a backward call computes; the others come back undefined.
struct ConvGradMask {
    bool input = true, weight = true, bias = true;
};

struct ConvGrads {
    Tensor input, weight, bias;
};

// nspatial is 1, 2 or 3 (conv1d/2d/3d); bias may be undefined.
Tensor conv(const Tensor& input, const Tensor& weight, const Tensor& bias, int64_t nspatial, const ConvArgs& args);
ConvGrads conv_backward(const Tensor& grad_output, const Tensor& input, const Tensor& weight, int64_t nspatial,
                        const ConvArgs& args, ConvGradMask mask);
Tensor conv_transpose(const Tensor& input, const Tensor& weight, const Tensor& bias, int64_t nspatial,
                      const ConvArgs& args);
ConvGrads conv_transpose_backward(const Tensor& grad_output, const Tensor& input, const Tensor& weight,
                                  int64_t nspatial, const ConvArgs& args, ConvGradMask mask);

// F.unfold / F.fold on 2 spatial dims; every array holds 2 values.
Tensor unfold(const Tensor& input, const Shape& kernel_size, const Shape& dilation, const Shape& padding,
              const Shape& stride);
Tensor fold(const Tensor& input, const Shape& output_size, const Shape& kernel_size, const Shape& dilation,
            const Shape& padding, const Shape& stride);

}  // namespace cmp::ops
