// Kernels of the shape family: the triangle mask of tril/triu.
#include "cpu/shape_ops_stubs.h"
#include "cpu/loops.h"

#include "core/parallel.h"

#include <algorithm>
#include <cstring>

namespace cmp::cpu {
namespace {

// Works on bytes, not values: all-zero bits are 0 (or false) in all ten dtypes, so one loop
// serves every dtype. Each row is split into a kept run and zeroed runs, computed from the
// row's index, so rows are independent and are shared out over the pool.
void triangle_zero_kernel(const Tensor& t, int64_t diagonal, bool upper) {
    const int64_t cols = t.size(-1), rows = t.size(-2);
    if (t.numel() == 0) return;
    const int64_t total_rows = t.numel() / cols;
    const int64_t es = t.element_size();
    char* base = static_cast<char*>(t.data_ptr());
    const int64_t grain = std::max<int64_t>(1, kDefaultGrain / cols);
    // Any diagonal beyond the matrix acts like the matrix's edge; clamping keeps i + k exact.
    const int64_t k = std::clamp<int64_t>(diagonal, -rows - 1, cols + 1);
    parallel_for(0, total_rows, grain, [&](int64_t begin, int64_t end) {
        for (int64_t r = begin; r < end; ++r) {
            const int64_t i = r % rows;
            char* row = base + r * cols * es;
            // Columns j kept: tril keeps j <= i + diagonal, triu keeps j >= i + diagonal.
            const int64_t edge = std::clamp<int64_t>(i + k + (upper ? 0 : 1), 0, cols);
            if (upper) std::memset(row, 0, static_cast<size_t>(edge * es));
            else std::memset(row + edge * es, 0, static_cast<size_t>((cols - edge) * es));
        }
    });
}

}  // namespace

CMP_REGISTER_KERNEL(triangle_zero_stub, triangle_zero_kernel)

}  // namespace cmp::cpu
