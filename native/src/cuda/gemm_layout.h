// How the backend's gemm entry (backend_api.h) reads a rows x cols operand with given element
// strides. cuBLAS needs the rows or the columns dense (stride 1) and the other stride (its
// leading dimension) at least the dense extent; the stride of a dim of size 1 never matters.
// Anything else (a broadcast, a negative or overlapping stride, a slice of both dims) is refused
// by gemm, so the core makes such an operand contiguous first. Shared by the core
// (ops/cuda_linalg.cpp) and the backend (cuda/gemm.cpp) so they agree; C++ only, kept out of the
// C interface header.
#pragma once

#include <cstdint>

namespace cmp::cuda_gemm {

enum class Layout {
    None,      // not readable as it is
    RowMajor,  // dense rows: leading dimension row_stride
    ColMajor,  // dense columns: leading dimension col_stride
};

// The layout of an operand, and in ld its leading dimension (at least 1; 0 for None).
inline Layout layout_of(int64_t rows, int64_t cols, int64_t row_stride, int64_t col_stride, int64_t& ld) {
    const int64_t dense_cols = cols > 1 ? cols : 1, dense_rows = rows > 1 ? rows : 1;
    if (cols <= 1 || col_stride == 1) {
        if (rows <= 1) {
            ld = dense_cols;
            return Layout::RowMajor;
        }
        if (row_stride >= dense_cols) {
            ld = row_stride;
            return Layout::RowMajor;
        }
    }
    if (rows <= 1 || row_stride == 1) {
        if (cols <= 1) {
            ld = dense_rows;
            return Layout::ColMajor;
        }
        if (col_stride >= dense_rows) {
            ld = col_stride;
            return Layout::ColMajor;
        }
    }
    ld = 0;
    return Layout::None;
}

}  // namespace cmp::cuda_gemm
