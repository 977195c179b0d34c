// The fused activation derivatives (cpu/activation_backward_stubs.h), internal API.
#pragma once

#include "core/tensor.h"
#include "cpu/activation_backward_stubs.h"

namespace cmp::ops {

// grad_input = grad_output * f'(x) for the activation op (x is the forward's result y for the
// ops the table marks OfResult). grad_output and x must have one shape and one floating dtype;
// name is the op's name for messages ("gelu_backward").
Tensor activation_backward(const char* name, cpu::ActivationBackwardOp op, const Tensor& grad_output, const Tensor& x,
                           const cpu::ActivationBackwardParams& p = {});

}  // namespace cmp::ops
