// sum over the rows of a contiguous matrix: the core moves the reduced dims innermost and makes
// the input contiguous, so one kernel serves every sum. Long rows get a block each (threads
// stride over the row, then a warp-shuffle tree and one shared-memory step); short rows get a
// thread each. Accumulation is in float64 for float64, float32 for the other floats and int64
// (wrapping) for integers and bool, as PyTorch's sum.
#include "cuda/entries.h"
#include "cuda/dtypes.cuh"
#include "cuda/elementwise.cuh"

namespace cmp::cuda_backend {

namespace {

template <typename T>
using acc_t = std::conditional_t<std::is_same_v<T, double>, double, std::conditional_t<is_float_v<T>, float, int64_t>>;

template <typename A>
__device__ __forceinline__ A acc_add(A a, A b) {
    if constexpr (std::is_same_v<A, int64_t>) return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
    else return a + b;
}

template <typename A, typename T>
__device__ __forceinline__ A load_acc(const T* p) {
    if constexpr (std::is_same_v<A, int64_t>) return static_cast<int64_t>(*p);
    else return static_cast<A>(to_opmath(*p));
}

template <typename A>
__device__ __forceinline__ A warp_sum(A v) {
#pragma unroll
    for (int offset = 16; offset > 0; offset /= 2) v = acc_add(v, __shfl_down_sync(0xffffffffu, v, offset));
    return v;
}

template <typename T, typename Out>
__global__ void sum_rows_block(const T* in, Out* out, int64_t rows, int64_t row_len) {
    using A = acc_t<T>;
    __shared__ A partial[kThreads / 32];
    for (int64_t r = blockIdx.x; r < rows; r += gridDim.x) {
        const T* row = in + r * row_len;
        A acc = A(0);
        for (int64_t i = threadIdx.x; i < row_len; i += blockDim.x) acc = acc_add(acc, load_acc<A>(row + i));
        acc = warp_sum(acc);
        const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
        if (lane == 0) partial[warp] = acc;
        __syncthreads();
        if (warp == 0) {
            acc = lane < static_cast<int>(blockDim.x / 32) ? partial[lane] : A(0);
            acc = warp_sum(acc);
            if (lane == 0) out[r] = convert<Out>(acc);
        }
        __syncthreads();  // partial is reused by the next row
    }
}

template <typename T, typename Out>
__global__ void sum_rows_thread(const T* in, Out* out, int64_t rows, int64_t row_len) {
    using A = acc_t<T>;
    const int64_t step = static_cast<int64_t>(blockDim.x) * gridDim.x;
    for (int64_t r = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; r < rows; r += step) {
        const T* row = in + r * row_len;
        A acc = A(0);
        for (int64_t i = 0; i < row_len; ++i) acc = acc_add(acc, load_acc<A>(row + i));
        out[r] = convert<Out>(acc);
    }
}

// The result dtype of sum: the input's for floats, int64 for integers and bool.
template <typename T>
using sum_out_t = std::conditional_t<is_float_v<T>, T, int64_t>;

template <typename T>
void sum_rows_typed(cudaStream_t stream, const void* in, void* out, int64_t rows, int64_t row_len) {
    using Out = sum_out_t<T>;
    const auto* src = static_cast<const T*>(in);
    auto* dst = static_cast<Out*>(out);
    if (row_len >= kThreads) {
        const auto blocks = static_cast<unsigned>(std::min<int64_t>(rows, kMaxBlocks));
        sum_rows_block<T, Out><<<blocks, kThreads, 0, stream>>>(src, dst, rows, row_len);
    } else {
        sum_rows_thread<T, Out><<<blocks_for(rows), kThreads, 0, stream>>>(src, dst, rows, row_len);
    }
}

}  // namespace

int32_t sum_rows(int32_t device, void* stream, const void* in, int32_t in_dtype, void* out, int32_t out_dtype,
                 int64_t rows, int64_t row_len) {
    return guard("cuda sum", [&] {
        if (rows < 0 || row_len < 0) fail(CMP_STATUS_INVALID_ARGUMENT, "cuda sum: negative extent");
        if (rows == 0) return;
        check_device(device, "cuda sum");
        DeviceGuard g(device);
        auto s = static_cast<cudaStream_t>(stream);
        CMP_CUDA_DISPATCH_ALL_TYPES(in_dtype, "cuda sum", [&] {
            const bool floating = is_float_v<scalar_t>;
            if (out_dtype != (floating ? in_dtype : static_cast<int32_t>(CMP_DTYPE_INT64)))
                fail(CMP_STATUS_INTERNAL_ERROR, "cuda sum: result dtype ", out_dtype, " for input dtype ", in_dtype);
            sum_rows_typed<scalar_t>(s, in, out, rows, row_len);
        });
        check(cudaGetLastError(), "cuda sum: kernel launch");
    });
}

}  // namespace cmp::cuda_backend
