// Argument checks shared by the normalisation-family front-ends.
#include "ops/nn_norm_util.h"

#include "core/error.h"
#include "ops/ops.h"

namespace cmp::ops::nn_norm {

void require(const Tensor& t, const char* op, const char* arg) {
    CMP_CHECK(t.defined(), INVALID_ARGUMENT, op, ": argument '", arg, "' is undefined");
}

void require_floating(const Tensor& t, const char* op, const char* arg) {
    require(t, op, arg);
    CMP_CHECK(is_floating(t.dtype()), DTYPE_MISMATCH, op, ": argument '", arg, "' must be a floating tensor, got ",
              dtype_name(t.dtype()));
}

void check_param(const Tensor& p, const char* op, const char* arg, const Shape& shape, DType dtype) {
    if (!p.defined()) return;
    CMP_CHECK(p.sizes() == shape, SHAPE_MISMATCH, op, ": argument '", arg, "' must have shape ", shape, ", got ",
              p.sizes());
    CMP_CHECK(p.dtype() == dtype, DTYPE_MISMATCH, op, ": argument '", arg, "' has dtype ", dtype_name(p.dtype()),
              " but the input is ", dtype_name(dtype));
}

void check_grad(const Tensor& grad, const Tensor& like, const char* op, const char* like_name) {
    require(grad, op, "grad_output");
    CMP_CHECK(grad.sizes() == like.sizes(), SHAPE_MISMATCH, op, ": grad_output of shape ", grad.sizes(),
              " does not match ", like_name, " of shape ", like.sizes());
    CMP_CHECK(grad.dtype() == like.dtype(), DTYPE_MISMATCH, op, ": grad_output has dtype ", dtype_name(grad.dtype()),
              " but ", like_name, " is ", dtype_name(like.dtype()));
    check_device(grad, like, op);
}

void check_device(const Tensor& t, const Tensor& like, const char* op) {
    if (!t.defined()) return;
    // PyTorch's message (core/iterator.cpp gives it for the elementwise ops).
    CMP_CHECK(t.device() == like.device(), DEVICE_ERROR, op,
              ": Expected all tensors to be on the same device, but found at least two devices, ", t.device().str(),
              " and ", like.device().str(), "!");
}

DType stat_dtype(DType d) { return d == CMP_DTYPE_FLOAT64 ? CMP_DTYPE_FLOAT64 : CMP_DTYPE_FLOAT32; }

void check_stat(const Tensor& s, const char* op, const char* arg, int64_t numel, DType dtype) {
    require(s, op, arg);
    CMP_CHECK(s.numel() == numel, SHAPE_MISMATCH, op, ": argument '", arg, "' of shape ", s.sizes(), " must have ",
              numel, " elements");
    CMP_CHECK(s.dtype() == stat_dtype(dtype), DTYPE_MISMATCH, op, ": argument '", arg, "' must have dtype ",
              dtype_name(stat_dtype(dtype)), ", got ", dtype_name(s.dtype()));
}

int64_t prod(const Shape& sizes, int64_t begin, int64_t end) {
    int64_t n = 1;
    for (int64_t i = begin; i < end; ++i) n *= sizes[static_cast<size_t>(i)];
    return n;
}

const void* data_or_null(const Tensor& t, Tensor& keep) {
    if (!t.defined()) return nullptr;
    keep = contiguous(t);
    return keep.data_ptr();
}

}  // namespace cmp::ops::nn_norm
