// Front-end of interpolate (F.interpolate: nearest, nearest-exact, linear/bilinear/trilinear)
// and its backward. PyTorch's coordinate rules are reproduced step by step, including the
// precision each step is computed in (the nearest modes use a float32 scale whatever the
// dtype; linear uses the input's compute dtype), because they decide which source pixel is hit.
// CUDA tensors take the same checks, conversions and taps (computed here, on the host), then
// the device pass (ops/cuda_interp.cpp, cuda/interp_taps.h), which gives the CPU's values.
#include "ops/nn_pool.h"
#include "ops/nn_pool_util.h"

#include "core/device.h"
#include "cpu/nn_pool_stubs.h"
#include "ops/cuda_ops.h"

#include <cmath>

namespace cmp::cpu {
CMP_DEFINE_STUB(interpolate_stub);
CMP_DEFINE_STUB(interpolate_backward_stub);
}  // namespace cmp::cpu

namespace cmp::ops {

using namespace pool_util;

namespace {

// 1 / scale_factor when one was given (and not recomputed), else in / out.
template <typename T>
T coordinate_scale(int64_t in, int64_t out, const std::optional<double>& scale) {
    return scale && *scale > 0 ? static_cast<T>(1.0 / *scale) : static_cast<T>(in) / static_cast<T>(out);
}

std::vector<cpu::InterpTap> nearest_taps(int64_t in, int64_t out, const std::optional<double>& scale, bool exact) {
    std::vector<cpu::InterpTap> taps(static_cast<size_t>(out));
    const float s = coordinate_scale<float>(in, out, scale);
    for (int64_t o = 0; o < out; ++o) {
        int64_t i;
        if (!exact && out == in) i = o;
        else if (!exact && out == 2 * in) i = o >> 1;
        else if (!exact) i = static_cast<int64_t>(std::floor(static_cast<float>(o) * s));
        else i = static_cast<int64_t>(std::floor(static_cast<float>((static_cast<double>(o) + 0.5) * s)));
        taps[o].i0 = taps[o].i1 = std::min(i, in - 1);
    }
    return taps;
}

template <typename T>
std::vector<cpu::InterpTap> linear_taps(int64_t in, int64_t out, bool align_corners, const std::optional<double>& scale) {
    std::vector<cpu::InterpTap> taps(static_cast<size_t>(out));
    const T ratio = align_corners ? (out > 1 ? static_cast<T>(in - 1) / static_cast<T>(out - 1) : T(0))
                                  : coordinate_scale<T>(in, out, scale);
    for (int64_t o = 0; o < out; ++o) {
        cpu::InterpTap& t = taps[o];
        if (in == out) {  // PyTorch copies the input through (whatever the scale factor said)
            t.i0 = t.i1 = o;
            continue;
        }
        // PyTorch adds 0.5 to the index as a double, so the half-pixel shift is computed in
        // double and rounded once to T.
        T src = align_corners ? ratio * static_cast<T>(o)
                              : static_cast<T>(static_cast<double>(ratio) * (static_cast<double>(o) + 0.5) - 0.5);
        if (!align_corners && src < T(0)) src = T(0);
        t.i0 = static_cast<int64_t>(src);
        t.i1 = t.i0 + (t.i0 < in - 1 ? 1 : 0);
        const T w1 = std::min(std::max(src - static_cast<T>(t.i0), T(0)), T(1));
        t.w1 = w1;
        t.w0 = T(1) - w1;
    }
    return taps;
}

// The plan for an input of in_spatial resized to out_spatial.
cpu::InterpPlan plan_of(int64_t planes, const Shape& in_spatial, const Shape& out_spatial, const InterpArgs& a, DType dtype) {
    cpu::InterpPlan plan;
    plan.planes = planes;
    plan.linear = a.mode == InterpMode::Linear;
    const int64_t n = a.nspatial, pad = cpu::kMaxPoolDims - n;
    for (int64_t i = 0; i < cpu::kMaxPoolDims; ++i) {
        cpu::InterpDim& d = plan.dims[i];
        if (i < pad) {
            d.taps = {cpu::InterpTap{}};
            continue;
        }
        const int64_t in = in_spatial[i - pad], out = out_spatial[i - pad];
        std::optional<double> scale;
        if (!a.scale_factor.empty() && !a.recompute_scale_factor) scale = a.scale_factor[i - pad];
        d.real = true;
        d.in_size = in;
        d.out_size = out;
        if (!plan.linear) d.taps = nearest_taps(in, out, scale, a.mode == InterpMode::NearestExact);
        else if (dtype == CMP_DTYPE_FLOAT64) d.taps = linear_taps<double>(in, out, a.align_corners, scale);
        else d.taps = linear_taps<float>(in, out, a.align_corners, scale);
    }
    return plan;
}

void check_args(const InterpArgs& a, const std::string& op) {
    CMP_CHECK(a.mode == InterpMode::Linear || !a.align_corners, INVALID_ARGUMENT, op,
              ": align_corners can only be set with the linear modes (linear, bilinear, trilinear)");
    CMP_CHECK(!(a.recompute_scale_factor && !a.size.empty() && a.scale_factor.empty()), INVALID_ARGUMENT, op,
              ": recompute_scale_factor is not meaningful with an explicit size");
    for (double s : a.scale_factor)
        CMP_CHECK(std::isfinite(s) && s > 0, INVALID_ARGUMENT, op, ": scale_factor must be positive and finite, got ", s);
}

// Output spatial sizes: the given size, or floor(in * scale_factor).
Shape output_spatial(const Shape& in_spatial, const InterpArgs& a, const std::string& op) {
    Shape out;
    if (!a.size.empty()) {
        CMP_CHECK(static_cast<int64_t>(a.size.size()) == a.nspatial, INVALID_ARGUMENT, op, ": size must have ", a.nspatial,
                  " values, got ", a.size);
        out = a.size;
    } else {
        CMP_CHECK(static_cast<int64_t>(a.scale_factor.size()) == a.nspatial, INVALID_ARGUMENT, op,
                  ": scale_factor must have ", a.nspatial, " values");
        for (int64_t i = 0; i < a.nspatial; ++i) {
            const double v = std::floor(static_cast<double>(in_spatial[i]) * a.scale_factor[i]);
            CMP_CHECK(v < 9.0e18, INVALID_ARGUMENT, op, ": scale_factor ", a.scale_factor[i], " gives an output too large");
            out.push_back(static_cast<int64_t>(v));
        }
    }
    bool ok = true;
    for (int64_t i = 0; i < a.nspatial; ++i) ok = ok && in_spatial[i] > 0 && out[i] > 0;
    CMP_CHECK(ok, INVALID_ARGUMENT, op, ": input and output sizes should be greater than 0, got input ", in_spatial,
              " and output ", out);
    return out;
}

const char* mode_name(const InterpArgs& a) {
    if (a.mode == InterpMode::Nearest) return "nearest";
    if (a.mode == InterpMode::NearestExact) return "nearest-exact";
    return a.nspatial == 1 ? "linear" : a.nspatial == 2 ? "bilinear" : "trilinear";
}

std::string interp_op(const InterpArgs& a) { return str("interpolate (", mode_name(a), ")"); }

}  // namespace

Tensor interpolate(const Tensor& input, const InterpArgs& args) {
    const std::string op = interp_op(args);
    check_args(args, op);
    CMP_CHECK(input.defined(), INVALID_ARGUMENT, op, ": the input tensor is undefined");
    CMP_CHECK(input.dim() == args.nspatial + 2, SHAPE_MISMATCH, op, ": expected a ", args.nspatial + 2,
              "-D input [N, C, *spatial] for ", args.nspatial, " spatial dims, got shape ", input.sizes());
    const unsigned allowed = args.mode == InterpMode::Linear ? kFloating : (kFloating | kUInt8);
    SpatialInput in = spatial_input(input, args.nspatial, op, allowed, false);
    const Shape out_spatial = output_spatial(in.spatial, args, op);
    Tensor out = Tensor::empty(join(in.lead, out_spatial), in.x.dtype(), in.x.device());
    if (out.numel() == 0) return to_caller(out, in.dtype);
    const cpu::InterpPlan plan = plan_of(in.planes, in.spatial, out_spatial, args, in.x.dtype());
    if (!in.x.device().is_cpu()) cuda_ops::interpolate(op.c_str(), plan, false, in.x, out);
    else cpu::interpolate_stub(plan, in.x, out);
    return to_caller(out, in.dtype);
}

Tensor interpolate_backward(const Tensor& grad_output, const Shape& input_size, const InterpArgs& args) {
    const std::string op = interp_op(args) + " backward";
    check_args(args, op);
    CMP_CHECK(grad_output.defined(), INVALID_ARGUMENT, op, ": grad_output is undefined");
    require_available(grad_output.device(), op.c_str());
    CMP_CHECK(is_floating(grad_output.dtype()), DTYPE_MISMATCH, op, ": grad_output must be floating, got ",
              dtype_name(grad_output.dtype()));
    CMP_CHECK(static_cast<int64_t>(input_size.size()) == args.nspatial + 2, INVALID_ARGUMENT, op,
              ": input_size must have ", args.nspatial + 2, " values, got ", input_size);
    for (int64_t v : input_size) CMP_CHECK(v >= 0, INVALID_ARGUMENT, op, ": input_size must be non-negative, got ", input_size);
    const Shape lead(input_size.begin(), input_size.begin() + 2);
    const Shape in_spatial(input_size.begin() + 2, input_size.end());
    const Shape out_spatial = output_spatial(in_spatial, args, op);
    const DType dtype = grad_output.dtype();
    Tensor g = grad_arg(grad_output, dtype, join(lead, out_spatial), op, "grad_output");
    if (!g.device().is_cpu()) {
        // The device pass gathers every input's terms: it writes every element.
        Tensor grad_in = Tensor::empty(input_size, g.dtype(), g.device());
        if (grad_in.numel() > 0)
            cuda_ops::interpolate(op.c_str(), plan_of(lead[0] * lead[1], in_spatial, out_spatial, args, g.dtype()), true,
                                  g, grad_in);
        return to_caller(grad_in, dtype);
    }
    Tensor grad_in = zeros(input_size, g.dtype());
    if (g.numel() > 0)
        cpu::interpolate_backward_stub(plan_of(lead[0] * lead[1], in_spatial, out_spatial, args, g.dtype()), g, grad_in);
    return to_caller(grad_in, dtype);
}

}  // namespace cmp::ops
