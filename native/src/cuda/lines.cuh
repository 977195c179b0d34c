// The kernels that run along the lines of a [outer, dim, inner] layout (compute_cuda_lines):
// softmax and its backward (softmax.cu) and the scans (scan.cu). Each line is walked by a group
// of threads, chosen by the layout:
//  - inner > 1 (strided lines): one thread per line; neighbouring threads take neighbouring
//    columns, so every step along the lines is one coalesced access across a warp;
//  - inner == 1 (contiguous lines) of kLongLine elements or more: one block per line;
//  - shorter contiguous lines: one warp per line (kThreads / 32 lines per block).
// A line op is a functor `op(group, line)` written once against the group interface:
//   rank(), size()        this thread's place in the group and the group's size (the thread
//                         takes elements rank, rank + size, ...)
//   all(c, v)             c.combine of every thread's v, returned to every thread
//   scan(c, v, total)     the inclusive prefix of v over the ranks (c.combine), and in total
//                         the combination of the whole group
// where c is a combiner: identity() and combine(a, b).
#pragma once

#include "cuda/reduce_rows.cuh"
#include "cuda/status.h"

namespace cmp::cuda_backend {

// Contiguous lines at least this long get a block each; below it a warp has at most 32
// elements per lane and per pass, and 8 lines share a block.
constexpr int64_t kLongLine = 1024;

// Element k of a line is at base + k * stride (in elements).
struct Line {
    int64_t base;
    int64_t stride;
};

struct ThreadGroup {
    __device__ int rank() const { return 0; }
    __device__ int size() const { return 1; }
    template <typename C, typename A>
    __device__ A all(const C&, A v) const {
        return v;
    }
    template <typename C, typename A>
    __device__ A scan(const C&, A v, A& total) const {
        total = v;
        return v;
    }
};

// Inclusive prefix over the lanes of a warp (Hillis-Steele: log2(32) shuffle steps).
template <typename C, typename A>
__device__ __forceinline__ A warp_scan(const C& c, A v) {
    const int lane = threadIdx.x % 32;
#pragma unroll
    for (int d = 1; d < 32; d *= 2) {
        const A earlier = __shfl_up_sync(0xffffffffu, v, d);
        if (lane >= d) v = c.combine(earlier, v);
    }
    return v;
}

struct WarpGroup {
    __device__ int rank() const { return threadIdx.x % 32; }
    __device__ int size() const { return 32; }
    template <typename C, typename A>
    __device__ A all(const C& c, A v) const {
        return __shfl_sync(0xffffffffu, warp_combine(c, v), 0);
    }
    template <typename C, typename A>
    __device__ A scan(const C& c, A v, A& total) const {
        v = warp_scan(c, v);
        total = __shfl_sync(0xffffffffu, v, 31);
        return v;
    }
};

// A block of kThreads threads: the warps combine their lanes, then warp 0 combines the warps'
// results through shared memory. Every thread of the block must call all() and scan().
struct BlockGroup {
    static constexpr int kWarps = kThreads / 32;
    __device__ int rank() const { return threadIdx.x; }
    __device__ int size() const { return kThreads; }
    template <typename C, typename A>
    __device__ A all(const C& c, A v) const {
        __shared__ A partial[kWarps + 1];
        const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
        v = warp_combine(c, v);
        if (lane == 0) partial[warp] = v;
        __syncthreads();
        if (warp == 0) {
            v = warp_combine(c, lane < kWarps ? partial[lane] : c.identity());
            if (lane == 0) partial[kWarps] = v;
        }
        __syncthreads();
        v = partial[kWarps];
        __syncthreads();  // partial is written again by the next call
        return v;
    }
    template <typename C, typename A>
    __device__ A scan(const C& c, A v, A& total) const {
        __shared__ A partial[kWarps];
        const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
        v = warp_scan(c, v);
        if (lane == 31) partial[warp] = v;
        __syncthreads();
        if (warp == 0) {
            // The warps' totals become their inclusive prefix (read before the shuffles, written after).
            const A w = warp_scan(c, lane < kWarps ? partial[lane] : c.identity());
            if (lane < kWarps) partial[lane] = w;
        }
        __syncthreads();
        if (warp > 0) v = c.combine(partial[warp - 1], v);
        total = partial[kWarps - 1];
        __syncthreads();  // partial is written again by the next call
        return v;
    }
};

template <typename Op>
__global__ void lines_strided(int64_t outer, int64_t dim, int64_t inner, Op op) {
    const int64_t n = outer * inner, step = static_cast<int64_t>(blockDim.x) * gridDim.x;
    for (int64_t c = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; c < n; c += step)
        op(ThreadGroup{}, Line{(c / inner) * dim * inner + c % inner, inner});
}

template <typename Op>
__global__ void lines_block(int64_t lines, int64_t dim, Op op) {
    for (int64_t r = blockIdx.x; r < lines; r += gridDim.x) op(BlockGroup{}, Line{r * dim, 1});
}

// The line index is uniform across a warp, so every lane takes part in the warp's shuffles.
template <typename Op>
__global__ void lines_warp(int64_t lines, int64_t dim, Op op) {
    constexpr int64_t kPerBlock = kThreads / 32;
    const int64_t step = kPerBlock * gridDim.x;
    for (int64_t r = blockIdx.x * kPerBlock + threadIdx.x / 32; r < lines; r += step) op(WarpGroup{}, Line{r * dim, 1});
}

template <typename Op>
void launch_lines(const compute_cuda_lines& l, const Op& op) {
    const auto s = static_cast<cudaStream_t>(l.stream);
    if (l.inner > 1) {
        lines_strided<Op><<<blocks_for(l.outer * l.inner), kThreads, 0, s>>>(l.outer, l.dim, l.inner, op);
    } else if (l.dim >= kLongLine) {
        lines_block<Op><<<static_cast<unsigned>(std::min<int64_t>(l.outer, kMaxBlocks)), kThreads, 0, s>>>(l.outer, l.dim, op);
    } else {
        lines_warp<Op><<<blocks_for(l.outer * 32), kThreads, 0, s>>>(l.outer, l.dim, op);
    }
}

// An entry point over lines: checks the description, makes the device current, runs body(l)
// unless there is no element, and reports a failed launch. Status and message as guard().
template <typename Body>
int32_t run_lines(const char* what, const compute_cuda_lines* lines, Body&& body) {
    return guard(what, [&] {
        if (!lines) fail(CMP_STATUS_INVALID_ARGUMENT, what, ": no lines");
        const compute_cuda_lines l = *lines;
        if (l.outer < 0 || l.dim < 0 || l.inner < 0) fail(CMP_STATUS_INVALID_ARGUMENT, what, ": negative extent");
        check_device(l.device, what);
        if (l.outer == 0 || l.dim == 0 || l.inner == 0) return;
        DeviceGuard g(l.device);
        body(l);
        check(cudaGetLastError(), cat(what, ": kernel launch").c_str());
    });
}

}  // namespace cmp::cuda_backend
