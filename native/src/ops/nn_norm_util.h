// Argument checks shared by the normalisation-family front-ends (ops/nn_norm_*.cpp).
#pragma once

#include "core/tensor.h"

namespace cmp::ops::nn_norm {

// Throws INVALID_ARGUMENT "<op>: argument '<arg>' is undefined".
void require(const Tensor& t, const char* op, const char* arg);
// Also requires a floating dtype.
void require_floating(const Tensor& t, const char* op, const char* arg);
// An optional parameter (weight, bias, running stats): when defined, its shape must be `shape`
// and its dtype `dtype`.
void check_param(const Tensor& p, const char* op, const char* arg, const Shape& shape, DType dtype);
// grad_output must match `like` (the forward's input or output) in shape, dtype and device.
void check_grad(const Tensor& grad, const Tensor& like, const char* op, const char* like_name);
// An optional operand t (weight, bias, saved statistics), when defined, must be on like's device
// (PyTorch's message, as check_grad's).
void check_device(const Tensor& t, const Tensor& like, const char* op);
// The dtype of saved statistics: float32 for 16-bit floats, the dtype itself otherwise.
DType stat_dtype(DType d);
// A saved statistic handed back to a backward: `numel` elements of stat_dtype(input dtype).
void check_stat(const Tensor& s, const char* op, const char* arg, int64_t numel, DType dtype);
// Product of sizes[begin, end).
int64_t prod(const Shape& sizes, int64_t begin, int64_t end);
// Contiguous data pointer of an optional tensor (null when undefined); `keep` holds the copy.
const void* data_or_null(const Tensor& t, Tensor& keep);

}  // namespace cmp::ops::nn_norm
