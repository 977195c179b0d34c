// extern "C" functions of the fused activation derivatives (compute/ops/pointwise_unary.h):
// cmp_<name>_backward for each op of cpu/activation_backward_stubs.h.
#include "abi_util.h"
#include "ops/activation_backward.h"

using namespace cmp;
using namespace cmp::abi;
using cpu::ActivationBackwardOp;

namespace {

// second is "self" (the forward's input) or "output" (its result), as the C function names it.
Tensor run(const char* op, ActivationBackwardOp kind, cmp_tensor grad_output, cmp_tensor x, const char* second,
           const cpu::ActivationBackwardParams& p = {}) {
    return ops::activation_backward(op, kind, tensor_arg(grad_output, op, "grad_output"), tensor_arg(x, op, second), p);
}

cmp_status backward(const char* op, ActivationBackwardOp kind, cmp_tensor grad_output, cmp_tensor x, const char* second,
                    cmp_tensor* out, const cpu::ActivationBackwardParams& p = {}) noexcept {
    return guard(op, [&] {
        cmp_tensor& o = out_tensor(out, op);
        o = to_handle(run(op, kind, grad_output, x, second, p));
    });
}

}  // namespace

extern "C" {

CMP_API cmp_status cmp_gelu_backward(cmp_tensor grad_output, cmp_tensor self, int32_t tanh_approximation, cmp_tensor* out) {
    const char* op = "gelu_backward";
    return guard(op, [&] {
        CMP_CHECK(tanh_approximation == 0 || tanh_approximation == 1, INVALID_ARGUMENT, op,
                  ": argument 'tanh_approximation' must be 0 ('none') or 1 ('tanh'), got ", tanh_approximation);
        cmp_tensor& o = out_tensor(out, op);
        o = to_handle(run(op, tanh_approximation ? ActivationBackwardOp::GeluTanh : ActivationBackwardOp::Gelu, grad_output,
                          self, "self"));
    });
}

CMP_API cmp_status cmp_silu_backward(cmp_tensor grad_output, cmp_tensor self, cmp_tensor* out) {
    return backward("silu_backward", ActivationBackwardOp::Silu, grad_output, self, "self", out);
}

CMP_API cmp_status cmp_mish_backward(cmp_tensor grad_output, cmp_tensor self, cmp_tensor* out) {
    return backward("mish_backward", ActivationBackwardOp::Mish, grad_output, self, "self", out);
}

CMP_API cmp_status cmp_softplus_backward(cmp_tensor grad_output, cmp_tensor self, double beta, double threshold,
                                         cmp_tensor* out) {
    return backward("softplus_backward", ActivationBackwardOp::Softplus, grad_output, self, "self", out, {beta, threshold});
}

CMP_API cmp_status cmp_elu_backward(cmp_tensor grad_output, cmp_tensor self, double alpha, double scale, double input_scale,
                                    cmp_tensor* out) {
    return backward("elu_backward", ActivationBackwardOp::Elu, grad_output, self, "self", out, {alpha, scale, input_scale});
}

CMP_API cmp_status cmp_hardswish_backward(cmp_tensor grad_output, cmp_tensor self, cmp_tensor* out) {
    return backward("hardswish_backward", ActivationBackwardOp::Hardswish, grad_output, self, "self", out);
}

CMP_API cmp_status cmp_hardsigmoid_backward(cmp_tensor grad_output, cmp_tensor self, cmp_tensor* out) {
    return backward("hardsigmoid_backward", ActivationBackwardOp::Hardsigmoid, grad_output, self, "self", out);
}

CMP_API cmp_status cmp_logsigmoid_backward(cmp_tensor grad_output, cmp_tensor self, cmp_tensor* out) {
    return backward("logsigmoid_backward", ActivationBackwardOp::Logsigmoid, grad_output, self, "self", out);
}

CMP_API cmp_status cmp_leaky_relu_backward(cmp_tensor grad_output, cmp_tensor self, double negative_slope, cmp_tensor* out) {
    return backward("leaky_relu_backward", ActivationBackwardOp::LeakyRelu, grad_output, self, "self", out, {negative_slope});
}

CMP_API cmp_status cmp_hardtanh_backward(cmp_tensor grad_output, cmp_tensor self, double min_val, double max_val,
                                         cmp_tensor* out) {
    return backward("hardtanh_backward", ActivationBackwardOp::Hardtanh, grad_output, self, "self", out, {min_val, max_val});
}

CMP_API cmp_status cmp_sigmoid_backward(cmp_tensor grad_output, cmp_tensor output, cmp_tensor* out) {
    return backward("sigmoid_backward", ActivationBackwardOp::Sigmoid, grad_output, output, "output", out);
}

CMP_API cmp_status cmp_tanh_backward(cmp_tensor grad_output, cmp_tensor output, cmp_tensor* out) {
    return backward("tanh_backward", ActivationBackwardOp::Tanh, grad_output, output, "output", out);
}

}  // extern "C"
