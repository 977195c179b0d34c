// Device parity of interpolate and its backward (cuda/interpolate.cu): the cases of
// interp_cases.h (which the routing tests also run against the fake backend), outputs and input
// gradients equal to the CPU's (docs/CUDA.md); then what only a device shows: many blocks (a
// feature map upsampled x2 and a volume resized), and gradients that are the same bits from run
// to run where many outputs read one input (no atomics).
#include "cuda_parity_util.h"
#include "interp_cases.h"

namespace cmp::testing {
namespace {

TEST_F(CudaParity, InterpolateMatchesTheCpu) { interp_cases::every_case(); }

TEST_F(CudaParity, LargeInterpolateMatchesTheCpu) {
    const interp_cases::InterpCase cases[] = {
        {"bilinear 8x64x56x56 -> 112x112", {8, 64, 56, 56}, {112, 112}, {}, 2},
        {"bilinear align_corners 4x32x61x47 -> 100x33", {4, 32, 61, 47}, {100, 33}, {}, 2, true},
        {"nearest 8x64x56x56 x2", {8, 64, 56, 56}, {}, {2.0, 2.0}, 0},
        {"trilinear 2x8x16x24x24 -> 9x40x17", {2, 8, 16, 24, 24}, {9, 40, 17}, {}, 2},
    };
    for (const interp_cases::InterpCase& c : cases) interp_cases::interp_case(c, CMP_DTYPE_FLOAT32);
}

TEST_F(CudaParity, InterpolateGradientsAreTheSameBitsOnEveryRun) {
    // An upsampling by 7.3: every input is read by about 15 outputs per dim.
    const Handle g = tensor_from(sample(2 * 4 * 73 * 73), {2, 4, 73, 73}, CMP_DTYPE_FLOAT32);
    const Handle dg = cuda(g);
    const int64_t input_size[4] = {2, 4, 10, 10};
    std::vector<double> first;
    for (int run = 0; run < 3; ++run) {
        cmp_tensor gi = nullptr;
        CMP_ASSERT_OK(cmp_interpolate_backward(dg.get(), input_size, 4, nullptr, 2, 0, 0, &gi));
        const Handle hgi(gi);
        const std::vector<double> v = host_values(hgi.get());
        if (run == 0) first = v;
        else expect_identical(v, first, "run " + std::to_string(run));
    }
}

}  // namespace
}  // namespace cmp::testing
