// Device parity of cross_entropy and nll_loss, forward and backward (cuda/class_loss.cu): every
// option of both ops in every floating dtype (class_loss_cases.h, which the routing tests also
// run against the fake backend), rows of NaN / inf, targets out of range, and the layouts the
// fake cannot reach: rows of a block (many classes), long strided rows (inner > 1), inputs that
// are not dense and probability targets of another dtype. Bounds: class_loss_tolerance
// (docs/CUDA.md, "class losses").
#include "class_loss_cases.h"
#include "cuda_parity_util.h"

namespace cmp::testing {
namespace {

namespace cases = class_loss_cases;

constexpr cmp_dtype kFloating[] = {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64, CMP_DTYPE_FLOAT16, CMP_DTYPE_BFLOAT16};

TEST_F(CudaParity, ClassLossesMatchTheCpuForEveryOption) {
    for (cmp_dtype dt : kFloating) cases::every_option(dt);
}

TEST_F(CudaParity, ClassLossRowsOfNanOrInfinityGiveNan) {
    for (cmp_dtype dt : kFloating) cases::non_finite_rows(dt);
}

TEST_F(CudaParity, ClassLossTargetsOutOfRangeFailAsOnTheCpu) {
    for (cmp_dtype dt : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT16}) cases::out_of_range_targets(dt);
}

// Warp rows (C < 1024), block rows (C >= 1024, a 50257-word vocabulary) and thread-per-row
// strided layouts with many rows, with weights, smoothing and probability targets.
TEST_F(CudaParity, ClassLossLongAndStridedRowsMatchTheCpu) {
    const std::vector<std::vector<int64_t>> shapes = {{64, 1000}, {5, 1024}, {3, 50257}, {4, 40, 33}, {2, 7, 300, 5}};
    for (const auto& sizes : shapes)
        for (cmp_dtype dt : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64, CMP_DTYPE_BFLOAT16})
            for (int32_t reduction : {CMP_REDUCTION_NONE, CMP_REDUCTION_MEAN}) {
                cases::Case c;
                c.sizes = sizes;
                c.dtype = dt;
                c.reduction = reduction;
                c.weighted = true;
                c.ignore_index = 1;
                c.smoothing = 0.1;
                cases::expect_same(c);
                c.logits = false;
                c.smoothing = 0.0;
                cases::expect_same(c);
                c.logits = true;
                c.ignore_index = -100;
                c.prob = true;
                cases::expect_same(c);
            }
}

// An input that is a transposed view (made dense on the device first) and float64 probability
// targets with a float32 input (promoted; each gradient comes back in its operand's dtype).
TEST_F(CudaParity, ClassLossOperandsAreLaidOutAndPromotedAsOnTheCpu) {
    cases::Case c;
    c.sizes = {6, 5};
    c.reduction = CMP_REDUCTION_SUM;
    c.weighted = true;
    c.smoothing = 0.2;
    cases::Operands h = cases::host_operands(c);
    cmp_tensor raw = nullptr;
    const Handle columns = tensor_from(cases::inputs(30), {5, 6}, CMP_DTYPE_FLOAT32);
    ASSERT_EQ(cmp_transpose(columns.get(), 0, 1, &raw), CMP_STATUS_OK) << cmp_last_error();
    h.input = Handle(raw);
    cases::expect_same(c, h, cases::on_device(h));

    c.prob = true;
    c.weighted = false;
    h = cases::host_operands(c);
    h.target = tensor_from(cases::probabilities(30), {6, 5}, CMP_DTYPE_FLOAT64);
    cases::expect_same(c, h, cases::on_device(h));
    const cases::Operands d = cases::on_device(h);
    cmp_tensor gi = nullptr, gt = nullptr;
    ASSERT_EQ(cases::backward(c, d, &gi, &gt), CMP_STATUS_OK) << cmp_last_error();
    const Handle grad_input(gi), grad_target(gt);
    cmp_dtype dt{};
    ASSERT_EQ(cmp_tensor_dtype(grad_input.get(), &dt), CMP_STATUS_OK);
    EXPECT_EQ(dt, CMP_DTYPE_FLOAT32);
    ASSERT_EQ(cmp_tensor_dtype(grad_target.get(), &dt), CMP_STATUS_OK);
    EXPECT_EQ(dt, CMP_DTYPE_FLOAT64);
}

}  // namespace
}  // namespace cmp::testing
