// Batch norm on CUDA, fused (compute_cuda_batch_norm, backend_api_nn.h): a few launches each way
// where a composition of device ops took about twenty.
//
// A channel's values are split into slices, up to COMPUTE_CUDA_BATCH_NORM_MAX_SPLITS of at least
// kThreads * kValuesPerThread values each, a block per (channel, slice), so that few channels
// with many values still fill the GPU. Forward (training): the slices' sums, then (every block
// adding the channel's slice sums in the same order for the mean) their sums of squared
// deviations from the mean, two passes in the accumulation type (as accurate as the CPU's
// Welford merge when |mean| >> std); a thread per channel adds the slices in order into mean and
// invstd = 1 / sqrt(var + eps) and updates the running statistics in float64 as the CPU kernel
// evaluates them (evaluation: reads the running ones); then one elementwise pass
// y = (x - mean) * (invstd * w) + b. Backward: the slices' sum(dy) and sum(dy * xhat), a thread
// per channel adding them into grad_bias and grad_weight, then one elementwise pass
// grad_in = invstd * w * (dy - sum(dy) / M - xhat * sum(dy * xhat) / M) (evaluation:
// invstd * w * dy). Block sums are a tree in shared memory, the slices added in order: no
// atomics, the same bits every run.
//
// Written in the plain subset of CUDA that tests/cuda/simt_emulator.h runs on the host (see
// cuda/flash_attention.cuh): the fake backend executes these kernels, so the routing tests
// compare them with the CPU without a GPU. Elements are float32 or float64 (the core converts
// 16-bit operands to float32, the statistics dtype).
#pragma once

#include "cuda/backend_api.h"

#include <math.h>
#include <stdint.h>

#include <algorithm>
#include <string>

namespace cmp::cuda_backend::batch_norm_kernels {

constexpr int kThreads = 256;
// Elementwise passes: at most this many blocks, each striding over the rest.
constexpr int64_t kMaxApplyBlocks = 4096;

template <typename T>
struct BlockSums {
    T a[kThreads], b[kThreads];
};

// a and b summed over the block's threads, for every thread: a tree in shared memory.
template <typename T>
__device__ __forceinline__ void block_sums(BlockSums<T>& sh, T& a, T& b) {
    const int tid = static_cast<int>(threadIdx.x);
    sh.a[tid] = a;
    sh.b[tid] = b;
    __syncthreads();
    for (int half = kThreads / 2; half > 0; half /= 2) {
        if (tid < half) {
            sh.a[tid] += sh.a[tid + half];
            sh.b[tid] += sh.b[tid + half];
        }
        __syncthreads();
    }
    a = sh.a[0];
    b = sh.b[0];
    __syncthreads();  // everyone has read the totals before the arrays are written again
}

// A split takes at least this many values per thread of its block.
constexpr int64_t kValuesPerThread = 8;
constexpr int kMaxSplits = COMPUTE_CUDA_BATCH_NORM_MAX_SPLITS;

// How many slices a channel's values are split into.
__host__ __device__ __forceinline__ int64_t splits_of(const compute_cuda_batch_norm& d) {
    const int64_t count = d.batch * d.inner, per = kThreads * kValuesPerThread;
    const int64_t s = (count + per - 1) / per;
    return s < 1 ? 1 : s > kMaxSplits ? kMaxSplits : s;
}

// The block's channel and slice [begin, end) of that channel's batch * inner values.
struct Slice {
    int64_t c, p, begin, end;
};

__device__ __forceinline__ Slice slice_of_block(const compute_cuda_batch_norm& d) {
    const int64_t splits = splits_of(d), count = d.batch * d.inner, chunk = (count + splits - 1) / splits;
    const int64_t c = static_cast<int64_t>(blockIdx.x) / splits, p = static_cast<int64_t>(blockIdx.x) % splits;
    const int64_t begin = p * chunk, end = begin + chunk < count ? begin + chunk : count;
    return {c, p, begin, end < begin ? begin : end};
}

// f(k) for the offset k of every value of the slice in the dense [batch, channels, inner]
// tensor, the block's threads taking turns. With runs of at least a block's length, run by run
// (coalesced, no division); shorter runs as one flat index split by division.
template <typename F>
__device__ __forceinline__ void for_each_in_slice(const compute_cuda_batch_norm& d, const Slice& s, const F& f) {
    const int tid = static_cast<int>(threadIdx.x);
    if (d.inner >= kThreads) {
        for (int64_t n = s.begin / d.inner; n * d.inner < s.end; ++n) {
            const int64_t base = (n * d.channels + s.c) * d.inner, first = n * d.inner;
            const int64_t lo = s.begin > first ? s.begin - first : 0, hi = s.end - first < d.inner ? s.end - first : d.inner;
            for (int64_t i = lo + tid; i < hi; i += kThreads) f(base + i);
        }
        return;
    }
    for (int64_t idx = s.begin + tid; idx < s.end; idx += kThreads) f((idx / d.inner * d.channels + s.c) * d.inner + idx % d.inner);
}

// The two partial-sum arrays of the workspace: [channels][kMaxSplits] each.
template <typename T>
__device__ __forceinline__ T* partials(const compute_cuda_batch_norm& d, int which) {
    return static_cast<T*>(d.workspace) + which * d.channels * kMaxSplits;
}

// Channel c's slice sums of one partial array, added in slice order.
template <typename T>
__device__ __forceinline__ T channel_total(const compute_cuda_batch_norm& d, const T* part, int64_t c) {
    T total = 0;
    for (int64_t p = 0; p < splits_of(d); ++p) total += part[c * kMaxSplits + p];
    return total;
}

// f(k, c) for every element k of the dense [batch, channels, inner] tensor and its channel c,
// grid-stride. Index is uint32_t when the tensor has fewer than 2^32 elements (GPU integer
// division is much cheaper in 32 bits), else int64_t.
template <typename Index, typename F>
__device__ __forceinline__ void for_each_element(const compute_cuda_batch_norm& d, const F& f) {
    const Index total = static_cast<Index>(d.batch * d.channels * d.inner), inner = static_cast<Index>(d.inner),
                channels = static_cast<Index>(d.channels), step = static_cast<Index>(gridDim.x) * kThreads;
    for (Index k = static_cast<Index>(blockIdx.x) * kThreads + static_cast<Index>(threadIdx.x); k < total; k += step)
        f(static_cast<int64_t>(k), static_cast<int64_t>(k / inner % channels));
}

__device__ __forceinline__ float sqrt_of(float x) { return sqrtf(x); }
__device__ __forceinline__ double sqrt_of(double x) { return sqrt(x); }

// (1 - momentum) * running + momentum * stat in float64, as the CPU kernel evaluates it.
template <typename T>
__device__ __forceinline__ T running_update(double momentum, T running, T stat) {
    return static_cast<T>((1 - momentum) * static_cast<double>(running) + momentum * static_cast<double>(stat));
}

// Training, first pass: each slice's sum of x (partials 0).
template <typename T>
__global__ void __launch_bounds__(kThreads) slice_sums_kernel(const compute_cuda_batch_norm d) {
    __shared__ BlockSums<T> sh;
    const Slice s = slice_of_block(d);
    const T* x = static_cast<const T*>(d.x);
    T sum = 0, unused = 0;
    for_each_in_slice(d, s, [&](int64_t k) { sum += x[k]; });
    block_sums(sh, sum, unused);
    if (threadIdx.x == 0) partials<T>(d, 0)[s.c * kMaxSplits + s.p] = sum;
}

// Training, second pass: each slice's sum of (x - mean)^2 (partials 1), the mean from the
// channel's slice sums.
template <typename T>
__global__ void __launch_bounds__(kThreads) slice_squares_kernel(const compute_cuda_batch_norm d) {
    __shared__ BlockSums<T> sh;
    const Slice s = slice_of_block(d);
    const T mean = channel_total(d, partials<T>(d, 0), s.c) / static_cast<T>(d.batch * d.inner);
    const T* x = static_cast<const T*>(d.x);
    T sq = 0, unused = 0;
    for_each_in_slice(d, s, [&](int64_t k) {
        const T delta = x[k] - mean;
        sq += delta * delta;
    });
    block_sums(sh, sq, unused);
    if (threadIdx.x == 0) partials<T>(d, 1)[s.c * kMaxSplits + s.p] = sq;
}

// save_mean[c], save_invstd[c] and the running statistics, a thread per channel.
template <typename T>
__global__ void __launch_bounds__(kThreads) finalize_stats_kernel(const compute_cuda_batch_norm d) {
    const int64_t c = static_cast<int64_t>(blockIdx.x) * kThreads + threadIdx.x, count = d.batch * d.inner;
    if (c >= d.channels) return;
    T* rm = static_cast<T*>(d.running_mean);
    T* rv = static_cast<T*>(d.running_var);
    T mean, invstd;
    if (!d.training) {
        mean = rm[c];
        invstd = T(1) / sqrt_of(rv[c] + static_cast<T>(d.eps));
    } else if (count == 0) {
        // An empty batch has no statistics: NaN saved, the running ones untouched (as the CPU).
        mean = invstd = static_cast<T>(NAN);
    } else {
        mean = channel_total(d, partials<T>(d, 0), c) / static_cast<T>(count);
        const T sq = channel_total(d, partials<T>(d, 1), c);
        invstd = T(1) / sqrt_of(sq / static_cast<T>(count) + static_cast<T>(d.eps));
        if (rm) rm[c] = running_update(d.momentum, rm[c], mean);
        // The running variance takes the unbiased one, as PyTorch's.
        if (rv) rv[c] = running_update(d.momentum, rv[c], sq / static_cast<T>(count - 1));
    }
    static_cast<T*>(d.save_mean)[c] = mean;
    static_cast<T*>(d.save_invstd)[c] = invstd;
}

// y = (x - mean) * (invstd * w) + b, element by element.
template <typename T, typename Index>
__global__ void __launch_bounds__(kThreads) normalize_kernel(const compute_cuda_batch_norm d) {
    const T* w = static_cast<const T*>(d.weight);
    const T* b = static_cast<const T*>(d.bias);
    for_each_element<Index>(d, [&](int64_t k, int64_t c) {
        const T scale = static_cast<const T*>(d.save_invstd)[c] * (w ? w[c] : T(1));
        const T shift = b ? b[c] : T(0);
        static_cast<T*>(d.y)[k] = (static_cast<const T*>(d.x)[k] - static_cast<const T*>(d.save_mean)[c]) * scale + shift;
    });
}

// Backward: each slice's sum(dy) (partials 0) and sum(dy * xhat) (partials 1).
template <typename T>
__global__ void __launch_bounds__(kThreads) slice_grad_sums_kernel(const compute_cuda_batch_norm d) {
    __shared__ BlockSums<T> sh;
    const Slice s = slice_of_block(d);
    const T mean = static_cast<const T*>(d.save_mean)[s.c], invstd = static_cast<const T*>(d.save_invstd)[s.c];
    const T* x = static_cast<const T*>(d.x);
    const T* dy = static_cast<const T*>(d.grad_out);
    T sum_dy = 0, sum_dy_xhat = 0;
    for_each_in_slice(d, s, [&](int64_t k) {
        sum_dy += dy[k];
        sum_dy_xhat += dy[k] * (x[k] - mean) * invstd;
    });
    block_sums(sh, sum_dy, sum_dy_xhat);
    if (threadIdx.x == 0) {
        partials<T>(d, 0)[s.c * kMaxSplits + s.p] = sum_dy;
        partials<T>(d, 1)[s.c * kMaxSplits + s.p] = sum_dy_xhat;
    }
}

// grad_bias[c] and grad_weight[c] from the slices, a thread per channel.
template <typename T>
__global__ void __launch_bounds__(kThreads) finalize_grad_sums_kernel(const compute_cuda_batch_norm d) {
    const int64_t c = static_cast<int64_t>(blockIdx.x) * kThreads + threadIdx.x;
    if (c >= d.channels) return;
    static_cast<T*>(d.grad_bias)[c] = channel_total(d, partials<T>(d, 0), c);
    static_cast<T*>(d.grad_weight)[c] = channel_total(d, partials<T>(d, 1), c);
}

// grad_in from dy, x and the channel sums, element by element.
template <typename T, typename Index>
__global__ void __launch_bounds__(kThreads) grad_input_kernel(const compute_cuda_batch_norm d) {
    const T count = static_cast<T>(d.batch * d.inner);
    const bool centred = d.training && d.batch * d.inner > 0;
    const T* w = static_cast<const T*>(d.weight);
    for_each_element<Index>(d, [&](int64_t k, int64_t c) {
        const T mean = static_cast<const T*>(d.save_mean)[c], invstd = static_cast<const T*>(d.save_invstd)[c];
        const T scale = invstd * (w ? w[c] : T(1));
        const T a = centred ? static_cast<const T*>(d.grad_bias)[c] / count : T(0);
        const T bq = centred ? static_cast<const T*>(d.grad_weight)[c] / count : T(0);
        const T xhat = (static_cast<const T*>(d.x)[k] - mean) * invstd;
        static_cast<T*>(d.grad_in)[k] = scale * (static_cast<const T*>(d.grad_out)[k] - a - xhat * bq);
    });
}

// Why d cannot run here (a sentence for the error), or empty.
inline std::string unsupported(const compute_cuda_batch_norm& d) {
    if (d.dtype != CMP_DTYPE_FLOAT32 && d.dtype != CMP_DTYPE_FLOAT64)
        return "float32 or float64 elements only, got dtype " + std::to_string(d.dtype);
    if (d.batch < 0 || d.channels < 0 || d.inner < 0)
        return "negative size (batch " + std::to_string(d.batch) + ", channels " + std::to_string(d.channels) + ", inner " +
               std::to_string(d.inner) + ")";
    // The evaluation forward (the pass that writes y) reads the running statistics.
    if (d.y && !d.training && (!d.running_mean || !d.running_var)) return "evaluation without running statistics";
    if (!d.workspace) return "no workspace";
    return {};
}

template <typename T, typename Launch>
void launches_of(const compute_cuda_batch_norm& d, bool backward, const Launch& launch) {
    const int64_t total = d.batch * d.channels * d.inner, slices = d.channels * splits_of(d);
    const int64_t per_channel = (d.channels + kThreads - 1) / kThreads;
    const int64_t apply_blocks = std::min<int64_t>((total + kThreads - 1) / kThreads, kMaxApplyBlocks);
    // 32-bit index math while the last step of the grid stride still fits.
    const bool narrow = total + kMaxApplyBlocks * kThreads <= static_cast<int64_t>(UINT32_MAX);
    if (backward) {
        launch(&slice_grad_sums_kernel<T>, slices);
        launch(&finalize_grad_sums_kernel<T>, per_channel);
        launch(narrow ? &grad_input_kernel<T, uint32_t> : &grad_input_kernel<T, int64_t>, apply_blocks);
        return;
    }
    if (d.training) {
        launch(&slice_sums_kernel<T>, slices);
        launch(&slice_squares_kernel<T>, slices);
    }
    launch(&finalize_stats_kernel<T>, per_channel);
    launch(narrow ? &normalize_kernel<T, uint32_t> : &normalize_kernel<T, int64_t>, apply_blocks);
}

// The pass's launches (kernel, blocks of kThreads threads), in order, for d (which passed
// unsupported()).
template <typename Launch>
void run(const compute_cuda_batch_norm& d, bool backward, const Launch& launch) {
    if (d.dtype == CMP_DTYPE_FLOAT64) launches_of<double>(d, backward, launch);
    else launches_of<float>(d, backward, launch);
}

}  // namespace cmp::cuda_backend::batch_norm_kernels
