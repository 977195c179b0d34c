// Pooling, upsampling and grid sampling (compute/ops/nn_pool.h; see ops/nn_pool.h).
#include "abi_util.h"
#include "ops/nn_pool.h"

#include <utility>

using namespace cmp;
using namespace cmp::abi;

namespace {

// nspatial checked before it sizes any per-dim array read from the caller.
int64_t nspatial_arg(int64_t nspatial, const char* op) {
    CMP_CHECK(nspatial >= 1 && nspatial <= 3, INVALID_ARGUMENT, op, ": nspatial must be 1, 2 or 3, got ", nspatial);
    return nspatial;
}

ops::PoolArgs pool_args(const char* op, int64_t nspatial, const int64_t* kernel_size, const int64_t* stride,
                        const int64_t* padding, const int64_t* dilation, int32_t ceil_mode) {
    ops::PoolArgs a;
    a.nspatial = nspatial_arg(nspatial, op);
    a.kernel_size = array_arg(kernel_size, nspatial, op, "kernel_size");
    if (stride) a.stride = array_arg(stride, nspatial, op, "stride");
    a.padding = array_arg(padding, nspatial, op, "padding");
    if (dilation) a.dilation = array_arg(dilation, nspatial, op, "dilation");
    a.ceil_mode = ceil_mode != 0;
    return a;
}

// Ops with a result and an index tensor: both out handles are cleared first, set only on success.
template <typename Fn>
cmp_status with_indices(const char* op, cmp_tensor* out, cmp_tensor* out_indices, Fn&& fn) {
    return guard(op, [&] {
        cmp_tensor& o = out_arg(out, op, "out");
        o = nullptr;
        cmp_tensor& oi = out_arg(out_indices, op, "out_indices");
        oi = nullptr;
        std::pair<Tensor, Tensor> r = fn();
        o = to_handle(std::move(r.first));
        oi = to_handle(std::move(r.second));
    });
}

ops::InterpArgs interp_args(const char* op, int64_t nspatial, const int64_t* size, const double* scale_factor,
                            int32_t mode, int32_t align_corners, int32_t recompute_scale_factor) {
    ops::InterpArgs a;
    a.nspatial = nspatial_arg(nspatial, op);
    CMP_CHECK((size == nullptr) != (scale_factor == nullptr), INVALID_ARGUMENT, op,
              ": exactly one of size and scale_factor must be given");
    if (size) a.size = array_arg(size, nspatial, op, "size");
    if (scale_factor) a.scale_factor.assign(scale_factor, scale_factor + nspatial);
    CMP_CHECK(mode >= CMP_INTERPOLATE_NEAREST && mode <= CMP_INTERPOLATE_LINEAR, INVALID_ARGUMENT, op,
              ": mode must be a cmp_interpolate_mode value (0..2), got ", mode);
    a.mode = static_cast<ops::InterpMode>(mode);
    a.align_corners = align_corners != 0;
    a.recompute_scale_factor = recompute_scale_factor != 0;
    return a;
}

}  // namespace

extern "C" {

CMP_API cmp_status cmp_max_pool(cmp_tensor input, int64_t nspatial, const int64_t* kernel_size, const int64_t* stride,
                                const int64_t* padding, const int64_t* dilation, int32_t ceil_mode, cmp_tensor* out,
                                cmp_tensor* out_indices) {
    const char* op = "max_pool";
    return with_indices(op, out, out_indices, [&] {
        Tensor t = tensor_arg(input, op, "input");
        return ops::max_pool(t, pool_args(op, nspatial, kernel_size, stride, padding, dilation, ceil_mode));
    });
}

CMP_API cmp_status cmp_max_pool_backward(cmp_tensor grad_output, cmp_tensor input, int64_t nspatial, cmp_tensor indices,
                                         cmp_tensor* out_grad_input) {
    const char* op = "max_pool_backward";
    return guard(op, [&] {
        cmp_tensor& o = out_tensor(out_grad_input, op);
        o = to_handle(ops::max_pool_backward(tensor_arg(grad_output, op, "grad_output"), tensor_arg(input, op, "input"),
                                             nspatial, tensor_arg(indices, op, "indices")));
    });
}

CMP_API cmp_status cmp_avg_pool(cmp_tensor input, int64_t nspatial, const int64_t* kernel_size, const int64_t* stride,
                                const int64_t* padding, int32_t ceil_mode, int32_t count_include_pad,
                                int64_t divisor_override, cmp_tensor* out) {
    const char* op = "avg_pool";
    return unary(op, input, out, [&](const Tensor& t) {
        return ops::avg_pool(t, pool_args(op, nspatial, kernel_size, stride, padding, nullptr, ceil_mode),
                             count_include_pad != 0, divisor_override);
    });
}

CMP_API cmp_status cmp_avg_pool_backward(cmp_tensor grad_output, cmp_tensor input, int64_t nspatial,
                                         const int64_t* kernel_size, const int64_t* stride, const int64_t* padding,
                                         int32_t ceil_mode, int32_t count_include_pad, int64_t divisor_override,
                                         cmp_tensor* out_grad_input) {
    const char* op = "avg_pool_backward";
    return guard(op, [&] {
        cmp_tensor& o = out_tensor(out_grad_input, op);
        o = to_handle(ops::avg_pool_backward(tensor_arg(grad_output, op, "grad_output"), tensor_arg(input, op, "input"),
                                             pool_args(op, nspatial, kernel_size, stride, padding, nullptr, ceil_mode),
                                             count_include_pad != 0, divisor_override));
    });
}

CMP_API cmp_status cmp_adaptive_avg_pool(cmp_tensor input, int64_t nspatial, const int64_t* output_size,
                                         cmp_tensor* out) {
    const char* op = "adaptive_avg_pool";
    return unary(op, input, out, [&](const Tensor& t) {
        return ops::adaptive_avg_pool(t, nspatial_arg(nspatial, op), array_arg(output_size, nspatial, op, "output_size"));
    });
}

CMP_API cmp_status cmp_adaptive_avg_pool_backward(cmp_tensor grad_output, cmp_tensor input, int64_t nspatial,
                                                  cmp_tensor* out_grad_input) {
    const char* op = "adaptive_avg_pool_backward";
    return guard(op, [&] {
        cmp_tensor& o = out_tensor(out_grad_input, op);
        o = to_handle(ops::adaptive_avg_pool_backward(tensor_arg(grad_output, op, "grad_output"),
                                                      tensor_arg(input, op, "input"), nspatial));
    });
}

CMP_API cmp_status cmp_adaptive_max_pool(cmp_tensor input, int64_t nspatial, const int64_t* output_size, cmp_tensor* out,
                                         cmp_tensor* out_indices) {
    const char* op = "adaptive_max_pool";
    return with_indices(op, out, out_indices, [&] {
        Tensor t = tensor_arg(input, op, "input");
        return ops::adaptive_max_pool(t, nspatial_arg(nspatial, op), array_arg(output_size, nspatial, op, "output_size"));
    });
}

CMP_API cmp_status cmp_interpolate(cmp_tensor input, int64_t nspatial, const int64_t* size, const double* scale_factor,
                                   int32_t mode, int32_t align_corners, int32_t recompute_scale_factor, cmp_tensor* out) {
    const char* op = "interpolate";
    return unary(op, input, out, [&](const Tensor& t) {
        return ops::interpolate(t, interp_args(op, nspatial, size, scale_factor, mode, align_corners, recompute_scale_factor));
    });
}

CMP_API cmp_status cmp_interpolate_backward(cmp_tensor grad_output, const int64_t* input_size, int64_t ninput_size,
                                            const double* scale_factor, int32_t mode, int32_t align_corners,
                                            int32_t recompute_scale_factor, cmp_tensor* out_grad_input) {
    const char* op = "interpolate_backward";
    return guard(op, [&] {
        cmp_tensor& o = out_tensor(out_grad_input, op);
        Tensor g = tensor_arg(grad_output, op, "grad_output");
        CMP_CHECK(ninput_size >= 3 && ninput_size <= 5, INVALID_ARGUMENT, op,
                  ": input_size must hold 3 to 5 sizes ([N, C, *spatial]), got ", ninput_size);
        const Shape in_size = array_arg(input_size, ninput_size, op, "input_size");
        // The backward always knows the output size (grad_output's), so size is passed and
        // scale_factor only shapes the source coordinates.
        const int64_t n = ninput_size - 2;
        CMP_CHECK(g.dim() == ninput_size, SHAPE_MISMATCH, op, ": grad_output of shape ", g.sizes(),
                  " does not have the rank of input_size ", in_size);
        const Shape out_size(g.sizes().end() - n, g.sizes().end());
        ops::InterpArgs a = interp_args(op, n, out_size.data(), nullptr, mode, align_corners, recompute_scale_factor);
        if (scale_factor) a.scale_factor.assign(scale_factor, scale_factor + n);
        o = to_handle(ops::interpolate_backward(g, in_size, a));
    });
}

CMP_API cmp_status cmp_grid_sample(cmp_tensor input, cmp_tensor grid, int32_t mode, int32_t padding_mode,
                                   int32_t align_corners, cmp_tensor* out) {
    return binary("grid_sample", input, grid, out, [&](const Tensor& a, const Tensor& g) {
        return ops::grid_sample(a, g, mode, padding_mode, align_corners != 0);
    });
}

CMP_API cmp_status cmp_grid_sample_backward(cmp_tensor grad_output, cmp_tensor input, cmp_tensor grid, int32_t mode,
                                            int32_t padding_mode, int32_t align_corners, cmp_tensor* out_grad_input,
                                            cmp_tensor* out_grad_grid) {
    const char* op = "grid_sample_backward";
    return guard(op, [&] {
        cmp_tensor& gi = out_arg(out_grad_input, op, "out_grad_input");
        gi = nullptr;
        cmp_tensor& gg = out_arg(out_grad_grid, op, "out_grad_grid");
        gg = nullptr;
        std::pair<Tensor, Tensor> r =
            ops::grid_sample_backward(tensor_arg(grad_output, op, "grad_output"), tensor_arg(input, op, "input"),
                                      tensor_arg(grid, op, "grid"), mode, padding_mode, align_corners != 0);
        gi = to_handle(std::move(r.first));
        gg = to_handle(std::move(r.second));
    });
}

}  // extern "C"
