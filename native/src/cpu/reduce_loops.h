// Helpers shared by the reduction kernels (kernels/reduce.cpp and kernels/reductions.cpp):
// walking the kept and reduced dims of a ReducePlan. Per-ISA namespace for the same reason as
// cpu/loops.h: every kernel file compiles these once per ISA.
#pragma once

#ifndef CMP_ISA_NAME
#error "cpu/reduce_loops.h is for kernel files compiled per ISA (native/src/cpu/kernels/*.cpp)"
#endif

#include "cpu/reduce_stubs.h"

#include "core/dtype.h"

#include <cstdint>
#include <type_traits>
#include <vector>

namespace cmp::cpu {
inline namespace CMP_ISA_NAME {

// Accumulation type of sums and products: float32 in float64, float16/bfloat16 in float32,
// integers and bool in int64 (wrapping), float64 in itself.
template <typename T>
using acc_type_t = std::conditional_t<std::is_same_v<T, float>, double,
                                      std::conditional_t<std::is_integral_v<T>, int64_t, opmath_t<T>>>;

// Offset (in elements) of linear index `linear` over dims (outermost first), in the input or
// (out == true) in the output.
inline int64_t offset_of(const std::vector<ReduceDim>& dims, int64_t linear, bool out) {
    int64_t off = 0;
    for (size_t d = dims.size(); d-- > 0;) {
        const int64_t i = linear % dims[d].size;
        linear /= dims[d].size;
        off += i * (out ? dims[d].out_stride : dims[d].in_stride);
    }
    return off;
}

// Whether the kernel should run as a column reduction: the innermost kept dim is closer
// together in memory than the innermost reduced one, so neighbouring outputs are accumulated
// side by side (vectorised across outputs) instead of one output at a time.
inline bool is_column_reduction(const ReducePlan& plan) {
    const auto abs64 = [](int64_t v) { return v < 0 ? -v : v; };
    return !plan.kept.empty() && abs64(plan.kept.back().in_stride) < abs64(plan.reduced.back().in_stride);
}

}  // namespace CMP_ISA_NAME
}  // namespace cmp::cpu
