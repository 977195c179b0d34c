// PyTorch's type promotion: promote_types for two dtypes, result_type over the operands of an
// op (with the priority dimensioned tensors > 0-dim tensors > wrapped numbers), can_cast for
// in-place outputs, and PyTorch's legacy type names for the messages that quote them.
#pragma once

#include "tensor.h"

#include <vector>

namespace cmp {

// torch.promote_types for two of the ten dtypes.
DType promote_types(DType a, DType b);

// torch.result_type over operands. Each of the three categories (dimensioned tensors, 0-dim
// tensors, wrapped numbers) is promoted on its own; a lower category only changes the result
// when it is a higher kind (bool < integral < floating) than the categories above it. A
// floating wrapped number counts as the default dtype (float32).
DType result_type(const std::vector<Tensor>& operands);
// The same over count operands at `operands` (the iteration engine's inline operand list).
DType result_type(const Tensor* operands, size_t count);

// torch.can_cast: whether an in-place op may write a value of dtype from into dtype to
// (no floating -> integral, no non-bool -> bool).
bool can_cast(DType from, DType to);

// PyTorch's ScalarType name ("Float", "Long", ...) used in its cast error messages.
const char* legacy_type_name(DType d);

}  // namespace cmp
