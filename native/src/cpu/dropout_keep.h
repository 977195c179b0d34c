// Dropout keep decisions drawn in vector lanes (cpu/philox_lanes.h), for the dropout kernels
// and attention's dropout. The layout is DropoutDraw's (cpu/nn_norm_stubs.h): decision i is
// word i % 4 of block offset + i / 4, kept when (word >> 8) >= threshold.
#pragma once

#ifndef CMP_ISA_NAME
#error "cpu/dropout_keep.h is for kernel files compiled per ISA (native/src/cpu/kernels/*.cpp)"
#endif

#include "cpu/nn_norm_stubs.h"
#include "cpu/philox_lanes.h"
#include "cpu/vec_inline.h"

#include <algorithm>
#include <cstdint>

namespace cmp::cpu {
inline namespace CMP_ISA_NAME {

// Decisions per philox_lanes call.
constexpr int64_t kKeepRun = 4 * kPhiloxLanes;

// keep[0 .. n) = decisions first .. first + n - 1 (any first, any n), 64 per Philox call, as
// bytes 0 / 1 (bool's representation; GCC vectorises no loop over bool values).
CMP_VEC_INLINE void draw_keep(const DropoutDraw& d, uint64_t first, int64_t n, uint8_t* keep) {
    for_each_lanes_run<4>(d.seed, d.offset, first, n, [&](const PhiloxLanes& r, int64_t skip, int64_t take) {
        uint8_t run[kKeepRun];
        for (int l = 0; l < kPhiloxLanes; ++l)
            for (int j = 0; j < 4; ++j) run[4 * l + j] = (r.w[j][l] >> 8) >= d.threshold ? 1 : 0;
        std::copy(run + skip, run + skip + take, keep);
        keep += take;
    });
}

}  // namespace CMP_ISA_NAME
}  // namespace cmp::cpu
