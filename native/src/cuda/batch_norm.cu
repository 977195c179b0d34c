// The batch norm entries (compute_cuda_batch_norm): cuda/batch_norm.cuh's kernels launched on the
// descriptor's stream, a block per channel for the sums and a grid-stride elementwise pass.
#include "cuda/batch_norm.cuh"
#include "cuda/entries.h"
#include "cuda/plain_launch.h"

namespace cmp::cuda_backend {

namespace {

int32_t run_batch_norm(const char* what, const compute_cuda_batch_norm* desc, bool backward) {
    return run_plain_kernels(what, desc, batch_norm_kernels::kThreads, batch_norm_kernels::unsupported,
                             [&](const compute_cuda_batch_norm& d, const auto& launch) { batch_norm_kernels::run(d, backward, launch); });
}

}  // namespace

int32_t batch_norm(const compute_cuda_batch_norm* b) { return run_batch_norm("cuda batch_norm", b, false); }

int32_t batch_norm_backward(const compute_cuda_batch_norm* b) { return run_batch_norm("cuda batch_norm_backward", b, true); }

}  // namespace cmp::cuda_backend
