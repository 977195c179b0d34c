// The fake backend's attention entries: cuda/flash_attention.cuh's kernels, the very code
// libcompute_cuda launches, executed on the host thread by thread (simt_emulator.h), so the
// routing tests check their tiling, masking, online softmax, dropout and gradients against the
// CPU kernel without a GPU. "Device" memory is host memory in the fake.
#include "fake_attention.h"

#include "core/philox_values.h"
#include "fake_streams.h"

#include <math.h>
#include <stdint.h>

#include <string>

// Last, and in this order: the emulator defines the CUDA keywords the kernels use.
#include "simt_emulator.h"

#include "cuda/flash_attention.cuh"

namespace fake_attention {
namespace {

int32_t run(const compute_cuda_attention* a, bool backward) {
    if (!a) return fake_streams::fail(CMP_STATUS_INVALID_ARGUMENT, "fake attention: no description");
    const compute_cuda_attention d = *a;
    if (d.n == 0) return CMP_STATUS_OK;
    if (const std::string why = cmp::cuda_backend::flash::unsupported(d); !why.empty())
        return fake_streams::fail(CMP_STATUS_INVALID_ARGUMENT, ("fake attention: " + why).c_str());
    fake_streams::note_launch(d.stream);
    cmp::cuda_backend::flash::run(d, backward, [&](cmp::cuda_backend::flash::Kernel kernel, int64_t blocks) {
        simt::launch(kernel, static_cast<unsigned>(blocks), cmp::cuda_backend::flash::kThreads, d);
    });
    return CMP_STATUS_OK;
}

}  // namespace

int32_t forward(const compute_cuda_attention* a) { return run(a, false); }
int32_t backward(const compute_cuda_attention* a) { return run(a, true); }

}  // namespace fake_attention
