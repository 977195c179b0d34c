// Normalisation-family ops of issue 3 (namespace cmp::ops): softmax/log_softmax, layer norm, RMS
// norm, batch norm, group norm, dropout and embedding, each with its backward. The backward
// functions take what the forward saved (output, mean/rstd, mask) and return plain tensors; the
// managed autograd (issue 4) wires them. Errors name the op, the argument and the shapes.
#pragma once

#include "core/tensor.h"

#include <optional>
#include <utility>

namespace cmp::ops {

// softmax.cpp
Tensor softmax(const Tensor& input, int64_t dim, std::optional<DType> dtype);
Tensor log_softmax(const Tensor& input, int64_t dim, std::optional<DType> dtype);
Tensor softmax_backward(const Tensor& grad_output, const Tensor& output, int64_t dim);
Tensor log_softmax_backward(const Tensor& grad_output, const Tensor& output, int64_t dim);

// A normalisation's result and the statistics saved for its backward (mean undefined for RMS).
struct NormOutput {
    Tensor out;
    Tensor mean;
    Tensor rstd;
};
// Gradients of a normalisation (grad_bias undefined for RMS).
struct NormGrads {
    Tensor grad_input;
    Tensor grad_weight;
    Tensor grad_bias;
};

// nn_norm_layer.cpp: weight/bias may be undefined tensors.
NormOutput layer_norm(const Tensor& input, const Shape& normalized_shape, const Tensor& weight, const Tensor& bias,
                      double eps);
NormGrads layer_norm_backward(const Tensor& grad_output, const Tensor& input, const Shape& normalized_shape,
                              const Tensor& mean, const Tensor& rstd, const Tensor& weight);
// eps: nullopt = machine epsilon of the computation dtype.
NormOutput rms_norm(const Tensor& input, const Shape& normalized_shape, const Tensor& weight, std::optional<double> eps);
NormGrads rms_norm_backward(const Tensor& grad_output, const Tensor& input, const Shape& normalized_shape,
                            const Tensor& rstd, const Tensor& weight);
NormOutput group_norm(const Tensor& input, int64_t num_groups, const Tensor& weight, const Tensor& bias, double eps);
NormGrads group_norm_backward(const Tensor& grad_output, const Tensor& input, int64_t num_groups, const Tensor& mean,
                              const Tensor& rstd, const Tensor& weight);

// nn_norm_batch.cpp: NormOutput's mean/rstd are save_mean/save_invstd.
NormOutput batch_norm(const Tensor& input, const Tensor& weight, const Tensor& bias, const Tensor& running_mean,
                      const Tensor& running_var, bool training, double momentum, double eps);
NormGrads batch_norm_backward(const Tensor& grad_output, const Tensor& input, const Tensor& weight,
                              const Tensor& save_mean, const Tensor& save_invstd, bool training);

// nn_norm_dropout.cpp: (output, bool mask).
std::pair<Tensor, Tensor> dropout(const Tensor& input, double p, bool training);
std::pair<Tensor, Tensor> feature_dropout(const Tensor& input, double p, bool training);
Tensor dropout_backward(const Tensor& grad_output, const Tensor& mask, double p);

// nn_norm_embedding.cpp: padding_idx nullopt = none; max_norm nullopt = no renormalisation.
Tensor embedding(const Tensor& weight, const Tensor& indices, std::optional<int64_t> padding_idx,
                 std::optional<double> max_norm, double norm_type);
Tensor embedding_backward(const Tensor& grad_output, const Tensor& indices, int64_t num_weights,
                          std::optional<int64_t> padding_idx, bool scale_grad_by_freq);

}  // namespace cmp::ops
