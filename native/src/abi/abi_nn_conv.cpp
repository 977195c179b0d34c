// Convolutions: conv, conv_transpose, their backward kernels, unfold and fold.
#include "abi_util.h"
#include "ops/nn_conv.h"

#include <cstring>

using namespace cmp;
using namespace cmp::abi;

namespace {

// nspatial picks conv1d/2d/3d; it is checked before it sizes any array read.
int64_t nspatial_arg(int64_t nspatial, const char* op) {
    CMP_CHECK(nspatial >= 1 && nspatial <= 3, INVALID_ARGUMENT, op,
              ": the number of spatial dims (nspatial) must be 1, 2 or 3, but got ", nspatial);
    return nspatial;
}

// An optional tensor: NULL means none.
Tensor optional_tensor(cmp_tensor handle, const char* op, const char* arg) {
    return handle ? tensor_arg(handle, op, arg) : Tensor();
}

ops::ConvPadding padding_mode_arg(int32_t mode, const char* op) {
    CMP_CHECK(mode >= CMP_CONV_PADDING_EXPLICIT && mode <= CMP_CONV_PADDING_SAME, INVALID_ARGUMENT, op,
              ": invalid padding_mode ", mode, " (expected a cmp_conv_padding value)");
    return static_cast<ops::ConvPadding>(mode);
}

ops::ConvGradMask mask_arg(int32_t mask, const char* op) {
    constexpr int32_t all = CMP_CONV_GRAD_INPUT | CMP_CONV_GRAD_WEIGHT | CMP_CONV_GRAD_BIAS;
    CMP_CHECK((mask & ~all) == 0, INVALID_ARGUMENT, op, ": invalid output_mask ", mask,
              " (expected an OR of cmp_conv_grad bits)");
    return {(mask & CMP_CONV_GRAD_INPUT) != 0, (mask & CMP_CONV_GRAD_WEIGHT) != 0, (mask & CMP_CONV_GRAD_BIAS) != 0};
}

ops::ConvArgs conv_args(const char* op, int64_t nspatial, const int64_t* stride, const int64_t* padding,
                        ops::ConvPadding mode, const int64_t* dilation, int64_t groups) {
    ops::ConvArgs a;
    a.stride = array_arg(stride, nspatial, op, "stride");
    a.padding_mode = mode;
    if (mode == ops::ConvPadding::Explicit) a.padding = array_arg(padding, nspatial, op, "padding");
    a.dilation = array_arg(dilation, nspatial, op, "dilation");
    a.groups = groups;
    return a;
}

ops::ConvArgs transpose_args(const char* op, int64_t nspatial, const int64_t* stride, const int64_t* padding,
                             const int64_t* output_padding, int64_t groups, const int64_t* dilation) {
    ops::ConvArgs a = conv_args(op, nspatial, stride, padding, ops::ConvPadding::Explicit, dilation, groups);
    a.output_padding = array_arg(output_padding, nspatial, op, "output_padding");
    return a;
}

// Hands the requested gradients to the caller; the others come back NULL.
void set_grads(const ops::ConvGrads& g, cmp_tensor& gi, cmp_tensor& gw, cmp_tensor& gb) {
    if (g.input.defined()) gi = to_handle(g.input);
    if (g.weight.defined()) gw = to_handle(g.weight);
    if (g.bias.defined()) gb = to_handle(g.bias);
}

// The three out pointers, cleared first so a failing call never leaves garbage in them.
struct GradOuts {
    cmp_tensor& input;
    cmp_tensor& weight;
    cmp_tensor& bias;
};

GradOuts grad_outs(const char* op, cmp_tensor* gi, cmp_tensor* gw, cmp_tensor* gb) {
    GradOuts o{out_arg(gi, op, "out_grad_input"), out_arg(gw, op, "out_grad_weight"), out_arg(gb, op, "out_grad_bias")};
    o.input = o.weight = o.bias = nullptr;
    return o;
}

}  // namespace

extern "C" {

CMP_API cmp_status cmp_conv(cmp_tensor input, cmp_tensor weight, cmp_tensor bias, int64_t nspatial,
                            const int64_t* stride, const int64_t* padding, int32_t padding_mode,
                            const int64_t* dilation, int64_t groups, cmp_tensor* out) {
    return guard("conv", [&] {
        cmp_tensor& o = out_tensor(out, "conv");
        const int64_t nd = nspatial_arg(nspatial, "conv");
        Tensor x = tensor_arg(input, "conv", "input");
        Tensor w = tensor_arg(weight, "conv", "weight");
        Tensor b = optional_tensor(bias, "conv", "bias");
        const auto args = conv_args("conv", nd, stride, padding, padding_mode_arg(padding_mode, "conv"), dilation, groups);
        o = to_handle(ops::conv(x, w, b, nd, args));
    });
}

CMP_API cmp_status cmp_conv_backward(cmp_tensor grad_output, cmp_tensor input, cmp_tensor weight, int64_t nspatial,
                                     const int64_t* stride, const int64_t* padding, int32_t padding_mode,
                                     const int64_t* dilation, int64_t groups, int32_t output_mask,
                                     cmp_tensor* out_grad_input, cmp_tensor* out_grad_weight,
                                     cmp_tensor* out_grad_bias) {
    constexpr const char* op = "conv_backward";
    return guard(op, [&] {
        GradOuts o = grad_outs(op, out_grad_input, out_grad_weight, out_grad_bias);
        const int64_t nd = nspatial_arg(nspatial, op);
        Tensor gy = tensor_arg(grad_output, op, "grad_output");
        Tensor x = tensor_arg(input, op, "input");
        Tensor w = tensor_arg(weight, op, "weight");
        const auto args = conv_args(op, nd, stride, padding, padding_mode_arg(padding_mode, op), dilation, groups);
        set_grads(ops::conv_backward(gy, x, w, nd, args, mask_arg(output_mask, op)), o.input, o.weight, o.bias);
    });
}

CMP_API cmp_status cmp_conv_transpose(cmp_tensor input, cmp_tensor weight, cmp_tensor bias, int64_t nspatial,
                                      const int64_t* stride, const int64_t* padding, const int64_t* output_padding,
                                      int64_t groups, const int64_t* dilation, cmp_tensor* out) {
    constexpr const char* op = "conv_transpose";
    return guard(op, [&] {
        cmp_tensor& o = out_tensor(out, op);
        const int64_t nd = nspatial_arg(nspatial, op);
        Tensor x = tensor_arg(input, op, "input");
        Tensor w = tensor_arg(weight, op, "weight");
        Tensor b = optional_tensor(bias, op, "bias");
        const auto args = transpose_args(op, nd, stride, padding, output_padding, groups, dilation);
        o = to_handle(ops::conv_transpose(x, w, b, nd, args));
    });
}

CMP_API cmp_status cmp_conv_transpose_backward(cmp_tensor grad_output, cmp_tensor input, cmp_tensor weight,
                                               int64_t nspatial, const int64_t* stride, const int64_t* padding,
                                               const int64_t* output_padding, int64_t groups,
                                               const int64_t* dilation, int32_t output_mask,
                                               cmp_tensor* out_grad_input, cmp_tensor* out_grad_weight,
                                               cmp_tensor* out_grad_bias) {
    constexpr const char* op = "conv_transpose_backward";
    return guard(op, [&] {
        GradOuts o = grad_outs(op, out_grad_input, out_grad_weight, out_grad_bias);
        const int64_t nd = nspatial_arg(nspatial, op);
        Tensor gy = tensor_arg(grad_output, op, "grad_output");
        Tensor x = tensor_arg(input, op, "input");
        Tensor w = tensor_arg(weight, op, "weight");
        const auto args = transpose_args(op, nd, stride, padding, output_padding, groups, dilation);
        set_grads(ops::conv_transpose_backward(gy, x, w, nd, args, mask_arg(output_mask, op)), o.input, o.weight,
                  o.bias);
    });
}

CMP_API cmp_status cmp_unfold(cmp_tensor input, const int64_t* kernel_size, const int64_t* dilation,
                              const int64_t* padding, const int64_t* stride, cmp_tensor* out) {
    return guard("unfold", [&] {
        cmp_tensor& o = out_tensor(out, "unfold");
        Tensor x = tensor_arg(input, "unfold", "input");
        o = to_handle(ops::unfold(x, array_arg(kernel_size, 2, "unfold", "kernel_size"),
                                  array_arg(dilation, 2, "unfold", "dilation"), array_arg(padding, 2, "unfold", "padding"),
                                  array_arg(stride, 2, "unfold", "stride")));
    });
}

CMP_API cmp_status cmp_fold(cmp_tensor input, const int64_t* output_size, const int64_t* kernel_size,
                            const int64_t* dilation, const int64_t* padding, const int64_t* stride, cmp_tensor* out) {
    return guard("fold", [&] {
        cmp_tensor& o = out_tensor(out, "fold");
        Tensor x = tensor_arg(input, "fold", "input");
        o = to_handle(ops::fold(x, array_arg(output_size, 2, "fold", "output_size"),
                                array_arg(kernel_size, 2, "fold", "kernel_size"), array_arg(dilation, 2, "fold", "dilation"),
                                array_arg(padding, 2, "fold", "padding"), array_arg(stride, 2, "fold", "stride")));
    });
}

}  // extern "C"
