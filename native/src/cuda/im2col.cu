// im2col and col2im on CUDA, the column matrices of the convolutions (the products around them
// are the gemm entry's, driven by the core: ops/cuda_conv.cpp). One thread per element written
// (grid-stride) runs cuda/im2col_index.h's element function, which the fake backend runs on
// the host: im2col reads the pixel its tap sees (0 in the padding); col2im is a gather, each
// pixel summing the column entries read from it tap by tap in increasing order (no atomics:
// deterministic, and the CPU col2im's order). The index math is 64-bit throughout.
#include "cuda/elementwise.cuh"
#include "cuda/entries.h"
#include "cuda/im2col_index.h"
#include "cuda/status.h"

namespace cmp::cuda_backend {

namespace {

template <typename T>
__global__ void im2col_kernel(compute_cuda_im2col d, const T* image, T* cols) {
    const int64_t step = static_cast<int64_t>(blockDim.x) * gridDim.x;
    for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < d.n; i += step)
        cuda_im2col::im2col_element(d, i, image, cols);
}

template <typename T>
__global__ void col2im_kernel(compute_cuda_im2col d, const T* cols, const T* bias, T* image) {
    const int64_t step = static_cast<int64_t>(blockDim.x) * gridDim.x;
    for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < d.n; i += step)
        cuda_im2col::col2im_element(d, i, cols, bias, image);
}

template <typename T>
void launch(const compute_cuda_im2col& d) {
    const auto s = static_cast<cudaStream_t>(d.stream);
    if (d.col2im)
        col2im_kernel<T><<<blocks_for(d.n), kThreads, 0, s>>>(d, static_cast<const T*>(d.in),
                                                               static_cast<const T*>(d.bias), static_cast<T*>(d.out));
    else
        im2col_kernel<T><<<blocks_for(d.n), kThreads, 0, s>>>(d, static_cast<const T*>(d.in), static_cast<T*>(d.out));
}

}  // namespace

int32_t im2col(const compute_cuda_im2col* desc) {
    const char* what = desc && desc->col2im ? "cuda col2im" : "cuda im2col";
    return run_described(what, desc, [&](const compute_cuda_im2col& d) {
        const int64_t expected = d.images * d.channels *
                                 (d.col2im ? cuda_im2col::image_plane(d.geom)
                                           : cuda_im2col::kernel_volume(d.geom) * cuda_im2col::out_plane(d.geom));
        if (expected != d.n) fail(CMP_STATUS_INVALID_ARGUMENT, what, ": n is ", d.n, ", expected ", expected);
        switch (d.dtype) {
            case CMP_DTYPE_FLOAT32: launch<float>(d); break;
            case CMP_DTYPE_FLOAT64: launch<double>(d); break;
            default:
                fail(CMP_STATUS_DTYPE_MISMATCH, what, ": dtype ", d.dtype,
                     " is not supported (float32 and float64; the core computes 16-bit floats in float32)");
        }
    });
}

}  // namespace cmp::cuda_backend
