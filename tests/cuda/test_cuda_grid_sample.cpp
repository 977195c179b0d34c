// Device parity of grid_sample 2-d and its backward (cuda/grid_sample.cu): the cases of
// grid_cases.h (which the routing tests also run against the fake backend), outputs and
// gradients equal to the CPU's (docs/CUDA.md); then what only a device shows: many blocks (a
// spatial transformer's resampling of 8 x 64 x 56 x 56), and an input gradient that is the same
// bits from run to run where many samples add to one pixel (no atomics).
#include "cuda_parity_util.h"
#include "grid_cases.h"

namespace cmp::testing {
namespace {

TEST_F(CudaParity, GridSampleMatchesTheCpu) { grid_cases::every_case(); }

TEST_F(CudaParity, LargeGridSampleMatchesTheCpu) {
    const grid_cases::GridCase c{"8x64x56x56 -> 56x56", {8, 64, 56, 56}, 56, 56};
    grid_cases::grid_case(c, 0, 0, 0, CMP_DTYPE_FLOAT32);
    grid_cases::grid_case(c, 0, 2, 1, CMP_DTYPE_FLOAT32);
    grid_cases::grid_case(c, 1, 1, 0, CMP_DTYPE_FLOAT32);
}

TEST_F(CudaParity, GridSampleGradientsAreTheSameBitsOnEveryRun) {
    // 96 x 96 samples of a 6 x 6 input: every pixel takes about a thousand terms.
    const Handle x = tensor_from(sample(2 * 3 * 6 * 6), {2, 3, 6, 6}, CMP_DTYPE_FLOAT32);
    const Handle g = tensor_from(grid_cases::grid_values(2 * 96 * 96 * 2, false), {2, 96, 96, 2}, CMP_DTYPE_FLOAT32);
    const Handle go = tensor_from(sample(2 * 3 * 96 * 96), {2, 3, 96, 96}, CMP_DTYPE_FLOAT32);
    const Handle dx = cuda(x), dg = cuda(g), dgo = cuda(go);
    std::vector<double> first;
    for (int run = 0; run < 3; ++run) {
        cmp_tensor gi = nullptr, gg = nullptr;
        CMP_ASSERT_OK(cmp_grid_sample_backward(dgo.get(), dx.get(), dg.get(), 0, 0, 0, &gi, &gg));
        const Handle hgi(gi), hgg(gg);
        std::vector<double> v = host_values(hgi.get());
        const std::vector<double> w = host_values(hgg.get());
        v.insert(v.end(), w.begin(), w.end());
        if (run == 0) first = v;
        else expect_identical(v, first, "run " + std::to_string(run));
    }
}

}  // namespace
}  // namespace cmp::testing
