// Device parity of the convolutions (cuda/im2col.cu and cuBLAS through ops/cuda_conv.cpp): the
// cases of conv_cases.h (which the routing tests also run against the fake backend) with exact
// values, identical bits required, also in chunks of one image; the same cases with fractional
// values within the bound of docs/CUDA.md; fold's sums (col2im in the CPU's order) identical
// with fractional values; a ResNet-sized layer; and the same bits on every run.
#include "conv_cases.h"
#include "cuda_parity_util.h"
#include "ops/cuda_ops.h"

#include <cmath>

namespace cmp::testing {
namespace {

const cmp_dtype kFloating[] = {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64, CMP_DTYPE_FLOAT16, CMP_DTYPE_BFLOAT16};

TEST_F(CudaParity, ConvolutionsWithExactValuesMatchTheCpuBitForBit) {
    for (cmp_dtype dt : kFloating) conv_cases::every_case_identical(dt);
}

TEST_F(CudaParity, ConvolutionsInChunksOfOneImageMatchTheCpuBitForBit) {
    const int64_t budget = ops::cuda_ops::set_conv_column_budget(1);
    for (cmp_dtype dt : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64}) conv_cases::every_case_identical(dt);
    ops::cuda_ops::set_conv_column_budget(budget);
}

// |GPU - CPU| <= (2L + 4)u M (+ two roundings of a 16-bit result), M the same convolution of the
// operands' absolute values in float64 (docs/CUDA.md), L a bound on the terms of every sum.
void expect_within(const std::vector<double>& gpu, const std::vector<double>& cpu, const std::vector<double>& m,
                   double per_m, double absolute, const std::string& what) {
    ASSERT_EQ(gpu.size(), cpu.size()) << what;
    ASSERT_EQ(m.size(), cpu.size()) << what;
    for (size_t i = 0; i < gpu.size(); ++i)
        EXPECT_LE(std::fabs(gpu[i] - cpu[i]), per_m * m[i] + absolute)
            << what << " at " << i << ": " << gpu[i] << " (CPU: " << cpu[i] << ", M " << m[i] << ")";
}

int64_t terms_bound(const conv_cases::Case& c, const conv_cases::Results& r) {
    int64_t k = 1;
    for (size_t i = 2; i < c.weight.size(); ++i) k *= c.weight[i];
    const int64_t in = conv_cases::numel(c.input), out = conv_cases::numel(r.out_shape);
    return std::max({c.weight[0] * k, c.weight[1] * k, in, out}) + 2;
}

void expect_results_within(const conv_cases::Case& c, cmp_dtype dt, const conv_cases::Values& values) {
    const conv_cases::Results h = conv_cases::run(c, dt, cpu_device(), values);
    const conv_cases::Results d = conv_cases::run(c, dt, cuda_device(), values);
    const conv_cases::Results m =
        conv_cases::run(c, CMP_DTYPE_FLOAT64, cpu_device(), values, [](double x) { return std::fabs(x); });
    const bool half = dt == CMP_DTYPE_FLOAT16 || dt == CMP_DTYPE_BFLOAT16;
    const double u = dt == CMP_DTYPE_FLOAT64 ? 0x1p-53 : 0x1p-24;
    const double u16 = dt == CMP_DTYPE_FLOAT16 ? 0x1p-11 : dt == CMP_DTYPE_BFLOAT16 ? 0x1p-8 : 0.0;
    // M from the unrounded values: 16-bit operands are within u16 of them (hence the 1 + 4 u16).
    const double per_m = ((2.0 * static_cast<double>(terms_bound(c, h)) + 4.0) * u + 2.0 * u16) * (1.0 + 4.0 * u16);
    const double absolute = dt == CMP_DTYPE_FLOAT16 ? 0x1p-24 : 0.0;
    const std::string what = c.name + " dtype " + std::to_string(static_cast<int>(dt)) + (half ? " (16-bit)" : "");
    EXPECT_EQ(d.out_shape, h.out_shape) << what;
    expect_within(d.out, h.out, m.out, per_m, absolute, what + ": output");
    expect_within(d.grad_input, h.grad_input, m.grad_input, per_m, absolute, what + ": grad_input");
    expect_within(d.grad_weight, h.grad_weight, m.grad_weight, per_m, absolute, what + ": grad_weight");
    expect_within(d.grad_bias, h.grad_bias, m.grad_bias, per_m, absolute, what + ": grad_bias");
}

TEST_F(CudaParity, ConvolutionsWithFractionalValuesMatchTheCpuWithinTheBound) {
    for (cmp_dtype dt : kFloating)
        for (const conv_cases::Case& c : conv_cases::every_case()) expect_results_within(c, dt, conv_cases::fractional_values);
}

// unfold moves elements; fold's col2im adds each pixel's entries tap by tap from 0, the CPU's order.
TEST_F(CudaParity, UnfoldAndFoldWithFractionalValuesMatchTheCpuBitForBit) {
    for (cmp_dtype dt : kFloating) {
        for (const conv_cases::FoldCase& c : conv_cases::fold_cases()) {
            const conv_cases::Results h = conv_cases::run_fold(c, dt, cpu_device(), conv_cases::fractional_values);
            const conv_cases::Results d = conv_cases::run_fold(c, dt, cuda_device(), conv_cases::fractional_values);
            EXPECT_EQ(d.out_shape, h.out_shape) << c.name;
            expect_identical(d.out, h.out, c.name + " dtype " + std::to_string(static_cast<int>(dt)));
        }
    }
}

// A ResNet-sized 3x3 layer, a strided one and a 1x1 one (many blocks, cuBLAS's large-GEMM paths).
TEST_F(CudaParity, LargeConvolutionsMatchTheCpuWithinTheBound) {
    std::vector<conv_cases::Case> cases;
    cases.push_back({"conv2d [8, 64, 28, 28] 3x3", 2, {8, 64, 28, 28}, {128, 64, 3, 3}, {1, 1}, {1, 1}});
    cases.push_back({"conv2d [4, 128, 28, 28] 3x3 stride 2", 2, {4, 128, 28, 28}, {256, 128, 3, 3}, {2, 2}, {1, 1}});
    cases.push_back({"conv2d [8, 256, 14, 14] 1x1", 2, {8, 256, 14, 14}, {64, 256, 1, 1}});
    cases.push_back({"conv2d [4, 96, 20, 20] depthwise", 2, {4, 96, 20, 20}, {96, 1, 3, 3}, {1, 1}, {1, 1}, {}, {},
                     CMP_CONV_PADDING_EXPLICIT, 96});
    for (const conv_cases::Case& c : cases)
        for (cmp_dtype dt : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64}) expect_results_within(c, dt, conv_cases::fractional_values);
}

// No atomics anywhere: two runs give the same bits (col2im is a gather, the weight gradient sums
// its images inside the GEMMs).
TEST_F(CudaParity, ConvolutionGradientsAreTheSameBitsOnEveryRun) {
    const conv_cases::Case c{"conv2d [16, 32, 17, 17] stride 2", 2, {16, 32, 17, 17}, {48, 32, 3, 3}, {2, 2}, {1, 1}};
    const conv_cases::Results a = conv_cases::run(c, CMP_DTYPE_FLOAT32, cuda_device(), conv_cases::fractional_values);
    const conv_cases::Results b = conv_cases::run(c, CMP_DTYPE_FLOAT32, cuda_device(), conv_cases::fractional_values);
    conv_cases::expect_same_results(b, a, c.name + " run to run");
}

}  // namespace
}  // namespace cmp::testing
