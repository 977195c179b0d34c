// The fake backend's entries for the kernels written in the plain CUDA subset
// (cuda/plain_launch.h): cuda/flash_attention.cuh's and cuda/batch_norm.cuh's kernels, the very
// code libcompute_cuda launches, executed on the host thread by thread (simt_emulator.h), so the
// routing tests check them against the CPU kernels without a GPU. "Device" memory is host
// memory in the fake.
#include "fake_emulated.h"

#include "core/philox_values.h"
#include "fake_streams.h"

#include <math.h>
#include <stdint.h>

#include <algorithm>
#include <string>

// Last, and in this order: the emulator defines the CUDA keywords the kernels use.
#include "simt_emulator.h"

#include "cuda/batch_norm.cuh"
#include "cuda/flash_attention.cuh"

namespace fake_emulated {
namespace {

// The fake's form of cuda/plain_launch.h's run_plain_kernels: the same refusals, the launches
// on the emulator.
template <typename Desc, typename Run>
int32_t emulate(const char* what, const Desc* desc, unsigned threads, std::string (*unsupported)(const Desc&), const Run& run) {
    if (!desc) return fake_streams::fail(CMP_STATUS_INVALID_ARGUMENT, (std::string(what) + ": no description").c_str());
    const Desc d = *desc;
    if (d.n == 0) return CMP_STATUS_OK;
    if (const std::string why = unsupported(d); !why.empty())
        return fake_streams::fail(CMP_STATUS_INVALID_ARGUMENT, (std::string(what) + ": " + why).c_str());
    fake_streams::note_launch(d.stream);
    run(d, [&](void (*kernel)(Desc), int64_t blocks) { simt::launch(kernel, static_cast<unsigned>(blocks), threads, d); });
    return CMP_STATUS_OK;
}

namespace flash = cmp::cuda_backend::flash;
namespace bn = cmp::cuda_backend::batch_norm_kernels;

int32_t attention_pass(const compute_cuda_attention* a, bool backward) {
    return emulate("fake attention", a, flash::kThreads, flash::unsupported,
                   [&](const compute_cuda_attention& d, const auto& launch) { flash::run(d, backward, launch); });
}

int32_t batch_norm_pass(const compute_cuda_batch_norm* b, bool backward) {
    return emulate("fake batch_norm", b, bn::kThreads, bn::unsupported,
                   [&](const compute_cuda_batch_norm& d, const auto& launch) { bn::run(d, backward, launch); });
}

}  // namespace

int32_t attention(const compute_cuda_attention* a) { return attention_pass(a, false); }
int32_t attention_backward(const compute_cuda_attention* a) { return attention_pass(a, true); }
int32_t batch_norm(const compute_cuda_batch_norm* b) { return batch_norm_pass(b, false); }
int32_t batch_norm_backward(const compute_cuda_batch_norm* b) { return batch_norm_pass(b, true); }

}  // namespace fake_emulated
