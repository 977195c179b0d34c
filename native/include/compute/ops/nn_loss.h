/*
 * compute/ops/nn_loss.h - part of the C ABI: Loss functions and scaled dot-product attention: forward and backward (issue 3).
 *
 * Included by compute.h inside its extern "C" block; include compute/compute.h, never this file.
 * Same rules as compute.h (C99, cmp_status results, out-parameters, doc comment above each
 * declaration); the binding generator reads it through compute.h.
 */
#ifndef COMPUTE_OPS_NN_LOSS_H
#define COMPUTE_OPS_NN_LOSS_H

#ifndef COMPUTE_COMPUTE_H
#error "include <compute/compute.h> instead of compute/ops/nn_loss.h"
#endif


/** How a loss reduces its per-element losses (PyTorch's reduction); passed as an int32_t. */
typedef enum cmp_reduction {
    /** No reduction: one loss per element (per sample for the class losses). */
    CMP_REDUCTION_NONE = 0,
    /** The mean: divided by the element count, or by the summed weights where PyTorch does so. */
    CMP_REDUCTION_MEAN = 1,
    /** The sum. */
    CMP_REDUCTION_SUM = 2,
    /** The sum divided by the input's first dim (kl_div only, 'batchmean'). */
    CMP_REDUCTION_BATCHMEAN = 3
} cmp_reduction;

/**
 * Cross entropy of logits (F.cross_entropy), log-softmax and negative log-likelihood fused in one
 * pass per row. input is (C), (N, C) or (N, C, d1, ..., dk), floating. target is either class
 * indices (int64, shape (), (N) or (N, d1, ..., dk)) or class probabilities (floating, input's
 * shape). weight (C) may be NULL. Targets equal to ignore_index contribute nothing (class
 * indices only). label_smoothing is in [0, 1]. reduction is a cmp_reduction (not BATCHMEAN);
 * MEAN divides by the summed weights of the non-ignored targets (NaN when all are ignored).
 * Dtypes: floating.
 */
CMP_API cmp_status cmp_cross_entropy(cmp_tensor input, cmp_tensor target, cmp_tensor weight, int64_t ignore_index, int32_t reduction, double label_smoothing, cmp_tensor* out);

/**
 * Gradients of cmp_cross_entropy given grad_output (shaped like its result): grad_input like
 * input, computed directly as softmax times the row's target mass minus the smoothed target.
 * out_grad_target (may be NULL) receives the gradient with respect to probability targets, and
 * NULL for class-index targets (which are not differentiable).
 */
CMP_API cmp_status cmp_cross_entropy_backward(cmp_tensor grad_output, cmp_tensor input, cmp_tensor target, cmp_tensor weight, int64_t ignore_index, int32_t reduction, double label_smoothing, cmp_tensor* out_grad_input, cmp_tensor* out_grad_target);

/**
 * Negative log-likelihood of log-probabilities (F.nll_loss): input (C), (N, C) or
 * (N, C, d1, ..., dk), floating; target int64 class indices of shape (), (N) or (N, d1, ..., dk);
 * weight (C) may be NULL. reduction as cmp_cross_entropy.
 * Dtypes: floating.
 */
CMP_API cmp_status cmp_nll_loss(cmp_tensor input, cmp_tensor target, cmp_tensor weight, int64_t ignore_index, int32_t reduction, cmp_tensor* out);

/** Gradient of cmp_nll_loss with respect to input, given grad_output shaped like its result. */
CMP_API cmp_status cmp_nll_loss_backward(cmp_tensor grad_output, cmp_tensor input, cmp_tensor target, cmp_tensor weight, int64_t ignore_index, int32_t reduction, cmp_tensor* out_grad_input);

/**
 * (input - target)^2 (F.mse_loss); input and target broadcast together; reduction NONE, MEAN or SUM.
 * Dtypes: floating.
 */
CMP_API cmp_status cmp_mse_loss(cmp_tensor input, cmp_tensor target, int32_t reduction, cmp_tensor* out);

/**
 * Gradients of cmp_mse_loss given grad_output shaped like its result: out_grad_input shaped like
 * input and out_grad_target (may be NULL) shaped like target (summed over broadcast dims).
 */
CMP_API cmp_status cmp_mse_loss_backward(cmp_tensor grad_output, cmp_tensor input, cmp_tensor target, int32_t reduction, cmp_tensor* out_grad_input, cmp_tensor* out_grad_target);

/** |input - target| (F.l1_loss); broadcasting and reduction as cmp_mse_loss. Dtypes: floating. */
CMP_API cmp_status cmp_l1_loss(cmp_tensor input, cmp_tensor target, int32_t reduction, cmp_tensor* out);

/** Gradients of cmp_l1_loss (sign(input - target)); outputs as cmp_mse_loss_backward. */
CMP_API cmp_status cmp_l1_loss_backward(cmp_tensor grad_output, cmp_tensor input, cmp_tensor target, int32_t reduction, cmp_tensor* out_grad_input, cmp_tensor* out_grad_target);

/**
 * 0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta, d = input - target (F.smooth_l1_loss); beta >= 0, 0 is the L1 loss.
 * Dtypes: floating.
 */
CMP_API cmp_status cmp_smooth_l1_loss(cmp_tensor input, cmp_tensor target, int32_t reduction, double beta, cmp_tensor* out);

/** Gradients of cmp_smooth_l1_loss; outputs as cmp_mse_loss_backward. */
CMP_API cmp_status cmp_smooth_l1_loss_backward(cmp_tensor grad_output, cmp_tensor input, cmp_tensor target, int32_t reduction, double beta, cmp_tensor* out_grad_input, cmp_tensor* out_grad_target);

/**
 * 0.5 d^2 where |d| < delta, else delta (|d| - 0.5 delta), d = input - target (F.huber_loss); delta > 0.
 * Dtypes: floating.
 */
CMP_API cmp_status cmp_huber_loss(cmp_tensor input, cmp_tensor target, int32_t reduction, double delta, cmp_tensor* out);

/** Gradients of cmp_huber_loss; outputs as cmp_mse_loss_backward. */
CMP_API cmp_status cmp_huber_loss_backward(cmp_tensor grad_output, cmp_tensor input, cmp_tensor target, int32_t reduction, double delta, cmp_tensor* out_grad_input, cmp_tensor* out_grad_target);

/**
 * -weight (target log(input) + (1 - target) log(1 - input)) with each log clamped at -100
 * (F.binary_cross_entropy). input holds probabilities in [0, 1]; target has input's shape;
 * weight (may be NULL) broadcasts to it.
 * Dtypes: floating.
 */
CMP_API cmp_status cmp_binary_cross_entropy(cmp_tensor input, cmp_tensor target, cmp_tensor weight, int32_t reduction, cmp_tensor* out);

/** Gradients of cmp_binary_cross_entropy; out_grad_target may be NULL. */
CMP_API cmp_status cmp_binary_cross_entropy_backward(cmp_tensor grad_output, cmp_tensor input, cmp_tensor target, cmp_tensor weight, int32_t reduction, cmp_tensor* out_grad_input, cmp_tensor* out_grad_target);

/**
 * Binary cross entropy of logits in the overflow-free form (F.binary_cross_entropy_with_logits):
 * target has input's shape; weight and pos_weight (both may be NULL) broadcast to it, pos_weight
 * usually over the last (class) dim.
 * Dtypes: floating.
 */
CMP_API cmp_status cmp_binary_cross_entropy_with_logits(cmp_tensor input, cmp_tensor target, cmp_tensor weight, cmp_tensor pos_weight, int32_t reduction, cmp_tensor* out);

/** Gradients of cmp_binary_cross_entropy_with_logits; out_grad_target may be NULL. */
CMP_API cmp_status cmp_binary_cross_entropy_with_logits_backward(cmp_tensor grad_output, cmp_tensor input, cmp_tensor target, cmp_tensor weight, cmp_tensor pos_weight, int32_t reduction, cmp_tensor* out_grad_input, cmp_tensor* out_grad_target);

/**
 * Kullback-Leibler divergence of log-probabilities input from target (F.kl_div):
 * target (log(target) - input), or exp(target) (target - input) when log_target is non-zero.
 * reduction may be BATCHMEAN (sum / input's first dim).
 * Dtypes: floating.
 */
CMP_API cmp_status cmp_kl_div(cmp_tensor input, cmp_tensor target, int32_t reduction, int32_t log_target, cmp_tensor* out);

/** Gradients of cmp_kl_div; outputs as cmp_mse_loss_backward. */
CMP_API cmp_status cmp_kl_div_backward(cmp_tensor grad_output, cmp_tensor input, cmp_tensor target, int32_t reduction, int32_t log_target, cmp_tensor* out_grad_input, cmp_tensor* out_grad_target);

/**
 * softmax(q k^T * scale + mask) v over the last two dims, computed blockwise over the keys
 * (online softmax: the (L, S) score matrix is never materialised). q (..., L, E), k (..., S, E),
 * v (..., S, Ev), leading dims equal; floating. attn_mask (may be NULL) broadcasts to
 * (..., L, S): bool (true keeps) or additive, of q's dtype. is_causal masks keys after the
 * query's position (no attn_mask then). scale NULL means 1/sqrt(E). dropout_p in [0, 1) drops
 * attention weights with Philox numbers from the default generator; the stream position used is
 * returned in out_seed/out_offset for the backward pass. out_logsumexp (may be NULL) receives the
 * float32/float64 log-sum-exp of each score row, (..., L).
 * Dtypes: floating.
 */
CMP_API cmp_status cmp_scaled_dot_product_attention(cmp_tensor q, cmp_tensor k, cmp_tensor v, cmp_tensor attn_mask, double dropout_p, int32_t is_causal, const double* scale, cmp_tensor* out, cmp_tensor* out_logsumexp, uint64_t* out_seed, uint64_t* out_offset);

/**
 * Gradients of cmp_scaled_dot_product_attention: grad_output, the inputs and options of the
 * forward call, its out and logsumexp, and the seed/offset it returned (the same dropout mask is
 * regenerated). Writes grad_q, grad_k and grad_v shaped like q, k and v.
 */
CMP_API cmp_status cmp_scaled_dot_product_attention_backward(cmp_tensor grad_output, cmp_tensor q, cmp_tensor k, cmp_tensor v, cmp_tensor attn_mask, double dropout_p, int32_t is_causal, const double* scale, cmp_tensor out, cmp_tensor logsumexp, uint64_t seed, uint64_t offset, cmp_tensor* out_grad_q, cmp_tensor* out_grad_k, cmp_tensor* out_grad_v);

/* end of section: nn_loss */

#endif /* COMPUTE_OPS_NN_LOSS_H */
