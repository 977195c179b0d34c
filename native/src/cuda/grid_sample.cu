// grid_sample 2-d on CUDA, forward and backward (the grid_sample entry).
//
// Every pass runs cuda/grid_sample_math.h's per-element functions, the CPU kernel's coordinate
// math and sums:
// - FORWARD: a thread per output (grid-stride) samples its channel at its grid point.
// - BACKWARD, grad_grid: a thread per sample adds its channels' terms in the CPU kernel's order.
// - BACKWARD, grad_input: a scatter with data-dependent targets, done as a gather without
//   atomics: each (sample, corner) entry gets the flat input pixel it adds to as its key (the
//   corners outside the input a key after every pixel) and its weight; CUB's radix sort, which
//   is stable, orders the entries by key with their positions, and a thread per input element
//   finds its pixel's run by binary search and adds weight times grad_output of its channel in
//   sample order, the order in which the CPU kernel adds them. The CPU's bits on every run.
#include "cuda/elementwise.cuh"
#include "cuda/entries.h"
#include "cuda/grid_sample_math.h"
#include "cuda/scratch.h"

#include <cub/device/device_radix_sort.cuh>

namespace cmp::cuda_backend {

namespace {

#define CMP_GRID_STRIDE(e, n)                                                                                       \
    for (int64_t e = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x,                                  \
                 step_ = static_cast<int64_t>(blockDim.x) * gridDim.x;                                              \
         e < (n); e += step_)

cuda_grid::Shape shape_of(const compute_cuda_grid_sample& d) {
    return {d.batch, d.channels, d.height, d.width, d.out_height, d.out_width};
}

template <typename T>
__global__ void forward_kernel(compute_cuda_grid_sample d, cuda_grid::Shape s, const T* x, const T* g, T* y) {
    CMP_GRID_STRIDE(e, d.n) y[e] = cuda_grid::forward_one<T>(d, s, x, g, e);
}

template <typename T>
__global__ void grad_grid_kernel(compute_cuda_grid_sample d, cuda_grid::Shape s, int64_t samples, const T* go,
                                 const T* x, const T* g, T* gg) {
    CMP_GRID_STRIDE(q, samples) cuda_grid::grad_grid_one<T>(d, s, go, x, g, gg, q);
}

template <typename T>
__global__ void corner_kernel(compute_cuda_grid_sample d, cuda_grid::Shape s, int64_t count, const T* g, int64_t* keys,
                              int64_t* entries, T* weights) {
    CMP_GRID_STRIDE(t, count) {
        cuda_grid::corner_entry<T>(d, s, g, t, keys + t, weights + t);
        entries[t] = t;
    }
}

template <typename T>
__global__ void grad_input_kernel(compute_cuda_grid_sample d, cuda_grid::Shape s, int64_t n_in, const int64_t* keys,
                                  const int64_t* entries, const T* weights, int64_t count, const T* go, T* gx) {
    CMP_GRID_STRIDE(e, n_in) gx[e] = cuda_grid::grad_input_one<T>(d, s, keys, entries, weights, count, go, e);
}

#undef CMP_GRID_STRIDE

template <typename T>
void backward(const compute_cuda_grid_sample& d, const char* what) {
    const auto st = static_cast<cudaStream_t>(d.stream);
    const cuda_grid::Shape s = shape_of(d);
    const auto* x = static_cast<const T*>(d.input);
    const auto* g = static_cast<const T*>(d.grid);
    const auto* go = static_cast<const T*>(d.grad_output);
    const int64_t samples = s.N * s.Ho * s.Wo, count = samples * 4, n_in = s.N * s.C * s.H * s.W;
    if (count > INT32_MAX) fail(CMP_STATUS_INVALID_ARGUMENT, what, ": ", count, " sample corners (at most 2^31 - 1)");
    grad_grid_kernel<T><<<blocks_for(samples), kThreads, 0, st>>>(d, s, samples, go, x, g, static_cast<T*>(d.grad_grid));
    const Scratch keys(d.device, count * 8, d.stream), entries(d.device, count * 8, d.stream),
        sorted_keys(d.device, count * 8, d.stream), sorted_entries(d.device, count * 8, d.stream),
        weights(d.device, count * static_cast<int64_t>(sizeof(T)), d.stream);
    corner_kernel<T><<<blocks_for(count), kThreads, 0, st>>>(d, s, count, g, keys.as<int64_t>(), entries.as<int64_t>(),
                                                             weights.as<T>());
    check(cudaGetLastError(), "cuda grid_sample: corner launch");
    // Keys run to N * H * W (the corners that add nothing).
    int end_bit = 1;
    while (end_bit < 63 && (int64_t{1} << end_bit) <= s.N * s.H * s.W) ++end_bit;
    const int items = static_cast<int>(count);
    size_t temp_bytes = 0;
    check(cub::DeviceRadixSort::SortPairs(nullptr, temp_bytes, keys.as<int64_t>(), sorted_keys.as<int64_t>(),
                                          entries.as<int64_t>(), sorted_entries.as<int64_t>(), items, 0, end_bit, st),
          "cuda grid_sample: sort size");
    const Scratch temp(d.device, static_cast<int64_t>(temp_bytes), d.stream);
    check(cub::DeviceRadixSort::SortPairs(temp.as<void>(), temp_bytes, keys.as<int64_t>(), sorted_keys.as<int64_t>(),
                                          entries.as<int64_t>(), sorted_entries.as<int64_t>(), items, 0, end_bit, st),
          "cuda grid_sample: sort");
    grad_input_kernel<T><<<blocks_for(n_in), kThreads, 0, st>>>(d, s, n_in, sorted_keys.as<int64_t>(),
                                                                sorted_entries.as<int64_t>(), weights.as<T>(), count, go,
                                                                static_cast<T*>(d.grad_input));
}

template <typename T>
void run(const compute_cuda_grid_sample& d, const char* what) {
    if (d.op == COMPUTE_CUDA_GRID_FORWARD) {
        forward_kernel<T><<<blocks_for(d.n), kThreads, 0, static_cast<cudaStream_t>(d.stream)>>>(
            d, shape_of(d), static_cast<const T*>(d.input), static_cast<const T*>(d.grid), static_cast<T*>(d.output));
    } else if (d.op == COMPUTE_CUDA_GRID_BACKWARD) {
        backward<T>(d, what);
    } else {
        fail(CMP_STATUS_INVALID_ARGUMENT, what, ": unknown pass ", d.op);
    }
}

}  // namespace

int32_t grid_sample(const compute_cuda_grid_sample* d) {
    const char* what = "cuda grid_sample";
    return run_described(what, d, [&](const compute_cuda_grid_sample& p) {
        if (p.batch < 1 || p.channels < 1 || p.height < 1 || p.width < 1 || p.out_height < 1 || p.out_width < 1)
            fail(CMP_STATUS_INVALID_ARGUMENT, what, ": sizes N ", p.batch, ", C ", p.channels, ", H ", p.height, ", W ",
                 p.width, ", Ho ", p.out_height, ", Wo ", p.out_width);
        switch (p.dtype) {
            case CMP_DTYPE_FLOAT32: return run<float>(p, what);
            case CMP_DTYPE_FLOAT64: return run<double>(p, what);
            default: fail(CMP_STATUS_DTYPE_MISMATCH, what, ": dtype ", p.dtype, " (float32 or float64)");
        }
    });
}

}  // namespace cmp::cuda_backend
