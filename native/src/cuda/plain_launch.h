// The entries of kernels written in the plain CUDA subset that tests/cuda/simt_emulator.h can
// run (cuda/flash_attention.cuh, cuda/batch_norm.cuh): each kernel takes the entry's descriptor
// by value, and the kernel header says which launches a pass makes (its run()) and which
// descriptors it refuses (its unsupported()). The fake backend launches the same kernels on the
// emulator instead (tests/cuda/fake_emulated.cpp).
#pragma once

#include "cuda/status.h"

#include <cuda_runtime.h>

#include <climits>
#include <cstdint>
#include <string>

namespace cmp::cuda_backend {

// The entry `what` for desc: the usual checks (run_described), the kernel header's refusals,
// then run(d, launch) with launch(kernel, blocks) queuing blocks of `threads` threads on the
// descriptor's stream.
template <typename Desc, typename Run>
int32_t run_plain_kernels(const char* what, const Desc* desc, int threads, std::string (*unsupported)(const Desc&), const Run& run) {
    return run_described(what, desc, [&](const Desc& d) {
        if (const std::string why = unsupported(d); !why.empty()) fail(CMP_STATUS_INVALID_ARGUMENT, what, ": ", why);
        run(d, [&](void (*kernel)(Desc), int64_t blocks) {
            if (blocks == 0) return;
            if (blocks > INT_MAX) fail(CMP_STATUS_INVALID_ARGUMENT, what, ": ", blocks, " blocks in one launch");
            Desc arg = d;
            void* args[] = {&arg};
            check(cudaLaunchKernel(reinterpret_cast<const void*>(kernel), dim3(static_cast<unsigned>(blocks)),
                                   dim3(static_cast<unsigned>(threads)), args, 0, static_cast<cudaStream_t>(d.stream)),
                  what);
        });
    });
}

}  // namespace cmp::cuda_backend
