// Shared argument handling of the pooling family's front-ends (ops/nn_pool*.cpp): the
// [N, C, *spatial] / [C, *spatial] input convention, the compute dtype (float32 for the 16-bit
// floats), per-dim argument lists, and the zero-filled gradients the backward kernels add into.
#pragma once

#include "ops/nn_pool.h"

#include <string>

namespace cmp::ops::pool_util {

// "max_pool" + 2 -> "max_pool2d": messages name the op as PyTorch users call it.
std::string op_name(const char* base, int64_t nspatial);

// float16/bfloat16 are computed in float32; the other dtypes in themselves.
DType compute_dtype(DType d);

enum Allowed : unsigned { kFloating = 1, kInt64 = 2, kUInt8 = 4 };

struct SpatialInput {
    Tensor x;       // contiguous, in compute_dtype(dtype)
    DType dtype;    // the caller's dtype: results are converted back to it
    Shape lead;     // [N, C] or [C]
    Shape spatial;  // nspatial sizes
    int64_t planes = 0;
};

// Checks nspatial (1..3), the rank (nspatial + 1 or + 2), non-empty non-batch dims (when
// nonempty_dims) and the dtype against `allowed`; the error messages name op and the shape.
SpatialInput spatial_input(const Tensor& t, int64_t nspatial, const std::string& op, unsigned allowed,
                           bool nonempty_dims = true);

// A per-dim argument: nspatial values, each >= min_value; `name` appears in the message.
void check_per_dim(const Shape& values, int64_t nspatial, const std::string& op, const char* name, int64_t min_value);

// A further operand (grad_output, indices) must live on the input's device: no kernel reads
// across devices. PyTorch's message, naming the operand.
void same_device(const Tensor& operand, const Tensor& input, const std::string& op, const char* name);

// lead ++ spatial.
Shape join(const Shape& lead, const Shape& spatial);

// A zero-filled contiguous tensor.
Tensor zeros(const Shape& sizes, DType dtype);

// r in dtype (a no-op unless dtype is a 16-bit float computed in float32).
Tensor to_caller(const Tensor& r, DType dtype);

// A gradient argument of a backward op: defined, of the input's dtype, shaped `expected`;
// returned contiguous in the compute dtype.
Tensor grad_arg(const Tensor& grad, DType dtype, const Shape& expected, const std::string& op, const char* name);

}  // namespace cmp::ops::pool_util
