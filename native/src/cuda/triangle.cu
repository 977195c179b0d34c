// tril / triu on CUDA: the core hands a dense input as [matrices, rows, cols] lines
// (compute_cuda_lines) and a dense output; one pass copies the kept triangle and writes zeros
// elsewhere (the CPU clones, then zeroes in place: two passes). Elements move as bits, so the
// dtypes of one size share a kernel, and zero is all-zero bits in every dtype (+0.0, false).
#include "cuda/dtypes.cuh"
#include "cuda/entries.h"
#include "cuda/lines.cuh"

namespace cmp::cuda_backend {

namespace {

// One thread per element (grid-stride); index_t is uint32_t when every index fits, so the
// row / column divisions stay 32-bit.
template <typename U, typename index_t>
__global__ void triangle_kernel(const U* in, U* out, index_t numel, index_t rows, index_t cols, int64_t diagonal,
                                bool upper) {
    const index_t step = static_cast<index_t>(blockDim.x) * gridDim.x;
    for (index_t i = static_cast<index_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < numel; i += step) {
        const index_t col = i % cols;
        const index_t row = (i / cols) % rows;
        const int64_t offset = static_cast<int64_t>(col) - static_cast<int64_t>(row);
        const bool keep = upper ? offset >= diagonal : offset <= diagonal;
        out[i] = keep ? in[i] : U(0);
    }
}

template <typename U>
void triangle_typed(const compute_cuda_lines& l, const void* in, void* out, int64_t diagonal, bool upper) {
    const auto* x = static_cast<const U*>(in);
    auto* y = static_cast<U*>(out);
    const auto s = static_cast<cudaStream_t>(l.stream);
    const int64_t numel = l.outer * l.dim * l.inner;
    if (numel <= static_cast<int64_t>(UINT32_MAX))
        triangle_kernel<U, uint32_t><<<blocks_for(numel), kThreads, 0, s>>>(
            x, y, static_cast<uint32_t>(numel), static_cast<uint32_t>(l.dim), static_cast<uint32_t>(l.inner), diagonal,
            upper);
    else
        triangle_kernel<U, int64_t><<<blocks_for(numel), kThreads, 0, s>>>(x, y, numel, l.dim, l.inner, diagonal, upper);
}

}  // namespace

int32_t triangle(const compute_cuda_lines* lines, const void* in, void* out, int64_t diagonal, int32_t upper) {
    const char* what = upper ? "cuda triu" : "cuda tril";
    return run_lines(what, lines, [&](const compute_cuda_lines& l) {
        CMP_CUDA_DISPATCH_ALL_TYPES(l.dtype, what, [&] {
            triangle_typed<bits_t<scalar_t>>(l, in, out, diagonal, upper != 0);
        });
    });
}

}  // namespace cmp::cuda_backend
