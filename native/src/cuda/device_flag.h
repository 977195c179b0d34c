// A 32-bit flag in device memory that kernels raise (write 1 to) on a condition the host must
// turn into an error once the kernel is done, e.g. an integer division by zero, which the CPU
// reports as an error instead of returning a value. Host code only; the flag comes from the
// caching allocator (a cached 512-byte block: no cudaMalloc in the steady state) on the
// launch's stream and is cleared there before the kernel. DeviceWord<uint64_t> is the same with a
// 64-bit word, for kernels that leave a value (index.cu: the complement of the first bad
// position, by atomicMax).
#pragma once

#include "cuda/entries.h"
#include "cuda/status.h"

#include <cuda_runtime.h>

#include <cstdint>

namespace cmp::cuda_backend {

template <typename Word>
class DeviceWord {
public:
    DeviceWord(int32_t device, void* stream) : device_(device), stream_(static_cast<cudaStream_t>(stream)) {
        void* p = nullptr;
        const int32_t status = allocate(device, sizeof(Word), stream, &p);
        if (status != CMP_STATUS_OK) fail(status, last_error());
        flag_ = static_cast<Word*>(p);
        DeviceGuard g(device_);
        check(cudaMemsetAsync(flag_, 0, sizeof(Word), stream_), "cuda device flag: clear");
    }
    ~DeviceWord() { deallocate(flag_); }
    DeviceWord(const DeviceWord&) = delete;
    DeviceWord& operator=(const DeviceWord&) = delete;

    // What kernels write to.
    Word* get() const { return flag_; }

    // Waits for the stream's work so far and reads the word.
    Word value() const {
        DeviceGuard g(device_);
        Word value = 0;
        check(cudaMemcpyAsync(&value, flag_, sizeof(Word), cudaMemcpyDeviceToHost, stream_), "cuda device flag: read");
        check(cudaStreamSynchronize(stream_), "cuda device flag: synchronize");
        return value;
    }
    bool raised() const { return value() != 0; }

private:
    int32_t device_;
    cudaStream_t stream_;
    Word* flag_ = nullptr;
};

using DeviceFlag = DeviceWord<int32_t>;

}  // namespace cmp::cuda_backend
