// Indexing ops: gather/scatter (and their reductions), index_select/index_add, masked_select
// and nonzero. Indices are untrusted: every one is range-checked before memory is touched, and
// a bad one is an INDEX_OUT_OF_RANGE error naming the op, the index and the dim size.
#pragma once

#include "ops/ops.h"

#include <vector>

namespace cmp::ops {

enum class ScatterReduce { None = 0, Sum = 1, Prod = 2, Mean = 3, Amax = 4, Amin = 5 };

Tensor gather(const Tensor& self, int64_t dim, const Tensor& index);
// src undefined: every source element is value.
Tensor scatter(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src, Scalar value, ScatterReduce reduce);
void scatter_add_(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src);
Tensor scatter_add(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src);
Tensor scatter_reduce(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src, ScatterReduce reduce,
                      bool include_self);
Tensor index_select(const Tensor& self, int64_t dim, const Tensor& index);
void index_add_(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source, Scalar alpha);
Tensor index_add(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source, Scalar alpha);
Tensor masked_select(const Tensor& self, const Tensor& mask);
Tensor nonzero(const Tensor& self);

}  // namespace cmp::ops

namespace cmp::ops {

// Advanced indexing (indexing_advanced.cpp), PyTorch's x[indices] with one optional tensor per
// dim from dim 0 (undefined = the whole dim): int64 tensors, or bool/uint8 masks that cover as
// many dims as they have. The indexed dims' result goes where PyTorch puts it: in place of the
// indexed dims when they are adjacent, else first.
Tensor index(const Tensor& self, const std::vector<Tensor>& indices);
// self[indices] = values (broadcast, same dtype), or += with accumulate; in place.
void index_put_(const Tensor& self, const std::vector<Tensor>& indices, const Tensor& values, bool accumulate);
Tensor index_put(const Tensor& self, const std::vector<Tensor>& indices, const Tensor& values, bool accumulate);

}  // namespace cmp::ops
