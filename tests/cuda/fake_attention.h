// The fake backend's attention entries (fake_attention.cpp): the real kernels of
// cuda/flash_attention.cuh, run on the host by simt_emulator.h.
#pragma once

#include "cuda/backend_api.h"

namespace fake_attention {

int32_t forward(const compute_cuda_attention* a);
int32_t backward(const compute_cuda_attention* a);

}  // namespace fake_attention
