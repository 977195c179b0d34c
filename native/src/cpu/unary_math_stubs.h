// Dispatch stubs of the pointwise unary math family; the op table itself is
// cpu/unary_math_list.h (shared with the CUDA backend), so adding an op is one line there plus
// its functor on each device.
#pragma once

#include "core/iterator.h"
#include "cpu/dispatch_stub.h"
#include "cpu/unary_math_list.h"

namespace cmp::cpu {

// Operand 0 = op(operand 1); operand 1 is in the compute dtype, operand 0 in it too or bool
// for predicates.
CMP_DECLARE_STUB(unary_math_stub, void (*)(TensorIterator&, UnaryMathOp, const UnaryMathParams&));
// Operand 0 = clamp(operand 1, bounds...): operands 2 (and 3) are the bounds, by mode.
CMP_DECLARE_STUB(clamp_stub, void (*)(TensorIterator&, ClampMode, bool nan_bounds_propagate));

}  // namespace cmp::cpu
