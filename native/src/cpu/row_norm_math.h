// The per-element formulas of layer norm, RMS norm and group norm (RowNormPlan), written once
// for the CUDA kernels (cuda/row_norm.cu) and the fake backend that stands in for them in the
// routing tests (tests/cuda/fake_backend.cpp); they are the CPU kernel's
// (cpu/kernels/nn_norm_rows.cpp) expressions in the same order. A is the accumulation type:
// float for float32 and the 16-bit floats, double for float64.
#pragma once

#include <cstdint>
#if defined(__CUDACC__)
#define CMP_ROW_NORM_HD __host__ __device__ __forceinline__
#else
#include <cmath>
#define CMP_ROW_NORM_HD inline
#endif

namespace cmp::cpu::row_norm {

// The affine index (weight, bias, grad_weight, grad_bias) of element e of row r.
CMP_ROW_NORM_HD int64_t param_index(int64_t groups, int64_t channels, int64_t inner, int64_t r, int64_t e) {
    return (r % groups) * channels + (inner == 1 ? e : e / inner);
}

// 1 / sqrt(var + eps) (a correctly rounded sqrt and division, not rsqrt).
template <typename A>
CMP_ROW_NORM_HD A rstd_of(A var, A eps) {
#if defined(__CUDA_ARCH__)
    return A(1) / sqrt(var + eps);
#else
    return A(1) / std::sqrt(var + eps);
#endif
}

// The forward's output: (x - mean) * rstd * w + b.
template <typename A>
CMP_ROW_NORM_HD A normalized(A x, A mean, A rstd, A w, A b) {
    return (x - mean) * rstd * w + b;
}

// xhat = (x - mean) * rstd.
template <typename A>
CMP_ROW_NORM_HD A xhat_of(A x, A mean, A rstd) {
    return (x - mean) * rstd;
}

// grad_in = rstd * (dy * w - a - xhat * bq), a = mean(dy * w) (0 for RMS), bq = mean(dy * w * xhat).
template <typename A>
CMP_ROW_NORM_HD A grad_input(A dy, A w, A xhat, A rstd, A a, A bq) {
    return rstd * (dy * w - a - xhat * bq);
}

}  // namespace cmp::cpu::row_norm
