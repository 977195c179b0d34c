// extern "C" layer of the fused optimizer steps (compute/ops/optim.h).
#include "abi/abi_util.h"
#include "ops/optim.h"

#include <initializer_list>

namespace cmp::abi {
namespace {
Tensor optional_state(cmp_tensor t, const char* op, const char* arg) { return t ? tensor_arg(t, op, arg) : Tensor(); }

// A step writes the parameter and its state in place: bump their version counters (autograd
// then refuses a backward through a graph that saved one of them before the step).
void mark_all_written(std::initializer_list<const Tensor*> tensors) {
    for (const Tensor* t : tensors) {
        if (t && t->defined()) mark_written(*t);
    }
}
}  // namespace
}  // namespace cmp::abi

using namespace cmp;
using namespace cmp::abi;

extern "C" {

cmp_status cmp_sgd_step(cmp_tensor param, cmp_tensor grad, cmp_tensor momentum_buffer, double lr, double momentum,
                        double dampening, double weight_decay, int32_t nesterov, int32_t maximize, int32_t init_buffer) {
    const char* op = "sgd_step";
    return guard(op, [&] {
        Tensor p = tensor_arg(param, op, "param"), buf = optional_state(momentum_buffer, op, "momentum_buffer");
        ops::sgd_step(p, tensor_arg(grad, op, "grad"), buf,
                      {lr, momentum, dampening, weight_decay, nesterov != 0, maximize != 0, init_buffer != 0});
        mark_all_written({&p, momentum != 0 ? &buf : nullptr});
    });
}

cmp_status cmp_adam_step(cmp_tensor param, cmp_tensor grad, cmp_tensor exp_avg, cmp_tensor exp_avg_sq, cmp_tensor max_exp_avg_sq,
                         int64_t step, double lr, double beta1, double beta2, double eps, double weight_decay,
                         int32_t decoupled_weight_decay, int32_t maximize) {
    const char* op = decoupled_weight_decay ? "adamw_step" : "adam_step";
    return guard(op, [&] {
        Tensor p = tensor_arg(param, op, "param"), m = tensor_arg(exp_avg, op, "exp_avg"), v = tensor_arg(exp_avg_sq, op, "exp_avg_sq");
        Tensor vmax = optional_state(max_exp_avg_sq, op, "max_exp_avg_sq");
        ops::adam_step(p, tensor_arg(grad, op, "grad"), m, v, vmax, step, lr, beta1, beta2, eps, weight_decay,
                       decoupled_weight_decay != 0, maximize != 0);
        mark_all_written({&p, &m, &v, &vmax});
    });
}

cmp_status cmp_rmsprop_step(cmp_tensor param, cmp_tensor grad, cmp_tensor square_avg, cmp_tensor grad_avg,
                            cmp_tensor momentum_buffer, double lr, double alpha, double eps, double weight_decay, double momentum,
                            int32_t maximize) {
    const char* op = "rmsprop_step";
    return guard(op, [&] {
        Tensor p = tensor_arg(param, op, "param"), sq = tensor_arg(square_avg, op, "square_avg");
        Tensor ga = optional_state(grad_avg, op, "grad_avg"), buf = optional_state(momentum_buffer, op, "momentum_buffer");
        ops::rmsprop_step(p, tensor_arg(grad, op, "grad"), sq, ga, buf, {lr, alpha, eps, weight_decay, momentum, maximize != 0});
        mark_all_written({&p, &sq, &ga, momentum > 0 ? &buf : nullptr});
    });
}

cmp_status cmp_adagrad_step(cmp_tensor param, cmp_tensor grad, cmp_tensor state_sum, int64_t step, double lr, double lr_decay,
                            double weight_decay, double eps, int32_t maximize) {
    const char* op = "adagrad_step";
    return guard(op, [&] {
        Tensor p = tensor_arg(param, op, "param"), sum = tensor_arg(state_sum, op, "state_sum");
        ops::adagrad_step(p, tensor_arg(grad, op, "grad"), sum, step, lr, lr_decay, weight_decay, eps, maximize != 0);
        mark_all_written({&p, &sum});
    });
}

}  // extern "C"
