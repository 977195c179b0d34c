// neg and exp: front-ends over TensorIterator and the unary kernels.
#include "ops/ops.h"

#include "core/iterator.h"
#include "cpu/elementwise_stubs.h"
#include "ops/cuda_ops.h"

namespace cmp::cpu {
CMP_DEFINE_STUB(unary_stub);
}  // namespace cmp::cpu

namespace cmp::ops {

namespace {

Tensor run_unary(const char* op, cpu::UnaryOp kind, const Tensor& a, bool int_to_float) {
    CMP_CHECK(a.defined(), INVALID_ARGUMENT, op, ": argument 'input' is undefined");
    auto config = TensorIterator::pointwise(op, {a});
    config.promote_int_to_float = int_to_float;
    TensorIterator iter(std::move(config));
    if (cuda_ops::on_cuda(iter))
        cuda_ops::unary(iter, kind == cpu::UnaryOp::Neg ? COMPUTE_CUDA_UNARY_NEG : COMPUTE_CUDA_UNARY_EXP);
    else
        cpu::unary_stub(iter, kind);
    return iter.output();
}

}  // namespace

Tensor neg(const Tensor& a) {
    CMP_CHECK(!a.defined() || a.dtype() != CMP_DTYPE_BOOL, DTYPE_MISMATCH,
              "neg: Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a "
              "mask, use the `~` or `logical_not()` operator instead.");
    return run_unary("neg", cpu::UnaryOp::Neg, a, false);
}

// Integer and bool inputs give float32, as torch.exp does.
Tensor exp(const Tensor& a) { return run_unary("exp", cpu::UnaryOp::Exp, a, true); }

}  // namespace cmp::ops
