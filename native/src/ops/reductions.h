// Reductions and scans of issue 3 (sum and mean themselves are declared in ops.h). Dims lists
// follow PyTorch: an empty list means every dim; negative dims count from the end.
#pragma once

#include "core/tensor.h"
#include "cpu/reduce_stubs.h"

#include <utility>
#include <vector>

namespace cmp::ops {

// A reduction ready to run: the output tensor (contiguous, reduced dims kept with size 1), the
// plan the kernels read, and the shape the caller sees (reduced dims dropped unless keepdim).
struct PlannedReduction {
    Tensor out;
    Shape out_shape;
    cpu::ReducePlan plan;
    // Whether each dim of the input is reduced (empty for a 0-dim input): the CUDA branch
    // (ops/cuda_ops.cpp) moves these dims innermost.
    std::vector<bool> reduced_dims;
    // The result with the caller's shape (a view of out).
    Tensor result() const;
    // Another output laid out like out (the indices of max, the mean of var_mean).
    Tensor sibling(DType dtype) const;
};

// Checks dims (range, repeats) and builds the plan for reducing a into a new out_dtype tensor.
PlannedReduction plan_reduction(const char* op, const Tensor& a, const Shape& dims, bool keepdim, DType out_dtype);

Tensor sum_dtype(const Tensor& a, const Shape& dims, bool keepdim, DType dtype);
Tensor mean_dtype(const Tensor& a, const Shape& dims, bool keepdim, DType dtype);
Tensor prod(const Tensor& a, const Shape& dims, bool keepdim);
Tensor prod_dtype(const Tensor& a, const Shape& dims, bool keepdim, DType dtype);
Tensor amax(const Tensor& a, const Shape& dims, bool keepdim);
Tensor amin(const Tensor& a, const Shape& dims, bool keepdim);
Tensor max_all(const Tensor& a);
Tensor min_all(const Tensor& a);
// (values, indices)
std::pair<Tensor, Tensor> max_dim(const Tensor& a, int64_t dim, bool keepdim);
std::pair<Tensor, Tensor> min_dim(const Tensor& a, int64_t dim, bool keepdim);
// has_dim false: index into the flattened tensor.
Tensor argmax(const Tensor& a, bool has_dim, int64_t dim, bool keepdim);
Tensor argmin(const Tensor& a, bool has_dim, int64_t dim, bool keepdim);
Tensor var(const Tensor& a, const Shape& dims, double correction, bool keepdim);
Tensor std_dev(const Tensor& a, const Shape& dims, double correction, bool keepdim);
// (var or std, mean)
std::pair<Tensor, Tensor> var_mean(const Tensor& a, const Shape& dims, double correction, bool keepdim);
std::pair<Tensor, Tensor> std_mean(const Tensor& a, const Shape& dims, double correction, bool keepdim);
Tensor vector_norm(const Tensor& a, double ord, const Shape& dims, bool keepdim);
Tensor logsumexp(const Tensor& a, const Shape& dims, bool keepdim);
Tensor any(const Tensor& a, const Shape& dims, bool keepdim);
Tensor all(const Tensor& a, const Shape& dims, bool keepdim);
Tensor count_nonzero(const Tensor& a, const Shape& dims);
Tensor cumsum(const Tensor& a, int64_t dim);
Tensor cumsum_dtype(const Tensor& a, int64_t dim, DType dtype);
Tensor cumprod(const Tensor& a, int64_t dim);
Tensor cumprod_dtype(const Tensor& a, int64_t dim, DType dtype);

}  // namespace cmp::ops
