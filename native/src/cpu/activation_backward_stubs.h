// The fused derivatives of the pointwise activations (ops/activation_backward.cpp): one pass
// grad_input = grad_output * f'(x) where autograd's composition of the same formula out of
// tensor ops would make one pass and one allocation per op (ten for the exact GELU). The
// formulas are PyTorch's *_backward kernels; the managed autograd keeps the composition for a
// backward that is itself recorded (double backward), so the two must agree.
#pragma once

#include "core/iterator.h"
#include "cpu/dispatch_stub.h"

namespace cmp::cpu {

// X(Name, name, OfResult): cmp_<name>_backward is the C function; OfResult 1 means the second
// operand is the forward's result y (sigmoid, tanh: their derivative is cheapest from y), 0
// that it is the forward's input x.
#define CMP_ACTIVATION_BACKWARD_OPS(X) \
    X(Gelu, gelu, 0)                   \
    X(GeluTanh, gelu, 0)               \
    X(Silu, silu, 0)                   \
    X(Mish, mish, 0)                   \
    X(Softplus, softplus, 0)           \
    X(Elu, elu, 0)                     \
    X(Hardswish, hardswish, 0)         \
    X(Hardsigmoid, hardsigmoid, 0)     \
    X(Logsigmoid, logsigmoid, 0)       \
    X(LeakyRelu, leaky_relu, 0)        \
    X(Hardtanh, hardtanh, 0)           \
    X(Sigmoid, sigmoid, 1)             \
    X(Tanh, tanh, 1)

enum class ActivationBackwardOp {
#define CMP_ACTIVATION_BACKWARD_ENUM(Name, name, of_result) Name,
    CMP_ACTIVATION_BACKWARD_OPS(CMP_ACTIVATION_BACKWARD_ENUM)
#undef CMP_ACTIVATION_BACKWARD_ENUM
};

// The parameters of an op, by position: softplus (a = beta, b = threshold); elu (a = alpha,
// b = scale, c = input_scale: PyTorch's one form behind elu, selu and celu); leaky_relu
// (a = negative_slope); hardtanh (a = min_val, b = max_val). The others read none.
struct ActivationBackwardParams {
    double a = 0.0;
    double b = 0.0;
    double c = 0.0;
};

// Operands: out (grad_input), grad_output, x (or y for the OfResult ops), all of one floating
// dtype (float16/bfloat16 computed in float32).
CMP_DECLARE_STUB(activation_backward_stub, void (*)(TensorIterator&, ActivationBackwardOp, const ActivationBackwardParams&));

}  // namespace cmp::cpu
