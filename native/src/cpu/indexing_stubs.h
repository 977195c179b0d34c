// Dispatch stubs of the indexing kernels (cpu/kernels/indexing.cpp). The front-ends
// (ops/indexing.cpp) check shapes and dtypes; the kernels check every index value.
#pragma once

#include "core/tensor.h"
#include "cpu/dispatch_stub.h"
#include "ops/indexing.h"

#include <vector>

namespace cmp::cpu {

// out = self gathered along dim by index (int64, any strides; out has index's shape, and
// every dim but dim of index is no larger than self's). op names the op in errors.
CMP_DECLARE_STUB(gather_stub, void (*)(const Tensor& out, const Tensor& self, int64_t dim, const Tensor& index, const char* op));
// self[... index ...] (reduce)= src * alpha (or value when src is undefined), in place.
// Sum/Prod/Amax/Amin/None; Mean is a Sum followed by mean_divide.
CMP_DECLARE_STUB(scatter_stub, void (*)(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src,
                                         const cmp_scalar& value, ops::ScatterReduce reduce, const cmp_scalar& alpha,
                                         const char* op));
// self (contiguous) /= max(count, 1), elementwise; integers round down (PyTorch's mean).
CMP_DECLARE_STUB(mean_divide_stub, void (*)(const Tensor& self, const Tensor& count));
// The elements of self (already broadcast with mask to one shape) where mask is non-zero.
CMP_DECLARE_STUB(masked_select_stub, Tensor (*)(const Tensor& self, const Tensor& mask));
CMP_DECLARE_STUB(nonzero_stub, Tensor (*)(const Tensor& self));

}  // namespace cmp::cpu

namespace cmp::cpu {

// The element layout of an advanced index, every operand seen with the result's shape: src is
// self with stride 0 along the broadcast index dims, indices[k] (int64) have stride 0 outside
// them; an element's source is src + sum_k indices[k] * strides[k] (elements), after checking
// -sizes[k] <= index < sizes[k]. dims[k] names the self dim in errors.
struct AdvancedIndexPlan {
    Shape shape;
    Tensor src;
    std::vector<Tensor> indices;
    Shape sizes, strides, dims;
};
// out (contiguous, plan.shape) = the indexed elements.
CMP_DECLARE_STUB(index_stub, void (*)(const Tensor& out, const AdvancedIndexPlan& plan));
// The indexed elements of plan.src = values (or += with accumulate); values has plan.shape and
// src's dtype. Runs in order on one thread: repeated indices must accumulate deterministically.
CMP_DECLARE_STUB(index_put_stub, void (*)(const AdvancedIndexPlan& plan, const Tensor& values, bool accumulate));

}  // namespace cmp::cpu
