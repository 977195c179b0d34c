// Sorting, searching, unique, padding and repeat_interleave (issue 3), with PyTorch's
// semantics and argument checks. Sorts are always stable; NaN sorts as the largest value.
#pragma once

#include "ops/ops.h"

#include <tuple>
#include <utility>

namespace cmp::ops {

// Sorting (sort_search.cpp). Results: (values, int64 indices).
std::pair<Tensor, Tensor> sort(const Tensor& a, int64_t dim, bool descending);
Tensor argsort(const Tensor& a, int64_t dim, bool descending);
Tensor msort(const Tensor& a);
std::pair<Tensor, Tensor> topk(const Tensor& a, int64_t k, int64_t dim, bool largest, bool sorted);

// Searching (sort_search.cpp). sorter may be undefined.
Tensor searchsorted(const Tensor& sorted_sequence, const Tensor& values, bool out_int32, bool right, const Tensor& sorter);
Tensor searchsorted_scalar(const Tensor& sorted_sequence, Scalar value, bool out_int32, bool right);
Tensor bucketize(const Tensor& input, const Tensor& boundaries, bool out_int32, bool right);

// Padding (sort_search_pad.cpp): pad holds (left, right) pairs from the last dim backwards.
enum class PadMode { Constant = 0, Reflect = 1, Replicate = 2, Circular = 3 };
Tensor pad(const Tensor& a, const Shape& pad, PadMode mode, double value);
Tensor pad_backward(const Tensor& grad_output, const Shape& input_sizes, const Shape& pad, PadMode mode);

// repeat_interleave and unique (sort_search_unique.cpp). output_size < 0: not given.
// dim < 0 with has_dim false: the flattened tensor.
Tensor repeat_interleave(const Tensor& a, int64_t repeats, bool has_dim, int64_t dim, int64_t output_size);
Tensor repeat_interleave_tensor(const Tensor& a, const Tensor& repeats, bool has_dim, int64_t dim, int64_t output_size);
Tensor repeat_interleave_indices(const Tensor& repeats, int64_t output_size);
// (values, inverse, counts); inverse/counts are empty int64 tensors when not asked for.
std::tuple<Tensor, Tensor, Tensor> unique(const Tensor& a, bool return_inverse, bool return_counts, bool has_dim, int64_t dim);
std::tuple<Tensor, Tensor, Tensor> unique_consecutive(const Tensor& a, bool return_inverse, bool return_counts, bool has_dim,
                                                      int64_t dim);

}  // namespace cmp::ops
