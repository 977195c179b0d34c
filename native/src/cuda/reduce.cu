// Reductions over the rows of a contiguous matrix: sum, mean, prod, amax, amin, any, all. The
// core builds the CPU's reduction plan, moves the reduced dims innermost and makes the input
// contiguous (ops/cuda_ops.cpp), so one kernel per op serves every dims list. Long rows get a
// block each (threads stride over the row, then a warp-shuffle tree and one shared-memory
// step); short rows get a thread each.
//
// Each op is an accumulator like the CPU fold kernels' (cpu/kernels/reduce.cpp and
// reductions.cpp): identity(), load() of one element, combine() of two partials, finish() of a
// row. Accumulators follow PyTorch's CUDA reductions: float64 for float64 and float32 for the
// other floats in sum/mean/prod (the CPU adds float32 in float64: results differ in the last
// bits), int64 with wrap-around for integers and bool (exactly the CPU's), the opmath value for
// amax/amin with NaN winning, an int flag for any/all.
#include "cuda/dtypes.cuh"
#include "cuda/elementwise.cuh"
#include "cuda/entries.h"

#include <math.h>

namespace cmp::cuda_backend {

namespace {

// Sums and products: float64 for float64, float32 for the other floats, int64 otherwise.
template <typename T>
using sum_acc_t = std::conditional_t<std::is_same_v<T, double>, double, std::conditional_t<is_float_v<T>, float, int64_t>>;

template <typename T>
struct SumOp {
    using acc_t = sum_acc_t<T>;
    __device__ static acc_t identity() { return acc_t(0); }
    __device__ static acc_t load(T v) { return static_cast<acc_t>(to_opmath(v)); }
    __device__ static acc_t combine(acc_t a, acc_t b) { return wrap_add(a, b); }
    __device__ static acc_t finish(acc_t a, int64_t) { return a; }
};

// mean: the sum divided by the row length in the accumulator type (0 / 0 is NaN for an empty
// row, as on the CPU). Floating inputs only.
template <typename T>
struct MeanOp : SumOp<T> {
    using acc_t = sum_acc_t<T>;
    __device__ static acc_t finish(acc_t a, int64_t n) { return a / static_cast<acc_t>(n); }
};

// prod: sum's accumulator and loads, multiplied.
template <typename T>
struct ProdOp : SumOp<T> {
    using acc_t = sum_acc_t<T>;
    __device__ static acc_t identity() { return acc_t(1); }
    __device__ static acc_t combine(acc_t a, acc_t b) { return wrap_mul(a, b); }
};

// amax / amin: floats compare in opmath (NaN wins: once a partial is NaN nothing replaces it),
// integers and bool as int64, which holds every value of them.
template <typename T, bool Max>
struct ExtremumOp {
    using acc_t = std::conditional_t<is_float_v<T>, opmath_t<T>, int64_t>;
    __device__ static acc_t identity() {
        if constexpr (is_float_v<T>) return Max ? -acc_t(INFINITY) : acc_t(INFINITY);
        else return Max ? INT64_MIN : INT64_MAX;
    }
    __device__ static acc_t load(T v) { return static_cast<acc_t>(to_opmath(v)); }
    __device__ static acc_t combine(acc_t a, acc_t b) {
        if constexpr (is_float_v<T>) {
            if (a != a) return a;
            if (b != b) return b;
        }
        return (Max ? b > a : b < a) ? b : a;
    }
    __device__ static acc_t finish(acc_t a, int64_t) { return a; }
};

// any / all: whether elements are non-zero (NaN is), as an int flag the warp shuffle takes.
template <typename T, bool Any>
struct LogicalOp {
    using acc_t = int;
    __device__ static acc_t identity() { return Any ? 0 : 1; }
    __device__ static acc_t load(T v) { return to_opmath(v) != opmath_t<T>(0) ? 1 : 0; }
    __device__ static acc_t combine(acc_t a, acc_t b) { return Any ? (a | b) : (a & b); }
    __device__ static acc_t finish(acc_t a, int64_t) { return a; }
};

template <typename Op, typename A>
__device__ __forceinline__ A warp_combine(A v) {
#pragma unroll
    for (int offset = 16; offset > 0; offset /= 2) v = Op::combine(v, __shfl_down_sync(0xffffffffu, v, offset));
    return v;
}

// One block per row (grid-stride over rows): each thread folds a strided share of the row, the
// warps fold their lanes, warp 0 folds the warps' partials.
template <typename Op, typename T, typename Out>
__global__ void reduce_rows_block(const T* in, Out* out, int64_t rows, int64_t row_len) {
    using A = typename Op::acc_t;
    __shared__ A partial[kThreads / 32];
    for (int64_t r = blockIdx.x; r < rows; r += gridDim.x) {
        const T* row = in + r * row_len;
        A acc = Op::identity();
        for (int64_t i = threadIdx.x; i < row_len; i += blockDim.x) acc = Op::combine(acc, Op::load(row[i]));
        acc = warp_combine<Op>(acc);
        const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
        if (lane == 0) partial[warp] = acc;
        __syncthreads();
        if (warp == 0) {
            acc = lane < static_cast<int>(blockDim.x / 32) ? partial[lane] : Op::identity();
            acc = warp_combine<Op>(acc);
            if (lane == 0) out[r] = convert<Out>(Op::finish(acc, row_len));
        }
        __syncthreads();  // partial is reused by the next row
    }
}

// One thread per row: rows shorter than a block.
template <typename Op, typename T, typename Out>
__global__ void reduce_rows_thread(const T* in, Out* out, int64_t rows, int64_t row_len) {
    using A = typename Op::acc_t;
    const int64_t step = static_cast<int64_t>(blockDim.x) * gridDim.x;
    for (int64_t r = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; r < rows; r += step) {
        const T* row = in + r * row_len;
        A acc = Op::identity();
        for (int64_t i = 0; i < row_len; ++i) acc = Op::combine(acc, Op::load(row[i]));
        out[r] = convert<Out>(Op::finish(acc, row_len));
    }
}

template <typename Op, typename T, typename Out>
void launch(cudaStream_t stream, const void* in, void* out, int64_t rows, int64_t row_len) {
    const auto* src = static_cast<const T*>(in);
    auto* dst = static_cast<Out*>(out);
    if (row_len >= kThreads) {
        const auto blocks = static_cast<unsigned>(std::min<int64_t>(rows, kMaxBlocks));
        reduce_rows_block<Op, T, Out><<<blocks, kThreads, 0, stream>>>(src, dst, rows, row_len);
    } else {
        reduce_rows_thread<Op, T, Out><<<blocks_for(rows), kThreads, 0, stream>>>(src, dst, rows, row_len);
    }
}

const char* op_name(int32_t op) {
    switch (op) {
        case COMPUTE_CUDA_REDUCE_SUM: return "cuda sum";
        case COMPUTE_CUDA_REDUCE_MEAN: return "cuda mean";
        case COMPUTE_CUDA_REDUCE_PROD: return "cuda prod";
        case COMPUTE_CUDA_REDUCE_AMAX: return "cuda amax";
        case COMPUTE_CUDA_REDUCE_AMIN: return "cuda amin";
        case COMPUTE_CUDA_REDUCE_ANY: return "cuda any";
        case COMPUTE_CUDA_REDUCE_ALL: return "cuda all";
        default: return nullptr;
    }
}

// The result dtype of op for an input of type T (backend_api.h), checked against the caller's.
template <typename T>
void check_out_dtype(const char* what, int32_t op, int32_t in_dtype, int32_t out_dtype) {
    int32_t expected = in_dtype;
    if (op == COMPUTE_CUDA_REDUCE_SUM || op == COMPUTE_CUDA_REDUCE_PROD) {
        if (!is_float_v<T>) expected = CMP_DTYPE_INT64;
    } else if (op == COMPUTE_CUDA_REDUCE_ANY || op == COMPUTE_CUDA_REDUCE_ALL) {
        if (in_dtype != CMP_DTYPE_UINT8) expected = CMP_DTYPE_BOOL;
    }
    if (out_dtype != expected)
        fail(CMP_STATUS_INTERNAL_ERROR, what, ": result dtype ", out_dtype, " for input dtype ", in_dtype);
}

template <typename T>
void reduce_typed(cudaStream_t s, int32_t op, const void* in, void* out, int64_t rows, int64_t row_len) {
    using Wide = std::conditional_t<is_float_v<T>, T, int64_t>;  // sum's and prod's result
    switch (op) {
        case COMPUTE_CUDA_REDUCE_SUM: return launch<SumOp<T>, T, Wide>(s, in, out, rows, row_len);
        case COMPUTE_CUDA_REDUCE_MEAN:
            if constexpr (is_float_v<T>) return launch<MeanOp<T>, T, T>(s, in, out, rows, row_len);
            else fail(CMP_STATUS_DTYPE_MISMATCH, "cuda mean: floating inputs only");
        case COMPUTE_CUDA_REDUCE_PROD: return launch<ProdOp<T>, T, Wide>(s, in, out, rows, row_len);
        case COMPUTE_CUDA_REDUCE_AMAX: return launch<ExtremumOp<T, true>, T, T>(s, in, out, rows, row_len);
        case COMPUTE_CUDA_REDUCE_AMIN: return launch<ExtremumOp<T, false>, T, T>(s, in, out, rows, row_len);
        case COMPUTE_CUDA_REDUCE_ANY:
        case COMPUTE_CUDA_REDUCE_ALL: {
            const bool any = op == COMPUTE_CUDA_REDUCE_ANY;
            if constexpr (std::is_same_v<T, uint8_t>) {
                return any ? launch<LogicalOp<T, true>, T, uint8_t>(s, in, out, rows, row_len)
                           : launch<LogicalOp<T, false>, T, uint8_t>(s, in, out, rows, row_len);
            } else {
                return any ? launch<LogicalOp<T, true>, T, bool>(s, in, out, rows, row_len)
                           : launch<LogicalOp<T, false>, T, bool>(s, in, out, rows, row_len);
            }
        }
        default: fail(CMP_STATUS_INVALID_ARGUMENT, "cuda reduce_rows: invalid op ", op);
    }
}

}  // namespace

int32_t reduce_rows(int32_t device, void* stream, const void* in, int32_t in_dtype, void* out, int32_t out_dtype,
                    int64_t rows, int64_t row_len, int32_t op) {
    const char* what = op_name(op);
    return guard(what ? what : "cuda reduce_rows", [&] {
        if (!what) fail(CMP_STATUS_INVALID_ARGUMENT, "cuda reduce_rows: invalid op ", op);
        if (rows < 0 || row_len < 0) fail(CMP_STATUS_INVALID_ARGUMENT, what, ": negative extent");
        if (rows == 0) return;
        if (row_len == 0 && (op == COMPUTE_CUDA_REDUCE_AMAX || op == COMPUTE_CUDA_REDUCE_AMIN))
            fail(CMP_STATUS_INVALID_ARGUMENT, what, ": empty rows have no identity");
        check_device(device, what);
        DeviceGuard g(device);
        CMP_CUDA_DISPATCH_ALL_TYPES(in_dtype, what, [&] {
            check_out_dtype<scalar_t>(what, op, in_dtype, out_dtype);
            reduce_typed<scalar_t>(static_cast<cudaStream_t>(stream), op, in, out, rows, row_len);
        });
        check(cudaGetLastError(), cat(what, ": kernel launch").c_str());
    });
}

int32_t sum_rows(int32_t device, void* stream, const void* in, int32_t in_dtype, void* out, int32_t out_dtype,
                 int64_t rows, int64_t row_len) {
    return reduce_rows(device, stream, in, in_dtype, out, out_dtype, rows, row_len, COMPUTE_CUDA_REDUCE_SUM);
}

}  // namespace cmp::cuda_backend
