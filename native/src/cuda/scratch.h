// Scratch device memory for a launch's temporaries (sort buffers, CUB's temp storage) from the
// caching allocator on the launch's stream, and reading one int64 of device memory back (the bad
// index an index check found). Host code of the backend only (cuda/index.cu, cuda/pool.cu).
#pragma once

#include "cuda/entries.h"
#include "cuda/status.h"

#include <cuda_runtime.h>

#include <cstdint>

namespace cmp::cuda_backend {

class Scratch {
public:
    Scratch(int32_t device, int64_t nbytes, void* stream) {
        const int32_t status = allocate(device, nbytes, stream, &p_);
        if (status != CMP_STATUS_OK) fail(status, last_error());
    }
    ~Scratch() { deallocate(p_); }
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;
    template <typename T>
    T* as() const { return static_cast<T*>(p_); }

private:
    void* p_ = nullptr;
};

// Reads the int64 at index + offset (device memory) after the stream's work so far.
inline int64_t read_index(const int64_t* index, int64_t offset, void* stream, const char* what) {
    int64_t v = 0;
    const auto s = static_cast<cudaStream_t>(stream);
    check(cudaMemcpyAsync(&v, index + offset, sizeof(int64_t), cudaMemcpyDeviceToHost, s),
          cat(what, ": read the bad index").c_str());
    check(cudaStreamSynchronize(s), cat(what, ": synchronize").c_str());
    return v;
}

}  // namespace cmp::cuda_backend
