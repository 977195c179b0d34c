// Front-ends of layer norm, RMS norm and group norm: all three run the row kernels of
// cpu/kernels/nn_norm_rows.cpp, described by a RowNormPlan (rows normalised on their own, with
// per-channel affine parameters), or for CUDA tensors the backend's row_norm entries
// (cuda/row_norm.cu) with the same plan and operands.
#include "core/error.h"
#include "cpu/nn_norm_stubs.h"
#include "ops/cuda_ops.h"
#include "ops/nn_norm.h"
#include "ops/nn_norm_util.h"
#include "ops/ops.h"

#include <limits>

namespace cmp::cpu {
CMP_DEFINE_STUB(row_norm_stub);
CMP_DEFINE_STUB(row_norm_backward_stub);
}  // namespace cmp::cpu

namespace cmp::ops {
namespace {

using nn_norm::stat_dtype;

// Layer/RMS norm over the trailing dims normalized_shape: checks them and returns the plan.
cpu::RowNormPlan trailing_plan(const Tensor& input, const Shape& ns, const char* op, double eps, bool rms) {
    const auto nd = static_cast<int64_t>(ns.size());
    CMP_CHECK(nd >= 1, INVALID_ARGUMENT, op, ": normalized_shape must have at least one dim, got ", ns);
    bool matches = input.dim() >= nd;
    for (int64_t i = 0; matches && i < nd; ++i) matches = input.sizes()[static_cast<size_t>(input.dim() - nd + i)] == ns[static_cast<size_t>(i)];
    CMP_CHECK(matches, SHAPE_MISMATCH, op, ": normalized_shape ", ns, " does not match the trailing dims of input of shape ",
              input.sizes());
    const int64_t axis = input.dim() - nd;
    const int64_t row_len = nn_norm::prod(input.sizes(), axis, input.dim());
    return {input.dtype(), stat_dtype(input.dtype()), nn_norm::prod(input.sizes(), 0, axis), row_len, row_len, 1, 1, eps, rms};
}

// Shape of layer norm's mean/rstd: the input's with the normalized dims set to 1.
Shape trailing_stat_shape(const Tensor& input, const Shape& ns) {
    Shape s = input.sizes();
    for (size_t i = s.size() - ns.size(); i < s.size(); ++i) s[i] = 1;
    return s;
}

cpu::RowNormPlan group_plan(const Tensor& input, int64_t num_groups, const char* op, double eps) {
    CMP_CHECK(input.dim() >= 2, SHAPE_MISMATCH, op, ": expected an (N, C, *) input with at least 2 dims, got shape ",
              input.sizes());
    CMP_CHECK(num_groups > 0, INVALID_ARGUMENT, op, ": num_groups must be positive, got ", num_groups);
    const int64_t c = input.size(1);
    CMP_CHECK(c % num_groups == 0, SHAPE_MISMATCH, op, ": the ", c, " channels of input of shape ", input.sizes(),
              " are not divisible by num_groups=", num_groups);
    const int64_t inner = nn_norm::prod(input.sizes(), 2, input.dim());
    return {input.dtype(), stat_dtype(input.dtype()), input.size(0) * num_groups, (c / num_groups) * inner,
            c / num_groups, inner, num_groups, eps, false};
}

NormOutput run_forward(const cpu::RowNormPlan& plan, const Tensor& input, const Tensor& weight, const Tensor& bias,
                       const Shape& stat_shape, const char* op) {
    nn_norm::check_device(weight, input, op);
    nn_norm::check_device(bias, input, op);
    const Tensor x = contiguous(input);
    Tensor keep_w, keep_b;
    NormOutput r;
    r.out = Tensor::empty(input.sizes(), input.dtype(), input.device(), op);
    if (!plan.rms) r.mean = Tensor::empty(stat_shape, plan.stat_dtype, input.device(), op);
    r.rstd = Tensor::empty(stat_shape, plan.stat_dtype, input.device(), op);
    cpu::RowNormData d{x.data_ptr(), nn_norm::data_or_null(weight, keep_w), nn_norm::data_or_null(bias, keep_b),
                       r.out.data_ptr(), plan.rms ? nullptr : r.mean.data_ptr(), r.rstd.data_ptr()};
    if (input.device().is_cpu()) cpu::row_norm_stub(plan, d);
    else cuda_ops::row_norm(op, plan, input.device(), d);
    return r;
}

NormGrads run_backward(const cpu::RowNormPlan& plan, const Tensor& grad_output, const Tensor& input, const Tensor& mean,
                       const Tensor& rstd, const Tensor& weight, const Shape& param_shape, const char* op) {
    nn_norm::check_grad(grad_output, input, op, "input");
    if (!plan.rms) nn_norm::check_stat(mean, op, "mean", plan.rows, input.dtype());
    nn_norm::check_stat(rstd, op, "rstd", plan.rows, input.dtype());
    for (const Tensor* t : {&mean, &rstd, &weight}) nn_norm::check_device(*t, input, op);
    const Tensor go = contiguous(grad_output), x = contiguous(input), m = plan.rms ? Tensor() : contiguous(mean),
                 s = contiguous(rstd);
    Tensor keep_w;
    NormGrads g;
    g.grad_input = Tensor::empty(input.sizes(), input.dtype(), input.device(), op);
    g.grad_weight = Tensor::empty(param_shape, input.dtype(), input.device(), op);
    if (!plan.rms) g.grad_bias = Tensor::empty(param_shape, input.dtype(), input.device(), op);
    cpu::RowNormGrads a{go.data_ptr(), x.data_ptr(), nn_norm::data_or_null(weight, keep_w),
                        plan.rms ? nullptr : m.data_ptr(), s.data_ptr(), g.grad_input.data_ptr(),
                        g.grad_weight.data_ptr(), plan.rms ? nullptr : g.grad_bias.data_ptr()};
    if (input.device().is_cpu()) cpu::row_norm_backward_stub(plan, a);
    else cuda_ops::row_norm_backward(op, plan, input.device(), a);
    return g;
}

}  // namespace

NormOutput layer_norm(const Tensor& input, const Shape& normalized_shape, const Tensor& weight, const Tensor& bias,
                      double eps) {
    const char* op = "layer_norm";
    nn_norm::require_floating(input, op, "input");
    const cpu::RowNormPlan plan = trailing_plan(input, normalized_shape, op, eps, false);
    nn_norm::check_param(weight, op, "weight", normalized_shape, input.dtype());
    nn_norm::check_param(bias, op, "bias", normalized_shape, input.dtype());
    return run_forward(plan, input, weight, bias, trailing_stat_shape(input, normalized_shape), op);
}

NormGrads layer_norm_backward(const Tensor& grad_output, const Tensor& input, const Shape& normalized_shape,
                              const Tensor& mean, const Tensor& rstd, const Tensor& weight) {
    const char* op = "layer_norm_backward";
    nn_norm::require_floating(input, op, "input");
    const cpu::RowNormPlan plan = trailing_plan(input, normalized_shape, op, 0.0, false);
    nn_norm::check_param(weight, op, "weight", normalized_shape, input.dtype());
    return run_backward(plan, grad_output, input, mean, rstd, weight, normalized_shape, op);
}

NormOutput rms_norm(const Tensor& input, const Shape& normalized_shape, const Tensor& weight, std::optional<double> eps) {
    const char* op = "rms_norm";
    nn_norm::require_floating(input, op, "input");
    const double e = eps ? *eps
                         : input.dtype() == CMP_DTYPE_FLOAT64 ? std::numeric_limits<double>::epsilon()
                                                              : static_cast<double>(std::numeric_limits<float>::epsilon());
    const cpu::RowNormPlan plan = trailing_plan(input, normalized_shape, op, e, true);
    nn_norm::check_param(weight, op, "weight", normalized_shape, input.dtype());
    return run_forward(plan, input, weight, Tensor(), trailing_stat_shape(input, normalized_shape), op);
}

NormGrads rms_norm_backward(const Tensor& grad_output, const Tensor& input, const Shape& normalized_shape,
                            const Tensor& rstd, const Tensor& weight) {
    const char* op = "rms_norm_backward";
    nn_norm::require_floating(input, op, "input");
    const cpu::RowNormPlan plan = trailing_plan(input, normalized_shape, op, 0.0, true);
    nn_norm::check_param(weight, op, "weight", normalized_shape, input.dtype());
    return run_backward(plan, grad_output, input, Tensor(), rstd, weight, normalized_shape, op);
}

NormOutput group_norm(const Tensor& input, int64_t num_groups, const Tensor& weight, const Tensor& bias, double eps) {
    const char* op = "group_norm";
    nn_norm::require_floating(input, op, "input");
    const cpu::RowNormPlan plan = group_plan(input, num_groups, op, eps);
    nn_norm::check_param(weight, op, "weight", {input.size(1)}, input.dtype());
    nn_norm::check_param(bias, op, "bias", {input.size(1)}, input.dtype());
    return run_forward(plan, input, weight, bias, {input.size(0), num_groups}, op);
}

NormGrads group_norm_backward(const Tensor& grad_output, const Tensor& input, int64_t num_groups, const Tensor& mean,
                              const Tensor& rstd, const Tensor& weight) {
    const char* op = "group_norm_backward";
    nn_norm::require_floating(input, op, "input");
    const cpu::RowNormPlan plan = group_plan(input, num_groups, op, 0.0);
    nn_norm::check_param(weight, op, "weight", {input.size(1)}, input.dtype());
    return run_backward(plan, grad_output, input, mean, rstd, weight, {input.size(1)}, op);
}

}  // namespace cmp::ops
