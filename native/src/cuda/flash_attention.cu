// The attention entries (compute_cuda_attention): cuda/flash_attention.cuh's kernels launched on
// the descriptor's stream, a block of flash::kThreads threads per tile.
#include "cuda/entries.h"
#include "cuda/flash_attention.cuh"
#include "cuda/status.h"

#include <climits>

namespace cmp::cuda_backend {

namespace {

int32_t run_attention(const char* what, const compute_cuda_attention* desc, bool backward) {
    return run_described(what, desc, [&](const compute_cuda_attention& d) {
        if (const std::string why = flash::unsupported(d); !why.empty()) fail(CMP_STATUS_INVALID_ARGUMENT, what, ": ", why);
        flash::run(d, backward, [&](flash::Kernel kernel, int64_t blocks) {
            if (blocks == 0) return;
            if (blocks > INT_MAX) fail(CMP_STATUS_INVALID_ARGUMENT, what, ": ", blocks, " blocks (batch ", d.batch, ") in one launch");
            compute_cuda_attention arg = d;
            void* args[] = {&arg};
            check(cudaLaunchKernel(reinterpret_cast<const void*>(kernel), dim3(static_cast<unsigned>(blocks)), dim3(flash::kThreads),
                                   args, 0, static_cast<cudaStream_t>(d.stream)),
                  what);
        });
    });
}

}  // namespace

int32_t attention(const compute_cuda_attention* a) { return run_attention("cuda attention", a, false); }

int32_t attention_backward(const compute_cuda_attention* a) { return run_attention("cuda attention_backward", a, true); }

}  // namespace cmp::cuda_backend
