// A 32-bit flag in device memory that kernels raise (write 1 to) on a condition the host must
// turn into an error once the kernel is done, e.g. an integer division by zero, which the CPU
// reports as an error instead of returning a value. Host code only; the flag comes from the
// caching allocator (a cached 512-byte block: no cudaMalloc in the steady state) on the
// launch's stream and is cleared there before the kernel.
#pragma once

#include "cuda/entries.h"
#include "cuda/status.h"

#include <cuda_runtime.h>

#include <cstdint>

namespace cmp::cuda_backend {

class DeviceFlag {
public:
    DeviceFlag(int32_t device, void* stream) : device_(device), stream_(static_cast<cudaStream_t>(stream)) {
        void* p = nullptr;
        const int32_t status = allocate(device, sizeof(int32_t), stream, &p);
        if (status != CMP_STATUS_OK) fail(status, last_error());
        flag_ = static_cast<int32_t*>(p);
        DeviceGuard g(device_);
        check(cudaMemsetAsync(flag_, 0, sizeof(int32_t), stream_), "cuda device flag: clear");
    }
    ~DeviceFlag() { deallocate(flag_); }
    DeviceFlag(const DeviceFlag&) = delete;
    DeviceFlag& operator=(const DeviceFlag&) = delete;

    // What kernels write to.
    int32_t* get() const { return flag_; }

    // Waits for the stream's work so far and reads the flag.
    bool raised() const {
        DeviceGuard g(device_);
        int32_t value = 0;
        check(cudaMemcpyAsync(&value, flag_, sizeof(int32_t), cudaMemcpyDeviceToHost, stream_), "cuda device flag: read");
        check(cudaStreamSynchronize(stream_), "cuda device flag: synchronize");
        return value != 0;
    }

private:
    int32_t device_;
    cudaStream_t stream_;
    int32_t* flag_ = nullptr;
};

}  // namespace cmp::cuda_backend
