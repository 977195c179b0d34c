// Max, average and adaptive pooling on CUDA, forward and backward (the pool entry).
//
// Every pass runs cuda/pool_window.h's per-element functions, the windows of the CPU front-end:
// - POOL_MAX / POOL_AVG: a thread per output (grid-stride) visits its window in the CPU kernel's
//   order (d, h, w): the same maxima, indices (a NaN wins) and sums, rounding for rounding.
// - POOL_AVG_BACKWARD: a gather, a thread per input adding the shares of the windows that hold
//   it in output order (the order in which the CPU kernel adds them into its zero-filled grad_in).
// - POOL_MAX_BACKWARD: the backward sees indices only (no window), so the outputs are sorted by
//   (plane, index) with their positions (CUB's radix sort, stable), then a thread per input
//   finds its run by binary search and adds its grad_out values in position order, again the
//   CPU's order. An index check first (a word read back: synchronises the stream).
// No float atomics anywhere: the CPU's bits on every run.
#include "cuda/device_flag.h"
#include "cuda/elementwise.cuh"
#include "cuda/entries.h"
#include "cuda/pool_window.h"
#include "cuda/scratch.h"

#include <cub/device/device_radix_sort.cuh>

namespace cmp::cuda_backend {

namespace {

#define CMP_POOL_GRID_STRIDE(e, n)                                                                 \
    for (int64_t e = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x, step_ =           \
                                                                     static_cast<int64_t>(blockDim.x) * gridDim.x; \
         e < (n); e += step_)

template <typename T>
__global__ void max_kernel(compute_cuda_pool p, const T* src, T* dst, int64_t* indices) {
    CMP_POOL_GRID_STRIDE(e, p.n) cuda_pool::max_one<T>(p, src, dst, indices, e);
}

template <typename T, typename A>
__global__ void avg_kernel(compute_cuda_pool p, const T* src, T* dst) {
    CMP_POOL_GRID_STRIDE(e, p.n) cuda_pool::avg_one<T, A>(p, src, dst, e);
}

template <typename T>
__global__ void avg_backward_kernel(compute_cuda_pool p, const T* grad_out, T* grad_in) {
    CMP_POOL_GRID_STRIDE(e, p.n) grad_in[e] = cuda_pool::avg_backward_one<T>(p, grad_out, e);
}

// The sort keys of MAX_BACKWARD with their positions; a bad index raises the word with the
// complement of its position (the word keeps the first).
__global__ void max_keys_kernel(compute_cuda_pool p, int64_t count, int64_t* keys, int64_t* positions,
                                unsigned long long* bad) {
    CMP_POOL_GRID_STRIDE(o, count) {
        const int64_t k = cuda_pool::max_key(p, p.indices, o);
        if (k < 0) atomicMax(bad, ~static_cast<unsigned long long>(o));
        keys[o] = k < 0 ? 0 : k;
        positions[o] = o;
    }
}

template <typename T>
__global__ void max_backward_kernel(compute_cuda_pool p, const int64_t* keys, const int64_t* positions, int64_t count,
                                    const T* grad_out, T* grad_in) {
    CMP_POOL_GRID_STRIDE(e, p.n) grad_in[e] = cuda_pool::max_backward_one<T>(keys, positions, count, grad_out, e);
}

#undef CMP_POOL_GRID_STRIDE

template <typename T>
void max_backward(compute_cuda_pool* out, const compute_cuda_pool& p, const char* what) {
    const auto s = static_cast<cudaStream_t>(p.stream);
    const int64_t count = p.planes * cuda_pool::out_plane(p);
    if (count == 0) {
        check(cudaMemsetAsync(p.dst, 0, static_cast<size_t>(p.n) * sizeof(T), s), "cuda pool: clear");
        return;
    }
    if (count > INT32_MAX) fail(CMP_STATUS_INVALID_ARGUMENT, what, ": ", count, " indices (at most 2^31 - 1)");
    const Scratch keys(p.device, count * 8, p.stream), positions(p.device, count * 8, p.stream),
        sorted_keys(p.device, count * 8, p.stream), sorted_positions(p.device, count * 8, p.stream);
    {
        const DeviceWord<unsigned long long> bad(p.device, p.stream);
        max_keys_kernel<<<blocks_for(count), kThreads, 0, s>>>(p, count, keys.as<int64_t>(), positions.as<int64_t>(),
                                                                 bad.get());
        check(cudaGetLastError(), "cuda pool: index check launch");
        const unsigned long long word = bad.value();
        if (word != 0) {
            out->bad_position = static_cast<int64_t>(~word);
            out->bad_index = read_index(p.indices, out->bad_position, p.stream, what);
            fail(CMP_STATUS_INDEX_OUT_OF_RANGE, what, ": index ", out->bad_index,
                 " is out of range for an input plane of ", cuda_pool::in_plane(p), " elements");
        }
    }
    int end_bit = 1;
    while (end_bit < 63 && (int64_t{1} << end_bit) < p.n) ++end_bit;
    const int items = static_cast<int>(count);
    size_t temp_bytes = 0;
    check(cub::DeviceRadixSort::SortPairs(nullptr, temp_bytes, keys.as<int64_t>(), sorted_keys.as<int64_t>(),
                                          positions.as<int64_t>(), sorted_positions.as<int64_t>(), items, 0, end_bit, s),
          "cuda pool: sort size");
    const Scratch temp(p.device, static_cast<int64_t>(temp_bytes), p.stream);
    check(cub::DeviceRadixSort::SortPairs(temp.as<void>(), temp_bytes, keys.as<int64_t>(), sorted_keys.as<int64_t>(),
                                          positions.as<int64_t>(), sorted_positions.as<int64_t>(), items, 0, end_bit, s),
          "cuda pool: sort");
    max_backward_kernel<T><<<blocks_for(p.n), kThreads, 0, s>>>(p, sorted_keys.as<int64_t>(),
                                                                sorted_positions.as<int64_t>(), count,
                                                                static_cast<const T*>(p.src), static_cast<T*>(p.dst));
}

template <typename T>
void run_floating(compute_cuda_pool* out, const compute_cuda_pool& p, const char* what) {
    const auto s = static_cast<cudaStream_t>(p.stream);
    const auto* src = static_cast<const T*>(p.src);
    auto* dst = static_cast<T*>(p.dst);
    switch (p.op) {
        case COMPUTE_CUDA_POOL_MAX: max_kernel<T><<<blocks_for(p.n), kThreads, 0, s>>>(p, src, dst, p.indices); break;
        case COMPUTE_CUDA_POOL_AVG: avg_kernel<T, T><<<blocks_for(p.n), kThreads, 0, s>>>(p, src, dst); break;
        case COMPUTE_CUDA_POOL_AVG_BACKWARD: avg_backward_kernel<T><<<blocks_for(p.n), kThreads, 0, s>>>(p, src, dst); break;
        case COMPUTE_CUDA_POOL_MAX_BACKWARD: max_backward<T>(out, p, what); break;
        default: fail(CMP_STATUS_INVALID_ARGUMENT, what, ": unknown pass ", p.op);
    }
}

// int64 inputs: average pooling only (its sum in int64, divided with truncation, as the CPU).
void run_int64(const compute_cuda_pool& p, const char* what) {
    if (p.op != COMPUTE_CUDA_POOL_AVG) fail(CMP_STATUS_DTYPE_MISMATCH, what, ": pass ", p.op, " of an int64 tensor");
    avg_kernel<int64_t, int64_t><<<blocks_for(p.n), kThreads, 0, static_cast<cudaStream_t>(p.stream)>>>(
        p, static_cast<const int64_t*>(p.src), static_cast<int64_t*>(p.dst));
}

}  // namespace

int32_t pool(compute_cuda_pool* p) {
    const char* what = "cuda pool";
    return run_described(what, p, [&](const compute_cuda_pool& d) {
        for (const compute_cuda_pool_dim& dim : d.dims)
            if (dim.in_size < 1 || dim.out_size < 0 || (!dim.adaptive && (dim.stride < 1 || dim.dilation < 1)))
                fail(CMP_STATUS_INVALID_ARGUMENT, what, ": a dim of input size ", dim.in_size, ", output size ",
                     dim.out_size, ", stride ", dim.stride, ", dilation ", dim.dilation);
        switch (d.dtype) {
            case CMP_DTYPE_FLOAT32: return run_floating<float>(p, d, what);
            case CMP_DTYPE_FLOAT64: return run_floating<double>(p, d, what);
            case CMP_DTYPE_INT64: return run_int64(d, what);
            default: fail(CMP_STATUS_DTYPE_MISMATCH, what, ": dtype ", d.dtype, " (float32, float64 or int64)");
        }
    });
}

}  // namespace cmp::cuda_backend
