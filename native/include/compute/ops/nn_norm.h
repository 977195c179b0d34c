/*
 * compute/ops/nn_norm.h - part of the C ABI: Softmax, normalisation layers, dropout and embedding: forward and backward (issue 3).
 *
 * Included by compute.h inside its extern "C" block; include compute/compute.h, never this file.
 * Same rules as compute.h (C99, cmp_status results, out-parameters, doc comment above each
 * declaration); the binding generator reads it through compute.h.
 */
#ifndef COMPUTE_OPS_NN_NORM_H
#define COMPUTE_OPS_NN_NORM_H

#ifndef COMPUTE_COMPUTE_H
#error "include <compute/compute.h> instead of compute/ops/nn_norm.h"
#endif


/*
 * Softmax family. dim may be negative. dtype (NULL keeps the input's) converts the input first,
 * as torch.softmax(x, dim, dtype=...); the computation runs in float32 for float16/bfloat16.
 * Floating inputs only (an integer input needs a floating dtype). The row maximum is subtracted
 * before exp, so large inputs never overflow.
 */

/** softmax along dim (torch.softmax): exp(x - max) / sum(exp(x - max)). */
CMP_API cmp_status cmp_softmax(cmp_tensor input, int64_t dim, const cmp_dtype* dtype, cmp_tensor* out);

/** log_softmax along dim (torch.log_softmax): x - max - log(sum(exp(x - max))). */
CMP_API cmp_status cmp_log_softmax(cmp_tensor input, int64_t dim, const cmp_dtype* dtype, cmp_tensor* out);

/** Gradient of softmax: output * (grad_output - sum(grad_output * output, dim)); output is softmax's result. */
CMP_API cmp_status cmp_softmax_backward(cmp_tensor grad_output, cmp_tensor output, int64_t dim, cmp_tensor* out_grad_input);

/** Gradient of log_softmax: grad_output - exp(output) * sum(grad_output, dim); output is log_softmax's result. */
CMP_API cmp_status cmp_log_softmax_backward(cmp_tensor grad_output, cmp_tensor output, int64_t dim, cmp_tensor* out_grad_input);

/*
 * Normalisation layers. weight and bias may be NULL (no affine part). Floating inputs; weight and
 * bias must have the input's dtype. The saved statistics (mean, rstd = 1/sqrt(var + eps), with the
 * biased variance) are float32 for float16/bfloat16 inputs and the input's dtype otherwise; the
 * backward functions take them back. An empty batch gives empty results and zero parameter grads.
 */

/**
 * Layer normalisation over the trailing dims given by normalized_shape (F.layer_norm; outputs as
 * torch.native_layer_norm): out_mean and out_rstd have the input's shape with the normalized dims
 * set to 1. weight and bias (either may be NULL) have shape normalized_shape.
 */
CMP_API cmp_status cmp_layer_norm(cmp_tensor input, const int64_t* normalized_shape, int64_t ndim, cmp_tensor weight, cmp_tensor bias, double eps, cmp_tensor* out, cmp_tensor* out_mean, cmp_tensor* out_rstd);

/**
 * Gradients of layer_norm from the saved mean and rstd: grad_input (input's shape), and
 * grad_weight, grad_bias (shape normalized_shape; computed whether or not weight is NULL, which
 * stands for a weight of ones).
 */
CMP_API cmp_status cmp_layer_norm_backward(cmp_tensor grad_output, cmp_tensor input, const int64_t* normalized_shape, int64_t ndim, cmp_tensor mean, cmp_tensor rstd, cmp_tensor weight, cmp_tensor* out_grad_input, cmp_tensor* out_grad_weight, cmp_tensor* out_grad_bias);

/**
 * RMS normalisation over the trailing dims normalized_shape (F.rms_norm of PyTorch 2.4):
 * x * rsqrt(mean(x^2) + eps) * weight. weight may be NULL; eps NULL means the machine epsilon of
 * the computation dtype (float32 for 16-bit inputs). out_rstd is shaped like layer_norm's.
 */
CMP_API cmp_status cmp_rms_norm(cmp_tensor input, const int64_t* normalized_shape, int64_t ndim, cmp_tensor weight, const double* eps, cmp_tensor* out, cmp_tensor* out_rstd);

/** Gradients of rms_norm from the saved rstd: grad_input and grad_weight (shape normalized_shape). */
CMP_API cmp_status cmp_rms_norm_backward(cmp_tensor grad_output, cmp_tensor input, const int64_t* normalized_shape, int64_t ndim, cmp_tensor rstd, cmp_tensor weight, cmp_tensor* out_grad_input, cmp_tensor* out_grad_weight);

/**
 * Batch normalisation of an (N, C, *) input, 2-D to 5-D (F.batch_norm). training != 0: normalises
 * with the batch statistics and, when running_mean/running_var are given, updates them in place:
 * running = (1 - momentum) * running + momentum * batch, with the unbiased batch variance.
 * training == 0: normalises with running_mean/running_var (both required). out_save_mean and
 * out_save_invstd (shape [C]) are the statistics used: the batch's in training, the running ones
 * (1/sqrt(running_var + eps)) in evaluation; cmp_batch_norm_backward takes them back.
 */
CMP_API cmp_status cmp_batch_norm(cmp_tensor input, cmp_tensor weight, cmp_tensor bias, cmp_tensor running_mean, cmp_tensor running_var, int32_t training, double momentum, double eps, cmp_tensor* out, cmp_tensor* out_save_mean, cmp_tensor* out_save_invstd);

/**
 * Gradients of batch_norm: grad_input, and grad_weight, grad_bias (shape [C]). training selects
 * the formula: through the batch statistics (training != 0) or with them held constant.
 */
CMP_API cmp_status cmp_batch_norm_backward(cmp_tensor grad_output, cmp_tensor input, cmp_tensor weight, cmp_tensor save_mean, cmp_tensor save_invstd, int32_t training, cmp_tensor* out_grad_input, cmp_tensor* out_grad_weight, cmp_tensor* out_grad_bias);

/**
 * Group normalisation of an (N, C, *) input (F.group_norm): C must be divisible by num_groups;
 * weight and bias (shape [C]) may be NULL. out_mean and out_rstd have shape [N, num_groups] (as
 * torch.native_group_norm).
 */
CMP_API cmp_status cmp_group_norm(cmp_tensor input, int64_t num_groups, cmp_tensor weight, cmp_tensor bias, double eps, cmp_tensor* out, cmp_tensor* out_mean, cmp_tensor* out_rstd);

/** Gradients of group_norm from the saved mean and rstd: grad_input, grad_weight and grad_bias (shape [C]). */
CMP_API cmp_status cmp_group_norm_backward(cmp_tensor grad_output, cmp_tensor input, int64_t num_groups, cmp_tensor mean, cmp_tensor rstd, cmp_tensor weight, cmp_tensor* out_grad_input, cmp_tensor* out_grad_weight, cmp_tensor* out_grad_bias);

/*
 * Dropout. The keep decisions come from the default Philox generator (cmp_manual_seed): element
 * (or channel) i is kept when the float32 uniform of rand's stream layout for position i is
 * >= p, so a seed gives the same mask for any thread count. out_mask is a bool tensor (true =
 * kept); the result is input * mask / (1 - p). training == 0 or p == 0 returns a copy of the
 * input and an all-true mask; p == 1 zeroes everything. p must be in [0, 1].
 */

/** Dropout of single elements (F.dropout); out_mask has the input's shape. Dtypes: floating. */
CMP_API cmp_status cmp_dropout(cmp_tensor input, double p, int32_t training, cmp_tensor* out, cmp_tensor* out_mask);

/**
 * Dropout of whole channels (F.dropout1d/2d/3d): the input is (N, C, *) with at least 2 dims;
 * out_mask has shape (N, C, 1, ...) and broadcasts over the rest.
 * Dtypes: floating.
 */
CMP_API cmp_status cmp_feature_dropout(cmp_tensor input, double p, int32_t training, cmp_tensor* out, cmp_tensor* out_mask);

/** Gradient of (feature) dropout: grad_output * mask / (1 - p) (mask broadcasts). */
CMP_API cmp_status cmp_dropout_backward(cmp_tensor grad_output, cmp_tensor mask, double p, cmp_tensor* out_grad_input);

/*
 * Embedding lookup (F.embedding). weight is (num_embeddings, embedding_dim); indices are int32
 * or int64 of any shape, each in [0, num_embeddings). padding_idx < 0 counts from the end; pass
 * has_padding_idx = 0 for none.
 */

/**
 * Rows of weight picked by indices: shape indices.shape + [embedding_dim]. max_norm (NULL for
 * none) first rescales, in place in weight, every referenced row whose norm_type-norm exceeds it
 * to norm max_norm (as PyTorch's embedding_renorm_).
 * Dtypes: all (weight); indices int64 or int32.
 */
CMP_API cmp_status cmp_embedding(cmp_tensor weight, cmp_tensor indices, int64_t padding_idx, int32_t has_padding_idx, const double* max_norm, double norm_type, cmp_tensor* out);

/**
 * Dense gradient of embedding: grad_weight (num_weights, embedding_dim) sums the rows of
 * grad_output picked by each index (duplicates accumulate); the padding_idx row stays zero;
 * scale_grad_by_freq != 0 divides each row's contributions by its index's count in the batch.
 */
CMP_API cmp_status cmp_embedding_backward(cmp_tensor grad_output, cmp_tensor indices, int64_t num_weights, int64_t padding_idx, int32_t has_padding_idx, int32_t scale_grad_by_freq, cmp_tensor* out_grad_weight);

/* end of section: nn_norm */

#endif /* COMPUTE_OPS_NN_NORM_H */
