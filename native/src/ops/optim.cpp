// Validation and scalar set-up of the fused optimizer steps; the element loops are in
// cpu/kernels/optim.cpp. Hyper-parameters are checked as torch.optim's constructors check them.
#include "ops/optim.h"

#include "core/cuda_stream.h"
#include "core/error.h"
#include "cuda/optim_args.h"
#include "ops/cuda_ops.h"
#include "ops/ops.h"

#include <cmath>

namespace cmp::cpu {
CMP_DEFINE_STUB(sgd_step_stub);
CMP_DEFINE_STUB(adam_step_stub);
CMP_DEFINE_STUB(rmsprop_step_stub);
CMP_DEFINE_STUB(adagrad_step_stub);
}  // namespace cmp::cpu

namespace cmp::ops {
namespace {

// The parameter: a floating CPU tensor, updated in place, so it must be contiguous (a strided
// view would need a copy back, which is not one pass).
void check_param(const char* op, const Tensor& param) {
    CMP_CHECK(param.defined(), INVALID_ARGUMENT, op, ": param is NULL");
    CMP_CHECK(is_floating(param.dtype()), DTYPE_MISMATCH, op, ": param must be floating, got ", dtype_name(param.dtype()));
    CMP_CHECK(param.is_contiguous(), INVALID_ARGUMENT, op, ": param must be contiguous (shape ", param.sizes(), ", strides ",
              param.strides(), ")");
}

// A state buffer (or grad) must match param's shape, dtype and device.
void check_like(const char* op, const char* arg, const Tensor& t, const Tensor& param) {
    CMP_CHECK(t.defined(), INVALID_ARGUMENT, op, ": ", arg, " is NULL");
    CMP_CHECK(t.dtype() == param.dtype(), DTYPE_MISMATCH, op, ": ", arg, " has dtype ", dtype_name(t.dtype()),
              " but param has ", dtype_name(param.dtype()));
    CMP_CHECK(t.sizes() == param.sizes(), SHAPE_MISMATCH, op, ": ", arg, " has shape ", t.sizes(), " but param has ",
              param.sizes());
    CMP_CHECK(t.device() == param.device(), INVALID_ARGUMENT, op, ": ", arg, " is on ", t.device().str(),
              " but param is on ", param.device().str());
}

// A state buffer is written in place: contiguous, and not the parameter itself.
void check_state(const char* op, const char* arg, const Tensor& t, const Tensor& param) {
    check_like(op, arg, t, param);
    CMP_CHECK(t.is_contiguous(), INVALID_ARGUMENT, op, ": ", arg, " must be contiguous (shape ", t.sizes(), ", strides ",
              t.strides(), ")");
    CMP_CHECK(t.data_ptr() != param.data_ptr() || t.numel() == 0, INVALID_ARGUMENT, op, ": ", arg,
              " shares memory with param");
}

// grad is only read, so a strided one is made contiguous (the one case with a copy).
Tensor grad_arg(const char* op, const Tensor& grad, const Tensor& param) {
    check_like(op, "grad", grad, param);
    CMP_CHECK(grad.data_ptr() != param.data_ptr() || grad.numel() == 0, INVALID_ARGUMENT, op, ": grad shares memory with param");
    return grad.is_contiguous() ? grad : contiguous(grad);
}

void* state_ptr(const Tensor& t) { return t.defined() ? t.data_ptr() : nullptr; }

// The step over b on param's device: the CPU kernel (stub), or the CUDA backend's optim_step
// with the same arguments.
template <typename Args, typename Stub>
void run_step(const char* op, const Tensor& param, const cpu::OptimBuffers& b, const Args& args, Stub& stub) {
    if (param.device().is_cpu()) {
        stub(b, args);
        return;
    }
    compute_cuda_optim o = cuda_optim::pack(args);
    o.device = param.device().index;
    o.stream = cuda::current_stream(o.device);
    o.dtype = static_cast<int32_t>(b.dtype);
    o.n = b.n;
    o.param = b.param;
    o.grad = b.grad;
    o.state0 = b.state0;
    o.state1 = b.state1;
    o.state2 = b.state2;
    cuda_ops::optim_step(op, o);
}

void check_finite_nonneg(const char* op, const char* name, double v) {
    CMP_CHECK(std::isfinite(v) && v >= 0, INVALID_ARGUMENT, op, ": invalid ", name, " value: ", v);
}

void check_beta(const char* op, const char* name, double v) {
    CMP_CHECK(v >= 0 && v < 1, INVALID_ARGUMENT, op, ": invalid ", name, " parameter (must be in [0, 1)): ", v);
}

}  // namespace

void sgd_step(const Tensor& param, const Tensor& grad, const Tensor& momentum_buffer, const cpu::SgdArgs& args) {
    const char* op = "sgd_step";
    check_param(op, param);
    Tensor g = grad_arg(op, grad, param);
    check_finite_nonneg(op, "learning rate", args.lr);
    check_finite_nonneg(op, "momentum", args.momentum);
    check_finite_nonneg(op, "weight_decay", args.weight_decay);
    CMP_CHECK(!args.nesterov || (args.momentum > 0 && args.dampening == 0), INVALID_ARGUMENT, op,
              ": nesterov momentum requires a momentum and zero dampening");
    if (args.momentum != 0) {
        CMP_CHECK(momentum_buffer.defined(), INVALID_ARGUMENT, op, ": momentum_buffer is NULL but momentum is ", args.momentum);
        check_state(op, "momentum_buffer", momentum_buffer, param);
    }
    const cpu::OptimBuffers b{param.dtype(), param.numel(), param.data_ptr(), g.data_ptr(), state_ptr(momentum_buffer), nullptr,
                              nullptr};
    run_step(op, param, b, args, cpu::sgd_step_stub);
}

void adam_step(const Tensor& param, const Tensor& grad, const Tensor& exp_avg, const Tensor& exp_avg_sq,
               const Tensor& max_exp_avg_sq, int64_t step, double lr, double beta1, double beta2, double eps,
               double weight_decay, bool decoupled, bool maximize) {
    const char* op = decoupled ? "adamw_step" : "adam_step";
    check_param(op, param);
    Tensor g = grad_arg(op, grad, param);
    check_state(op, "exp_avg", exp_avg, param);
    check_state(op, "exp_avg_sq", exp_avg_sq, param);
    if (max_exp_avg_sq.defined()) check_state(op, "max_exp_avg_sq", max_exp_avg_sq, param);
    CMP_CHECK(step >= 1, INVALID_ARGUMENT, op, ": step must be >= 1 (the count including this step), got ", step);
    check_finite_nonneg(op, "learning rate", lr);
    check_finite_nonneg(op, "epsilon", eps);
    check_beta(op, "beta1", beta1);
    check_beta(op, "beta2", beta2);
    check_finite_nonneg(op, "weight_decay", weight_decay);
    // As torch.optim.adam computes them, in Python floats (double).
    const double s = static_cast<double>(step);
    const cpu::AdamArgs a{lr, beta1, beta2, eps, weight_decay, lr / (1 - std::pow(beta1, s)), std::sqrt(1 - std::pow(beta2, s)),
                          decoupled, maximize};
    const cpu::OptimBuffers b{param.dtype(), param.numel(), param.data_ptr(), g.data_ptr(), exp_avg.data_ptr(), exp_avg_sq.data_ptr(),
                              state_ptr(max_exp_avg_sq)};
    run_step(op, param, b, a, cpu::adam_step_stub);
}

void rmsprop_step(const Tensor& param, const Tensor& grad, const Tensor& square_avg, const Tensor& grad_avg,
                  const Tensor& momentum_buffer, const cpu::RmspropArgs& args) {
    const char* op = "rmsprop_step";
    check_param(op, param);
    Tensor g = grad_arg(op, grad, param);
    check_state(op, "square_avg", square_avg, param);
    if (grad_avg.defined()) check_state(op, "grad_avg", grad_avg, param);
    check_finite_nonneg(op, "learning rate", args.lr);
    check_finite_nonneg(op, "epsilon", args.eps);
    check_finite_nonneg(op, "momentum", args.momentum);
    check_finite_nonneg(op, "weight_decay", args.weight_decay);
    check_finite_nonneg(op, "alpha", args.alpha);
    if (args.momentum > 0) {
        CMP_CHECK(momentum_buffer.defined(), INVALID_ARGUMENT, op, ": momentum_buffer is NULL but momentum is ", args.momentum);
        check_state(op, "momentum_buffer", momentum_buffer, param);
    }
    const cpu::OptimBuffers b{param.dtype(), param.numel(), param.data_ptr(), g.data_ptr(), square_avg.data_ptr(),
                              state_ptr(grad_avg), args.momentum > 0 ? momentum_buffer.data_ptr() : nullptr};
    run_step(op, param, b, args, cpu::rmsprop_step_stub);
}

void adagrad_step(const Tensor& param, const Tensor& grad, const Tensor& state_sum, int64_t step, double lr, double lr_decay,
                  double weight_decay, double eps, bool maximize) {
    const char* op = "adagrad_step";
    check_param(op, param);
    Tensor g = grad_arg(op, grad, param);
    check_state(op, "state_sum", state_sum, param);
    CMP_CHECK(step >= 1, INVALID_ARGUMENT, op, ": step must be >= 1 (the count including this step), got ", step);
    check_finite_nonneg(op, "learning rate", lr);
    check_finite_nonneg(op, "lr_decay", lr_decay);
    check_finite_nonneg(op, "weight_decay", weight_decay);
    check_finite_nonneg(op, "epsilon", eps);
    const double clr = lr / (1 + static_cast<double>(step - 1) * lr_decay);
    const cpu::OptimBuffers b{param.dtype(), param.numel(), param.data_ptr(), g.data_ptr(), state_sum.data_ptr(), nullptr, nullptr};
    const cpu::AdagradArgs a{clr, eps, weight_decay, maximize};
    run_step(op, param, b, a, cpu::adagrad_step_stub);
}

}  // namespace cmp::ops
