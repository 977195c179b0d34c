// Reductions over the rows of a contiguous matrix: sum, mean, prod, amax, amin, any, all here,
// and the entry point of every row reduction (the ops with more operands are in
// reduce_index.cu and reduce_stats.cu). The core builds the CPU's reduction plan, moves the
// reduced dims innermost and makes the input contiguous (ops/cuda_ops.cpp), so one kernel per
// op serves every dims list (cuda/reduce_rows.cuh).
//
// Each op is an accumulator like the CPU fold kernels' (cpu/kernels/reduce.cpp and
// reductions.cpp): identity(), load() of one element, combine() of two partials, finish() of a
// row. Accumulators follow PyTorch's CUDA reductions: float64 for float64 and float32 for the
// other floats in sum/mean/prod (as the CPU's, in another order: results differ in the last
// bits), int64 with wrap-around for integers and bool (exactly the CPU's), the opmath value for
// amax/amin with NaN winning, an int flag for any/all.
#include "cuda/dtypes.cuh"
#include "cuda/entries.h"
#include "cuda/reduce_rows.cuh"

#include <cmath>
#include <math.h>

namespace cmp::cuda_backend {

namespace {

template <typename T>
struct SumOp {
    using acc_t = sum_acc_t<T>;
    __device__ static acc_t identity() { return acc_t(0); }
    __device__ static acc_t load(T v, int64_t) { return static_cast<acc_t>(to_opmath(v)); }
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
    __device__ static acc_t load(T v, int64_t) { return static_cast<acc_t>(to_opmath(v)); }
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
    __device__ static acc_t load(T v, int64_t) { return to_opmath(v) != opmath_t<T>(0) ? 1 : 0; }
    __device__ static acc_t combine(acc_t a, acc_t b) { return Any ? (a | b) : (a & b); }
    __device__ static acc_t finish(acc_t a, int64_t) { return a; }
};

// A static op (above) with the output it finishes into.
template <typename Op, typename Out>
struct Finished : Op {
    Out* out;
    __device__ void write(int64_t r, typename Op::acc_t a, int64_t n) const { out[r] = convert<Out>(Op::finish(a, n)); }
};

template <typename Op, typename T, typename Out>
void launch(cudaStream_t stream, const void* in, void* out, int64_t rows, int64_t row_len) {
    Finished<Op, Out> op{};
    op.out = static_cast<Out*>(out);
    launch_rows<Finished<Op, Out>, T>(stream, in, rows, row_len, op);
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
        case COMPUTE_CUDA_REDUCE_ARGMAX: return "cuda argmax";
        case COMPUTE_CUDA_REDUCE_ARGMIN: return "cuda argmin";
        case COMPUTE_CUDA_REDUCE_VAR: return "cuda var";
        case COMPUTE_CUDA_REDUCE_STD: return "cuda std";
        case COMPUTE_CUDA_REDUCE_NORM: return "cuda vector_norm";
        case COMPUTE_CUDA_REDUCE_LOGSUMEXP: return "cuda logsumexp";
        case COMPUTE_CUDA_REDUCE_COUNT_NONZERO: return "cuda count_nonzero";
        default: return nullptr;
    }
}

bool floating(int32_t dtype) {
    return dtype == CMP_DTYPE_FLOAT32 || dtype == CMP_DTYPE_FLOAT64 || dtype == CMP_DTYPE_FLOAT16 ||
           dtype == CMP_DTYPE_BFLOAT16;
}

// The result dtype of op for an input dtype (backend_api.h), checked against the caller's; the
// ops of floating inputs only refuse the others.
void check_dtypes(const char* what, int32_t op, int32_t in_dtype, int32_t out_dtype) {
    int32_t expected = in_dtype;
    switch (op) {
        case COMPUTE_CUDA_REDUCE_SUM:
        case COMPUTE_CUDA_REDUCE_PROD:
            if (!floating(in_dtype)) expected = CMP_DTYPE_INT64;
            break;
        case COMPUTE_CUDA_REDUCE_ANY:
        case COMPUTE_CUDA_REDUCE_ALL:
            if (in_dtype != CMP_DTYPE_UINT8) expected = CMP_DTYPE_BOOL;
            break;
        case COMPUTE_CUDA_REDUCE_MEAN:
        case COMPUTE_CUDA_REDUCE_VAR:
        case COMPUTE_CUDA_REDUCE_STD:
        case COMPUTE_CUDA_REDUCE_NORM:
            if (!floating(in_dtype)) fail(CMP_STATUS_DTYPE_MISMATCH, what, ": floating inputs only");
            break;
        case COMPUTE_CUDA_REDUCE_LOGSUMEXP:
            if (!floating(in_dtype)) expected = CMP_DTYPE_FLOAT32;
            break;
        case COMPUTE_CUDA_REDUCE_COUNT_NONZERO: expected = CMP_DTYPE_INT64; break;
        default: break;
    }
    if (out_dtype != expected)
        fail(CMP_STATUS_INTERNAL_ERROR, what, ": result dtype ", out_dtype, " for input dtype ", in_dtype);
}

// Ops without an identity: a row of no elements has no result.
bool needs_elements(int32_t op, double param) {
    switch (op) {
        case COMPUTE_CUDA_REDUCE_AMAX:
        case COMPUTE_CUDA_REDUCE_AMIN:
        case COMPUTE_CUDA_REDUCE_ARGMAX:
        case COMPUTE_CUDA_REDUCE_ARGMIN: return true;
        case COMPUTE_CUDA_REDUCE_NORM: return std::isinf(param);
        default: return false;
    }
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

int32_t reduce_rows_args(int32_t device, void* stream, const void* in, int32_t in_dtype, void* out, int32_t out_dtype,
                         int64_t rows, int64_t row_len, int32_t op, const compute_cuda_reduce_args* args) {
    const char* what = op_name(op);
    return guard(what ? what : "cuda reduce_rows", [&] {
        if (!what) fail(CMP_STATUS_INVALID_ARGUMENT, "cuda reduce_rows: invalid op ", op);
        if (rows < 0 || row_len < 0) fail(CMP_STATUS_INVALID_ARGUMENT, what, ": negative extent");
        const compute_cuda_reduce_args a = args ? *args : compute_cuda_reduce_args{};
        check_dtypes(what, op, in_dtype, out_dtype);
        if (rows == 0) return;
        if (row_len == 0 && needs_elements(op, a.param))
            fail(CMP_STATUS_INVALID_ARGUMENT, what, ": empty rows have no identity");
        if ((op == COMPUTE_CUDA_REDUCE_ARGMAX || op == COMPUTE_CUDA_REDUCE_ARGMIN) && !a.indices)
            fail(CMP_STATUS_INVALID_ARGUMENT, what, ": no indices output");
        if (!out && op != COMPUTE_CUDA_REDUCE_ARGMAX && op != COMPUTE_CUDA_REDUCE_ARGMIN)
            fail(CMP_STATUS_INVALID_ARGUMENT, what, ": no output");
        check_device(device, what);
        DeviceGuard g(device);
        const auto s = static_cast<cudaStream_t>(stream);
        const RowReduction r{s, op, in_dtype, in, out, rows, row_len, a};
        if (op == COMPUTE_CUDA_REDUCE_ARGMAX || op == COMPUTE_CUDA_REDUCE_ARGMIN) {
            reduce_arg_extremum(r);
        } else if (op >= COMPUTE_CUDA_REDUCE_VAR) {
            reduce_stats(r);
        } else {
            CMP_CUDA_DISPATCH_ALL_TYPES(in_dtype, what, [&] { reduce_typed<scalar_t>(s, op, in, out, rows, row_len); });
        }
        check(cudaGetLastError(), cat(what, ": kernel launch").c_str());
    });
}

int32_t reduce_rows(int32_t device, void* stream, const void* in, int32_t in_dtype, void* out, int32_t out_dtype,
                    int64_t rows, int64_t row_len, int32_t op) {
    return reduce_rows_args(device, stream, in, in_dtype, out, out_dtype, rows, row_len, op, nullptr);
}

int32_t sum_rows(int32_t device, void* stream, const void* in, int32_t in_dtype, void* out, int32_t out_dtype,
                 int64_t rows, int64_t row_len) {
    return reduce_rows(device, stream, in, in_dtype, out, out_dtype, rows, row_len, COMPUTE_CUDA_REDUCE_SUM);
}

}  // namespace cmp::cuda_backend
