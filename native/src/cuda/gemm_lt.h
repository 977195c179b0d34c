// The bias epilogue of the gemm entry through cuBLASLt (cuda/gemm_lt.cpp): one cublasLtMatmul
// that adds the bias vector to every row of C in the product's own pass, instead of a product
// followed by a broadcast add (PyTorch's addmm takes the same path for a Linear layer's bias).
#pragma once

#include "cuda/backend_api.h"

#include <cublas_v2.h>

#include <string>

namespace cmp::cuda_backend {

// How gemm.cpp hands cuBLAS the transposed product C^T = B^T A^T (cuda/gemm.cpp's comment).
struct LtProduct {
    cublasOperation_t op_b, op_a;  // the first (B) and second (A) operand's operation
    int ld_b, ld_a, ld_c;
    cudaDataType_t data;
    cublasComputeType_t compute;
};

// C = alpha * A B + bias for g (batch 1, epilogue BIAS, a float32 / float16 / bfloat16 dtype) on
// g.stream. False, with nothing queued, where cuBLASLt offers no algorithm for this product; the
// caller then writes the bias rows and runs the plain product onto them.
bool gemm_bias_lt(const compute_cuda_gemm& g, const LtProduct& p, const std::string& what);

}  // namespace cmp::cuda_backend
