// Dispatch stubs of the binary/ternary math family (ops/binary_math.h). Kernels live in
// cpu/kernels/binary_math*.cpp (compiled per ISA); the stubs are defined in ops/binary_math*.cpp.
#pragma once

#include "core/iterator.h"
#include "cpu/dispatch_stub.h"
#include "ops/binary_math.h"

namespace cmp::cpu {

// Operands: out, a, b. Inputs are in the compute dtype; out is bool for the logical ops and
// the compute dtype otherwise.
CMP_DECLARE_STUB(binary_math_stub, void (*)(TensorIterator&, ops::BinaryMathOp));
// Operands: out, condition (bool), a, b (a, b and out in one dtype).
CMP_DECLARE_STUB(where_stub, void (*)(TensorIterator&));
// Operands: out, a, end, weight, all in one floating dtype.
CMP_DECLARE_STUB(lerp_stub, void (*)(TensorIterator&));
// Operands: out, a, t1, t2 in the compute dtype; divide selects addcdiv over addcmul.
CMP_DECLARE_STUB(addcmul_div_stub, void (*)(TensorIterator&, bool divide, const cmp_scalar& value));
// Operands: out, a (out's dtype), mask (bool).
CMP_DECLARE_STUB(masked_fill_stub, void (*)(TensorIterator&, const cmp_scalar& value));

}  // namespace cmp::cpu
