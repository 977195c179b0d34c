// Joining, splitting and rearranging ops (cat, stack, split, chunk, unbind, flip, roll, repeat,
// tile, tril/triu, diagonal, diag). Most are views or compositions of views with copy_, so
// they inherit the iteration engine's layout handling, dtype conversion and threading.
#pragma once

#include "ops/ops.h"

#include <vector>

namespace cmp::ops {

// Joining (shape_ops.cpp)
Tensor cat(const std::vector<Tensor>& tensors, int64_t dim);
Tensor stack(const std::vector<Tensor>& tensors, int64_t dim);

// Splitting into views (shape_split.cpp)
std::vector<Tensor> split(const Tensor& t, int64_t split_size, int64_t dim);
std::vector<Tensor> split_with_sizes(const Tensor& t, const Shape& sizes, int64_t dim);
std::vector<Tensor> chunk(const Tensor& t, int64_t chunks, int64_t dim);
std::vector<Tensor> unbind(const Tensor& t, int64_t dim);

// Rearranging copies (shape_ops.cpp)
Tensor flip(const Tensor& t, const Shape& dims);
Tensor roll(const Tensor& t, const Shape& shifts, const Shape& dims);
Tensor repeat(const Tensor& t, const Shape& repeats);
Tensor tile(const Tensor& t, const Shape& reps);

// Triangles and diagonals (shape_diag.cpp)
Tensor tril(const Tensor& t, int64_t diagonal);
Tensor triu(const Tensor& t, int64_t diagonal);
Tensor diagonal(const Tensor& t, int64_t offset, int64_t dim1, int64_t dim2);  // a view
Tensor diag(const Tensor& t, int64_t diagonal);

}  // namespace cmp::ops
