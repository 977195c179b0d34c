// nonzero and masked_select on CUDA (compute_cuda_nonzero), in the CPU kernels' row-major order.
//
// COUNT: a thread per position writes the flag (the element is non-zero in its opmath) as an
// int64, CUB's inclusive sum turns the flags into positions[p] = the selected positions up to p,
// and the last one is read back: the caller sizes the result from it (one synchronisation, as in
// PyTorch). COORDS / SELECT: a thread per position that is selected (positions[p] differs from
// positions[p - 1]: the input is not read again) writes its row of coordinates, or moves its
// element of src as bits, to slot positions[p] - 1. Every slot has one writer: deterministic.
#include "cuda/advanced_index_walk.h"
#include "cuda/dtypes.cuh"
#include "cuda/element_bits.cuh"
#include "cuda/elementwise.cuh"
#include "cuda/entries.h"
#include "cuda/scratch.h"

#include <cub/device/device_scan.cuh>

#include <climits>

namespace cmp::cuda_backend {

namespace {

using cuda_index::offset_of;

struct Walk {
    int32_t ndim;
    int64_t shape[COMPUTE_CUDA_MAX_DIMS];
    int64_t in_strides[COMPUTE_CUDA_MAX_DIMS];
    int64_t src_strides[COMPUTE_CUDA_MAX_DIMS];
};

template <typename T>
__global__ void flags_kernel(Walk w, const T* in, int64_t* flags, int64_t n) {
    const int64_t step = static_cast<int64_t>(blockDim.x) * gridDim.x;
    for (int64_t p = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; p < n; p += step)
        flags[p] = to_opmath(in[offset_of(p, w.ndim, w.shape, w.in_strides)]) != opmath_t<T>(0) ? 1 : 0;
}

__device__ __forceinline__ bool selected(const int64_t* positions, int64_t p) {
    return positions[p] != (p > 0 ? positions[p - 1] : 0);
}

__global__ void coords_kernel(Walk w, const int64_t* positions, int64_t* out, int64_t n) {
    const int64_t step = static_cast<int64_t>(blockDim.x) * gridDim.x;
    for (int64_t p = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; p < n; p += step)
        if (selected(positions, p)) cuda_index::coordinates_at(p, w.ndim, w.shape, out + (positions[p] - 1) * w.ndim);
}

template <typename U>
__global__ void select_kernel(Walk w, const int64_t* positions, const U* src, U* out, int64_t n) {
    const int64_t step = static_cast<int64_t>(blockDim.x) * gridDim.x;
    for (int64_t p = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; p < n; p += step)
        if (selected(positions, p)) out[positions[p] - 1] = src[offset_of(p, w.ndim, w.shape, w.src_strides)];
}

}  // namespace

int32_t nonzero(compute_cuda_nonzero* z) {
    const char* what = "cuda nonzero";
    return run_described(what, z, [&](const compute_cuda_nonzero& d) {
        if (d.ndim < 0 || d.ndim > COMPUTE_CUDA_MAX_DIMS) fail(CMP_STATUS_INVALID_ARGUMENT, what, ": ", d.ndim, " dims");
        if (d.n > INT32_MAX) fail(CMP_STATUS_INVALID_ARGUMENT, what, ": ", d.n, " elements (at most 2^31 - 1)");
        Walk w{};
        w.ndim = d.ndim;
        for (int k = 0; k < d.ndim; ++k) {
            w.shape[k] = d.shape[k];
            w.in_strides[k] = d.in_strides[k];
            w.src_strides[k] = d.src_strides[k];
        }
        const auto s = static_cast<cudaStream_t>(d.stream);
        const unsigned blocks = blocks_for(d.n);
        switch (d.pass) {
            case COMPUTE_CUDA_NONZERO_COUNT: {
                const Scratch flags(d.device, d.n * 8, d.stream);
                CMP_CUDA_DISPATCH_ALL_TYPES(d.dtype, what, [&] {
                    flags_kernel<scalar_t><<<blocks, kThreads, 0, s>>>(w, static_cast<const scalar_t*>(d.in),
                                                                       flags.as<int64_t>(), d.n);
                });
                check(cudaGetLastError(), "cuda nonzero: flags launch");
                size_t temp_bytes = 0;
                const int items = static_cast<int>(d.n);
                check(cub::DeviceScan::InclusiveSum(nullptr, temp_bytes, flags.as<int64_t>(), d.positions, items, s),
                      "cuda nonzero: scan size");
                const Scratch temp(d.device, static_cast<int64_t>(temp_bytes), d.stream);
                check(cub::DeviceScan::InclusiveSum(temp.as<void>(), temp_bytes, flags.as<int64_t>(), d.positions, items, s),
                      "cuda nonzero: scan");
                z->count = read_index(d.positions, d.n - 1, d.stream, what);
                return;
            }
            case COMPUTE_CUDA_NONZERO_COORDS:
                coords_kernel<<<blocks, kThreads, 0, s>>>(w, d.positions, static_cast<int64_t*>(d.out), d.n);
                return;
            case COMPUTE_CUDA_NONZERO_SELECT: {
                auto launch = [&](auto zero) {
                    using U = decltype(zero);
                    select_kernel<U><<<blocks, kThreads, 0, s>>>(w, d.positions, static_cast<const U*>(d.src),
                                                                 static_cast<U*>(d.out), d.n);
                };
                with_element_bits(d.element_size, what, launch);
                return;
            }
            default: fail(CMP_STATUS_INVALID_ARGUMENT, what, ": unknown pass ", d.pass);
        }
    });
}

}  // namespace cmp::cuda_backend
