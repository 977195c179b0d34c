/*
 * compute/ops/optim.h - part of the C ABI: fused optimizer update steps (issue 5).
 *
 * Included by compute.h inside its extern "C" block; include compute/compute.h, never this file.
 * Same rules as compute.h (C99, cmp_status results, out-parameters, doc comment above each
 * declaration); the binding generator reads it through compute.h.
 *
 * Each function updates one parameter and its state buffers in place, in one pass over memory
 * with no temporaries, doing the arithmetic of PyTorch 1.13's torch.optim step (single-tensor
 * path) in the same order. param and every state buffer must be contiguous CPU tensors of one
 * floating dtype and param's shape; grad must have param's shape and dtype and may be strided
 * (it is then copied once). float16/bfloat16 compute in float32. The caller owns the state
 * (created as PyTorch creates it: zeros, or the initial accumulator for Adagrad) and the step
 * counts. A mismatch in shape or dtype fails naming the argument and both shapes/dtypes.
 */
#ifndef COMPUTE_OPS_OPTIM_H
#define COMPUTE_OPS_OPTIM_H

#ifndef COMPUTE_COMPUTE_H
#error "include <compute/compute.h> instead of compute/ops/optim.h"
#endif

/**
 * One SGD step (torch.optim.SGD): d = grad (negated when maximize) + weight_decay * param;
 * with momentum != 0 the buffer becomes d when init_buffer (the parameter's first step) and
 * momentum * buf + (1 - dampening) * d otherwise, and d is buf, or d + momentum * buf when
 * nesterov; then param -= lr * d. momentum_buffer may be NULL when momentum is 0.
 * Dtypes: floating.
 */
CMP_API cmp_status cmp_sgd_step(cmp_tensor param, cmp_tensor grad, cmp_tensor momentum_buffer, double lr, double momentum, double dampening, double weight_decay, int32_t nesterov, int32_t maximize, int32_t init_buffer);

/**
 * One Adam step (torch.optim.Adam), or AdamW's when decoupled_weight_decay is nonzero (param is
 * first multiplied by 1 - lr * weight_decay instead of the decay being added to the gradient).
 * step is the parameter's step count including this step (>= 1); the bias corrections are
 * 1 - beta^step as PyTorch computes them in double. max_exp_avg_sq is NULL unless amsgrad, in
 * which case it keeps the running maximum of exp_avg_sq and the denominator uses it.
 * Dtypes: floating.
 */
CMP_API cmp_status cmp_adam_step(cmp_tensor param, cmp_tensor grad, cmp_tensor exp_avg, cmp_tensor exp_avg_sq, cmp_tensor max_exp_avg_sq, int64_t step, double lr, double beta1, double beta2, double eps, double weight_decay, int32_t decoupled_weight_decay, int32_t maximize);

/**
 * One RMSprop step (torch.optim.RMSprop). grad_avg is NULL unless centered (then the
 * denominator is sqrt(square_avg - grad_avg^2) + eps); momentum_buffer may be NULL when
 * momentum is 0. Dtypes: floating.
 */
CMP_API cmp_status cmp_rmsprop_step(cmp_tensor param, cmp_tensor grad, cmp_tensor square_avg, cmp_tensor grad_avg, cmp_tensor momentum_buffer, double lr, double alpha, double eps, double weight_decay, double momentum, int32_t maximize);

/**
 * One Adagrad step (torch.optim.Adagrad): state_sum += grad^2 and
 * param -= clr * grad / (sqrt(state_sum) + eps) with clr = lr / (1 + (step - 1) * lr_decay);
 * step is the count including this step (>= 1). Dtypes: floating.
 */
CMP_API cmp_status cmp_adagrad_step(cmp_tensor param, cmp_tensor grad, cmp_tensor state_sum, int64_t step, double lr, double lr_decay, double weight_decay, double eps, int32_t maximize);

#endif /* COMPUTE_OPS_OPTIM_H */
