// Front-ends of max, average and adaptive pooling (F.max_pool*, F.avg_pool*, F.adaptive_*):
// argument checks with PyTorch's rules, then one PoolPlan that describes every window, so a
// single kernel serves all ranks and window kinds (cpu/kernels/nn_pool.cpp). The windows are
// cuda/pool_window.h's, which the CUDA passes (cuda/pool.cu) compute per element from the same
// description: CUDA tensors take the same checks and conversions, then the device pass.
#include "ops/nn_pool.h"
#include "ops/nn_pool_util.h"

#include "cpu/nn_pool_stubs.h"
#include "cuda/pool_window.h"
#include "ops/cuda_ops.h"

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
// k positions dilation apart; positions in the padding are skipped (cuda/pool_window.h).
compute_cuda_pool_dim regular_dim(int64_t in, int64_t out, int64_t k, int64_t stride, int64_t pad, int64_t dilation,
                                  bool include_pad) {
    return {in, out, k, stride, pad, dilation, 0, include_pad ? 1 : 0};
}

// Adaptive windows: output o of O covers [floor(o I / O), ceil((o + 1) I / O)).
compute_cuda_pool_dim adaptive_dim(int64_t in, int64_t out) { return {in, out, 1, 1, 0, 1, 1, 0}; }

// A size-1 dim with a one-element window.
compute_cuda_pool_dim unit_dim() { return {1, 1, 1, 1, 0, 1, 0, 0}; }

// The CPU kernels' table of a dim's windows, from the windows the CUDA kernels compute.
cpu::PoolDim table_of(const compute_cuda_pool_dim& w) {
    cpu::PoolDim d;
    d.in_size = w.in_size;
    d.out_size = w.out_size;
    d.step = w.dilation;
    for (int64_t o = 0; o < w.out_size; ++o) {
        const cuda_pool::Window win = cuda_pool::window(w, o);
        d.first.push_back(win.first);
        d.count.push_back(win.count);
        d.divisor.push_back(win.divisor);
    }
    if (!w.adaptive) {
        d.regular = true;
        d.stride = w.stride;
        d.offset = -w.pad;
        d.kernel = w.kernel;
    } else if (w.out_size > 0 && w.in_size % w.out_size == 0) {
        // An output size that divides the input: windows of in / out positions side by side, which
        // the kernels' regular-window loop runs vectorised across outputs (same sums, same order).
        d.regular = true;
        d.stride = d.kernel = w.in_size / w.out_size;
    }
    return d;
}

// A pooling's windows for both devices: the CPU kernels' tables and the CUDA pass's description
// (op, device and pointers left to the caller).
struct Pooling {
    cpu::PoolPlan plan;
    compute_cuda_pool desc{};
};

// Leading size-1 dims pad the plan to three dims.
Pooling plan_of(int64_t planes, const std::vector<compute_cuda_pool_dim>& dims) {
    Pooling r;
    r.plan.planes = planes;
    r.desc.planes = planes;
    const int64_t pad = cpu::kMaxPoolDims - static_cast<int64_t>(dims.size());
    for (int64_t i = 0; i < cpu::kMaxPoolDims; ++i) {
        r.desc.dims[i] = i < pad ? unit_dim() : dims[static_cast<size_t>(i - pad)];
        r.plan.dims[i] = table_of(r.desc.dims[i]);
    }
    return r;
}

void set_divisor(Pooling& p, int64_t divisor_override) {
    p.plan.divisor_override = divisor_override;
    p.desc.divisor_override = divisor_override;
}

Shape out_sizes(const cpu::PoolPlan& plan, int64_t nspatial) {
    Shape s;
    for (int64_t i = cpu::kMaxPoolDims - nspatial; i < cpu::kMaxPoolDims; ++i) s.push_back(plan.dims[i].out_size);
    return s;
}

// Checks a regular pooling's arguments against the input and builds its plan.
Pooling regular_plan(const SpatialInput& in, const PoolArgs& a, const std::string& op, bool include_pad) {
    const int64_t n = a.nspatial;
    check_per_dim(a.kernel_size, n, op, "kernel_size", 1);
    const Shape stride = a.stride.empty() ? a.kernel_size : a.stride;
    check_per_dim(stride, n, op, "stride", 1);
    check_per_dim(a.padding, n, op, "padding", 0);
    const Shape dilation = a.dilation.empty() ? Shape(static_cast<size_t>(n), 1) : a.dilation;
    check_per_dim(dilation, n, op, "dilation", 1);
    std::vector<compute_cuda_pool_dim> dims;
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
        dims.push_back(regular_dim(in.spatial[i], outs[i], a.kernel_size[i], stride[i], a.padding[i], dilation[i],
                                   include_pad));
    return plan_of(in.planes, dims);
}

Pooling adaptive_plan(const SpatialInput& in, int64_t nspatial, const Shape& output_size, const std::string& op) {
    check_per_dim(output_size, nspatial, op, "output_size", 0);
    for (int64_t v : in.spatial)
        CMP_CHECK(v > 0, SHAPE_MISMATCH, op, ": expected non-zero spatial sizes, got input shape ", join(in.lead, in.spatial));
    std::vector<compute_cuda_pool_dim> dims;
    for (int64_t i = 0; i < nspatial; ++i) dims.push_back(adaptive_dim(in.spatial[i], output_size[i]));
    Pooling p = plan_of(in.planes, dims);
    set_divisor(p, -1);
    return p;
}

// The pass op of p over the dense tensors src -> dst (and indices) on their CUDA device.
void run_on_device(Pooling p, compute_cuda_pool_op op, const Tensor& src, const Tensor& dst, const Tensor& indices,
                   const std::string& name) {
    p.desc.op = op;
    const std::optional<int64_t> bad = cuda_ops::pool(name.c_str(), p.desc, src, dst, indices);
    // Only MAX_BACKWARD checks indices; its message is the CPU kernel's.
    CMP_CHECK(!bad, INDEX_OUT_OF_RANGE, name, ": index ", bad.value_or(0), " is out of range for an input plane of ",
              cuda_pool::in_plane(p.desc), " elements");
}

std::pair<Tensor, Tensor> run_max(const SpatialInput& in, const Pooling& p, int64_t nspatial, const std::string& op) {
    const Shape shape = join(in.lead, out_sizes(p.plan, nspatial));
    Tensor out = Tensor::empty(shape, in.x.dtype(), in.x.device());
    Tensor indices = Tensor::empty(shape, CMP_DTYPE_INT64, in.x.device());
    if (!in.x.device().is_cpu()) run_on_device(p, COMPUTE_CUDA_POOL_MAX, in.x, out, indices, op);
    else if (out.numel() > 0) cpu::pool_forward_stub(p.plan, cpu::PoolKind::Max, in.x, out, indices);
    return {to_caller(out, in.dtype), indices};
}

Tensor run_avg(const SpatialInput& in, const Pooling& p, int64_t nspatial, const std::string& op) {
    Tensor out = Tensor::empty(join(in.lead, out_sizes(p.plan, nspatial)), in.x.dtype(), in.x.device());
    if (!in.x.device().is_cpu()) run_on_device(p, COMPUTE_CUDA_POOL_AVG, in.x, out, Tensor(), op);
    else if (out.numel() > 0) cpu::pool_forward_stub(p.plan, cpu::PoolKind::Avg, in.x, out, Tensor());
    return to_caller(out, in.dtype);
}

Tensor run_avg_backward(const Tensor& grad_output, const SpatialInput& in, const Pooling& p, int64_t nspatial,
                        const std::string& op) {
    same_device(grad_output, in.x, op, "grad_output");
    Tensor g = grad_arg(grad_output, in.dtype, join(in.lead, out_sizes(p.plan, nspatial)), op, "grad_output");
    const Shape in_shape = join(in.lead, in.spatial);
    if (!in.x.device().is_cpu()) {
        // The device pass gathers every input's terms: it writes every element.
        Tensor grad_in = Tensor::empty(in_shape, in.x.dtype(), in.x.device());
        run_on_device(p, COMPUTE_CUDA_POOL_AVG_BACKWARD, g, grad_in, Tensor(), op);
        return to_caller(grad_in, in.dtype);
    }
    // Tiling windows write every element of grad_in: no zero-filling pass first.
    const bool tiles = p.plan.tiles() && g.numel() > 0;
    Tensor grad_in = tiles ? Tensor::empty(in_shape, in.x.dtype(), in.x.device()) : zeros(in_shape, in.x.dtype());
    if (g.numel() > 0) cpu::avg_pool_backward_stub(p.plan, g, grad_in);
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
    return run_max(in, regular_plan(in, args, op, false), args.nspatial, op);
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
    same_device(grad_output, input, op, "grad_output");
    same_device(indices, input, op, "indices");
    Tensor g = grad_arg(grad_output, input.dtype(), indices.sizes(), op, "grad_output");
    Tensor idx = contiguous(indices);
    int64_t planes = 1, in_plane = 1, out_plane = 1;
    for (int64_t i = 0; i < input.dim(); ++i) {
        if (i < nlead) planes *= input.size(i);
        else in_plane *= input.size(i), out_plane *= indices.size(i);
    }
    if (!input.device().is_cpu()) {
        // The device pass sees the planes' spatial sizes (input) and their output counts (indices).
        std::vector<compute_cuda_pool_dim> dims;
        for (int64_t i = nlead; i < input.dim(); ++i) dims.push_back(adaptive_dim(input.size(i), indices.size(i)));
        Tensor grad_in = Tensor::empty(input.sizes(), g.dtype(), input.device());
        run_on_device(plan_of(planes, dims), COMPUTE_CUDA_POOL_MAX_BACKWARD, g, grad_in, idx, op);
        return to_caller(grad_in, input.dtype());
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
    Pooling p = regular_plan(in, args, op, count_include_pad);
    set_divisor(p, divisor_override);
    return run_avg(in, p, args.nspatial, op);
}

Tensor avg_pool_backward(const Tensor& grad_output, const Tensor& input, const PoolArgs& args, bool count_include_pad,
                         int64_t divisor_override) {
    const std::string op = op_name("avg_pool", args.nspatial) + "_backward";
    check_divisor(divisor_override, op);
    SpatialInput in = spatial_input(input, args.nspatial, op, kFloating);
    Pooling p = regular_plan(in, args, op, count_include_pad);
    set_divisor(p, divisor_override);
    return run_avg_backward(grad_output, in, p, args.nspatial, op);
}

Tensor adaptive_avg_pool(const Tensor& input, int64_t nspatial, const Shape& output_size) {
    const std::string op = op_name("adaptive_avg_pool", nspatial);
    SpatialInput in = spatial_input(input, nspatial, op, kFloating, false);
    Pooling p = adaptive_plan(in, nspatial, output_size, op);
    // Output 1 in every spatial dim (global average pooling, a CNN's head) is the mean over the
    // spatial dims, as PyTorch computes it; the window engine spends ~30 ns per plane on its
    // setup, which dominates 7x7 planes (0.16x PyTorch). On CUDA too: the device's row mean reads
    // a plane with a block where a window pass would loop over it in one thread.
    const bool global = std::all_of(output_size.begin(), output_size.end(), [](int64_t s) { return s == 1; }) &&
                        std::all_of(in.spatial.begin(), in.spatial.end(), [](int64_t s) { return s > 0; });
    if (global) {
        Shape dims;
        for (int64_t k = 0; k < nspatial; ++k) dims.push_back(in.x.dim() - nspatial + k);
        return to_caller(mean(in.x, dims, true), in.dtype);
    }
    return run_avg(in, p, nspatial, op);
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
    return run_max(in, adaptive_plan(in, nspatial, output_size, op), nspatial, op);
}

}  // namespace cmp::ops
