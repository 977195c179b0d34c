// Front-ends of batch norm (training and evaluation) and its backward; the kernels are in
// cpu/kernels/nn_norm_batch.cpp. The input (N, C, *) is seen as contiguous [N, C, inner].
#include "core/error.h"
#include "cpu/nn_norm_stubs.h"
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
