// Fused optimizer steps (issue 5): one in-place update of a parameter and its state buffers per
// call. The managed optimizers keep the state and the step counts; these only do the arithmetic.
#pragma once

#include "core/tensor.h"
#include "cpu/optim_stubs.h"

#include <cstdint>

namespace cmp::ops {

// momentum_buffer undefined when momentum == 0.
void sgd_step(const Tensor& param, const Tensor& grad, const Tensor& momentum_buffer, const cpu::SgdArgs& args);
// max_exp_avg_sq undefined unless amsgrad; step >= 1 is the step count after this step.
void adam_step(const Tensor& param, const Tensor& grad, const Tensor& exp_avg, const Tensor& exp_avg_sq,
               const Tensor& max_exp_avg_sq, int64_t step, double lr, double beta1, double beta2, double eps,
               double weight_decay, bool decoupled, bool maximize);
// grad_avg undefined unless centered; momentum_buffer undefined unless momentum > 0.
void rmsprop_step(const Tensor& param, const Tensor& grad, const Tensor& square_avg, const Tensor& grad_avg,
                  const Tensor& momentum_buffer, const cpu::RmspropArgs& args);
// step >= 1 is the step count after this step.
void adagrad_step(const Tensor& param, const Tensor& grad, const Tensor& state_sum, int64_t step, double lr, double lr_decay,
                  double weight_decay, double eps, bool maximize);

}  // namespace cmp::ops
