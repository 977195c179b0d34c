// Device parity of the fused activation derivatives (cuda/activation_backward.cu): the cases the
// routing tests run against the fake backend (activation_cases.h), here against the real
// kernels, compared with the CPU within the tolerances of docs/CUDA.md.
#include "activation_cases.h"
#include "cuda_parity_util.h"

namespace cmp::testing {
namespace {

TEST_F(CudaParity, ActivationDerivativesMatchTheCpu) { activation_cases::every_op(); }

}  // namespace
}  // namespace cmp::testing
