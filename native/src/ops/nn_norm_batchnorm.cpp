// Front-ends of batch norm (training and evaluation) and its backward; the kernels are in
// cpu/kernels/nn_norm_batch.cpp. The input (N, C, *) is seen as contiguous [N, C, inner].
//
// On a CUDA device the same formulas are composed of device ops (no kernel of their own), in
// the statistics dtype A (float32 for float32, float16 and bfloat16, float64 for float64, as
// PyTorch's CUDA batch norm accumulates): var_mean over (N, inner) for the batch statistics
// (biased variance for normalising; the unbiased one, var * M / (M - 1), for running_var),
// the running statistics updated in float64 as the CPU kernel's expression is evaluated and
// copied back into the caller's tensors, then elementwise ops per channel; the backward's two
// channel sums are sum reductions. The CPU kernel's Welford merge and the device's reduction
// order differ, so the results agree within rounding, not bit for bit (docs/CUDA.md).
#include "core/error.h"
#include "cpu/nn_norm_stubs.h"
#include "ops/nn_norm.h"
#include "ops/nn_norm_util.h"
#include "ops/ops.h"
#include "ops/reductions.h"
#include "ops/unary_math.h"

#include <limits>

namespace cmp::cpu {
CMP_DEFINE_STUB(batch_norm_stub);
CMP_DEFINE_STUB(batch_norm_backward_stub);
}  // namespace cmp::cpu

namespace cmp::ops {
namespace {

cpu::BatchNormPlan plan_for(const Tensor& input, bool training, double momentum, double eps, const char* op) {
    nn_norm::require_floating(input, op, "input");
    CMP_CHECK(input.dim() >= 2, SHAPE_MISMATCH, op, ": expected an (N, C, *) input with at least 2 dims, got shape ",
              input.sizes());
    return {input.dtype(), nn_norm::stat_dtype(input.dtype()), input.size(0), input.size(1),
            nn_norm::prod(input.sizes(), 2, input.dim()), training, momentum, eps};
}

// A running statistic the kernel updates in place: its contiguous data (a copy when the tensor
// is not contiguous, written back by finish()).
struct InPlace {
    Tensor target, work;
    void* data() { return work.defined() ? work.data_ptr() : nullptr; }
    void finish() {
        if (target.defined() && work.impl() != target.impl()) copy_(target, work);
    }
};

// Each defined operand on the input's device (the CPU kernel would read device memory, the
// device ops would refuse a mix with a less specific message).
void check_same_device(const char* op, const Tensor& input, std::initializer_list<std::pair<const Tensor*, const char*>> ts) {
    for (const auto& [t, name] : ts)
        CMP_CHECK(!t->defined() || t->device() == input.device(), DEVICE_ERROR, op,
                  ": expected all tensors on one device, got ", input.device().str(), " for the input and ",
                  t->device().str(), " for '", name, "'");
}

// t (N, C, *) as [N, C, inner] in the statistics dtype; a per-channel t as [1, C, 1].
Tensor rows_of(const Tensor& t, const cpu::BatchNormPlan& p) {
    return to_dtype(reshape(t, {p.batch, p.channels, p.inner}), p.stat_dtype);
}
Tensor per_channel(const Tensor& t, const cpu::BatchNormPlan& p) {
    return to_dtype(reshape(t, {1, p.channels, 1}), p.stat_dtype);
}
Tensor number(double v, const Tensor& like) { return scalar_tensor(scalar_float(v), like.device()); }

// A fresh [C] tensor of the statistics dtype holding t's values.
Tensor stat_copy(const Tensor& t, const cpu::BatchNormPlan& p) {
    Tensor out = Tensor::empty({p.channels}, p.stat_dtype, t.device(), "batch_norm");
    copy_(out, reshape(t, {p.channels}));
    return out;
}

// 1 / sqrt(var + eps), eps rounded to the statistics dtype as the CPU kernel does.
Tensor inverse_std(const Tensor& var, double eps) { return reciprocal(sqrt(add(var, number(eps, var), scalar_int(1)))); }

// running = (1 - momentum) * running + momentum * stat, in float64, written back in running's dtype.
void update_running(const Tensor& running, const Tensor& stat, double momentum) {
    if (!running.defined()) return;
    Tensor r = to_dtype(running, CMP_DTYPE_FLOAT64);
    r = mul(r, number(1 - momentum, r));
    add_(r, to_dtype(stat, CMP_DTYPE_FLOAT64), scalar_float(momentum));
    copy_(running, r);
}

// y = (x - mean) * (invstd * w) + b per channel, into a new tensor of the input's sizes and dtype.
Tensor normalise(const cpu::BatchNormPlan& p, const Tensor& input, const Tensor& mean, const Tensor& invstd,
                 const Tensor& weight, const Tensor& bias) {
    Tensor scale = reshape(invstd, {1, p.channels, 1});
    if (weight.defined()) scale = mul(scale, per_channel(weight, p));
    Tensor y = mul(sub(rows_of(input, p), reshape(mean, {1, p.channels, 1}), scalar_int(1)), scale);
    if (bias.defined()) add_(y, per_channel(bias, p), scalar_int(1));
    Tensor out = Tensor::empty(input.sizes(), p.dtype, input.device(), "batch_norm");
    copy_(view(out, {p.batch, p.channels, p.inner}), y);
    return out;
}

NormOutput batch_norm_on_device(const cpu::BatchNormPlan& p, const Tensor& input, const Tensor& weight, const Tensor& bias,
                                const Tensor& running_mean, const Tensor& running_var) {
    const int64_t count = p.batch * p.inner;
    NormOutput r;
    if (p.training && count == 0) {  // no statistics: NaN saved, running ones untouched (as the CPU)
        r.mean = full({p.channels}, scalar_float(std::numeric_limits<double>::quiet_NaN()), p.stat_dtype, input.device());
        r.rstd = full({p.channels}, scalar_float(std::numeric_limits<double>::quiet_NaN()), p.stat_dtype, input.device());
    } else if (p.training) {
        auto [var, mean] = var_mean(rows_of(input, p), {0, 2}, 0.0, false);
        r.mean = mean;
        r.rstd = inverse_std(var, p.eps);
        update_running(running_mean, mean, p.momentum);
        if (running_var.defined())
            update_running(running_var,
                           mul(to_dtype(var, CMP_DTYPE_FLOAT64),
                               number(static_cast<double>(count) / static_cast<double>(count - 1), var)),
                           p.momentum);
    } else {
        r.mean = stat_copy(running_mean, p);
        r.rstd = inverse_std(stat_copy(running_var, p), p.eps);
    }
    r.out = normalise(p, input, r.mean, r.rstd, weight, bias);
    return r;
}

// grad_weight = sum(dy * xhat), grad_bias = sum(dy) per channel;
// training: grad_in = w * invstd * (dy - sum(dy) / M - xhat * sum(dy * xhat) / M)
// eval:     grad_in = w * invstd * dy
NormGrads batch_norm_backward_on_device(const cpu::BatchNormPlan& p, const Tensor& grad_output, const Tensor& input,
                                        const Tensor& weight, const Tensor& save_mean, const Tensor& save_invstd) {
    const int64_t count = p.batch * p.inner;
    const Tensor dy = rows_of(grad_output, p), invstd = per_channel(save_invstd, p);
    const Tensor xhat = mul(sub(rows_of(input, p), per_channel(save_mean, p), scalar_int(1)), invstd);
    const Tensor sum_dy = sum(dy, {0, 2}, true), sum_dy_xhat = sum(mul(dy, xhat), {0, 2}, true);
    Tensor scale = weight.defined() ? mul(invstd, per_channel(weight, p)) : invstd;
    Tensor gi = dy;
    if (p.training && count > 0) {
        const Tensor m = number(static_cast<double>(count), dy);
        gi = sub(sub(dy, div(sum_dy, m), scalar_int(1)), mul(xhat, div(sum_dy_xhat, m)), scalar_int(1));
    }
    NormGrads g;
    g.grad_input = Tensor::empty(input.sizes(), p.dtype, input.device(), "batch_norm_backward");
    copy_(view(g.grad_input, {p.batch, p.channels, p.inner}), mul(gi, scale));
    g.grad_weight = Tensor::empty({p.channels}, p.dtype, input.device(), "batch_norm_backward");
    g.grad_bias = Tensor::empty({p.channels}, p.dtype, input.device(), "batch_norm_backward");
    copy_(g.grad_weight, reshape(sum_dy_xhat, {p.channels}));
    copy_(g.grad_bias, reshape(sum_dy, {p.channels}));
    return g;
}

}  // namespace

NormOutput batch_norm(const Tensor& input, const Tensor& weight, const Tensor& bias, const Tensor& running_mean,
                      const Tensor& running_var, bool training, double momentum, double eps) {
    const char* op = "batch_norm";
    const cpu::BatchNormPlan plan = plan_for(input, training, momentum, eps, op);
    const Shape param{plan.channels};
    nn_norm::check_param(weight, op, "weight", param, input.dtype());
    nn_norm::check_param(bias, op, "bias", param, input.dtype());
    nn_norm::check_param(running_mean, op, "running_mean", param, input.dtype());
    nn_norm::check_param(running_var, op, "running_var", param, input.dtype());
    if (!training) {
        CMP_CHECK(running_mean.defined() && running_var.defined(), INVALID_ARGUMENT, op,
                  ": running_mean and running_var are required in evaluation mode");
    } else {
        CMP_CHECK(plan.batch * plan.inner != 1, SHAPE_MISMATCH, op,
                  ": expected more than 1 value per channel when training, got input of shape ", input.sizes());
    }
    check_same_device(op, input, {{&weight, "weight"}, {&bias, "bias"}, {&running_mean, "running_mean"},
                                  {&running_var, "running_var"}});
    if (!input.device().is_cpu()) return batch_norm_on_device(plan, input, weight, bias, running_mean, running_var);
    const Tensor x = contiguous(input);
    Tensor keep_w, keep_b;
    InPlace rm{running_mean, running_mean.defined() ? contiguous(running_mean) : Tensor()};
    InPlace rv{running_var, running_var.defined() ? contiguous(running_var) : Tensor()};
    NormOutput r;
    r.out = Tensor::empty(input.sizes(), input.dtype(), input.device(), op);
    r.mean = Tensor::empty(param, plan.stat_dtype, input.device(), op);
    r.rstd = Tensor::empty(param, plan.stat_dtype, input.device(), op);
    cpu::BatchNormData d{x.data_ptr(), nn_norm::data_or_null(weight, keep_w), nn_norm::data_or_null(bias, keep_b),
                         rm.data(), rv.data(), r.out.data_ptr(), r.mean.data_ptr(), r.rstd.data_ptr()};
    cpu::batch_norm_stub(plan, d);
    rm.finish();
    rv.finish();
    return r;
}

NormGrads batch_norm_backward(const Tensor& grad_output, const Tensor& input, const Tensor& weight,
                              const Tensor& save_mean, const Tensor& save_invstd, bool training) {
    const char* op = "batch_norm_backward";
    const cpu::BatchNormPlan plan = plan_for(input, training, 0.0, 0.0, op);
    const Shape param{plan.channels};
    nn_norm::check_grad(grad_output, input, op, "input");
    nn_norm::check_param(weight, op, "weight", param, input.dtype());
    nn_norm::check_stat(save_mean, op, "save_mean", plan.channels, input.dtype());
    nn_norm::check_stat(save_invstd, op, "save_invstd", plan.channels, input.dtype());
    check_same_device(op, input, {{&grad_output, "grad_output"}, {&weight, "weight"}, {&save_mean, "save_mean"},
                                  {&save_invstd, "save_invstd"}});
    if (!input.device().is_cpu())
        return batch_norm_backward_on_device(plan, grad_output, input, weight, save_mean, save_invstd);
    const Tensor go = contiguous(grad_output), x = contiguous(input), m = contiguous(save_mean),
                 s = contiguous(save_invstd);
    Tensor keep_w;
    NormGrads g;
    g.grad_input = Tensor::empty(input.sizes(), input.dtype(), input.device(), op);
    g.grad_weight = Tensor::empty(param, input.dtype(), input.device(), op);
    g.grad_bias = Tensor::empty(param, input.dtype(), input.device(), op);
    cpu::BatchNormGrads a{go.data_ptr(), x.data_ptr(), nn_norm::data_or_null(weight, keep_w), m.data_ptr(), s.data_ptr(),
                          g.grad_input.data_ptr(), g.grad_weight.data_ptr(), g.grad_bias.data_ptr()};
    cpu::batch_norm_backward_stub(plan, a);
    return g;
}

}  // namespace cmp::ops
