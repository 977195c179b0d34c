// The attention entries (compute_cuda_attention): cuda/flash_attention.cuh's kernels launched on
// the descriptor's stream, a block of flash::kThreads threads per tile.
#include "cuda/entries.h"
#include "cuda/flash_attention.cuh"
#include "cuda/plain_launch.h"

namespace cmp::cuda_backend {

namespace {

int32_t run_attention(const char* what, const compute_cuda_attention* desc, bool backward) {
    return run_plain_kernels(what, desc, flash::kThreads, flash::unsupported,
                             [&](const compute_cuda_attention& d, const auto& launch) { flash::run(d, backward, launch); });
}

}  // namespace

int32_t attention(const compute_cuda_attention* a) { return run_attention("cuda attention", a, false); }

int32_t attention_backward(const compute_cuda_attention* a) { return run_attention("cuda attention_backward", a, true); }

}  // namespace cmp::cuda_backend
