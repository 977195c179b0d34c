// extern "C" layer of the binary/ternary math family (ops/binary_math.h).
#include "abi_util.h"
#include "ops/binary_math.h"

using namespace cmp;
using namespace cmp::abi;

namespace {

using ops::BinaryMathOp;

cmp_status math(const char* op, BinaryMathOp kind, cmp_tensor a, cmp_tensor b, cmp_tensor* out) {
    return binary(op, a, b, out, [&](const Tensor& x, const Tensor& y) { return ops::binary_math(kind, x, y); });
}

cmp_status math_(const char* op, BinaryMathOp kind, cmp_tensor a, cmp_tensor b) {
    return binary_inplace(op, a, b, [&](const Tensor& x, const Tensor& y) { ops::binary_math_(kind, x, y); });
}

// Three input tensors, one new tensor out.
template <typename Fn>
cmp_status ternary(const char* op, cmp_tensor a, const char* a_name, cmp_tensor b, const char* b_name, cmp_tensor c,
                   const char* c_name, cmp_tensor* out, Fn&& fn) noexcept {
    return guard(op, [&] {
        cmp_tensor& o = out_tensor(out, op);
        o = to_handle(fn(tensor_arg(a, op, a_name), tensor_arg(b, op, b_name), tensor_arg(c, op, c_name)));
    });
}

// Three input tensors, result written into the first.
template <typename Fn>
cmp_status ternary_inplace(const char* op, cmp_tensor a, const char* a_name, cmp_tensor b, const char* b_name,
                           cmp_tensor c, const char* c_name, Fn&& fn) noexcept {
    return guard(op, [&] {
        Tensor t = tensor_arg(a, op, a_name);
        fn(t, tensor_arg(b, op, b_name), tensor_arg(c, op, c_name));
        mark_written(t);
    });
}

// addcmul/addcdiv: a, tensor1, tensor2 and the number `value` (checked first).
cmp_status pointwise_with_value(const char* op, cmp_tensor a, cmp_tensor t1, cmp_tensor t2, const cmp_scalar& value,
                                cmp_tensor* out,
                                Tensor (*fn)(const Tensor&, const Tensor&, const Tensor&, cmp_scalar)) noexcept {
    return ternary(op, a, "a", t1, "tensor1", t2, "tensor2", out, [&](const Tensor& x, const Tensor& y, const Tensor& z) {
        scalar_arg(value, op, "value");
        return fn(x, y, z, value);
    });
}

cmp_status pointwise_with_value_inplace(const char* op, cmp_tensor a, cmp_tensor t1, cmp_tensor t2,
                                        const cmp_scalar& value,
                                        void (*fn)(const Tensor&, const Tensor&, const Tensor&, cmp_scalar)) noexcept {
    return ternary_inplace(op, a, "a", t1, "tensor1", t2, "tensor2", [&](const Tensor& x, const Tensor& y, const Tensor& z) {
        scalar_arg(value, op, "value");
        fn(x, y, z, value);
    });
}

}  // namespace

// One out-of-place function and its in-place form per binary op.
#define CMP_BINARY_MATH_PAIR(name, kind)                                                              \
    CMP_API cmp_status cmp_##name(cmp_tensor a, cmp_tensor b, cmp_tensor* out) {                      \
        return math(#name, BinaryMathOp::kind, a, b, out);                                            \
    }                                                                                                 \
    CMP_API cmp_status cmp_##name##_(cmp_tensor a, cmp_tensor b) { return math_(#name "_", BinaryMathOp::kind, a, b); }

extern "C" {

CMP_API cmp_status cmp_div_rounding(cmp_tensor a, cmp_tensor b, int32_t rounding_mode, cmp_tensor* out) {
    return binary("div", a, b, out, [&](const Tensor& x, const Tensor& y) {
        return ops::div_rounding(x, y, ops::rounding_mode_arg(rounding_mode, "div"));
    });
}

CMP_API cmp_status cmp_div_rounding_(cmp_tensor a, cmp_tensor b, int32_t rounding_mode) {
    return binary_inplace("div_", a, b, [&](const Tensor& x, const Tensor& y) {
        ops::div_rounding_(x, y, ops::rounding_mode_arg(rounding_mode, "div_"));
    });
}

CMP_API cmp_status cmp_floor_divide(cmp_tensor a, cmp_tensor b, cmp_tensor* out) {
    return binary("floor_divide", a, b, out, [](const Tensor& x, const Tensor& y) { return ops::floor_divide(x, y); });
}

CMP_API cmp_status cmp_floor_divide_(cmp_tensor a, cmp_tensor b) {
    return binary_inplace("floor_divide_", a, b, [](const Tensor& x, const Tensor& y) { ops::floor_divide_(x, y); });
}

CMP_BINARY_MATH_PAIR(remainder, Remainder)
CMP_BINARY_MATH_PAIR(fmod, Fmod)
CMP_BINARY_MATH_PAIR(pow, Pow)
CMP_BINARY_MATH_PAIR(atan2, Atan2)
CMP_BINARY_MATH_PAIR(hypot, Hypot)
CMP_BINARY_MATH_PAIR(copysign, Copysign)
CMP_BINARY_MATH_PAIR(bitwise_and, BitwiseAnd)
CMP_BINARY_MATH_PAIR(bitwise_or, BitwiseOr)
CMP_BINARY_MATH_PAIR(bitwise_xor, BitwiseXor)
CMP_BINARY_MATH_PAIR(bitwise_left_shift, LeftShift)
CMP_BINARY_MATH_PAIR(bitwise_right_shift, RightShift)
CMP_BINARY_MATH_PAIR(logical_and, LogicalAnd)
CMP_BINARY_MATH_PAIR(logical_or, LogicalOr)
CMP_BINARY_MATH_PAIR(logical_xor, LogicalXor)

CMP_API cmp_status cmp_maximum(cmp_tensor a, cmp_tensor b, cmp_tensor* out) { return math("maximum", BinaryMathOp::Maximum, a, b, out); }
CMP_API cmp_status cmp_minimum(cmp_tensor a, cmp_tensor b, cmp_tensor* out) { return math("minimum", BinaryMathOp::Minimum, a, b, out); }
CMP_API cmp_status cmp_fmax(cmp_tensor a, cmp_tensor b, cmp_tensor* out) { return math("fmax", BinaryMathOp::Fmax, a, b, out); }
CMP_API cmp_status cmp_fmin(cmp_tensor a, cmp_tensor b, cmp_tensor* out) { return math("fmin", BinaryMathOp::Fmin, a, b, out); }

CMP_API cmp_status cmp_where(cmp_tensor condition, cmp_tensor a, cmp_tensor b, cmp_tensor* out) {
    return ternary("where", condition, "condition", a, "a", b, "b", out,
                   [](const Tensor& c, const Tensor& x, const Tensor& y) { return ops::where(c, x, y); });
}

CMP_API cmp_status cmp_lerp(cmp_tensor a, cmp_tensor end, cmp_tensor weight, cmp_tensor* out) {
    return ternary("lerp", a, "a", end, "end", weight, "weight", out,
                   [](const Tensor& x, const Tensor& e, const Tensor& w) { return ops::lerp(x, e, w); });
}

CMP_API cmp_status cmp_lerp_(cmp_tensor a, cmp_tensor end, cmp_tensor weight) {
    return ternary_inplace("lerp_", a, "a", end, "end", weight, "weight",
                   [](const Tensor& x, const Tensor& e, const Tensor& w) { ops::lerp_(x, e, w); });
}

CMP_API cmp_status cmp_lerp_scalar(cmp_tensor a, cmp_tensor end, cmp_scalar weight, cmp_tensor* out) {
    return binary_scalar("lerp", a, end, weight, "weight", out, ops::lerp);
}

CMP_API cmp_status cmp_lerp_scalar_(cmp_tensor a, cmp_tensor end, cmp_scalar weight) {
    return binary_scalar_inplace("lerp_", a, end, weight, "weight", ops::lerp_);
}

CMP_API cmp_status cmp_addcmul(cmp_tensor a, cmp_tensor tensor1, cmp_tensor tensor2, cmp_scalar value, cmp_tensor* out) {
    return pointwise_with_value("addcmul", a, tensor1, tensor2, value, out, ops::addcmul);
}

CMP_API cmp_status cmp_addcmul_(cmp_tensor a, cmp_tensor tensor1, cmp_tensor tensor2, cmp_scalar value) {
    return pointwise_with_value_inplace("addcmul_", a, tensor1, tensor2, value, ops::addcmul_);
}

CMP_API cmp_status cmp_addcdiv(cmp_tensor a, cmp_tensor tensor1, cmp_tensor tensor2, cmp_scalar value, cmp_tensor* out) {
    return pointwise_with_value("addcdiv", a, tensor1, tensor2, value, out, ops::addcdiv);
}

CMP_API cmp_status cmp_addcdiv_(cmp_tensor a, cmp_tensor tensor1, cmp_tensor tensor2, cmp_scalar value) {
    return pointwise_with_value_inplace("addcdiv_", a, tensor1, tensor2, value, ops::addcdiv_);
}

CMP_API cmp_status cmp_masked_fill(cmp_tensor a, cmp_tensor mask, cmp_scalar value, cmp_tensor* out) {
    return binary_scalar("masked_fill", a, mask, value, "value", out, ops::masked_fill);
}

CMP_API cmp_status cmp_masked_fill_(cmp_tensor a, cmp_tensor mask, cmp_scalar value) {
    return binary_scalar_inplace("masked_fill_", a, mask, value, "value", ops::masked_fill_);
}

CMP_API cmp_status cmp_masked_fill_tensor(cmp_tensor a, cmp_tensor mask, cmp_tensor value, cmp_tensor* out) {
    return ternary("masked_fill", a, "a", mask, "mask", value, "value", out,
                   [](const Tensor& x, const Tensor& m, const Tensor& v) { return ops::masked_fill(x, m, v); });
}

CMP_API cmp_status cmp_masked_fill_tensor_(cmp_tensor a, cmp_tensor mask, cmp_tensor value) {
    return ternary_inplace("masked_fill_", a, "a", mask, "mask", value, "value",
                   [](const Tensor& x, const Tensor& m, const Tensor& v) {
                       ops::masked_fill_(x, m, v);
                   });
}

}  // extern "C"
