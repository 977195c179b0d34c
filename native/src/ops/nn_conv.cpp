// Front-ends of conv1d/2d/3d, conv_transpose1d/2d/3d and their gradients. Each checks its
// arguments through a Plan (nn_conv_plan.cpp) and runs the engine's passes:
//   conv forward            = engine forward
//   conv grad input         = engine backward_image   (col2im of weight^T x grad)
//   conv grad weight        = engine backward_weight  (grad x im2col^T)
//   conv_transpose forward  = engine backward_image, its bias on the image side
//   conv_transpose grad in  = engine forward on grad_output
//   conv_transpose grad w   = engine backward_weight with the roles of input and grad swapped
// A transposed convolution is the gradient of a convolution, so it needs no code of its own.
#include "ops/nn_conv.h"

#include "ops/nn_conv_plan.h"

namespace cmp::ops {
namespace {

using conv_plan::Plan;

void check_grad_output(const Plan& plan, const Tensor& grad_output, const Shape& expected_batched) {
    const Shape expected = conv_plan::user_shape(plan, expected_batched);
    const std::string op = plan.op + "_backward";
    CMP_CHECK(grad_output.sizes() == expected, SHAPE_MISMATCH, op, ": expected grad_output of shape ", expected,
              ", but got ", grad_output.sizes());
    CMP_CHECK(grad_output.dtype() == plan.dtype, DTYPE_MISMATCH, op, ": expected grad_output of dtype ",
              dtype_name(plan.dtype), ", but got ", dtype_name(grad_output.dtype()));
    CMP_CHECK(grad_output.device() == plan.device, DEVICE_ERROR, op, ": expected grad_output on ", plan.device.str(),
              " (the input's device), but got ", grad_output.device().str());
}

// The bias gradient: grad summed over every dim but the channel (dim 1 of the batched view).
Tensor bias_grad(const Plan& plan, const Tensor& grad_batched) {
    int64_t plane = 1;
    for (int64_t i = 2; i < grad_batched.dim(); ++i) plane *= grad_batched.size(i);
    const Tensor flat = view(grad_batched, {grad_batched.size(0), grad_batched.size(1), plane});
    const Tensor s = sum(flat, {0, 2}, false);
    return to_dtype(s, plan.dtype);
}

// The gradients shared by both directions. `image`/`grad_image` and `out side` are the
// engine's; for a convolution the input is the image, for a transposed one the output is.
ConvGrads backward(const Plan& plan, const Tensor& grad_output, const Tensor& input, const Tensor& weight,
                   ConvGradMask mask) {
    const Shape& in_batched = plan.transposed ? plan.out_shape : plan.image_shape;
    const Shape& grad_batched = plan.transposed ? plan.image_shape : plan.out_shape;
    check_grad_output(plan, grad_output, grad_batched);
    CMP_CHECK(is_floating(plan.dtype), DTYPE_MISMATCH, plan.op, "_backward: gradients need a floating-point dtype, ",
              "but got ", dtype_name(plan.dtype), " (input of shape ", input.sizes(), ")");
    const Tensor gy = conv_plan::prepare(plan, grad_output, grad_batched);
    const Tensor x = conv_plan::prepare(plan, input, in_batched);
    const Tensor w = conv_plan::prepare(plan, weight, weight.sizes());
    ConvGrads grads;
    if (mask.input) {
        Tensor gx = Tensor::empty(in_batched, plan.compute, plan.device);
        if (plan.transposed) conv_engine::forward(plan.prob, gy, w, Tensor(), gx);
        else conv_engine::backward_image(plan.prob, gy, w, Tensor(), gx);
        grads.input = conv_plan::finish(plan, gx, input.sizes());
    }
    if (mask.weight) {
        Tensor gw = Tensor::empty(weight.sizes(), plan.compute, plan.device);
        if (plan.transposed) conv_engine::backward_weight(plan.prob, gy, x, gw);
        else conv_engine::backward_weight(plan.prob, x, gy, gw);
        grads.weight = conv_plan::finish(plan, gw, weight.sizes());
    }
    if (mask.bias) grads.bias = bias_grad(plan, gy);
    return grads;
}

}  // namespace

Tensor conv(const Tensor& input, const Tensor& weight, const Tensor& bias, int64_t nspatial, const ConvArgs& args) {
    const Plan plan = conv_plan::make_plan("conv", input, weight, nspatial, args, false);
    conv_plan::check_bias(plan, bias, plan.prob.out_channels);
    const Tensor x = conv_plan::prepare(plan, input, plan.image_shape);
    const Tensor w = conv_plan::prepare(plan, weight, weight.sizes());
    const Tensor b = bias.defined() ? conv_plan::prepare(plan, bias, bias.sizes()) : Tensor();
    Tensor out = Tensor::empty(plan.out_shape, plan.compute, plan.device);
    conv_engine::forward(plan.prob, x, w, b, out);
    return conv_plan::finish(plan, out, conv_plan::user_shape(plan, plan.out_shape));
}

ConvGrads conv_backward(const Tensor& grad_output, const Tensor& input, const Tensor& weight, int64_t nspatial,
                        const ConvArgs& args, ConvGradMask mask) {
    const Plan plan = conv_plan::make_plan("conv", input, weight, nspatial, args, false);
    return backward(plan, grad_output, input, weight, mask);
}

Tensor conv_transpose(const Tensor& input, const Tensor& weight, const Tensor& bias, int64_t nspatial,
                      const ConvArgs& args) {
    const Plan plan = conv_plan::make_plan("conv_transpose", input, weight, nspatial, args, true);
    conv_plan::check_bias(plan, bias, plan.prob.image_channels);
    const Tensor x = conv_plan::prepare(plan, input, plan.out_shape);
    const Tensor w = conv_plan::prepare(plan, weight, weight.sizes());
    const Tensor b = bias.defined() ? conv_plan::prepare(plan, bias, bias.sizes()) : Tensor();
    Tensor out = Tensor::empty(plan.image_shape, plan.compute, plan.device);
    conv_engine::backward_image(plan.prob, x, w, b, out);
    return conv_plan::finish(plan, out, conv_plan::user_shape(plan, plan.image_shape));
}

ConvGrads conv_transpose_backward(const Tensor& grad_output, const Tensor& input, const Tensor& weight,
                                  int64_t nspatial, const ConvArgs& args, ConvGradMask mask) {
    const Plan plan = conv_plan::make_plan("conv_transpose", input, weight, nspatial, args, true);
    return backward(plan, grad_output, input, weight, mask);
}

}  // namespace cmp::ops
