// Thread-local error messages, CUDA error checks and the device guard of the backend.
#include "cuda/status.h"

#include <utility>

namespace cmp::cuda_backend {

namespace {
thread_local std::string t_last_error;
}  // namespace

void set_last_error(std::string message) { t_last_error = std::move(message); }

const char* last_error() { return t_last_error.c_str(); }

void check(cudaError_t err, const char* what) {
    if (err == cudaSuccess) return;
    cudaGetLastError();  // clears the error so it is not reported again by the next call
    const int32_t status = err == cudaErrorMemoryAllocation ? CMP_STATUS_OUT_OF_MEMORY : CMP_STATUS_DEVICE_ERROR;
    fail(status, what, ": ", cudaGetErrorName(err), ": ", cudaGetErrorString(err));
}

DeviceGuard::DeviceGuard(int32_t device) {
    check(cudaGetDevice(&previous_), "cudaGetDevice");
    if (previous_ != device) check(cudaSetDevice(device), "cudaSetDevice");
}

DeviceGuard::~DeviceGuard() {
    int current = -1;
    if (cudaGetDevice(&current) == cudaSuccess && current != previous_) cudaSetDevice(previous_);
}

void check_device(int32_t device, const char* what) {
    int count = 0;
    if (cudaGetDeviceCount(&count) != cudaSuccess) {
        cudaGetLastError();
        count = 0;
    }
    if (device < 0 || device >= count)
        fail(CMP_STATUS_DEVICE_ERROR, what, ": device cuda:", device, " does not exist (", count, " CUDA device(s))");
}

}  // namespace cmp::cuda_backend
