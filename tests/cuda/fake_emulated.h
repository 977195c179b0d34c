// The fake backend's entries that run the real kernels (fake_emulated.cpp): those of
// cuda/flash_attention.cuh and cuda/batch_norm.cuh, on the host through simt_emulator.h.
#pragma once

#include "cuda/backend_api.h"

namespace fake_emulated {

int32_t attention(const compute_cuda_attention* a);
int32_t attention_backward(const compute_cuda_attention* a);
int32_t batch_norm(const compute_cuda_batch_norm* b);
int32_t batch_norm_backward(const compute_cuda_batch_norm* b);

}  // namespace fake_emulated
