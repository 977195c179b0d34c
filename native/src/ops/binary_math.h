// Pointwise binary and ternary math beyond add/sub/mul/div (issue 3): division with rounding
// modes, remainders, pow, atan2/hypot, maximum/minimum (NaN-propagating and NaN-ignoring),
// copysign, bitwise and logical ops, where, lerp, addcmul/addcdiv and masked_fill.
// Front-ends in ops/binary_math*.cpp; kernels in cpu/kernels/binary_math*.cpp.
#pragma once

#include "cpu/binary_math_list.h"
#include "ops/ops.h"

namespace cmp::ops {

// The binary ops that share one front-end (promotion, dtype checks, in-place handling) and
// one kernel switch: the op table of cpu/binary_math_list.h, shared with the CUDA backend.
using BinaryMathOp = cpu::BinaryMathOp;
using TernaryMathOp = cpu::TernaryMathOp;

// The PyTorch name of op ("remainder", "bitwise_left_shift", ...), for messages.
const char* binary_math_name(BinaryMathOp op);

// a (op) b as a new tensor; the in-place form writes into a (its shape and dtype kept).
Tensor binary_math(BinaryMathOp op, const Tensor& a, const Tensor& b);
void binary_math_(BinaryMathOp op, const Tensor& a, const Tensor& b);

// floor(a / b): div with rounding mode floor, under its own name.
Tensor floor_divide(const Tensor& a, const Tensor& b);
void floor_divide_(const Tensor& a, const Tensor& b);

// torch.div's rounding_mode: the values of cmp_rounding_mode.
enum class RoundingMode { None = 0, Trunc = 1, Floor = 2 };
// Validates a rounding mode coming from C (any int32).
RoundingMode rounding_mode_arg(int32_t mode, const char* op);
Tensor div_rounding(const Tensor& a, const Tensor& b, RoundingMode mode);
void div_rounding_(const Tensor& a, const Tensor& b, RoundingMode mode);

// condition ? a : b, with condition bool and a, b promoted together.
Tensor where(const Tensor& condition, const Tensor& a, const Tensor& b);

// a + weight * (end - a); a, end (and a tensor weight) share one floating dtype.
Tensor lerp(const Tensor& a, const Tensor& end, const Tensor& weight);
void lerp_(const Tensor& a, const Tensor& end, const Tensor& weight);
Tensor lerp(const Tensor& a, const Tensor& end, Scalar weight);
void lerp_(const Tensor& a, const Tensor& end, Scalar weight);

// a + value * t1 * t2 and a + value * t1 / t2.
Tensor addcmul(const Tensor& a, const Tensor& t1, const Tensor& t2, Scalar value);
void addcmul_(const Tensor& a, const Tensor& t1, const Tensor& t2, Scalar value);
Tensor addcdiv(const Tensor& a, const Tensor& t1, const Tensor& t2, Scalar value);
void addcdiv_(const Tensor& a, const Tensor& t1, const Tensor& t2, Scalar value);

// value (converted to a's dtype) where the bool mask is true. The out-of-place form
// broadcasts a with mask; the in-place form keeps a's shape. A tensor value must be 0-dim.
Tensor masked_fill(const Tensor& a, const Tensor& mask, Scalar value);
void masked_fill_(const Tensor& a, const Tensor& mask, Scalar value);
Tensor masked_fill(const Tensor& a, const Tensor& mask, const Tensor& value);
void masked_fill_(const Tensor& a, const Tensor& mask, const Tensor& value);

}  // namespace cmp::ops
