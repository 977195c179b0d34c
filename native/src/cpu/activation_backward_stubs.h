// The fused derivatives of the pointwise activations (ops/activation_backward.cpp): one pass
// grad_input = grad_output * f'(x) where autograd's composition of the same formula out of
// tensor ops would make one pass and one allocation per op (ten for the exact GELU). The
// formulas are PyTorch's *_backward kernels; the managed autograd keeps the composition for a
// backward that is itself recorded (double backward), so the two must agree.
#pragma once

#include "core/iterator.h"
#include "cpu/activation_backward_math.h"
#include "cpu/dispatch_stub.h"

namespace cmp::cpu {

// The op table (CMP_ACTIVATION_BACKWARD_OPS, ActivationBackwardOp), the parameters and the
// per-element formulas are in cpu/activation_backward_math.h, shared with the CUDA backend.

// Operands: out (grad_input), grad_output, x (or y for the OfResult ops), all of one floating
// dtype (float16/bfloat16 computed in float32).
CMP_DECLARE_STUB(activation_backward_stub, void (*)(TensorIterator&, ActivationBackwardOp, const ActivationBackwardParams&));

}  // namespace cmp::cpu
