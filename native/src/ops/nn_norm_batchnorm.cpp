// Front-ends of batch norm (training and evaluation) and its backward; the kernels are in
// cpu/kernels/nn_norm_batch.cpp. The input (N, C, *) is seen as contiguous [N, C, inner].
//
// On a CUDA device the backend's fused kernels (cuda/batch_norm.cuh) do the same in the
// statistics dtype A (float32 for float32, float16 and bfloat16, float64 for float64, as
// PyTorch's CUDA batch norm accumulates): 16-bit operands are converted to float32 first and the
// results back, and running statistics of another dtype or layout are updated in a float32 copy
// that is copied back. The kernels' two-pass statistics and block sums add in another order than
// the CPU kernel's Welford merge, so the results agree within rounding, not bit for bit
// (docs/CUDA.md).
#include "core/error.h"
#include "cpu/nn_norm_stubs.h"
#include "ops/cuda_ops.h"
#include "ops/nn_norm.h"
#include "ops/nn_norm_util.h"
#include "ops/ops.h"

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

// t in the statistics dtype, dense (t itself when it already is); undefined stays undefined.
Tensor in_stat_dtype(const Tensor& t, const cpu::BatchNormPlan& p) {
    return t.defined() ? contiguous(to_dtype(t, p.stat_dtype)) : Tensor();
}

// The fused kernels' descriptor of the plan's sizes and their workspace (held by `workspace`);
// operands are the caller's.
compute_cuda_batch_norm fused_args(const cpu::BatchNormPlan& p, bool training, Device device, Tensor& workspace) {
    workspace = Tensor::empty({2 * p.channels * COMPUTE_CUDA_BATCH_NORM_MAX_SPLITS}, p.stat_dtype, device, "batch_norm");
    compute_cuda_batch_norm d{};
    d.workspace = workspace.data_ptr();
    d.dtype = static_cast<int32_t>(p.stat_dtype);
    d.n = p.channels;
    d.batch = p.batch;
    d.channels = p.channels;
    d.inner = p.inner;
    d.training = training ? 1 : 0;
    d.momentum = p.momentum;
    d.eps = p.eps;
    return d;
}

// t itself when it has the input's dtype, else converted to it.
Tensor in_dtype(const Tensor& t, const cpu::BatchNormPlan& p) { return t.dtype() == p.dtype ? t : to_dtype(t, p.dtype); }

NormOutput batch_norm_on_device(const cpu::BatchNormPlan& p, const Tensor& input, const Tensor& weight, const Tensor& bias,
                                const Tensor& running_mean, const Tensor& running_var) {
    const Device device = input.device();
    const Tensor x = in_stat_dtype(input, p), w = in_stat_dtype(weight, p), b = in_stat_dtype(bias, p);
    InPlace rm{running_mean, in_stat_dtype(running_mean, p)}, rv{running_var, in_stat_dtype(running_var, p)};
    NormOutput r;
    const Tensor y = Tensor::empty(input.sizes(), p.stat_dtype, device, "batch_norm");
    r.mean = Tensor::empty({p.channels}, p.stat_dtype, device, "batch_norm");
    r.rstd = Tensor::empty({p.channels}, p.stat_dtype, device, "batch_norm");
    Tensor workspace;
    compute_cuda_batch_norm d = fused_args(p, p.training, device, workspace);
    d.x = x.data_ptr();
    d.weight = w.defined() ? w.data_ptr() : nullptr;
    d.bias = b.defined() ? b.data_ptr() : nullptr;
    d.running_mean = rm.data();
    d.running_var = rv.data();
    d.y = y.data_ptr();
    d.save_mean = r.mean.data_ptr();
    d.save_invstd = r.rstd.data_ptr();
    cuda_ops::batch_norm("batch_norm", d, false, device);
    if (p.training) {
        rm.finish();
        rv.finish();
    }
    r.out = in_dtype(y, p);
    return r;
}

NormGrads batch_norm_backward_on_device(const cpu::BatchNormPlan& p, const Tensor& grad_output, const Tensor& input,
                                        const Tensor& weight, const Tensor& save_mean, const Tensor& save_invstd) {
    const char* op = "batch_norm_backward";
    const Device device = input.device();
    const Tensor go = in_stat_dtype(grad_output, p), x = in_stat_dtype(input, p), w = in_stat_dtype(weight, p),
                 mean = in_stat_dtype(save_mean, p), invstd = in_stat_dtype(save_invstd, p);
    const Tensor gi = Tensor::empty(input.sizes(), p.stat_dtype, device, op);
    const Tensor gw = Tensor::empty({p.channels}, p.stat_dtype, device, op), gb = Tensor::empty({p.channels}, p.stat_dtype, device, op);
    Tensor workspace;
    compute_cuda_batch_norm d = fused_args(p, p.training, device, workspace);
    d.x = x.data_ptr();
    d.weight = w.defined() ? w.data_ptr() : nullptr;
    d.save_mean = mean.data_ptr();
    d.save_invstd = invstd.data_ptr();
    d.grad_out = go.data_ptr();
    d.grad_in = gi.data_ptr();
    d.grad_weight = gw.data_ptr();
    d.grad_bias = gb.data_ptr();
    cuda_ops::batch_norm(op, d, true, device);
    return {in_dtype(gi, p), in_dtype(gw, p), in_dtype(gb, p)};
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
