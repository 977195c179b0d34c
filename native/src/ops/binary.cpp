// add/sub (with alpha), mul, div: front-ends over TensorIterator and the binary kernels.
#include "ops/ops.h"

#include "core/iterator.h"
#include "cpu/elementwise_stubs.h"
#include "ops/cuda_ops.h"

namespace cmp::cpu {
CMP_DEFINE_STUB(binary_stub);
}  // namespace cmp::cpu

namespace cmp::ops {

namespace {

using cpu::BinaryOp;

void check_defined(const Tensor& a, const Tensor& b, const char* op) {
    CMP_CHECK(a.defined(), INVALID_ARGUMENT, op, ": argument 'input' is undefined");
    CMP_CHECK(b.defined(), INVALID_ARGUMENT, op, ": argument 'other' is undefined");
}

// PyTorch's alpha_check, against the dtype the op computes in.
void check_alpha(const Scalar& alpha, DType dtype, const char* op) {
    CMP_CHECK(alpha.kind == CMP_SCALAR_FLOAT || alpha.kind == CMP_SCALAR_INT || alpha.kind == CMP_SCALAR_BOOL,
              INVALID_ARGUMENT, op, ": invalid scalar kind ", alpha.kind, " for argument 'alpha'");
    CMP_CHECK(alpha.kind != CMP_SCALAR_BOOL || dtype == CMP_DTYPE_BOOL, INVALID_ARGUMENT, op,
              ": Boolean alpha only supported for Boolean results.");
    CMP_CHECK(is_floating(dtype) || alpha.kind != CMP_SCALAR_FLOAT, INVALID_ARGUMENT, op,
              ": For integral input tensors, argument alpha must not be a floating point number.");
}

// PyTorch's sub_check.
void check_sub_operands(const Tensor& a, const Tensor& b, const char* op) {
    const bool ba = a.dtype() == CMP_DTYPE_BOOL, bb = b.dtype() == CMP_DTYPE_BOOL;
    CMP_CHECK(!(ba && bb), DTYPE_MISMATCH, op,
              ": Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or "
              "`logical_xor()` operator instead.");
    CMP_CHECK(!(ba || bb), DTYPE_MISMATCH, op,
              ": Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to "
              "invert a mask, use the `~` or `logical_not()` operator instead.");
}

Scalar negate(const Scalar& s) {
    Scalar r = s;
    if (s.kind == CMP_SCALAR_FLOAT) r.f = -s.f;
    else r.i = static_cast<int64_t>(0ull - static_cast<uint64_t>(s.i));  // wraps like PyTorch's int64
    return r;
}

// out undefined: a new tensor; otherwise the in-place form writing into out (== a).
Tensor run_binary(const char* op, BinaryOp kind, const Tensor& a, const Tensor& b, const Tensor& out,
                  const Scalar* alpha) {
    check_defined(a, b, op);
    auto config = TensorIterator::pointwise(op, {a, b}, out);
    config.promote_int_to_float = kind == BinaryOp::Div;
    TensorIterator iter(std::move(config));
    Scalar one = scalar_int(1);
    if (alpha) check_alpha(*alpha, iter.compute_dtype(), op);
    if (cuda_ops::on_cuda(iter)) {
        const auto cuda_op = kind == BinaryOp::Add   ? COMPUTE_CUDA_BINARY_ADD
                             : kind == BinaryOp::Mul ? COMPUTE_CUDA_BINARY_MUL
                                                     : COMPUTE_CUDA_BINARY_DIV;
        cuda_ops::binary(iter, cuda_op, alpha ? *alpha : one);
    } else {
        cpu::binary_stub(iter, kind, alpha ? *alpha : one);
    }
    return iter.output();
}

Tensor add_impl(const char* op, const Tensor& a, const Tensor& b, Scalar alpha, const Tensor& out) {
    return run_binary(op, BinaryOp::Add, a, b, out, &alpha);
}

Tensor sub_impl(const char* op, const Tensor& a, const Tensor& b, Scalar alpha, const Tensor& out) {
    check_defined(a, b, op);
    check_sub_operands(a, b, op);
    // Checked before negation so that the message quotes the caller's alpha kind.
    CMP_CHECK(alpha.kind == CMP_SCALAR_FLOAT || alpha.kind == CMP_SCALAR_INT || alpha.kind == CMP_SCALAR_BOOL,
              INVALID_ARGUMENT, op, ": invalid scalar kind ", alpha.kind, " for argument 'alpha'");
    Scalar neg_alpha = negate(alpha);
    return run_binary(op, BinaryOp::Add, a, b, out, &neg_alpha);
}

}  // namespace

Tensor add(const Tensor& a, const Tensor& b, Scalar alpha) { return add_impl("add", a, b, alpha, Tensor()); }
void add_(const Tensor& a, const Tensor& b, Scalar alpha) { add_impl("add_", a, b, alpha, a); }
Tensor sub(const Tensor& a, const Tensor& b, Scalar alpha) { return sub_impl("sub", a, b, alpha, Tensor()); }
void sub_(const Tensor& a, const Tensor& b, Scalar alpha) { sub_impl("sub_", a, b, alpha, a); }
Tensor mul(const Tensor& a, const Tensor& b) { return run_binary("mul", BinaryOp::Mul, a, b, Tensor(), nullptr); }
void mul_(const Tensor& a, const Tensor& b) { run_binary("mul_", BinaryOp::Mul, a, b, a, nullptr); }
Tensor div(const Tensor& a, const Tensor& b) { return run_binary("div", BinaryOp::Div, a, b, Tensor(), nullptr); }
void div_(const Tensor& a, const Tensor& b) { run_binary("div_", BinaryOp::Div, a, b, a, nullptr); }

}  // namespace cmp::ops
