// The CUDA backend as the core sees it. The core library never links CUDA: the backend lives in
// libcompute_cuda.so, loaded with dlopen on first use, and is reached only through the
// versioned table of cuda/backend_api.h. The library is looked for at COMPUTE_CUDA_LIBRARY
// when set, else next to libcompute itself, else on the loader's search path; a library of
// another interface version is refused with a message naming it and both versions.
#pragma once

#include "cuda/backend_api.h"

#include <cstdint>
#include <string>

namespace cmp::cuda {

using Backend = compute_cuda_backend;

// The loaded backend, or nullptr when the library is absent, incomplete or of another version;
// the first call tries to load it and remembers the outcome for the life of the process.
const Backend* backend();
// Why CUDA cannot be used: why backend() is nullptr (e.g. "libcompute_cuda.so could not be
// loaded (<dlerror>)"), or why the loaded backend sees no device; empty when devices exist.
const std::string& unavailable_reason();
// Number of usable CUDA devices; 0 when the backend is absent or sees none.
int32_t device_count();
// Throws DEVICE_ERROR "<op>: device cuda:<index> is not available: <reason>" unless the device
// exists.
void require_device(int32_t index, const char* op);
// The loaded backend (require_device must have passed for some device): throws otherwise.
const Backend& get(const char* op);
// Loads name as a backend and checks its interface, without installing it: "" when it would
// be accepted, else why not. For tests of the version check.
std::string probe_library(const std::string& name);
// Throws cmp::Error(status, "<op>: <backend message>") when status is not OK.
void check(int32_t status, const char* op);

// Whether float32 matrix products on CUDA may use TF32 tensor cores (10-bit mantissa inputs,
// float32 accumulation): PyTorch's torch.backends.cuda.matmul.allow_tf32, off by default.
// Process-wide; read by every product when it is queued.
bool allow_tf32();
void set_allow_tf32(bool allow);

// Checked wrappers over the table, throwing cmp::Error naming op. Allocations are for work on
// the calling thread's current stream of device (core/cuda_stream.h).
void* allocate(int32_t device, int64_t nbytes, const char* op);
void deallocate(void* ptr) noexcept;
cmp_memory_stats memory_stats(int32_t device, const char* op);
void empty_cache(int32_t device, const char* op);
void reset_peak_stats(int32_t device, const char* op);
// The driver's free and total bytes of device (cudaMemGetInfo).
void mem_get_info(int32_t device, int64_t* free_bytes, int64_t* total_bytes, const char* op);
void synchronize(int32_t device, const char* op);
// Synchronous copy of nbytes between any two of host memory and device memory, queued on the
// calling thread's current stream of device (so after the work queued there before it).
void copy_bytes(int32_t device, void* dst, const void* src, int64_t nbytes, const char* op);
// Queues a copy of nbytes on stream (of device) and returns; host memory must be pinned.
void copy_bytes_async(int32_t device, void* dst, const void* src, int64_t nbytes, void* stream, const char* op);

}  // namespace cmp::cuda
