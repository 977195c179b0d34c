// extern "C" layer of the fused optimizer steps (compute/ops/optim.h).
#include "abi/abi_util.h"
#include "ops/optim.h"

namespace cmp::abi {
namespace {
Tensor optional_state(cmp_tensor t, const char* op, const char* arg) { return t ? tensor_arg(t, op, arg) : Tensor(); }
}  // namespace
}  // namespace cmp::abi

using namespace cmp;
using namespace cmp::abi;

extern "C" {

cmp_status cmp_sgd_step(cmp_tensor param, cmp_tensor grad, cmp_tensor momentum_buffer, double lr, double momentum,
                        double dampening, double weight_decay, int32_t nesterov, int32_t maximize, int32_t init_buffer) {
    const char* op = "sgd_step";
    return guard(op, [&] {
        ops::sgd_step(tensor_arg(param, op, "param"), tensor_arg(grad, op, "grad"),
                      optional_state(momentum_buffer, op, "momentum_buffer"),
                      {lr, momentum, dampening, weight_decay, nesterov != 0, maximize != 0, init_buffer != 0});
    });
}

cmp_status cmp_adam_step(cmp_tensor param, cmp_tensor grad, cmp_tensor exp_avg, cmp_tensor exp_avg_sq, cmp_tensor max_exp_avg_sq,
                         int64_t step, double lr, double beta1, double beta2, double eps, double weight_decay,
                         int32_t decoupled_weight_decay, int32_t maximize) {
    const char* op = decoupled_weight_decay ? "adamw_step" : "adam_step";
    return guard(op, [&] {
        ops::adam_step(tensor_arg(param, op, "param"), tensor_arg(grad, op, "grad"), tensor_arg(exp_avg, op, "exp_avg"),
                       tensor_arg(exp_avg_sq, op, "exp_avg_sq"), optional_state(max_exp_avg_sq, op, "max_exp_avg_sq"), step, lr,
                       beta1, beta2, eps, weight_decay, decoupled_weight_decay != 0, maximize != 0);
    });
}

cmp_status cmp_rmsprop_step(cmp_tensor param, cmp_tensor grad, cmp_tensor square_avg, cmp_tensor grad_avg,
                            cmp_tensor momentum_buffer, double lr, double alpha, double eps, double weight_decay, double momentum,
                            int32_t maximize) {
    const char* op = "rmsprop_step";
    return guard(op, [&] {
        ops::rmsprop_step(tensor_arg(param, op, "param"), tensor_arg(grad, op, "grad"), tensor_arg(square_avg, op, "square_avg"),
                          optional_state(grad_avg, op, "grad_avg"), optional_state(momentum_buffer, op, "momentum_buffer"),
                          {lr, alpha, eps, weight_decay, momentum, maximize != 0});
    });
}

cmp_status cmp_adagrad_step(cmp_tensor param, cmp_tensor grad, cmp_tensor state_sum, int64_t step, double lr, double lr_decay,
                            double weight_decay, double eps, int32_t maximize) {
    const char* op = "adagrad_step";
    return guard(op, [&] {
        ops::adagrad_step(tensor_arg(param, op, "param"), tensor_arg(grad, op, "grad"), tensor_arg(state_sum, op, "state_sum"),
                          step, lr, lr_decay, weight_decay, eps, maximize != 0);
    });
}

}  // extern "C"
