// The gemm entry of the backend table (backend_api.h): one cublasGemmStridedBatchedEx call, or
// for the bias epilogue one cublasLtMatmul (cuda/gemm_lt.cpp).
// cuBLAS is column-major and the core row-major: a row-major m x n matrix with leading
// dimension ld is, byte for byte, the column-major n x m matrix of its transpose with the same
// ld. So the row-major C = A B is computed as the column-major C^T = B^T A^T, with B passed
// first: an operand with dense rows is, seen column-major, already the transpose that product
// needs (CUBLAS_OP_N), and one with dense columns is the matrix itself (CUBLAS_OP_T).
#include "cuda/blas_handle.h"
#include "cuda/entries.h"
#include "cuda/gemm_layout.h"
#include "cuda/gemm_lt.h"
#include "cuda/status.h"

#include <climits>
#include <string>

namespace cmp::cuda_backend {

namespace {

const char* dtype_label(int32_t dtype) {
    switch (dtype) {
        case CMP_DTYPE_FLOAT32: return "float32";
        case CMP_DTYPE_FLOAT64: return "float64";
        case CMP_DTYPE_FLOAT16: return "float16";
        case CMP_DTYPE_BFLOAT16: return "bfloat16";
        default: return "non-floating";
    }
}

// The cuBLAS types of a product: storage of A, B and C, the compute type and whether alpha and
// beta are passed as double (float64) or float (everything else, as cuBLAS requires for the
// 32F compute types).
struct BlasTypes {
    cudaDataType_t data;
    cublasComputeType_t compute;
    bool double_scale;
};

BlasTypes blas_types(int32_t dtype, bool allow_tf32) {
    switch (dtype) {
        case CMP_DTYPE_FLOAT32:
            return {CUDA_R_32F, allow_tf32 ? CUBLAS_COMPUTE_32F_FAST_TF32 : CUBLAS_COMPUTE_32F, false};
        case CMP_DTYPE_FLOAT64: return {CUDA_R_64F, CUBLAS_COMPUTE_64F, true};
        case CMP_DTYPE_FLOAT16: return {CUDA_R_16F, CUBLAS_COMPUTE_32F, false};
        case CMP_DTYPE_BFLOAT16: return {CUDA_R_16BF, CUBLAS_COMPUTE_32F, false};
        default: break;
    }
    fail(CMP_STATUS_DTYPE_MISMATCH, "cuda gemm: cmp_dtype ", dtype,
         " is not supported (float32, float64, float16 and bfloat16 are)");
}

// One operand as cuBLAS takes it in the transposed product.
struct BlasOperand {
    cublasOperation_t op;
    int ld;
};

void check_int(int64_t v, const char* name, const std::string& what) {
    if (v > INT_MAX)
        fail(CMP_STATUS_INVALID_ARGUMENT, what, ": ", name, " ", v, " exceeds cuBLAS's 32-bit limit ", INT_MAX);
}

BlasOperand blas_operand(const compute_cuda_matrices& x, int64_t rows, int64_t cols, const char* name,
                         const std::string& what) {
    int64_t ld = 0;
    const cuda_gemm::Layout layout = cuda_gemm::layout_of(rows, cols, x.row_stride, x.col_stride, ld);
    if (layout == cuda_gemm::Layout::None)
        fail(CMP_STATUS_INVALID_ARGUMENT, what, ": operand ", name, " (", rows, " x ", cols, ", strides ",
             x.row_stride, ", ", x.col_stride, ") has neither dense rows nor dense columns");
    check_int(ld, "leading dimension", what);
    return {layout == cuda_gemm::Layout::RowMajor ? CUBLAS_OP_N : CUBLAS_OP_T, static_cast<int>(ld)};
}

// Epilogue BIAS without cuBLASLt: every row of C becomes the bias (the backend's copy kernel
// with the bias seen with row stride 0), and the product is then added onto it (beta 1).
void write_bias_rows(const compute_cuda_gemm& g, int64_t element_size, const std::string& what) {
    compute_cuda_iter it{};
    it.device = g.device;
    it.ndim = 2;
    it.noperands = 2;
    it.stream = g.stream;
    it.numel = g.m * g.n;
    it.shape[0] = g.n;  // innermost first
    it.shape[1] = g.m;
    it.strides[0][0] = element_size;
    it.strides[0][1] = g.c.row_stride * element_size;
    it.strides[1][0] = element_size;
    it.strides[1][1] = 0;
    it.data[0] = g.c.data;
    it.data[1] = const_cast<void*>(g.bias);
    it.dtypes[0] = it.dtypes[1] = g.dtype;
    const int32_t status = copy(&it);
    if (status != CMP_STATUS_OK) fail(status, what, ": writing the bias rows: ", last_error());
}

int64_t element_size(int32_t dtype) { return dtype == CMP_DTYPE_FLOAT64 ? 8 : dtype == CMP_DTYPE_FLOAT32 ? 4 : 2; }

}  // namespace

int32_t gemm(const compute_cuda_gemm* g) {
    return guard("cuda gemm", [&] {
        if (!g) fail(CMP_STATUS_INVALID_ARGUMENT, "cuda gemm: no arguments (NULL)");
        const std::string what = cat("cublasGemmStridedBatchedEx (", dtype_label(g->dtype), ", batch ", g->batch,
                                     ", m ", g->m, ", n ", g->n, ", k ", g->k, ", TF32 ",
                                     g->allow_tf32 ? "allowed" : "off", ")");
        if (g->batch < 0 || g->m < 0 || g->n < 0 || g->k < 0) fail(CMP_STATUS_INVALID_ARGUMENT, what, ": negative size");
        const bool bias = g->epilogue == COMPUTE_CUDA_GEMM_EPILOGUE_BIAS;
        if (!bias && g->epilogue != COMPUTE_CUDA_GEMM_EPILOGUE_NONE)
            fail(CMP_STATUS_INVALID_ARGUMENT, what, ": unknown epilogue ", g->epilogue);
        if (bias && (!g->bias || g->batch > 1 || g->beta != 0.0))
            fail(CMP_STATUS_INVALID_ARGUMENT, what, ": the bias epilogue takes a bias, batch 1 and beta 0");
        const BlasTypes types = blas_types(g->dtype, g->allow_tf32 != 0);
        if (g->batch == 0 || g->m == 0 || g->n == 0) return;
        if (g->k == 0) fail(CMP_STATUS_INVALID_ARGUMENT, what, ": k is 0 (C = beta * C is the caller's)");
        for (int64_t v : {g->batch, g->m, g->n, g->k}) check_int(v, "size", what);
        const BlasOperand a = blas_operand(g->a, g->m, g->k, "A", what);
        const BlasOperand b = blas_operand(g->b, g->k, g->n, "B", what);
        const BlasOperand c = blas_operand(g->c, g->m, g->n, "C", what);
        if (c.op != CUBLAS_OP_N)
            fail(CMP_STATUS_INVALID_ARGUMENT, what, ": C (strides ", g->c.row_stride, ", ", g->c.col_stride,
                 ") must have dense rows");
        if (g->batch > 1 && g->c.batch_stride < g->m * g->n && g->c.batch_stride > -g->m * g->n)
            fail(CMP_STATUS_INVALID_ARGUMENT, what, ": the matrices of C overlap (batch stride ", g->c.batch_stride,
                 ")");
        check_device(g->device, "cuda gemm");
        DeviceGuard guard_device(g->device);
        cublasHandle_t handle = blas_handle(g->device, static_cast<cudaStream_t>(g->stream));
        if (bias) {
            // cuBLASLt adds the bias in the product's pass (not for float64, which its bias
            // epilogue does not take); otherwise the bias rows are written and the product added.
            const LtProduct lt{b.op, a.op, b.ld, a.ld, c.ld, types.data, types.compute};
            if (g->dtype != CMP_DTYPE_FLOAT64 && gemm_bias_lt(*g, lt, what)) return;
            write_bias_rows(*g, element_size(g->dtype), what);
        }
        const double beta_v = bias ? 1.0 : g->beta;
        const float alpha_f = static_cast<float>(g->alpha), beta_f = static_cast<float>(beta_v);
        const void* alpha = types.double_scale ? static_cast<const void*>(&g->alpha) : &alpha_f;
        const void* beta = types.double_scale ? static_cast<const void*>(&beta_v) : &beta_f;
        // C^T (n x m) = B^T A^T: B is cuBLAS's first operand.
        check_blas(cublasGemmStridedBatchedEx(handle, b.op, a.op, static_cast<int>(g->n), static_cast<int>(g->m),
                                              static_cast<int>(g->k), alpha, g->b.data, types.data, b.ld,
                                              g->b.batch_stride, g->a.data, types.data, a.ld, g->a.batch_stride, beta,
                                              g->c.data, types.data, c.ld, g->c.batch_stride,
                                              static_cast<int>(g->batch), types.compute, CUBLAS_GEMM_DEFAULT),
                   what);
    });
}

}  // namespace cmp::cuda_backend
