// Device parity of the ops composed of other device ops (docs/CUDA.md): the cases of
// compose_cases.h, which the routing tests also run against the fake backend, on the real
// kernels.
#include "compose_cases.h"
#include "cuda_parity_util.h"

namespace cmp::testing {
namespace {

TEST_F(CudaParity, ShapeCopiesMatchTheCpu) { compose_cases::shape_copy_cases(); }

TEST_F(CudaParity, BatchNormMatchesTheCpu) { compose_cases::batch_norm_cases_all(); }

TEST_F(CudaParity, AttentionMatchesTheCpu) { compose_cases::attention_cases_all(); }

}  // namespace
}  // namespace cmp::testing
