// Front-ends of max, average and adaptive pooling (F.max_pool*, F.avg_pool*, F.adaptive_*):
// argument checks with PyTorch's rules, then one PoolPlan that describes every window, so a
// single kernel serves all ranks and window kinds (cpu/kernels/nn_pool.cpp).
#include "ops/nn_pool.h"
#include "ops/nn_pool_util.h"

#include "cpu/nn_pool_stubs.h"

#include <algorithm>

namespace cmp::cpu {
CMP_DEFINE_STUB(pool_forward_stub);
CMP_DEFINE_STUB(avg_pool_backward_stub);
CMP_DEFINE_STUB(max_pool_backward_stub);
}  // namespace cmp::cpu

namespace cmp::ops {

using namespace pool_util;

namespace {

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0); }

// PyTorch's pooling_output_shape: in ceil mode the last window must start inside the input or
// the left padding, never in the right padding.
int64_t pooled_size(int64_t in, int64_t k, int64_t pad, int64_t stride, int64_t dilation, bool ceil_mode) {
    const int64_t span = in + 2 * pad - dilation * (k - 1) - 1 + (ceil_mode ? stride - 1 : 0);
    int64_t out = floor_div(span, stride) + 1;
    if (ceil_mode && (out - 1) * stride >= in + pad) --out;
    return out;
}

// The windows of one dim of a regular pooling: output o starts at o * stride - pad and takes
// k positions dilation apart; positions in the padding are skipped.
cpu::PoolDim window_dim(int64_t in, int64_t out, int64_t k, int64_t stride, int64_t pad, int64_t dilation,
                        bool include_pad) {
    cpu::PoolDim d;
    d.in_size = in;
    d.out_size = out;
    d.step = dilation;
    d.regular = true;
    d.stride = stride;
    d.offset = -pad;
    d.kernel = k;
    for (int64_t o = 0; o < out; ++o) {
        const int64_t start = o * stride - pad;
        int64_t first = start;
        if (first < 0) first += (-first + dilation - 1) / dilation * dilation;
        const int64_t end = std::min(start + (k - 1) * dilation + 1, in);
        const int64_t count = first < end ? (end - first + dilation - 1) / dilation : 0;
        d.first.push_back(first);
        d.count.push_back(count);
        d.divisor.push_back(include_pad ? std::min(start + k, in + pad) - start : count);
    }
    return d;
}

// Adaptive windows: output o of O covers [floor(o I / O), ceil((o + 1) I / O)).
cpu::PoolDim adaptive_dim(int64_t in, int64_t out) {
    cpu::PoolDim d;
    d.in_size = in;
    d.out_size = out;
    for (int64_t o = 0; o < out; ++o) {
        const int64_t first = o * in / out;
        const int64_t end = ((o + 1) * in + out - 1) / out;
        d.first.push_back(first);
        d.count.push_back(end - first);
        d.divisor.push_back(end - first);
    }
    // An output size that divides the input: windows of in / out positions side by side, which
    // the kernels' regular-window loop runs vectorised across outputs (same sums, same order).
    if (out > 0 && in % out == 0) {
        d.regular = true;
        d.stride = d.kernel = in / out;
    }
    return d;
}

cpu::PoolDim unit_dim() {
    cpu::PoolDim d;
    d.first = {0};
    d.count = {1};
    d.divisor = {1};
    return d;
}

// Leading size-1 dims pad the plan to three dims.
cpu::PoolPlan plan_of(int64_t planes, std::vector<cpu::PoolDim> dims) {
    cpu::PoolPlan plan;
    plan.planes = planes;
    const int64_t pad = cpu::kMaxPoolDims - static_cast<int64_t>(dims.size());
    for (int64_t i = 0; i < cpu::kMaxPoolDims; ++i) plan.dims[i] = i < pad ? unit_dim() : std::move(dims[i - pad]);
    return plan;
}

Shape out_sizes(const cpu::PoolPlan& plan, int64_t nspatial) {
    Shape s;
    for (int64_t i = cpu::kMaxPoolDims - nspatial; i < cpu::kMaxPoolDims; ++i) s.push_back(plan.dims[i].out_size);
    return s;
}

// Checks a regular pooling's arguments against the input and builds its plan.
cpu::PoolPlan regular_plan(const SpatialInput& in, const PoolArgs& a, const std::string& op, bool include_pad) {
    const int64_t n = a.nspatial;
    check_per_dim(a.kernel_size, n, op, "kernel_size", 1);
    const Shape stride = a.stride.empty() ? a.kernel_size : a.stride;
    check_per_dim(stride, n, op, "stride", 1);
    check_per_dim(a.padding, n, op, "padding", 0);
    const Shape dilation = a.dilation.empty() ? Shape(static_cast<size_t>(n), 1) : a.dilation;
    check_per_dim(dilation, n, op, "dilation", 1);
    std::vector<cpu::PoolDim> dims;
    Shape outs;
    for (int64_t i = 0; i < n; ++i) {
        CMP_CHECK(a.padding[i] <= a.kernel_size[i] / 2, INVALID_ARGUMENT, op,
                  ": padding should be at most half of the kernel size, got padding ", a.padding, " and kernel_size ",
                  a.kernel_size);
        outs.push_back(pooled_size(in.spatial[i], a.kernel_size[i], a.padding[i], stride[i], dilation[i], a.ceil_mode));
    }
    for (int64_t o : outs)
        CMP_CHECK(o >= 1, SHAPE_MISMATCH, op, ": input of shape ", join(in.lead, in.spatial), " gives output size ", outs,
                  " for kernel_size ", a.kernel_size, ", stride ", stride, ", padding ", a.padding, " and dilation ",
                  dilation, ": output size is too small");
    for (int64_t i = 0; i < n; ++i)
        dims.push_back(window_dim(in.spatial[i], outs[i], a.kernel_size[i], stride[i], a.padding[i], dilation[i],
                                  include_pad));
    return plan_of(in.planes, std::move(dims));
}

cpu::PoolPlan adaptive_plan(const SpatialInput& in, int64_t nspatial, const Shape& output_size, const std::string& op) {
    check_per_dim(output_size, nspatial, op, "output_size", 0);
    for (int64_t v : in.spatial)
        CMP_CHECK(v > 0, SHAPE_MISMATCH, op, ": expected non-zero spatial sizes, got input shape ", join(in.lead, in.spatial));
    std::vector<cpu::PoolDim> dims;
    for (int64_t i = 0; i < nspatial; ++i) dims.push_back(adaptive_dim(in.spatial[i], output_size[i]));
    cpu::PoolPlan plan = plan_of(in.planes, std::move(dims));
    plan.divisor_override = -1;
    return plan;
}

std::pair<Tensor, Tensor> run_max(const SpatialInput& in, const cpu::PoolPlan& plan, int64_t nspatial) {
    const Shape shape = join(in.lead, out_sizes(plan, nspatial));
    Tensor out = Tensor::empty(shape, in.x.dtype(), in.x.device());
    Tensor indices = Tensor::empty(shape, CMP_DTYPE_INT64, in.x.device());
    if (out.numel() > 0) cpu::pool_forward_stub(plan, cpu::PoolKind::Max, in.x, out, indices);
    return {to_caller(out, in.dtype), indices};
}

Tensor run_avg(const SpatialInput& in, const cpu::PoolPlan& plan, int64_t nspatial) {
    Tensor out = Tensor::empty(join(in.lead, out_sizes(plan, nspatial)), in.x.dtype(), in.x.device());
    if (out.numel() > 0) cpu::pool_forward_stub(plan, cpu::PoolKind::Avg, in.x, out, Tensor());
    return to_caller(out, in.dtype);
}

Tensor run_avg_backward(const Tensor& grad_output, const SpatialInput& in, const cpu::PoolPlan& plan, int64_t nspatial,
                        const std::string& op) {
    Tensor g = grad_arg(grad_output, in.dtype, join(in.lead, out_sizes(plan, nspatial)), op, "grad_output");
    // Tiling windows write every element of grad_in: no zero-filling pass first.
    const Shape in_shape = join(in.lead, in.spatial);
    const bool tiles = plan.tiles() && g.numel() > 0;
    Tensor grad_in = tiles ? Tensor::empty(in_shape, in.x.dtype(), in.x.device()) : zeros(in_shape, in.x.dtype());
    if (g.numel() > 0) cpu::avg_pool_backward_stub(plan, g, grad_in);
    return to_caller(grad_in, in.dtype);
}

void check_divisor(int64_t divisor_override, const std::string& op) {
    CMP_CHECK(divisor_override >= 0, INVALID_ARGUMENT, op, ": divisor_override must be positive (0 for none), got ",
              divisor_override);
}

}  // namespace

std::pair<Tensor, Tensor> max_pool(const Tensor& input, const PoolArgs& args) {
    const std::string op = op_name("max_pool", args.nspatial);
    SpatialInput in = spatial_input(input, args.nspatial, op, kFloating);
    return run_max(in, regular_plan(in, args, op, false), args.nspatial);
}

Tensor max_pool_backward(const Tensor& grad_output, const Tensor& input, int64_t nspatial, const Tensor& indices) {
    const std::string op = "max_pool_backward";
    // The input's values are not needed, only its shape: no conversion of its data.
    CMP_CHECK(input.defined(), INVALID_ARGUMENT, op, ": the input tensor is undefined");
    CMP_CHECK(indices.defined(), INVALID_ARGUMENT, op, ": indices is undefined");
    CMP_CHECK(nspatial >= 1 && nspatial <= 3, INVALID_ARGUMENT, op, ": nspatial must be 1, 2 or 3, got ", nspatial);
    CMP_CHECK(input.dim() == nspatial + 1 || input.dim() == nspatial + 2, SHAPE_MISMATCH, op, ": expected a ",
              nspatial + 1, "-D or ", nspatial + 2, "-D input, got shape ", input.sizes());
    CMP_CHECK(is_floating(input.dtype()), DTYPE_MISMATCH, op, ": not implemented for dtype ", dtype_name(input.dtype()));
    CMP_CHECK(indices.dtype() == CMP_DTYPE_INT64, DTYPE_MISMATCH, op, ": indices must be int64, got ",
              dtype_name(indices.dtype()));
    const int64_t nlead = input.dim() - nspatial;
    CMP_CHECK(indices.dim() == input.dim() &&
                  std::equal(input.sizes().begin(), input.sizes().begin() + nlead, indices.sizes().begin()),
              SHAPE_MISMATCH, op, ": indices of shape ", indices.sizes(), " do not fit an input of shape ", input.sizes());
    Tensor g = grad_arg(grad_output, input.dtype(), indices.sizes(), op, "grad_output");
    Tensor idx = contiguous(indices);
    int64_t planes = 1, in_plane = 1, out_plane = 1;
    for (int64_t i = 0; i < input.dim(); ++i) {
        if (i < nlead) planes *= input.size(i);
        else in_plane *= input.size(i), out_plane *= indices.size(i);
    }
    Tensor grad_in = zeros(input.sizes(), g.dtype());
    if (g.numel() > 0) cpu::max_pool_backward_stub(g, idx, grad_in, planes, in_plane, out_plane);
    return to_caller(grad_in, input.dtype());
}

Tensor avg_pool(const Tensor& input, const PoolArgs& args, bool count_include_pad, int64_t divisor_override) {
    const std::string op = op_name("avg_pool", args.nspatial);
    check_divisor(divisor_override, op);
    CMP_CHECK(args.dilation.empty(), INTERNAL_ERROR, op, ": average pooling has no dilation");
    SpatialInput in = spatial_input(input, args.nspatial, op, kFloating | kInt64);
    cpu::PoolPlan plan = regular_plan(in, args, op, count_include_pad);
    plan.divisor_override = divisor_override;
    return run_avg(in, plan, args.nspatial);
}

Tensor avg_pool_backward(const Tensor& grad_output, const Tensor& input, const PoolArgs& args, bool count_include_pad,
                         int64_t divisor_override) {
    const std::string op = op_name("avg_pool", args.nspatial) + "_backward";
    check_divisor(divisor_override, op);
    SpatialInput in = spatial_input(input, args.nspatial, op, kFloating);
    cpu::PoolPlan plan = regular_plan(in, args, op, count_include_pad);
    plan.divisor_override = divisor_override;
    return run_avg_backward(grad_output, in, plan, args.nspatial, op);
}

Tensor adaptive_avg_pool(const Tensor& input, int64_t nspatial, const Shape& output_size) {
    const std::string op = op_name("adaptive_avg_pool", nspatial);
    SpatialInput in = spatial_input(input, nspatial, op, kFloating, false);
    cpu::PoolPlan plan = adaptive_plan(in, nspatial, output_size, op);
    // Output 1 in every spatial dim (global average pooling, a CNN's head) is the mean over the
    // spatial dims, as PyTorch computes it; the window engine spends ~30 ns per plane on its
    // setup, which dominates 7x7 planes (0.16x PyTorch).
    const bool global = std::all_of(output_size.begin(), output_size.end(), [](int64_t s) { return s == 1; }) &&
                        std::all_of(in.spatial.begin(), in.spatial.end(), [](int64_t s) { return s > 0; });
    if (global && in.x.device().is_cpu()) {
        Shape dims;
        for (int64_t k = 0; k < nspatial; ++k) dims.push_back(in.x.dim() - nspatial + k);
        return to_caller(mean(in.x, dims, true), in.dtype);
    }
    return run_avg(in, plan, nspatial);
}

Tensor adaptive_avg_pool_backward(const Tensor& grad_output, const Tensor& input, int64_t nspatial) {
    const std::string op = op_name("adaptive_avg_pool", nspatial) + "_backward";
    SpatialInput in = spatial_input(input, nspatial, op, kFloating, false);
    CMP_CHECK(grad_output.defined() && grad_output.dim() == input.dim(), SHAPE_MISMATCH, op,
              ": grad_output must have the input's rank ", input.dim());
    const Shape out_size(grad_output.sizes().end() - nspatial, grad_output.sizes().end());
    return run_avg_backward(grad_output, in, adaptive_plan(in, nspatial, out_size, op), nspatial, op);
}

std::pair<Tensor, Tensor> adaptive_max_pool(const Tensor& input, int64_t nspatial, const Shape& output_size) {
    const std::string op = op_name("adaptive_max_pool", nspatial);
    SpatialInput in = spatial_input(input, nspatial, op, kFloating, false);
    return run_max(in, adaptive_plan(in, nspatial, output_size, op), nspatial);
}

}  // namespace cmp::ops
