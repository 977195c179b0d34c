// The row-reduction kernels every reduction op runs on (reduce.cu, reduce_index.cu,
// reduce_stats.cu): out[r] = op over row r of a contiguous [rows, row_len] matrix, which the
// core lays out from the CPU's reduction plan (ops/cuda_ops.cpp).
//
// An op is a small object passed to the kernel by value (its output pointers and parameters):
//   acc_t                     the partial result (an arithmetic type or a trivially copyable struct)
//   identity()                the partial of no elements
//   load(T x, int64_t i)      the partial of element i of the row
//   combine(acc_t, acc_t)     two partials merged; the kernels merge in no fixed order, so every
//                             op makes the result independent of it (the index ops compare indices)
//   write(int64_t r, acc_t, int64_t row_len)   stores row r's result(s)
// Long rows get a block each (threads stride over the row, then a warp-shuffle tree and one
// shared-memory step); short rows get a thread each.
#pragma once

#include "cuda/backend_api.h"
#include "cuda/dtypes.cuh"
#include "cuda/elementwise.cuh"

#include <cstring>

namespace cmp::cuda_backend {

// Sums and the partials built on them: float64 for float64, float32 for the other floats,
// int64 otherwise (PyTorch's CUDA accumulate types).
template <typename T>
using sum_acc_t = std::conditional_t<std::is_same_v<T, double>, double, std::conditional_t<is_float_v<T>, float, int64_t>>;

// __shfl_down_sync of an arithmetic partial, or of a struct one word by word.
template <typename A>
__device__ __forceinline__ A shfl_down(A v, int offset) {
    if constexpr (std::is_arithmetic_v<A>) {
        return __shfl_down_sync(0xffffffffu, v, offset);
    } else {
        static_assert(sizeof(A) % sizeof(int) == 0, "a struct partial must be whole 32-bit words");
        int words[sizeof(A) / sizeof(int)];
        memcpy(words, &v, sizeof(A));
#pragma unroll
        for (size_t k = 0; k < sizeof(A) / sizeof(int); ++k) words[k] = __shfl_down_sync(0xffffffffu, words[k], offset);
        memcpy(&v, words, sizeof(A));
        return v;
    }
}

template <typename Op, typename A>
__device__ __forceinline__ A warp_combine(const Op& op, A v) {
#pragma unroll
    for (int offset = 16; offset > 0; offset /= 2) v = op.combine(v, shfl_down(v, offset));
    return v;
}

// One block per row (grid-stride over rows): each thread folds a strided share of the row, the
// warps fold their lanes, warp 0 folds the warps' partials.
template <typename Op, typename T>
__global__ void reduce_rows_block(const T* in, int64_t rows, int64_t row_len, Op op) {
    using A = typename Op::acc_t;
    __shared__ A partial[kThreads / 32];
    for (int64_t r = blockIdx.x; r < rows; r += gridDim.x) {
        const T* row = in + r * row_len;
        A acc = op.identity();
        for (int64_t i = threadIdx.x; i < row_len; i += blockDim.x) acc = op.combine(acc, op.load(row[i], i));
        acc = warp_combine(op, acc);
        const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
        if (lane == 0) partial[warp] = acc;
        __syncthreads();
        if (warp == 0) {
            acc = lane < static_cast<int>(blockDim.x / 32) ? partial[lane] : op.identity();
            acc = warp_combine(op, acc);
            if (lane == 0) op.write(r, acc, row_len);
        }
        __syncthreads();  // partial is reused by the next row
    }
}

// One thread per row: rows shorter than a block.
template <typename Op, typename T>
__global__ void reduce_rows_thread(const T* in, int64_t rows, int64_t row_len, Op op) {
    using A = typename Op::acc_t;
    const int64_t step = static_cast<int64_t>(blockDim.x) * gridDim.x;
    for (int64_t r = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; r < rows; r += step) {
        const T* row = in + r * row_len;
        A acc = op.identity();
        for (int64_t i = 0; i < row_len; ++i) acc = op.combine(acc, op.load(row[i], i));
        op.write(r, acc, row_len);
    }
}

template <typename Op, typename T>
void launch_rows(cudaStream_t stream, const void* in, int64_t rows, int64_t row_len, const Op& op) {
    const auto* src = static_cast<const T*>(in);
    if (row_len >= kThreads) {
        const auto blocks = static_cast<unsigned>(std::min<int64_t>(rows, kMaxBlocks));
        reduce_rows_block<Op, T><<<blocks, kThreads, 0, stream>>>(src, rows, row_len, op);
    } else {
        reduce_rows_thread<Op, T><<<blocks_for(rows), kThreads, 0, stream>>>(src, rows, row_len, op);
    }
}

// What one launch reduces: the entry point (reduce.cu) checked the extents and the output
// dtype, and dispatches to the file of the op.
struct RowReduction {
    cudaStream_t stream;
    int32_t op;  // a compute_cuda_reduce_op
    int32_t in_dtype;
    const void* in;
    void* out;
    int64_t rows;
    int64_t row_len;
    compute_cuda_reduce_args args;
};

// reduce_index.cu: ARGMAX, ARGMIN (values and indices).
void reduce_arg_extremum(const RowReduction& r);
// reduce_stats.cu: VAR, STD, NORM, LOGSUMEXP, COUNT_NONZERO.
void reduce_stats(const RowReduction& r);

}  // namespace cmp::cuda_backend
