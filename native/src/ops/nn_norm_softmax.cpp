// Front-ends of softmax / log_softmax and their backward: checks, dtype conversion, and the
// [outer, dim, inner] plan the kernels run on (cpu/kernels/nn_norm_softmax.cpp), or for CUDA
// tensors the backend's kernels (cuda/softmax.cu), with the same plan and operands.
#include "core/error.h"
#include "cpu/nn_norm_stubs.h"
#include "ops/cuda_ops.h"
#include "ops/nn_norm.h"
#include "ops/nn_norm_util.h"
#include "ops/ops.h"

namespace cmp::cpu {
CMP_DEFINE_STUB(softmax_stub);
CMP_DEFINE_STUB(softmax_backward_stub);
}  // namespace cmp::cpu

namespace cmp::ops {
namespace {

// The plan for softmax along dim of a tensor shaped `sizes` (a 0-dim tensor is one element).
cpu::SoftmaxPlan plan_for(const Tensor& t, int64_t dim, DType dtype, const char* op) {
    const int64_t nd = t.dim();
    const int64_t d = wrap_dim(dim, nd == 0 ? 1 : nd, op, &t.sizes());
    if (nd == 0) return {dtype, 1, 1, 1};
    return {dtype, nn_norm::prod(t.sizes(), 0, d), t.sizes()[static_cast<size_t>(d)], nn_norm::prod(t.sizes(), d + 1, nd)};
}

Tensor softmax_forward(const Tensor& input, int64_t dim, std::optional<DType> dtype, bool log) {
    const char* op = log ? "log_softmax" : "softmax";
    nn_norm::require(input, op, "input");
    const DType target = dtype ? *dtype : input.dtype();
    check_dtype(static_cast<int32_t>(target), op, "dtype");
    CMP_CHECK(is_floating(target), DTYPE_MISMATCH, op, ": expected a floating dtype, got ", dtype_name(target),
              dtype ? "" : " (pass a floating dtype to convert the input)");
    const cpu::SoftmaxPlan plan = plan_for(input, dim, target, op);
    const Tensor x = contiguous(to_dtype(input, target));
    Tensor out = Tensor::empty(input.sizes(), target, input.device(), op);
    if (out.device().is_cpu()) cpu::softmax_stub(plan, x.data_ptr(), out.data_ptr(), log);
    else cuda_ops::softmax(op, plan, x, out, log);
    return out;
}

Tensor softmax_grad(const Tensor& grad_output, const Tensor& output, int64_t dim, bool log) {
    const char* op = log ? "log_softmax_backward" : "softmax_backward";
    nn_norm::require_floating(output, op, "output");
    nn_norm::check_grad(grad_output, output, op, "output");
    const cpu::SoftmaxPlan plan = plan_for(output, dim, output.dtype(), op);
    const Tensor go = contiguous(grad_output);
    const Tensor y = contiguous(output);
    Tensor gi = Tensor::empty(output.sizes(), output.dtype(), output.device(), op);
    if (gi.device().is_cpu()) cpu::softmax_backward_stub(plan, go.data_ptr(), y.data_ptr(), gi.data_ptr(), log);
    else cuda_ops::softmax_backward(op, plan, go, y, gi, log);
    return gi;
}

}  // namespace

Tensor softmax(const Tensor& input, int64_t dim, std::optional<DType> dtype) {
    return softmax_forward(input, dim, dtype, false);
}

Tensor log_softmax(const Tensor& input, int64_t dim, std::optional<DType> dtype) {
    return softmax_forward(input, dim, dtype, true);
}

Tensor softmax_backward(const Tensor& grad_output, const Tensor& output, int64_t dim) {
    return softmax_grad(grad_output, output, dim, false);
}

Tensor log_softmax_backward(const Tensor& grad_output, const Tensor& output, int64_t dim) {
    return softmax_grad(grad_output, output, dim, true);
}

}  // namespace cmp::ops
