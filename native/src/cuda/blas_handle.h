// cuBLAS handles of the backend: one per device and thread (a handle is not safe to share
// between threads that use it at the same time), created on a thread's first product on that
// device and destroyed when the backend goes away. cuBLAS failures become the backend's
// Failure with a message naming the call and what it was asked to do.
#pragma once

#include <cublas_v2.h>

#include <cstdint>
#include <string>

namespace cmp::cuda_backend {

// The calling thread's handle of device (which must be the current device: the handle belongs
// to the device current when it was created), bound to stream.
cublasHandle_t blas_handle(int32_t device, cudaStream_t stream);

// Throws DEVICE_ERROR (OUT_OF_MEMORY for CUBLAS_STATUS_ALLOC_FAILED) "<what>: <status name>:
// <description>" unless status is CUBLAS_STATUS_SUCCESS.
void check_blas(cublasStatus_t status, const std::string& what);

}  // namespace cmp::cuda_backend
