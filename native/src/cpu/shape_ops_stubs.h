// Dispatch stubs of the shape family's kernels (the rest of the family is views + copy_).
#pragma once

#include "core/tensor.h"
#include "cpu/dispatch_stub.h"

namespace cmp::cpu {

// Zeroes, in a contiguous tensor of at least 2 dims, the elements outside the triangle of
// the last two dims that tril (upper = false) or triu (upper = true) keeps at `diagonal`.
CMP_DECLARE_STUB(triangle_zero_stub, void (*)(const Tensor& t, int64_t diagonal, bool upper));

}  // namespace cmp::cpu
