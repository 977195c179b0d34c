// Front-ends of the binary math ops (ops/binary_math.h): each op is described once by the
// dtypes it takes and how it promotes; one function checks, promotes and runs them all.
#include "ops/binary_math.h"

#include "core/iterator.h"
#include "cpu/binary_math_stubs.h"
#include "ops/cuda_ops.h"

namespace cmp::cpu {
CMP_DEFINE_STUB(binary_math_stub);
}  // namespace cmp::cpu

namespace cmp::ops {

namespace {

struct OpInfo {
    const char* name;
    const char* in_place_name;  // null when PyTorch has no in-place form
};

// The names of the op table's entries (cpu/binary_math_list.h).
#define CMP_BINARY_IN_PLACE_NAME(name, inplace) ((inplace) ? #name "_" : nullptr)

OpInfo info(BinaryMathOp op) {
    switch (op) {
#define CMP_BINARY_INFO(Name, name, inplace, domain, int_to_float, bool_out) \
    case BinaryMathOp::Name:                                                   \
        return {#name, CMP_BINARY_IN_PLACE_NAME(name, inplace)};
        CMP_BINARY_MATH_OPS(CMP_BINARY_INFO)
#undef CMP_BINARY_INFO
    }
    fail(CMP_STATUS_INVALID_ARGUMENT, str("binary_math: invalid op ", static_cast<int>(op)));
}

#undef CMP_BINARY_IN_PLACE_NAME

// PyTorch's pow(Tensor, Scalar) check: an integral result cannot hold 1/a^n. Only a Python
// number exponent is checked (a tensor exponent gives the truncated value, 0, instead).
void check_pow_exponent(const Tensor& b, DType compute, const char* op) {
    if (!b.is_wrapped_number() || !is_integral(compute, true) || b.dtype() != CMP_DTYPE_INT64) return;
    CMP_CHECK(*b.data<int64_t>() >= 0, INVALID_ARGUMENT, op, ": Integers to negative integer powers are not allowed.");
}

// a (op) b into out (undefined: a new tensor; else in place into out == a).
Tensor run(BinaryMathOp op, const char* name, const Tensor& a, const Tensor& b, const Tensor& out) {
    CMP_CHECK(a.defined(), INVALID_ARGUMENT, name, ": argument 'input' is undefined");
    CMP_CHECK(b.defined(), INVALID_ARGUMENT, name, ": argument 'other' is undefined");
    const bool int_to_float = cpu::binary_int_to_float(op);
    DType compute = result_type({a, b});
    if (int_to_float && !is_floating(compute)) compute = CMP_DTYPE_FLOAT32;
    CMP_CHECK(cpu::binary_domain_accepts(cpu::binary_domain(op), is_floating(compute), compute == CMP_DTYPE_BOOL),
              DTYPE_MISMATCH, name, ": not implemented for dtype ", dtype_name(compute), " (inputs ",
              dtype_name(a.dtype()), " and ", dtype_name(b.dtype()), ")");
    if (op == BinaryMathOp::Pow) check_pow_exponent(b, compute, name);
    auto config = TensorIterator::pointwise(name, {a, b}, out);
    config.promote_int_to_float = int_to_float;
    if (cpu::binary_bool_out(op)) {
        config.has_out_dtype = true;
        config.out_dtype = CMP_DTYPE_BOOL;
    }
    TensorIterator iter(std::move(config));
    if (cuda_ops::on_cuda(iter)) {
        // The backend's message is the CPU kernel's; cuda_ops puts the name before it.
        cuda_ops::binary_math(iter, op);
        return iter.output();
    }
    try {
        cpu::binary_math_stub(iter, op);
    } catch (const Error& e) {
        // The kernel's only error is integer division by zero; it does not know the op's name.
        fail(e.status(), str(name, ": ", e.what()));
    }
    return iter.output();
}

}  // namespace

const char* binary_math_name(BinaryMathOp op) { return info(op).name; }

Tensor binary_math(BinaryMathOp op, const Tensor& a, const Tensor& b) {
    return run(op, info(op).name, a, b, Tensor());
}

void binary_math_(BinaryMathOp op, const Tensor& a, const Tensor& b) {
    const OpInfo i = info(op);
    CMP_CHECK(i.in_place_name != nullptr, INVALID_ARGUMENT, i.name, ": has no in-place form");
    run(op, i.in_place_name, a, b, a);
}

Tensor floor_divide(const Tensor& a, const Tensor& b) { return run(BinaryMathOp::DivFloor, "floor_divide", a, b, Tensor()); }
void floor_divide_(const Tensor& a, const Tensor& b) { run(BinaryMathOp::DivFloor, "floor_divide_", a, b, a); }

RoundingMode rounding_mode_arg(int32_t mode, const char* op) {
    CMP_CHECK(mode >= 0 && mode <= 2, INVALID_ARGUMENT, op,
              ": expected rounding_mode to be one of CMP_ROUNDING_NONE (0), CMP_ROUNDING_TRUNC (1) or "
              "CMP_ROUNDING_FLOOR (2), but found ", mode);
    return static_cast<RoundingMode>(mode);
}

Tensor div_rounding(const Tensor& a, const Tensor& b, RoundingMode mode) {
    switch (mode) {
        case RoundingMode::None: return div(a, b);
        case RoundingMode::Trunc: return run(BinaryMathOp::DivTrunc, "div", a, b, Tensor());
        case RoundingMode::Floor: return run(BinaryMathOp::DivFloor, "div", a, b, Tensor());
    }
    fail(CMP_STATUS_INVALID_ARGUMENT, str("div: invalid rounding mode ", static_cast<int>(mode)));
}

void div_rounding_(const Tensor& a, const Tensor& b, RoundingMode mode) {
    switch (mode) {
        case RoundingMode::None: return div_(a, b);
        case RoundingMode::Trunc: run(BinaryMathOp::DivTrunc, "div_", a, b, a); return;
        case RoundingMode::Floor: run(BinaryMathOp::DivFloor, "div_", a, b, a); return;
    }
    fail(CMP_STATUS_INVALID_ARGUMENT, str("div_: invalid rounding mode ", static_cast<int>(mode)));
}

}  // namespace cmp::ops
