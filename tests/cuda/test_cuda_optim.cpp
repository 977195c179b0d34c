// Device parity of the fused optimizer steps (cuda/optim.cu): SGD (momentum, nesterov,
// dampening, weight decay, maximize), Adam, AdamW with amsgrad, RMSprop (centered, momentum)
// and Adagrad, three steps on each device from the same buffers, in every floating dtype (the
// cases are optim_cases.h, which the routing tests also run against the fake backend).
#include "cuda_parity_util.h"
#include "optim_cases.h"

namespace cmp::testing {
namespace {

TEST_F(CudaParity, OptimizerStepsMatchTheCpu) { optim_cases::every_optimizer(); }

}  // namespace
}  // namespace cmp::testing
