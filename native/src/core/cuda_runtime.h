// Run-time probe for the CUDA backend. The core library never links CUDA: the backend lives in
// libcompute_cuda.so, loaded with dlopen on first use (COMPUTE_CUDA_LIBRARY overrides the
// name), so one core binary runs on machines with and without a GPU.
#pragma once

#include <cstdint>
#include <string>

namespace cmp::cuda {

// Entry points the backend library exports with C linkage.
//   int32_t compute_cuda_device_count(void);   // usable devices, 0 when no driver/GPU
struct Backend {
    int32_t (*device_count)() = nullptr;
};

// The loaded backend, or nullptr when the library is absent or incomplete; the first call
// tries to load it and remembers the outcome (and its reason) for the life of the process.
const Backend* backend();
// Why backend() is nullptr, e.g. "libcompute_cuda.so could not be loaded (<dlerror>)".
const std::string& unavailable_reason();
// Number of usable CUDA devices; 0 when the backend is absent.
int32_t device_count();
// Throws DEVICE_ERROR "<op>: device cuda:<index> is not available: <reason>".
void require_device(int32_t index, const char* op);

}  // namespace cmp::cuda
