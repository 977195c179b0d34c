// Kernels of the loss functions and attention (ops/nn_loss*.cpp, ops/attention.cpp).
#pragma once

#include "core/dtype.h"
#include "core/iterator.h"
#include "cpu/dispatch_stub.h"
#include "cpu/nn_loss_math.h"

#include <cstdint>

namespace cmp::cpu {

// ---- class losses: cross_entropy (logits) and nll_loss (log-probabilities) ----------------
//
// The front-end lays input out contiguously as (outer, classes, inner): a "row" is the
// `classes` values of one (outer, inner) position, `inner` elements apart. Everything is in
// one dtype (weight and probability targets converted to input's).
struct ClassLossArgs {
    const char* op;
    DType dtype;
    const void* input;
    const void* target;  // int64 (outer, inner) indices, or probabilities laid out like input
    const void* weight;  // (classes) or null
    int64_t outer, classes, inner;
    int64_t ignore_index;
    double smoothing;
    bool logits;       // cross_entropy: input is logits (log-softmax fused); nll_loss: log-probs
    bool prob_target;  // target holds class probabilities
};

// Per row: loss[r] (0 for an ignored target) and the weight the mean divides by
// (weight of the target class, 0 when ignored, 1 for probability targets); r = o * inner + i.
// Throws INDEX_OUT_OF_RANGE for a class index outside [0, classes) that is not ignore_index.
CMP_DECLARE_STUB(class_loss_forward_stub, void (*)(const ClassLossArgs&, double* loss, double* row_weight));

// grad_input (input's dtype, laid out like input) for row gradients grad_rows[r] (null: every
// row gets grad_scalar). grad_target (may be null; probability targets only) likewise.
CMP_DECLARE_STUB(class_loss_backward_stub, void (*)(const ClassLossArgs&, const double* grad_rows, double grad_scalar,
                                                    void* grad_input, void* grad_target));

// ---- pointwise losses ---------------------------------------------------------------------

// PointwiseLoss (the ops) and the per-element formulas are in cpu/nn_loss_math.h.

// Which optional operands a TensorIterator carries after (input, target): a weight and/or a
// pos_weight (BceLogits), in that order.
struct PointwiseLossArgs {
    PointwiseLoss op;
    double param = 0;  // beta (SmoothL1), delta (Huber)
    bool has_weight = false;
    bool has_pos_weight = false;
};

// Forward: operands out, input, target[, weight][, pos_weight], all of one floating dtype.
CMP_DECLARE_STUB(pointwise_loss_stub, void (*)(TensorIterator&, const PointwiseLossArgs&));
// Backward: operands out, grad, input, target[, weight][, pos_weight]; grad_target selects
// the derivative with respect to target instead of input. Every gradient is multiplied by
// scale (1/n for a mean).
CMP_DECLARE_STUB(pointwise_loss_backward_stub, void (*)(TensorIterator&, const PointwiseLossArgs&, bool grad_target,
                                                        double scale));

}  // namespace cmp::cpu

namespace cmp::cpu {

// ---- scaled dot-product attention -----------------------------------------------------------
//
// q (batch, L, E), k (batch, S, E), v (batch, S, Ev), contiguous, float32 or float64 (the
// front-end converts 16-bit inputs). The optional mask is read in place through strides (a
// broadcast mask is never expanded in memory): element (b, i, j) is at
// mask_offsets[b] + i * mask_rs + j * mask_cs; bool (false masks out) or additive (dtype).
struct AttentionArgs {
    DType dtype;
    int64_t batch, L, S, E, Ev;
    const void* q;
    const void* k;
    const void* v;
    const void* mask = nullptr;
    bool mask_bool = false;
    const int64_t* mask_offsets = nullptr;
    int64_t mask_rs = 0, mask_cs = 0;
    bool causal = false;  // key j is masked out for query i when j > i
    double scale = 1.0;
    // Dropout of the attention weights: element (b, i, j) has index n = (b * L + i) * S + j and
    // is kept when Philox word n % 4 of block offset + n / 4 under seed, as u = (w >> 8) * 2^-24,
    // is >= dropout_p; kept weights are scaled by 1 / (1 - dropout_p).
    double dropout_p = 0.0;
    uint64_t seed = 0, offset = 0;
};

// out (batch, L, Ev) and the log-sum-exp of each score row, lse (batch, L), in args.dtype.
CMP_DECLARE_STUB(attention_forward_stub, void (*)(const AttentionArgs&, void* out, void* lse));
// grad_q/k/v laid out like q/k/v from grad_out, out and lse of the forward call.
CMP_DECLARE_STUB(attention_backward_stub, void (*)(const AttentionArgs&, const void* grad_out, const void* out,
                                                   const void* lse, void* grad_q, void* grad_k, void* grad_v));

}  // namespace cmp::cpu
