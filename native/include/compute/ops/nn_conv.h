/*
 * compute/ops/nn_conv.h - part of the C ABI: Convolutions and transposed convolutions: forward and backward (issue 3).
 *
 * Included by compute.h inside its extern "C" block; include compute/compute.h, never this file.
 * Same rules as compute.h (C99, cmp_status results, out-parameters, doc comment above each
 * declaration); the binding generator reads it through compute.h.
 */
#ifndef COMPUTE_OPS_NN_CONV_H
#define COMPUTE_OPS_NN_CONV_H

#ifndef COMPUTE_COMPUTE_H
#error "include <compute/compute.h> instead of compute/ops/nn_conv.h"
#endif


/*
 * Convolutions over the trailing `nspatial` dims (1, 2 or 3: conv1d/2d/3d) of an input shaped
 * [N, C_in, *spatial] (batched) or [C_in, *spatial] (unbatched; the result is unbatched too).
 * weight is [C_out, C_in / groups, *kernel] for a convolution and [C_in, C_out / groups, *kernel]
 * for a transposed one; bias (NULL for none) is [C_out]. The per-dim arrays (stride, padding,
 * output_padding, dilation, kernel_size, output_size) hold nspatial values each. Output sizes
 * follow PyTorch: (in + 2 pad - dilation (k - 1) - 1) / stride + 1 (floor) for a convolution,
 * (in - 1) stride - 2 pad + dilation (k - 1) + output_padding + 1 for a transposed one.
 * float32/float64; float16/bfloat16 are computed in float32 and rounded once; integer inputs are
 * convolved with wrap-around arithmetic as on PyTorch's CPU (forward only: the backward functions
 * need a floating dtype); bool is an error. input, weight and bias share one dtype. unfold and
 * fold take floating inputs only, as in PyTorch.
 */

/** How cmp_conv pads its input (torch's padding= forms); passed as an int32_t. */
typedef enum cmp_conv_padding {
    /** The padding array gives the zeros added at both ends of each spatial dim. */
    CMP_CONV_PADDING_EXPLICIT = 0,
    /** padding='valid': no padding; the padding array is ignored (may be NULL). */
    CMP_CONV_PADDING_VALID = 1,
    /**
     * padding='same': the output has the input's spatial size. Each dim gets dilation (k - 1)
     * zeros in total, the odd one (even kernels) at the high end, as PyTorch does. Needs stride
     * 1; the padding array is ignored (may be NULL).
     */
    CMP_CONV_PADDING_SAME = 2
} cmp_conv_padding;

/** Bits of the output_mask of the convolution backward functions: which gradients to compute. */
typedef enum cmp_conv_grad {
    /** Gradient with respect to the input. */
    CMP_CONV_GRAD_INPUT = 1,
    /** Gradient with respect to the weight. */
    CMP_CONV_GRAD_WEIGHT = 2,
    /** Gradient with respect to the bias (grad_output summed over all dims but the channel). */
    CMP_CONV_GRAD_BIAS = 4
} cmp_conv_grad;

/**
 * Convolution (F.conv1d/conv2d/conv3d for nspatial 1/2/3): stride, dilation (>= 1) and padding
 * (>= 0, used when padding_mode is CMP_CONV_PADDING_EXPLICIT) hold nspatial values; groups
 * divides C_in and C_out. bias may be NULL.
 * Dtypes: all but bool (integers forward only).
 */
CMP_API cmp_status cmp_conv(cmp_tensor input, cmp_tensor weight, cmp_tensor bias, int64_t nspatial, const int64_t* stride, const int64_t* padding, int32_t padding_mode, const int64_t* dilation, int64_t groups, cmp_tensor* out);

/**
 * Gradients of cmp_conv (same arguments) for a grad_output of the forward output's shape.
 * output_mask is an OR of cmp_conv_grad bits; out_grad_input ([input's shape]),
 * out_grad_weight ([weight's shape]) and out_grad_bias ([C_out]) receive the requested ones and
 * NULL for the others.
 */
CMP_API cmp_status cmp_conv_backward(cmp_tensor grad_output, cmp_tensor input, cmp_tensor weight, int64_t nspatial, const int64_t* stride, const int64_t* padding, int32_t padding_mode, const int64_t* dilation, int64_t groups, int32_t output_mask, cmp_tensor* out_grad_input, cmp_tensor* out_grad_weight, cmp_tensor* out_grad_bias);

/**
 * Transposed convolution (F.conv_transpose1d/2d/3d for nspatial 1/2/3), the gradient of a
 * convolution with respect to its input: weight is [C_in, C_out / groups, *kernel]; each
 * output_padding value is below its stride or its dilation. bias may be NULL.
 * Dtypes: all but bool (integers forward only).
 */
CMP_API cmp_status cmp_conv_transpose(cmp_tensor input, cmp_tensor weight, cmp_tensor bias, int64_t nspatial, const int64_t* stride, const int64_t* padding, const int64_t* output_padding, int64_t groups, const int64_t* dilation, cmp_tensor* out);

/** Gradients of cmp_conv_transpose (same arguments); output_mask and the outputs as cmp_conv_backward. */
CMP_API cmp_status cmp_conv_transpose_backward(cmp_tensor grad_output, cmp_tensor input, cmp_tensor weight, int64_t nspatial, const int64_t* stride, const int64_t* padding, const int64_t* output_padding, int64_t groups, const int64_t* dilation, int32_t output_mask, cmp_tensor* out_grad_input, cmp_tensor* out_grad_weight, cmp_tensor* out_grad_bias);

/**
 * Sliding local blocks of a [N, C, H, W] or [C, H, W] input as columns (F.unfold, im2col):
 * the result is [N, C * kh * kw, L] ([C * kh * kw, L] unbatched), L the number of block
 * positions. kernel_size, dilation, padding and stride hold 2 values each.
 * Dtypes: floating.
 */
CMP_API cmp_status cmp_unfold(cmp_tensor input, const int64_t* kernel_size, const int64_t* dilation, const int64_t* padding, const int64_t* stride, cmp_tensor* out);

/**
 * Sums columns back into an image (F.fold, col2im; the adjoint of cmp_unfold): input is
 * [N, C * kh * kw, L] or [C * kh * kw, L] and the result [N, C, *output_size] or
 * [C, *output_size]. All arrays hold 2 values; L must match the block positions of output_size.
 * Dtypes: floating.
 */
CMP_API cmp_status cmp_fold(cmp_tensor input, const int64_t* output_size, const int64_t* kernel_size, const int64_t* dilation, const int64_t* padding, const int64_t* stride, cmp_tensor* out);

/* end of section: nn_conv */

#endif /* COMPUTE_OPS_NN_CONV_H */
