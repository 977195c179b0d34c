// The fused optimizers' arguments across the backend table: the core packs cpu/optim_update.h's
// argument structs into compute_cuda_optim (a C struct), the backend unpacks them, so both
// sides run the same update with the same numbers.
#pragma once

#include "cpu/optim_update.h"
#include "cuda/backend_api.h"

namespace cmp::cuda_optim {

inline compute_cuda_optim pack(const cpu::SgdArgs& a) {
    compute_cuda_optim o{};
    o.op = COMPUTE_CUDA_OPTIM_SGD;
    o.lr = a.lr;
    o.momentum = a.momentum;
    o.dampening = a.dampening;
    o.weight_decay = a.weight_decay;
    o.nesterov = a.nesterov;
    o.maximize = a.maximize;
    o.init_buffer = a.init_buffer;
    return o;
}

inline compute_cuda_optim pack(const cpu::AdamArgs& a) {
    compute_cuda_optim o{};
    o.op = COMPUTE_CUDA_OPTIM_ADAM;
    o.lr = a.lr;
    o.beta1 = a.beta1;
    o.beta2 = a.beta2;
    o.eps = a.eps;
    o.weight_decay = a.weight_decay;
    o.step_size = a.step_size;
    o.bias_correction2_sqrt = a.bias_correction2_sqrt;
    o.decoupled = a.decoupled;
    o.maximize = a.maximize;
    return o;
}

inline compute_cuda_optim pack(const cpu::RmspropArgs& a) {
    compute_cuda_optim o{};
    o.op = COMPUTE_CUDA_OPTIM_RMSPROP;
    o.lr = a.lr;
    o.alpha = a.alpha;
    o.eps = a.eps;
    o.weight_decay = a.weight_decay;
    o.momentum = a.momentum;
    o.maximize = a.maximize;
    return o;
}

inline compute_cuda_optim pack(const cpu::AdagradArgs& a) {
    compute_cuda_optim o{};
    o.op = COMPUTE_CUDA_OPTIM_ADAGRAD;
    o.clr = a.clr;
    o.eps = a.eps;
    o.weight_decay = a.weight_decay;
    o.maximize = a.maximize;
    return o;
}

inline cpu::SgdArgs sgd_args(const compute_cuda_optim& o) {
    return {o.lr, o.momentum, o.dampening, o.weight_decay, o.nesterov != 0, o.maximize != 0, o.init_buffer != 0};
}

inline cpu::AdamArgs adam_args(const compute_cuda_optim& o) {
    return {o.lr, o.beta1, o.beta2, o.eps, o.weight_decay, o.step_size, o.bias_correction2_sqrt, o.decoupled != 0,
            o.maximize != 0};
}

inline cpu::RmspropArgs rmsprop_args(const compute_cuda_optim& o) {
    return {o.lr, o.alpha, o.eps, o.weight_decay, o.momentum, o.maximize != 0};
}

inline cpu::AdagradArgs adagrad_args(const compute_cuda_optim& o) { return {o.clr, o.eps, o.weight_decay, o.maximize != 0}; }

}  // namespace cmp::cuda_optim
