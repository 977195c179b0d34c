// Reductions beyond sum/mean (prod, amax/amin, max/min with indices, argmax/argmin, var/std,
// vector norms, logsumexp, any/all, count_nonzero) and the scans cumsum/cumprod. They share
// the ReducePlan of reduce_stubs.h: the front-end builds it once (ops/reduce.cpp), and every
// op here is an accumulator plugged into one fold kernel (cpu/kernels/reductions.cpp) that
// has the inner and column loop shapes of the sum kernel.
#pragma once

#include "cpu/reduce_stubs.h"

namespace cmp::cpu {

enum class FoldOp {
    Prod,
    Amax,
    Amin,
    ArgMax,  // values (plan.out, may be null) and int64 indices (FoldArgs::indices)
    ArgMin,
    Var,     // FoldArgs::param = correction; FoldArgs::mean optionally receives the mean
    Std,
    Norm,    // FoldArgs::param = ord
    LogSumExp,
    Any,
    All,
    CountNonzero,
};

struct FoldArgs {
    double param = 0;
    void* indices = nullptr;  // int64, laid out like plan.out
    void* mean = nullptr;     // plan.out_dtype, laid out like plan.out
};

// Output dtypes (checked by the kernel): Prod -> int64 for integral/bool inputs, else the input
// dtype; Amax/Amin/ArgMax/ArgMin/Var/Std/Norm -> input dtype; LogSumExp -> float32 for
// integral/bool inputs; Any/All -> uint8 for uint8 inputs, else bool; CountNonzero -> int64.
CMP_DECLARE_STUB(fold_stub, void (*)(const ReducePlan&, FoldOp, const FoldArgs&));

enum class ScanOp { CumSum, CumProd };

// A scan along one dim: `outer` lines of `len` elements; the line k starts at input offset
// in_offset(k) (over outer_dims with in_stride) and output offset k's out_stride; elements of a
// line are in_step / out_step apart.
struct ScanPlan {
    const char* op;
    const void* in;
    void* out;
    DType dtype;  // input and output dtype (the front-end converts first)
    std::vector<ReduceDim> outer;  // dims other than the scanned one (out_stride in the output)
    int64_t len;
    int64_t in_step;
    int64_t out_step;
    int64_t lines;
};

CMP_DECLARE_STUB(scan_stub, void (*)(const ScanPlan&, ScanOp));

}  // namespace cmp::cpu
