// The position walks of nonzero / masked_select and of the advanced index (compute_cuda_nonzero,
// compute_cuda_advanced_index), written once for cuda/nonzero.cu, cuda/advanced_index.cu and the
// fake backend that stands in for them in the routing tests. The CPU kernels
// (cpu/kernels/indexing.cpp, cpu/kernels/indexing_advanced.cpp) are the reference both are
// compared with: the same row-major positions, the same index check and wrap.
#pragma once

#include "cuda/backend_api.h"
#include "cuda/scatter_combine.h"

#include <cstdint>

namespace cmp::cuda_index {

// The element offset of position p (row-major over shape) in a tensor of the given strides.
using cuda_scatter::offset_of;

// nonzero's row of position p: its coordinates, outermost first.
CMP_SCATTER_HD void coordinates_at(int64_t p, int32_t ndim, const int64_t* shape, int64_t* row) {
    for (int d = ndim - 1; d >= 0; --d) {
        row[d] = p % shape[d];
        p /= shape[d];
    }
}

// Where position p of the advanced index a reads or writes in self (*target, in elements) and
// in values (*value); false with *bad_k = the first index operand whose value is outside
// [-sizes[k], sizes[k]) (the CPU kernel's order of checks).
CMP_SCATTER_HD bool index_target(const compute_cuda_advanced_index& a, int64_t p, int64_t* target, int64_t* value,
                                 int32_t* bad_k) {
    int64_t rest = p, s = 0, v = 0;
    int64_t x[COMPUTE_CUDA_MAX_DIMS] = {};
    for (int d = a.ndim - 1; d >= 0; --d) {
        const int64_t c = rest % a.shape[d];
        rest /= a.shape[d];
        s += c * a.self_strides[d];
        v += c * a.values_strides[d];
        for (int k = 0; k < a.nindices; ++k) x[k] += c * a.index_strides[k][d];
    }
    for (int k = 0; k < a.nindices; ++k) {
        int64_t i = a.indices[k][x[k]];
        const int64_t size = a.sizes[k];
        if (i < -size || i >= size) {
            *bad_k = k;
            return false;
        }
        if (i < 0) i += size;
        s += i * a.strides[k];
    }
    *target = s;
    *value = v;
    return true;
}

// The value of the k-th index operand at position p (where a bad position's value is read back).
CMP_SCATTER_HD int64_t index_offset(const compute_cuda_advanced_index& a, int32_t k, int64_t p) {
    return offset_of(p, a.ndim, a.shape, a.index_strides[k]);
}

}  // namespace cmp::cuda_index
