// Loss functions and attention (issue 3), forward and backward. Reductions follow PyTorch:
// NONE keeps one loss per element (per sample position for the class losses), MEAN divides by
// the element count (class losses: by the summed weights of the non-ignored targets), SUM
// adds, BATCHMEAN (kl_div only) divides the sum by the input's first dim.
#pragma once

#include "core/tensor.h"
#include "cpu/nn_loss_stubs.h"

#include <cstdint>
#include <optional>
#include <utility>

namespace cmp::ops {

enum class Reduction { None = 0, Mean = 1, Sum = 2, BatchMean = 3 };

// Reads a cmp_reduction passed as an int; BATCHMEAN only when allow_batchmean.
Reduction reduction_arg(int32_t value, const char* op, bool allow_batchmean = false);

// Class losses (nn_loss_class.cpp). weight may be undefined.
Tensor cross_entropy(const Tensor& input, const Tensor& target, const Tensor& weight, int64_t ignore_index,
                     Reduction reduction, double label_smoothing);
// (grad_input, grad_target); grad_target is defined for probability targets when want_target.
std::pair<Tensor, Tensor> cross_entropy_backward(const Tensor& grad_output, const Tensor& input, const Tensor& target,
                                                 const Tensor& weight, int64_t ignore_index, Reduction reduction,
                                                 double label_smoothing, bool want_target);
Tensor nll_loss(const Tensor& input, const Tensor& target, const Tensor& weight, int64_t ignore_index, Reduction reduction);
Tensor nll_loss_backward(const Tensor& grad_output, const Tensor& input, const Tensor& target, const Tensor& weight,
                         int64_t ignore_index, Reduction reduction);

// Elementwise losses (nn_loss_pointwise.cpp). weight and pos_weight may be undefined (and must
// be for the losses that take none).
Tensor pointwise_loss(const char* op, const cpu::PointwiseLossArgs& args, const Tensor& input, const Tensor& target,
                      const Tensor& weight, const Tensor& pos_weight, Reduction reduction);
// (grad_input, grad_target); grad_target only when want_target.
std::pair<Tensor, Tensor> pointwise_loss_backward(const char* op, const cpu::PointwiseLossArgs& args, const Tensor& grad_output,
                                                  const Tensor& input, const Tensor& target, const Tensor& weight,
                                                  const Tensor& pos_weight, Reduction reduction, bool want_target);

// Scaled dot-product attention (attention.cpp). mask may be undefined; scale empty means
// 1/sqrt(E). dropout draws from the default generator; seed/offset say where.
struct AttentionResult {
    Tensor out, lse;
    uint64_t seed = 0, offset = 0;
};
AttentionResult scaled_dot_product_attention(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask,
                                             double dropout_p, bool is_causal, std::optional<double> scale);
struct AttentionGrads {
    Tensor q, k, v;
};
AttentionGrads scaled_dot_product_attention_backward(const Tensor& grad_out, const Tensor& q, const Tensor& k, const Tensor& v,
                                                     const Tensor& mask, double dropout_p, bool is_causal,
                                                     std::optional<double> scale, const Tensor& out, const Tensor& lse,
                                                     uint64_t seed, uint64_t offset);

}  // namespace cmp::ops
