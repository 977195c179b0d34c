// Kernels of the fused optimizer updates (ops/optim.cpp). Every kernel makes one pass over
// contiguous memory: each element's parameter and state are read once, updated in opmath
// (float32 for the 16-bit floats) and written once, with no temporaries. The arithmetic is done
// in the order PyTorch 1.13's single-tensor (foreach=False) step does it, op by op, so float32
// and float64 results agree with torch.optim to rounding.
#pragma once

#include "core/dtype.h"
#include "cpu/dispatch_stub.h"

#include <cstdint>

namespace cmp::cpu {

// The flat, contiguous buffers of one parameter: param and grad plus up to three state
// buffers (null where the optimizer's options need none), all of `dtype` and `n` elements.
struct OptimBuffers {
    DType dtype;
    int64_t n;
    void* param;
    const void* grad;
    void* state0;
    void* state1;
    void* state2;
};

// SGD: state0 = momentum buffer (null when momentum == 0). init_buffer: the buffer is set to
// the gradient (PyTorch's first momentum step, no dampening) instead of being updated.
struct SgdArgs {
    double lr, momentum, dampening, weight_decay;
    bool nesterov, maximize, init_buffer;
};
CMP_DECLARE_STUB(sgd_step_stub, void (*)(const OptimBuffers&, const SgdArgs&));

// Adam/AdamW: state0 = exp_avg, state1 = exp_avg_sq, state2 = max_exp_avg_sq (amsgrad, else
// null). step_size = lr / (1 - beta1^step) and bias_correction2_sqrt = sqrt(1 - beta2^step) are
// formed in double by the caller, as PyTorch forms them in Python floats.
struct AdamArgs {
    double lr, beta1, beta2, eps, weight_decay;
    double step_size, bias_correction2_sqrt;
    bool decoupled, maximize;
};
CMP_DECLARE_STUB(adam_step_stub, void (*)(const OptimBuffers&, const AdamArgs&));

// RMSprop: state0 = square_avg, state1 = grad_avg (centered, else null), state2 = momentum
// buffer (momentum > 0, else null).
struct RmspropArgs {
    double lr, alpha, eps, weight_decay, momentum;
    bool maximize;
};
CMP_DECLARE_STUB(rmsprop_step_stub, void (*)(const OptimBuffers&, const RmspropArgs&));

// Adagrad: state0 = sum. clr = lr / (1 + (step - 1) * lr_decay), formed by the caller.
struct AdagradArgs {
    double clr, eps, weight_decay;
    bool maximize;
};
CMP_DECLARE_STUB(adagrad_step_stub, void (*)(const OptimBuffers&, const AdagradArgs&));

}  // namespace cmp::cpu
