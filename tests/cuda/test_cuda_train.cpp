// Device parity of a whole training run: a small MLP trained for 50 steps on the CPU and on the
// GPU from the same start gives the same losses and weights (train_cases.h, which the routing
// tests also run against the fake backend).
#include "cuda_parity_util.h"
#include "train_cases.h"

namespace cmp::testing {
namespace {

TEST_F(CudaParity, ASmallModelTrainsToTheCpusLosses) { train_cases::fifty_steps(); }

}  // namespace
}  // namespace cmp::testing
