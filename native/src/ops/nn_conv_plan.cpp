// Checks of the convolution front-ends and the geometry they hand to the engine. Messages name
// the op (conv2d, conv_transpose1d ...), the argument and the shapes involved.
#include "ops/nn_conv_plan.h"

namespace cmp::ops::conv_plan {
namespace {

void check_values(const std::string& op, const char* arg, const Shape& v, int64_t nspatial, int64_t min) {
    CMP_CHECK(static_cast<int64_t>(v.size()) == nspatial, INVALID_ARGUMENT, op, ": expected ", arg, " to have ",
              nspatial, " values, but got ", v);
    for (int64_t x : v) {
        if (min == 0) {
            CMP_CHECK(x >= 0, INVALID_ARGUMENT, op, ": negative ", arg, " is not supported, got ", arg, "=", v);
        } else {
            CMP_CHECK(x >= min, INVALID_ARGUMENT, op, ": expected ", arg, " to be positive, but got ", arg, "=", v);
        }
    }
}

Shape tail(const Tensor& t, int64_t from) { return Shape(t.sizes().begin() + from, t.sizes().end()); }

}  // namespace

std::string op_name(const char* base, int64_t nspatial) {
    CMP_CHECK(nspatial >= 1 && nspatial <= 3, INVALID_ARGUMENT, base,
              ": the number of spatial dims must be 1, 2 or 3, but got ", nspatial);
    return str(base, nspatial, "d");
}

Plan make_plan(const char* base, const Tensor& input, const Tensor& weight, int64_t nspatial, const ConvArgs& args,
               bool transposed) {
    Plan plan;
    plan.op = op_name(base, nspatial);
    plan.transposed = transposed;
    const std::string& op = plan.op;
    const int64_t nd = nspatial;

    CMP_CHECK(weight.dim() == nd + 2, SHAPE_MISMATCH, op, ": expected ", nd + 2, "-D weight ([",
              transposed ? "in_channels, out_channels / groups" : "out_channels, in_channels / groups",
              ", *kernel_size]), but got weight of shape ", weight.sizes());
    CMP_CHECK(input.dim() == nd + 1 || input.dim() == nd + 2, SHAPE_MISMATCH, op, ": expected ", nd + 1,
              "-D (unbatched) or ", nd + 2, "-D (batched) input, but got input of shape ", input.sizes());
    CMP_CHECK(input.device() == weight.device(), DEVICE_ERROR, op, ": expected input and weight on one device, but got ",
              input.device().str(), " and ", weight.device().str());
    require_available(input.device(), op.c_str());
    // PyTorch's CPU convolves integer tensors too (wrapping around on overflow), but not bool.
    CMP_CHECK(input.dtype() != CMP_DTYPE_BOOL, DTYPE_MISMATCH, op, ": not defined for dtype bool (input of shape ",
              input.sizes(), ")");
    CMP_CHECK(input.dtype() == weight.dtype(), DTYPE_MISMATCH, op,
              ": expected input and weight to have the same dtype, but got input ", dtype_name(input.dtype()),
              " and weight ", dtype_name(weight.dtype()));
    plan.dtype = input.dtype();
    plan.device = input.device();
    // The CUDA passes run their products through cuBLAS, which has no integer GEMM.
    CMP_CHECK(plan.device.is_cpu() || is_floating(plan.dtype), DTYPE_MISMATCH, op, ": not implemented on CUDA for dtype ",
              dtype_name(plan.dtype), " (CUDA convolutions take float32, float64, float16 and bfloat16; convert the ",
              "operands first)");
    const bool half = plan.dtype == CMP_DTYPE_FLOAT16 || plan.dtype == CMP_DTYPE_BFLOAT16;
    plan.compute = half ? CMP_DTYPE_FLOAT32 : plan.dtype;

    check_values(op, "stride", args.stride, nd, 1);
    check_values(op, "dilation", args.dilation, nd, 1);
    const bool explicit_pad = transposed || args.padding_mode == ConvPadding::Explicit;
    if (explicit_pad) check_values(op, "padding", args.padding, nd, 0);
    if (transposed) check_values(op, "output_padding", args.output_padding, nd, 0);
    CMP_CHECK(args.groups > 0, INVALID_ARGUMENT, op, ": expected groups to be positive, but got groups=", args.groups);
    const int64_t g = args.groups;

    plan.batched = input.dim() == nd + 2;
    const Tensor x = plan.batched ? input : unsqueeze(input, 0);
    const int64_t channels = x.size(1);
    const int64_t w0 = weight.size(0), w1 = weight.size(1);
    CMP_CHECK(w0 % g == 0, SHAPE_MISMATCH, op, ": groups=", g, " must divide weight's size at dim 0, but got weight of shape ",
              weight.sizes());
    const int64_t expected_in = transposed ? w0 : w1 * g;
    CMP_CHECK(channels == expected_in, SHAPE_MISMATCH, op, ": given groups=", g, " and weight of shape ", weight.sizes(),
              ", expected input of shape ", input.sizes(), " to have ", expected_in, " channels, but got ", channels,
              " channels");

    auto& p = plan.prob;
    p.batch = x.size(0);
    p.groups = g;
    p.image_channels = transposed ? w1 * g : channels;
    p.out_channels = transposed ? channels : w0;
    auto& geo = p.geom;
    const int64_t lead = 3 - nd;  // dims of size 1 that make every convolution 3-d
    Shape image(nd), out(nd);
    for (int64_t i = 0; i < 3; ++i) {
        geo.image[i] = geo.out[i] = geo.kernel[i] = geo.stride[i] = geo.dilation[i] = 1;
        geo.pad[i] = 0;
    }
    const Shape in_sizes = tail(x, 2), kernel = tail(weight, 2);
    for (int64_t i = 0; i < nd; ++i) {
        const int64_t s = args.stride[i], dil = args.dilation[i], k = kernel[i], span = dil * (k - 1) + 1;
        int64_t lo = 0, hi = 0;
        if (transposed || args.padding_mode == ConvPadding::Explicit) {
            lo = hi = args.padding[i];
        } else if (args.padding_mode == ConvPadding::Same) {
            CMP_CHECK(s == 1, INVALID_ARGUMENT, op, ": padding='same' is not supported for strided convolutions (stride=",
                      args.stride, ")");
            // The odd zero of an even span goes at the high end, as PyTorch pads it.
            lo = (span - 1) / 2;
            hi = span - 1 - lo;
        }
        if (transposed) {
            const int64_t op_pad = args.output_padding[i];
            CMP_CHECK(op_pad < s || op_pad < dil, INVALID_ARGUMENT, op,
                      ": output_padding must be smaller than either stride or dilation, but got output_padding=",
                      args.output_padding, ", stride=", args.stride, ", dilation=", args.dilation);
            out[i] = in_sizes[i];
            image[i] = (in_sizes[i] - 1) * s - 2 * lo + span + op_pad;
            CMP_CHECK(image[i] > 0, SHAPE_MISMATCH, op, ": input of shape ", input.sizes(), " with weight of shape ",
                      weight.sizes(), ", stride=", args.stride, ", padding=", args.padding, ", dilation=",
                      args.dilation, " gives a non-positive output size in dim ", i);
        } else {
            const int64_t padded = in_sizes[i] + lo + hi;
            CMP_CHECK(padded >= span, SHAPE_MISMATCH, op, ": the (dilated) kernel is larger than the padded input: ",
                      "input of shape ", input.sizes(), " padded to ", padded, " in spatial dim ", i,
                      ", but weight of shape ", weight.sizes(), " with dilation=", args.dilation, " spans ", span);
            image[i] = in_sizes[i];
            out[i] = (padded - span) / s + 1;
        }
        geo.image[lead + i] = image[i];
        geo.out[lead + i] = out[i];
        geo.kernel[lead + i] = k;
        geo.stride[lead + i] = s;
        geo.dilation[lead + i] = dil;
        geo.pad[lead + i] = lo;
    }
    plan.image_shape = {p.batch, p.image_channels};
    plan.image_shape.insert(plan.image_shape.end(), image.begin(), image.end());
    plan.out_shape = {p.batch, p.out_channels};
    plan.out_shape.insert(plan.out_shape.end(), out.begin(), out.end());
    return plan;
}

void check_bias(const Plan& plan, const Tensor& bias, int64_t channels) {
    if (!bias.defined()) return;
    CMP_CHECK(bias.dim() == 1 && bias.size(0) == channels, SHAPE_MISMATCH, plan.op, ": expected bias of shape [",
              channels, "], but got bias of shape ", bias.sizes());
    CMP_CHECK(bias.dtype() == plan.dtype, DTYPE_MISMATCH, plan.op, ": expected bias to have the input's dtype ",
              dtype_name(plan.dtype), ", but got ", dtype_name(bias.dtype()));
    CMP_CHECK(bias.device() == plan.device, DEVICE_ERROR, plan.op, ": expected bias on ", plan.device.str(),
              " (the input's device), but got ", bias.device().str());
}

Shape user_shape(const Plan& plan, const Shape& batched) {
    return plan.batched ? batched : Shape(batched.begin() + 1, batched.end());
}

Tensor prepare(const Plan& plan, const Tensor& t, const Shape& batched) {
    return view(contiguous(to_dtype(t, plan.compute)), batched);
}

Tensor finish(const Plan& plan, const Tensor& t, const Shape& user) { return view(to_dtype(t, plan.dtype), user); }

}  // namespace cmp::ops::conv_plan
