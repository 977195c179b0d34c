// Kernels of the fused optimizer updates (ops/optim.cpp). Every kernel makes one pass over
// contiguous memory: each element's parameter and state are read once, updated in opmath
// (float32 for the 16-bit floats) and written once, with no temporaries. The arithmetic is done
// in the order PyTorch 1.13's single-tensor (foreach=False) step does it, op by op, so float32
// and float64 results agree with torch.optim to rounding.
#pragma once

#include "core/dtype.h"
#include "cpu/dispatch_stub.h"
#include "cpu/optim_update.h"

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

// The updates and their arguments are cpu/optim_update.h's (shared with the CUDA backend).
CMP_DECLARE_STUB(sgd_step_stub, void (*)(const OptimBuffers&, const SgdArgs&));
CMP_DECLARE_STUB(adam_step_stub, void (*)(const OptimBuffers&, const AdamArgs&));
CMP_DECLARE_STUB(rmsprop_step_stub, void (*)(const OptimBuffers&, const RmspropArgs&));
CMP_DECLARE_STUB(adagrad_step_stub, void (*)(const OptimBuffers&, const AdagradArgs&));

}  // namespace cmp::cpu
