// cumsum/cumprod over an outer dim, whose lines are neighbours in memory: the CPU kernel scans
// them a block at a time across the inner dim (native/src/cpu/kernels/reductions.cpp). Each
// line must still add (multiply) its elements in scan order, so the result has the same bits as
// the same scan of a copy laid out with the scanned dim innermost, which runs line by line.
#include "engine_test_util.h"
#include "ops/reductions.h"

#include <gtest/gtest.h>

#include <string>

namespace {

using namespace engine_test;
namespace ops = cmp::ops;

// The scan of t along dim computed on a contiguous copy whose last dim is dim, moved back.
Tensor scan_line_by_line(const Tensor& t, int64_t dim, bool sum) {
    Shape order;
    for (int64_t d = 0; d < t.dim(); ++d)
        if (d != dim) order.push_back(d);
    order.push_back(dim);
    Shape back(order.size());
    for (size_t k = 0; k < order.size(); ++k) back[static_cast<size_t>(order[k])] = static_cast<int64_t>(k);
    const Tensor lines = ops::contiguous(ops::permute(t, order));
    const int64_t last = t.dim() - 1;
    return ops::permute(sum ? ops::cumsum(lines, last) : ops::cumprod(lines, last), back);
}

TEST(Scan, OuterDimBlocksGiveTheLineByLineBits) {
    // Inner sizes below, at and across the block of 256 lines (partial last blocks), with and
    // without dims outside the scanned one.
    struct Case {
        Shape shape;
        int64_t dim;
    };
    const Case cases[] = {{{37, 600}, 0}, {{1024, 256}, 0}, {{5, 7}, 0}, {{3, 9, 300}, 1}, {{4, 3, 520}, 0}, {{6, 2, 1, 257}, 1}};
    for (DType dtype : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64, CMP_DTYPE_FLOAT16, CMP_DTYPE_BFLOAT16, CMP_DTYPE_INT32,
                        CMP_DTYPE_INT64, CMP_DTYPE_UINT8}) {
        for (const Case& c : cases) {
            int64_t n = 1;
            for (int64_t s : c.shape) n *= s;
            // Floats off the 1/8 grid, so that sums round and their order shows in the bits.
            const bool is_int = dtype == CMP_DTYPE_INT32 || dtype == CMP_DTYPE_INT64 || dtype == CMP_DTYPE_UINT8;
            std::vector<double> v = random_values(static_cast<size_t>(n), 11, dtype == CMP_DTYPE_UINT8 ? 0 : -3, 3, !is_int);
            if (!is_int)
                for (double& x : v) x = x * 1.1 + 0.013;
            const Tensor t = make(v, c.shape, dtype);
            for (bool sum : {true, false}) {
                const Tensor got = sum ? ops::cumsum(t, c.dim) : ops::cumprod(t, c.dim);
                const std::string what = std::string(sum ? "cumsum" : "cumprod") + " dtype " + std::to_string(dtype) +
                                         " dim " + std::to_string(c.dim) + " numel " + std::to_string(n);
                EXPECT_TRUE(same_bits(got, scan_line_by_line(t, c.dim, sum))) << what;
            }
        }
    }
}

}  // namespace
