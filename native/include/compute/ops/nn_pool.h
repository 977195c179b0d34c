/*
 * compute/ops/nn_pool.h - part of the C ABI: Pooling, upsampling and grid sampling: forward and backward (issue 3).
 *
 * Included by compute.h inside its extern "C" block; include compute/compute.h, never this file.
 * Same rules as compute.h (C99, cmp_status results, out-parameters, doc comment above each
 * declaration); the binding generator reads it through compute.h.
 */
#ifndef COMPUTE_OPS_NN_POOL_H
#define COMPUTE_OPS_NN_POOL_H

#ifndef COMPUTE_COMPUTE_H
#error "include <compute/compute.h> instead of compute/ops/nn_pool.h"
#endif


/*
 * Pooling over the trailing `nspatial` dims (1, 2 or 3: max_pool1d/2d/3d ...) of an input shaped
 * [N, C, *spatial] (batched) or [C, *spatial] (unbatched). The per-dim arrays (kernel_size,
 * stride, padding, dilation, output_size) hold nspatial values each; stride NULL means
 * stride = kernel_size, as PyTorch's default. Output sizes follow PyTorch:
 * floor_or_ceil((in + 2 pad - dilation (k - 1) - 1) / stride) + 1, where a ceil-mode window
 * that would start inside the right padding is dropped. Indices of max pooling are int64 and
 * index the flattened spatial plane of the input (h * W + w for 2-d), as PyTorch returns them.
 */

/** Interpolation of cmp_interpolate (PyTorch's mode); passed as an int32_t. */
typedef enum cmp_interpolate_mode {
    /** 'nearest': source index floor(dst * scale) (PyTorch's legacy rule). */
    CMP_INTERPOLATE_NEAREST = 0,
    /** 'nearest-exact': source index floor((dst + 0.5) * scale). */
    CMP_INTERPOLATE_NEAREST_EXACT = 1,
    /** 'linear' (1 spatial dim), 'bilinear' (2) or 'trilinear' (3): the linear mode of the input's rank. */
    CMP_INTERPOLATE_LINEAR = 2
} cmp_interpolate_mode;

/** Sampling of cmp_grid_sample (PyTorch's mode); passed as an int32_t. */
typedef enum cmp_grid_sample_mode {
    /** 'bilinear'. */
    CMP_GRID_SAMPLE_BILINEAR = 0,
    /** 'nearest' (ties round half to even, as PyTorch's nearbyint). */
    CMP_GRID_SAMPLE_NEAREST = 1
} cmp_grid_sample_mode;

/** What cmp_grid_sample reads outside the input (PyTorch's padding_mode); passed as an int32_t. */
typedef enum cmp_grid_padding_mode {
    /** 'zeros': outside values are 0. */
    CMP_GRID_PADDING_ZEROS = 0,
    /** 'border': coordinates are clamped to the edge. */
    CMP_GRID_PADDING_BORDER = 1,
    /** 'reflection': coordinates are reflected at the border, then clamped. */
    CMP_GRID_PADDING_REFLECTION = 2
} cmp_grid_padding_mode;

/**
 * Max pooling (F.max_pool1d/2d/3d with return_indices=True): out receives the maxima, out_indices
 * the int64 positions in the input plane. A NaN in a window is the result (the last NaN's index).
 * Floating inputs only (float16/bfloat16 are computed in float32); padding must be at most half the
 * kernel size.
 */
CMP_API cmp_status cmp_max_pool(cmp_tensor input, int64_t nspatial, const int64_t* kernel_size, const int64_t* stride, const int64_t* padding, const int64_t* dilation, int32_t ceil_mode, cmp_tensor* out, cmp_tensor* out_indices);

/**
 * Gradient of max pooling (and adaptive max pooling) with respect to its input: grad_output is
 * added at the positions in indices (as returned by cmp_max_pool / cmp_adaptive_max_pool) of a
 * zero tensor shaped like input. input gives the shape and dtype only; nspatial as given to the forward.
 */
CMP_API cmp_status cmp_max_pool_backward(cmp_tensor grad_output, cmp_tensor input, int64_t nspatial, cmp_tensor indices, cmp_tensor* out_grad_input);

/**
 * Average pooling (F.avg_pool1d/2d/3d). count_include_pad counts padded positions in the divisor;
 * divisor_override, when not 0, replaces the divisor. Floating and int64 inputs (int64 divides
 * with truncation, as PyTorch).
 * Dtypes: floating, int64.
 */
CMP_API cmp_status cmp_avg_pool(cmp_tensor input, int64_t nspatial, const int64_t* kernel_size, const int64_t* stride, const int64_t* padding, int32_t ceil_mode, int32_t count_include_pad, int64_t divisor_override, cmp_tensor* out);

/** Gradient of cmp_avg_pool with respect to its input (same arguments; input gives the shape and dtype only). */
CMP_API cmp_status cmp_avg_pool_backward(cmp_tensor grad_output, cmp_tensor input, int64_t nspatial, const int64_t* kernel_size, const int64_t* stride, const int64_t* padding, int32_t ceil_mode, int32_t count_include_pad, int64_t divisor_override, cmp_tensor* out_grad_input);

/**
 * Adaptive average pooling (F.adaptive_avg_pool1d/2d/3d) to output_size: output o of a dim of
 * input size I averages [floor(o I / O), ceil((o + 1) I / O)).
 * Dtypes: floating.
 */
CMP_API cmp_status cmp_adaptive_avg_pool(cmp_tensor input, int64_t nspatial, const int64_t* output_size, cmp_tensor* out);

/** Gradient of cmp_adaptive_avg_pool with respect to its input (input gives the shape and dtype only). */
CMP_API cmp_status cmp_adaptive_avg_pool_backward(cmp_tensor grad_output, cmp_tensor input, int64_t nspatial, cmp_tensor* out_grad_input);

/**
 * Adaptive max pooling (F.adaptive_max_pool1d/2d/3d with return_indices=True), windows as
 * cmp_adaptive_avg_pool; its gradient is cmp_max_pool_backward.
 * Dtypes: floating.
 */
CMP_API cmp_status cmp_adaptive_max_pool(cmp_tensor input, int64_t nspatial, const int64_t* output_size, cmp_tensor* out, cmp_tensor* out_indices);

/**
 * Resizes the trailing nspatial dims (F.interpolate) of an input [N, C, *spatial] to size (NULL
 * when scale_factor is given) or by scale_factor (nspatial values; NULL when size is given).
 * mode is a cmp_interpolate_mode; align_corners applies to LINEAR only (must be 0 otherwise).
 * With a scale factor the output size is floor(in * scale); unless recompute_scale_factor, the
 * source coordinates use 1 / scale_factor (PyTorch's rule) instead of in / out.
 * Dtypes: floating, uint8.
 */
CMP_API cmp_status cmp_interpolate(cmp_tensor input, int64_t nspatial, const int64_t* size, const double* scale_factor, int32_t mode, int32_t align_corners, int32_t recompute_scale_factor, cmp_tensor* out);

/**
 * Gradient of cmp_interpolate with respect to its input: input_size is the input's full shape
 * (ninput_size = nspatial + 2 values), the output size is grad_output's; scale_factor (NULL or
 * ninput_size - 2 values), mode, align_corners and recompute_scale_factor as given to the forward.
 */
CMP_API cmp_status cmp_interpolate_backward(cmp_tensor grad_output, const int64_t* input_size, int64_t ninput_size, const double* scale_factor, int32_t mode, int32_t align_corners, int32_t recompute_scale_factor, cmp_tensor* out_grad_input);

/**
 * Samples input [N, C, H, W] at grid [N, Ho, Wo, 2] (x, y in [-1, 1]) into [N, C, Ho, Wo]
 * (F.grid_sample, 2-d). mode is a cmp_grid_sample_mode, padding_mode a cmp_grid_padding_mode.
 * Dtypes: floating.
 */
CMP_API cmp_status cmp_grid_sample(cmp_tensor input, cmp_tensor grid, int32_t mode, int32_t padding_mode, int32_t align_corners, cmp_tensor* out);

/** Gradients of cmp_grid_sample with respect to input and grid (same arguments). */
CMP_API cmp_status cmp_grid_sample_backward(cmp_tensor grad_output, cmp_tensor input, cmp_tensor grid, int32_t mode, int32_t padding_mode, int32_t align_corners, cmp_tensor* out_grad_input, cmp_tensor* out_grad_grid);

/* end of section: nn_pool */

#endif /* COMPUTE_OPS_NN_POOL_H */
