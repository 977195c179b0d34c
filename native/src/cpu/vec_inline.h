// CMP_VEC_INLINE: forces a per-element helper inline. Dependency-free, so that headers shared
// with the CUDA backend (cpu/binary_math_scalar.h) can use it as well as cpu/vec_*.h.
#pragma once

// Every per-element helper in the cpu/vec_*.h headers is forced inline: a loop vectorises only
// with the whole body in it, and GCC's heuristics leave a helper out of line once the caller
// grows (one scalar call per element, 10-25x slower: tanh_f32 in the tanh-form GELU, and
// erf_f32/exp_f32 in the exact GELU and the half-precision elu family, float_div_floor in
// float64 floor division). tools/check_vector_inlining.py fails the build's tests when one of
// them is emitted out of line.
#if defined(__GNUC__)
#define CMP_VEC_INLINE inline __attribute__((always_inline))
#elif defined(_MSC_VER)
#define CMP_VEC_INLINE __forceinline
#else
#define CMP_VEC_INLINE inline
#endif
