// Front-ends of the binary math ops (ops/binary_math.h): each op is described once by the
// dtypes it takes and how it promotes; one function checks, promotes and runs them all.
#include "ops/binary_math.h"

#include "core/iterator.h"
#include "cpu/binary_math_stubs.h"

namespace cmp::cpu {
CMP_DEFINE_STUB(binary_math_stub);
}  // namespace cmp::cpu

namespace cmp::ops {

namespace {

// Which compute dtypes an op is defined for (PyTorch raises "not implemented for" otherwise).
enum class Domain { All, NoBool, Integral /* with bool */, IntegralNoBool, Floating };

struct OpInfo {
    const char* name;
    const char* in_place_name;  // null when PyTorch has no in-place form
    Domain domain;
    bool int_to_float;  // integer (and bool) inputs compute in float32, as true division does
    bool bool_out;      // the result is a bool tensor
};

OpInfo info(BinaryMathOp op) {
    switch (op) {
        case BinaryMathOp::DivTrunc: return {"div", "div_", Domain::NoBool, false, false};
        case BinaryMathOp::DivFloor: return {"div", "div_", Domain::NoBool, false, false};
        case BinaryMathOp::Remainder: return {"remainder", "remainder_", Domain::NoBool, false, false};
        case BinaryMathOp::Fmod: return {"fmod", "fmod_", Domain::NoBool, false, false};
        case BinaryMathOp::Pow: return {"pow", "pow_", Domain::NoBool, false, false};
        case BinaryMathOp::Atan2: return {"atan2", "atan2_", Domain::All, true, false};
        case BinaryMathOp::Hypot: return {"hypot", "hypot_", Domain::Floating, false, false};
        case BinaryMathOp::Maximum: return {"maximum", nullptr, Domain::All, false, false};
        case BinaryMathOp::Minimum: return {"minimum", nullptr, Domain::All, false, false};
        case BinaryMathOp::Fmax: return {"fmax", nullptr, Domain::All, false, false};
        case BinaryMathOp::Fmin: return {"fmin", nullptr, Domain::All, false, false};
        case BinaryMathOp::Copysign: return {"copysign", "copysign_", Domain::All, true, false};
        case BinaryMathOp::BitwiseAnd: return {"bitwise_and", "bitwise_and_", Domain::Integral, false, false};
        case BinaryMathOp::BitwiseOr: return {"bitwise_or", "bitwise_or_", Domain::Integral, false, false};
        case BinaryMathOp::BitwiseXor: return {"bitwise_xor", "bitwise_xor_", Domain::Integral, false, false};
        case BinaryMathOp::LeftShift:
            return {"bitwise_left_shift", "bitwise_left_shift_", Domain::IntegralNoBool, false, false};
        case BinaryMathOp::RightShift:
            return {"bitwise_right_shift", "bitwise_right_shift_", Domain::IntegralNoBool, false, false};
        case BinaryMathOp::LogicalAnd: return {"logical_and", "logical_and_", Domain::All, false, true};
        case BinaryMathOp::LogicalOr: return {"logical_or", "logical_or_", Domain::All, false, true};
        case BinaryMathOp::LogicalXor: return {"logical_xor", "logical_xor_", Domain::All, false, true};
    }
    fail(CMP_STATUS_INVALID_ARGUMENT, str("binary_math: invalid op ", static_cast<int>(op)));
}

bool in_domain(Domain d, DType t) {
    switch (d) {
        case Domain::All: return true;
        case Domain::NoBool: return t != CMP_DTYPE_BOOL;
        case Domain::Integral: return is_integral(t, true);
        case Domain::IntegralNoBool: return is_integral(t, false);
        case Domain::Floating: return is_floating(t);
    }
    return false;
}

// PyTorch's pow(Tensor, Scalar) check: an integral result cannot hold 1/a^n. Only a Python
// number exponent is checked (a tensor exponent gives the truncated value, 0, instead).
void check_pow_exponent(const Tensor& b, DType compute, const char* op) {
    if (!b.is_wrapped_number() || !is_integral(compute, true) || b.dtype() != CMP_DTYPE_INT64) return;
    CMP_CHECK(*b.data<int64_t>() >= 0, INVALID_ARGUMENT, op, ": Integers to negative integer powers are not allowed.");
}

// a (op) b into out (undefined: a new tensor; else in place into out == a).
Tensor run(BinaryMathOp op, const char* name, const Tensor& a, const Tensor& b, const Tensor& out) {
    const OpInfo i = info(op);
    CMP_CHECK(a.defined(), INVALID_ARGUMENT, name, ": argument 'input' is undefined");
    CMP_CHECK(b.defined(), INVALID_ARGUMENT, name, ": argument 'other' is undefined");
    DType compute = result_type({a, b});
    if (i.int_to_float && !is_floating(compute)) compute = CMP_DTYPE_FLOAT32;
    CMP_CHECK(in_domain(i.domain, compute), DTYPE_MISMATCH, name, ": not implemented for dtype ", dtype_name(compute),
              " (inputs ", dtype_name(a.dtype()), " and ", dtype_name(b.dtype()), ")");
    if (op == BinaryMathOp::Pow) check_pow_exponent(b, compute, name);
    auto config = TensorIterator::pointwise(name, {a, b}, out);
    config.promote_int_to_float = i.int_to_float;
    if (i.bool_out) {
        config.has_out_dtype = true;
        config.out_dtype = CMP_DTYPE_BOOL;
    }
    TensorIterator iter(std::move(config));
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
