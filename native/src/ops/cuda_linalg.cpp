// The matrix products on CUDA (see cuda_ops.h): the front-ends of linalg.cpp and linalg2.cpp
// check shapes, dtypes and devices as on the CPU and hand their 3-D views here, which become
// one call of the backend's cuBLAS entry.
#include "ops/cuda_ops.h"

#include "core/cuda_stream.h"
#include "core/cuda_runtime.h"
#include "cuda/gemm_layout.h"

namespace cmp::ops::cuda_ops {

namespace {

bool blas_dtype(DType dt) {
    return dt == CMP_DTYPE_FLOAT32 || dt == CMP_DTYPE_FLOAT64 || dt == CMP_DTYPE_FLOAT16 || dt == CMP_DTYPE_BFLOAT16;
}

// t as cuBLAS can read it: itself when its matrices have dense rows or columns, else a dense
// copy (a broadcast, flipped or doubly sliced operand; each matrix of the batch then has dense
// rows, whatever the batch stride).
Tensor readable(const Tensor& t) {
    int64_t ld = 0;
    if (cuda_gemm::layout_of(t.size(1), t.size(2), t.stride(1), t.stride(2), ld) != cuda_gemm::Layout::None) return t;
    return contiguous(t);
}

compute_cuda_matrices matrices(const Tensor& t) { return {t.data_ptr(), t.stride(0), t.stride(1), t.stride(2)}; }

void check_dtype(const char* op, const Tensor& c) {
    CMP_CHECK(blas_dtype(c.dtype()), DTYPE_MISMATCH, op, ": not implemented on CUDA for dtype ", dtype_name(c.dtype()),
              " (CUDA matrix products take float32, float64, float16 and bfloat16; convert the operands first)");
}

// The backend's description of c = alpha * ra @ rb + beta * c (no epilogue); ra and rb are
// readable() operands the caller keeps alive through the call.
compute_cuda_gemm describe(const Tensor& ra, const Tensor& rb, double alpha, double beta, const Tensor& c) {
    compute_cuda_gemm g{};
    g.device = c.device().index;
    g.dtype = static_cast<int32_t>(c.dtype());
    g.stream = cuda::current_stream(g.device);
    g.batch = c.size(0);
    g.m = c.size(1);
    g.n = c.size(2);
    g.k = ra.size(2);
    g.a = matrices(ra);
    g.b = matrices(rb);
    g.c = matrices(c);
    g.alpha = alpha;
    g.beta = beta;
    g.allow_tf32 = cuda::allow_tf32() ? 1 : 0;
    return g;
}

}  // namespace

void gemm(const char* op, const Tensor& a, const Tensor& b, double alpha, double beta, const Tensor& c) {
    check_dtype(op, c);
    if (c.numel() == 0) return;
    if (a.size(2) == 0) {
        // Empty sums: no product to run (cuBLAS is not asked for k == 0).
        if (beta == 0) fill_(c, scalar_int(0));
        else mul_(c, scalar_tensor(scalar_float(beta), Device::cpu()));
        return;
    }
    const Tensor ra = readable(a), rb = readable(b);
    const compute_cuda_gemm g = describe(ra, rb, alpha, beta, c);
    cuda::check(cuda::get(op).gemm(&g), op);
}

void gemm_bias(const char* op, const Tensor& a, const Tensor& b, double alpha, const Tensor& bias, const Tensor& c) {
    check_dtype(op, c);
    const Tensor ra = readable(a), rb = readable(b);
    compute_cuda_gemm g = describe(ra, rb, alpha, 0.0, c);
    g.epilogue = COMPUTE_CUDA_GEMM_EPILOGUE_BIAS;
    g.bias = bias.data_ptr();
    cuda::check(cuda::get(op).gemm(&g), op);
}

}  // namespace cmp::ops::cuda_ops
