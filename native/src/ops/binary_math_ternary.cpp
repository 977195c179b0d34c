// Front-ends of where, lerp, addcmul/addcdiv and masked_fill: argument and dtype checks, then
// one TensorIterator over all the operands (it broadcasts them and handles any layout).
#include "ops/binary_math.h"

#include "core/iterator.h"
#include "cpu/binary_math_stubs.h"
#include "ops/cuda_ops.h"

namespace cmp::cpu {
CMP_DEFINE_STUB(where_stub);
CMP_DEFINE_STUB(lerp_stub);
CMP_DEFINE_STUB(addcmul_div_stub);
CMP_DEFINE_STUB(masked_fill_stub);
}  // namespace cmp::cpu

namespace cmp::ops {

namespace {

void check_defined(const Tensor& t, const char* op, const char* arg) {
    CMP_CHECK(t.defined(), INVALID_ARGUMENT, op, ": argument '", arg, "' is undefined");
}

// An iterator whose inputs are read in their own dtypes (a bool condition or mask next to
// data of another dtype) and whose output has dtype `dtype`.
TensorIterator::Config fixed_dtype_config(const char* op, std::vector<Tensor> inputs, DType dtype, const Tensor& out) {
    auto config = TensorIterator::pointwise(op, std::move(inputs), out);
    config.has_compute_dtype = true;
    config.compute_dtype = dtype;
    config.cast_inputs = false;
    return config;
}

// ---- lerp -----------------------------------------------------------------------------------

void check_lerp(const char* op, const Tensor& a, const Tensor& end, const Tensor* weight) {
    check_defined(a, op, "input");
    check_defined(end, op, "end");
    CMP_CHECK(is_floating(a.dtype()), DTYPE_MISMATCH, op, ": not implemented for dtype ", dtype_name(a.dtype()),
              " (input must be floating)");
    CMP_CHECK(end.dtype() == a.dtype(), DTYPE_MISMATCH, op, ": expected dtype ", dtype_name(a.dtype()),
              " for `end` but got dtype ", dtype_name(end.dtype()));
    if (weight) {
        check_defined(*weight, op, "weight");
        CMP_CHECK(weight->dtype() == a.dtype(), DTYPE_MISMATCH, op, ": expected dtype ", dtype_name(a.dtype()),
                  " for `weight` but got dtype ", dtype_name(weight->dtype()));
    }
}

Tensor run_lerp(const char* op, const Tensor& a, const Tensor& end, const Tensor& weight, const Tensor& out) {
    TensorIterator iter(TensorIterator::pointwise(op, {a, end, weight}, out));
    if (cuda_ops::on_cuda(iter)) cuda_ops::ternary_math(iter, TernaryMathOp::Lerp, Scalar{});
    else cpu::lerp_stub(iter);
    return iter.output();
}

Tensor lerp_tensor(const char* op, const Tensor& a, const Tensor& end, const Tensor& weight, const Tensor& out) {
    check_lerp(op, a, end, &weight);
    return run_lerp(op, a, end, weight, out);
}

Tensor lerp_scalar(const char* op, const Tensor& a, const Tensor& end, Scalar weight, const Tensor& out) {
    check_lerp(op, a, end, nullptr);
    // A 0-dim weight in a's dtype: the iterator broadcasts it (stride 0) like any operand.
    return run_lerp(op, a, end, full({}, weight, a.dtype(), a.device()), out);
}

// ---- addcmul / addcdiv ---------------------------------------------------------------------

Tensor run_addc(const char* op, bool divide, const Tensor& a, const Tensor& t1, const Tensor& t2, Scalar value,
                const Tensor& out) {
    check_defined(a, op, "input");
    check_defined(t1, op, "tensor1");
    check_defined(t2, op, "tensor2");
    CMP_CHECK(!divide || !(is_integral(t1.dtype(), true) && is_integral(t2.dtype(), true)), DTYPE_MISMATCH, op,
              ": Integer division with addcdiv is no longer supported (tensor1 ", dtype_name(t1.dtype()),
              ", tensor2 ", dtype_name(t2.dtype()), "); use (input + value * tensor1 / tensor2) instead");
    const DType compute = result_type({a, t1, t2});
    CMP_CHECK(compute != CMP_DTYPE_BOOL, DTYPE_MISMATCH, op, ": not implemented for dtype bool");
    TensorIterator iter(TensorIterator::pointwise(op, {a, t1, t2}, out));
    if (cuda_ops::on_cuda(iter)) cuda_ops::ternary_math(iter, divide ? TernaryMathOp::Addcdiv : TernaryMathOp::Addcmul, value);
    else cpu::addcmul_div_stub(iter, divide, value);
    return iter.output();
}

// ---- masked_fill ----------------------------------------------------------------------------

Tensor run_masked_fill(const char* op, const Tensor& a, const Tensor& mask, Scalar value, bool in_place) {
    check_defined(a, op, "input");
    check_defined(mask, op, "mask");
    // PyTorch 1.13 still accepts uint8 masks with a deprecation warning; later versions
    // reject them, and so does Compute.
    CMP_CHECK(mask.dtype() == CMP_DTYPE_BOOL, DTYPE_MISMATCH, op, ": only supports boolean masks, but got mask with dtype ",
              dtype_name(mask.dtype()));
    TensorIterator iter(fixed_dtype_config(op, {a, mask}, a.dtype(), in_place ? a : Tensor()));
    if (cuda_ops::on_cuda(iter)) cuda_ops::masked_fill(iter, value);
    else cpu::masked_fill_stub(iter, value);
    return iter.output();
}

Scalar masked_fill_value(const char* op, const Tensor& value) {
    check_defined(value, op, "value");
    CMP_CHECK(value.dim() == 0, INVALID_ARGUMENT, op, ": only supports a 0-dimensional value tensor, but got tensor with ",
              value.dim(), " dimension(s).");
    // A device value is read on the host (item reads host memory).
    return item(value.device().is_cpu() ? value : to_device(value, Device::cpu()), {});
}

}  // namespace

Tensor where(const Tensor& condition, const Tensor& a, const Tensor& b) {
    check_defined(condition, "where", "condition");
    check_defined(a, "where", "input");
    check_defined(b, "where", "other");
    CMP_CHECK(condition.dtype() == CMP_DTYPE_BOOL, DTYPE_MISMATCH,
              "where: expected condition to be a boolean tensor, but got a tensor with dtype ",
              dtype_name(condition.dtype()));
    // a and b are promoted together (the condition takes no part), then read with the bool
    // condition in one loop.
    const DType dtype = result_type({a, b});
    const Tensor ca = a.dtype() == dtype ? a : to_dtype(a, dtype);
    const Tensor cb = b.dtype() == dtype ? b : to_dtype(b, dtype);
    TensorIterator iter(fixed_dtype_config("where", {condition, ca, cb}, dtype, Tensor()));
    if (cuda_ops::on_cuda(iter)) cuda_ops::where(iter);
    else cpu::where_stub(iter);
    return iter.output();
}

Tensor lerp(const Tensor& a, const Tensor& end, const Tensor& weight) { return lerp_tensor("lerp", a, end, weight, Tensor()); }
void lerp_(const Tensor& a, const Tensor& end, const Tensor& weight) { lerp_tensor("lerp_", a, end, weight, a); }
Tensor lerp(const Tensor& a, const Tensor& end, Scalar weight) { return lerp_scalar("lerp", a, end, weight, Tensor()); }
void lerp_(const Tensor& a, const Tensor& end, Scalar weight) { lerp_scalar("lerp_", a, end, weight, a); }

Tensor addcmul(const Tensor& a, const Tensor& t1, const Tensor& t2, Scalar value) {
    return run_addc("addcmul", false, a, t1, t2, value, Tensor());
}
void addcmul_(const Tensor& a, const Tensor& t1, const Tensor& t2, Scalar value) {
    run_addc("addcmul_", false, a, t1, t2, value, a);
}
Tensor addcdiv(const Tensor& a, const Tensor& t1, const Tensor& t2, Scalar value) {
    return run_addc("addcdiv", true, a, t1, t2, value, Tensor());
}
void addcdiv_(const Tensor& a, const Tensor& t1, const Tensor& t2, Scalar value) {
    run_addc("addcdiv_", true, a, t1, t2, value, a);
}

Tensor masked_fill(const Tensor& a, const Tensor& mask, Scalar value) {
    return run_masked_fill("masked_fill", a, mask, value, false);
}
void masked_fill_(const Tensor& a, const Tensor& mask, Scalar value) { run_masked_fill("masked_fill_", a, mask, value, true); }
Tensor masked_fill(const Tensor& a, const Tensor& mask, const Tensor& value) {
    return run_masked_fill("masked_fill", a, mask, masked_fill_value("masked_fill", value), false);
}
void masked_fill_(const Tensor& a, const Tensor& mask, const Tensor& value) {
    run_masked_fill("masked_fill_", a, mask, masked_fill_value("masked_fill_", value), true);
}

}  // namespace cmp::ops
