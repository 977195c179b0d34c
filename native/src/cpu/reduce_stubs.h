// Reductions: the front-end (ops/reduce.cpp) turns (tensor, dims, keepdim) into a ReducePlan of
// coalesced kept and reduced dims; the per-ISA kernel (cpu/kernels/reduce.cpp) picks the loop
// shape from it: an inner reduction (the reduced elements of one output are close together in
// memory) or an outer/column reduction (neighbouring outputs are close together, so the kernel
// accumulates whole rows of outputs at once, vectorised across outputs).
#pragma once

#include "core/dtype.h"
#include "cpu/dispatch_stub.h"

#include <cstdint>
#include <vector>

namespace cmp::cpu {

enum class ReduceOp { Sum, Mean };

struct ReduceDim {
    int64_t size;
    int64_t in_stride;   // elements
    int64_t out_stride;  // elements; 0 for reduced dims
};

struct ReducePlan {
    const char* op;
    const void* in;
    void* out;
    DType in_dtype;
    DType out_dtype;  // int64 for integral/bool sums, the input dtype otherwise
    // Outermost first, size-1 dims dropped, adjacent dims merged where the layout allows.
    std::vector<ReduceDim> kept;
    std::vector<ReduceDim> reduced;  // never empty: a single {1, 0, 0} when nothing is reduced
    int64_t reduce_numel;            // elements per output (0 gives sum 0 and mean nan)
    int64_t out_numel;
};

CMP_DECLARE_STUB(reduce_stub, void (*)(const ReducePlan&, ReduceOp));

}  // namespace cmp::cpu
