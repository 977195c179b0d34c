// The combiners of the line kernels (cuda/lines.cuh: a group's all(c, v) folds with c's identity()
// and combine(a, b)): plain host and device code, so the host copies of line ops that the fake
// backend runs (cuda/class_loss_rows.h) fold with the same ones.
#pragma once

#include <math.h>

#if defined(__CUDACC__)
#define CMP_COMBINER_FN __host__ __device__ __forceinline__
#else
#define CMP_COMBINER_FN inline
#endif

namespace cmp::cuda_backend {

// The maximum: b > a replaces a, so a NaN never becomes it.
template <typename A>
struct MaxOf {
    CMP_COMBINER_FN static A identity() { return -A(INFINITY); }
    CMP_COMBINER_FN static A combine(A a, A b) { return b > a ? b : a; }
};

template <typename A>
struct SumOf {
    CMP_COMBINER_FN static A identity() { return A(0); }
    CMP_COMBINER_FN static A combine(A a, A b) { return a + b; }
};

}  // namespace cmp::cuda_backend
