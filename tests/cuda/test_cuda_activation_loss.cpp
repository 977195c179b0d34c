// Device parity of the fused activation derivatives (cuda/activation_backward.cu) and the
// pointwise losses (cuda/pointwise_loss.cu): the cases the routing tests run against the fake
// backend (activation_cases.h, loss_cases.h), here against the real kernels, compared with the
// CPU within the tolerances of docs/CUDA.md.
#include "activation_cases.h"
#include "cuda_parity_util.h"
#include "loss_cases.h"

namespace cmp::testing {
namespace {

TEST_F(CudaParity, ActivationDerivativesMatchTheCpu) { activation_cases::every_op(); }

TEST_F(CudaParity, PointwiseLossesMatchTheCpu) { loss_cases::every_case(); }

// binary_cross_entropy's range check on a device tensor: the min and max read back.
TEST_F(CudaParity, BinaryCrossEntropyChecksTheRangeOnTheDevice) {
    Handle x = cuda(tensor_from({0.1, 0.5, 1.5, 0.2}, {4}, CMP_DTYPE_FLOAT32));
    Handle y = cuda(tensor_from({0.0, 1.0, 1.0, 0.0}, {4}, CMP_DTYPE_FLOAT32));
    cmp_tensor out = nullptr;
    const Failure f = failure_of([&] { return cmp_binary_cross_entropy(x.get(), y.get(), nullptr, CMP_REDUCTION_MEAN, &out); });
    EXPECT_EQ(f.status, CMP_STATUS_INVALID_ARGUMENT);
    EXPECT_NE(f.message.find("binary_cross_entropy: all elements of input should be between 0 and 1"), std::string::npos)
        << f.message;
    EXPECT_EQ(out, nullptr);
}

}  // namespace
}  // namespace cmp::testing
