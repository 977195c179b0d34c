// Dispatch stubs of the pointwise kernel families (copy/cast, fill, unary, binary, compare).
// The kernels live in cpu/kernels/*.cpp, compiled once per ISA; the stubs are defined in the
// ops front-ends (ops/*.cpp). A new op is a new enum value here plus one functor in its family's
// kernel file; layout, broadcasting, promotion and threading come from TensorIterator.
#pragma once

#include "core/iterator.h"
#include "cpu/dispatch_stub.h"
#include "ops/ops.h"

namespace cmp::cpu {

enum class UnaryOp { Neg, Exp };
// Sub is Add with a negated alpha.
enum class BinaryOp { Add, Mul, Div };

// Operand 0 (any dtype) = operand 1 (any dtype), converted.
CMP_DECLARE_STUB(copy_stub, void (*)(TensorIterator&));
// Operand 0 = value converted to its dtype.
CMP_DECLARE_STUB(fill_stub, void (*)(TensorIterator&, const cmp_scalar&));
// Operands share the compute dtype.
CMP_DECLARE_STUB(unary_stub, void (*)(TensorIterator&, UnaryOp));
// Add computes a + alpha * b; alpha is ignored by the other ops.
CMP_DECLARE_STUB(binary_stub, void (*)(TensorIterator&, BinaryOp, const cmp_scalar& alpha));
// Bool output, inputs in the compute dtype.
CMP_DECLARE_STUB(compare_stub, void (*)(TensorIterator&, ops::CompareOp));

}  // namespace cmp::cpu
