// Linear algebra beyond matmul (linalg2.cpp, einsum.cpp): the products PyTorch exposes with
// fixed ranks (mm, bmm, mv, dot, outer), their fused add forms (addmm, baddbmm, addmv) and
// einsum. Every product goes through the one CPU GEMM (cpu/gemm.h) on strided views, or for
// CUDA tensors through cuda_ops::gemm (cuBLAS).
#pragma once

#include "ops/ops.h"

#include <string>
#include <vector>

namespace cmp::ops {

Tensor mm(const Tensor& a, const Tensor& b);
Tensor bmm(const Tensor& a, const Tensor& b);
Tensor mv(const Tensor& mat, const Tensor& vec);
Tensor dot(const Tensor& a, const Tensor& b);
Tensor outer(const Tensor& a, const Tensor& b);
Tensor addmm(const Tensor& input, const Tensor& mat1, const Tensor& mat2, Scalar beta, Scalar alpha);
Tensor baddbmm(const Tensor& input, const Tensor& batch1, const Tensor& batch2, Scalar beta, Scalar alpha);
Tensor addmv(const Tensor& input, const Tensor& mat, const Tensor& vec, Scalar beta, Scalar alpha);
Tensor einsum(const std::string& equation, const std::vector<Tensor>& operands);

}  // namespace cmp::ops
